"""The store: every file the app writes (preferences, exercises, history, checkpoints)."""
