"""data: reload release demo-2026-03, published again with sentence lengths of two groups at once

The publication gains the lengths of prison sentences by gender within an article
(`sentences?article=342&by=gender`), protected with every earlier table and with the last
publication (all it hid is on the release's suppression list); the 1,136 earlier answers are
unchanged. As in 0008, the release is unloaded and the committed publication loaded, in this
migration's transaction.

Revision ID: 0009_demo_two_groups
Revises: 0008_demo_republished
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from api.dataset import loader
from api.migrate import migration_dataset_dir

RELEASE_ID = "demo-2026-03"
ANSWERS_SHA256 = "b54ce934b6111fed39a6c40e6e3ff29c7510a6ede22dd2f455379ae47f523b43"
"""The `answers.csv` this migration was written for (a later publication needs a later migration)."""

revision: str = "0009_demo_two_groups"
down_revision: str | Sequence[str] | None = "0008_demo_republished"
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
