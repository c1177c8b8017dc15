"""Tempo Coach: an eccentric (negative) strength-training timer and training log.

The version lives here and nowhere else (pyproject.toml reads it).
"""

__version__ = "0.1.0"
