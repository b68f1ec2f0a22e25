"""data: published figures reviewed — every figure with its page address and the date its source was published

Adds `published_figure.source_published` and reloads the corrected, extended figures table (unload and load
in this migration's transaction, so a file that fails validation leaves the database as it was).

Revision ID: 0007_figures_review
Revises: 0006_publications
Create Date: 2026-12-10
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from api.dataset import loader
from api.migrate import migration_dataset_dir

revision: str = "0007_figures_review"
down_revision: str | Sequence[str] | None = "0006_publications"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    bind = op.get_bind()
    loader.unload_published_figures(bind)
    with op.batch_alter_table("published_figure") as batch:
        batch.add_column(sa.Column("source_published", sa.String(length=10), nullable=True))
    loader.load_published_figures(bind, migration_dataset_dir())


def downgrade() -> None:
    bind = op.get_bind()
    loader.unload_published_figures(bind)
    with op.batch_alter_table("published_figure") as batch:
        batch.drop_column("source_published")
    loader.load_published_figures(bind, migration_dataset_dir(), loader.FIGURE_COLUMNS_BEFORE_SOURCE_DATES)
