"""The pure core: tempo, exercises, set plans, timelines, the session state machine.

Nothing in this package imports Qt, audio or file-system code; an import-linter contract in
pyproject.toml proves it. Every other layer depends on this one, never the other way round.
"""
