"""The schema version of every store file, and the ordered steps that upgrade old files.

All files share one version number. ``STEPS[kind][n]`` turns a version ``n`` document of that
kind into a version ``n + 1`` one; a kind that did not change between two versions simply has
its number raised. Migrations work on plain JSON values, so they never depend on today's
record classes. Add a step (and a fixture in tests/store/fixtures/) whenever the format
changes, and describe the new version in docs/STORE.md.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

SCHEMA_VERSION = 1

Document = dict[str, Any]
Step = Callable[[Document], Document]

STEPS: dict[str, dict[int, Step]] = {
    "preferences": {},
    "exercises": {},
    "history": {},
    "checkpoint": {},
}


class MigrationError(ValueError):
    """An old document that cannot be upgraded (it is damaged)."""


def migrate(kind: str, document: Document) -> Document:
    """Upgrade ``document`` (already checked to be a dict with an int version no newer than
    SCHEMA_VERSION) to SCHEMA_VERSION, one step at a time."""
    version = document["schema_version"]
    steps = STEPS[kind]
    while version < SCHEMA_VERSION:
        step = steps.get(version)
        if step is not None:
            try:
                document = step(document)
            except (KeyError, TypeError, AttributeError, IndexError) as error:
                raise MigrationError(
                    f"cannot upgrade it from format {version}: {error!r}"
                ) from None
        version += 1
        document = {**document, "schema_version": version}
    return document
