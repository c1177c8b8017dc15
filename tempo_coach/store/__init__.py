"""The store: every file the app writes (preferences, exercises, history, checkpoints).

Use ``Store.open(data_dir)``; see ``tempo_coach.store.store`` and docs/STORE.md.
"""

from __future__ import annotations

from tempo_coach.store.backup import BackupError, BackupPreview, ImportResult
from tempo_coach.store.store import Store, StoreError, default_data_dir

__all__ = [
    "BackupError",
    "BackupPreview",
    "ImportResult",
    "Store",
    "StoreError",
    "default_data_dir",
]
