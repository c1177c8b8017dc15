"""The window: widgets and view logic. Receives its collaborators from tempo_coach.app."""
