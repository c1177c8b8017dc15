"""The store: every file the app writes (preferences, exercises, history, checkpoints).

Use ``Store.open(data_dir)``; see ``tempo_coach.store.store`` and docs/STORE.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tempo_coach.store.store import Store, StoreError, default_data_dir

if TYPE_CHECKING:
    from tempo_coach.store.backup import BackupError, BackupPreview, ImportResult

__all__ = [
    "BackupError",
    "BackupPreview",
    "ImportResult",
    "Store",
    "StoreError",
    "default_data_dir",
]
_FROM_BACKUP = ("BackupError", "BackupPreview", "ImportResult")


def __getattr__(name: str) -> Any:
    """The backup's names, imported when first asked for: opening a store needs no backup
    code (``tempo-coach history`` and the window's first paint)."""
    if name in _FROM_BACKUP:
        from tempo_coach.store import backup

        return getattr(backup, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
