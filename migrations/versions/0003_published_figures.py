"""data: published figures with their citations (real data, never synthetic)

Revision ID: 0003_published_figures
Revises: 0002_reference_tables
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

from api.dataset import loader
from api.migrate import migration_dataset_dir

revision: str = "0003_published_figures"
down_revision: str | Sequence[str] | None = "0002_reference_tables"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    columns = loader.FIGURE_COLUMNS_BEFORE_SOURCE_DATES  # the table as this revision makes it
    loader.load_published_figures(op.get_bind(), migration_dataset_dir(), columns)


def downgrade() -> None:
    loader.unload_published_figures(op.get_bind())
