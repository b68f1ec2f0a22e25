"""data: reference tables (criminal-code articles, regions)

Revision ID: 0002_reference_tables
Revises: 0001_schema
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

from api.dataset import loader
from api.migrate import migration_dataset_dir

revision: str = "0002_reference_tables"
down_revision: str | Sequence[str] | None = "0001_schema"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    loader.load_reference_tables(op.get_bind(), migration_dataset_dir())


def downgrade() -> None:
    loader.unload_reference_tables(op.get_bind())
