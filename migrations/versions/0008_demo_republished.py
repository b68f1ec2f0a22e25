"""data: reload release demo-2026-03, published again with the populations and the months held

The demonstration release is synthetic: its publication is made again when the code gains a table.
A database that loaded it before would keep the old answers (0006 loads a release once), so this
migration unloads it and loads the committed publication, in its transaction (a file that fails
validation leaves the database as it was). `tests/test_migrate.py` checks that the newest migration
reloading a release names the sha256 of the `answers.csv` it is meant to load: publish the demo again
and that test asks for a migration like this one.

Revision ID: 0008_demo_republished
Revises: 0007_figures_review
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from api.dataset import loader
from api.migrate import migration_dataset_dir

RELEASE_ID = "demo-2026-03"
ANSWERS_SHA256 = "136f320365179400553dce85bf5290f1cb24af1a4fd4a2de857d1d56c4db4be5"
"""The `answers.csv` this migration was written for (a later publication needs a later migration)."""

revision: str = "0008_demo_republished"
down_revision: str | Sequence[str] | None = "0007_figures_review"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    bind = op.get_bind()
    if bind.execute(sa.text("SELECT 1 FROM release WHERE id = :id"), {"id": RELEASE_ID}).first():
        loader.unload_release(bind, RELEASE_ID)
    loader.load_release(bind, migration_dataset_dir(), RELEASE_ID)


def downgrade() -> None:
    # The earlier publication's files are gone from the dataset: the release stays as loaded.
    pass
