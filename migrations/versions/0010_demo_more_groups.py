"""data: reload release demo-2026-03, published again with prison sentence lengths of more groups

The publication gains the lengths of prison sentences by gender within an age band or a region, and
by age band or region for each gender (`sentences?gender=female&by=region`), protected with every
earlier table and with the last publication (all it hid is on the release's suppression list); the
1,156 earlier answers are unchanged. As in 0008, the release is unloaded and the committed
publication loaded, in this migration's transaction.

Revision ID: 0010_demo_more_groups
Revises: 0009_demo_two_groups
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from api.dataset import loader
from api.migrate import migration_dataset_dir

RELEASE_ID = "demo-2026-03"
ANSWERS_SHA256 = "2a3b4090afd80a934c377108bc562af96c683d4d86ab5620bc514e5ac06e3415"
"""The `answers.csv` this migration was written for (a later publication needs a later migration)."""

revision: str = "0010_demo_more_groups"
down_revision: str | Sequence[str] | None = "0009_demo_two_groups"
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
