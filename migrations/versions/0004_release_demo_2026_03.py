"""data: release demo-2026-03 (synthetic demonstration release generated to match published totals)

Revision ID: 0004_release_demo_2026_03
Revises: 0003_published_figures
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

from api.dataset import loader
from api.migrate import migration_dataset_dir

RELEASE_ID = "demo-2026-03"

revision: str = "0004_release_demo_2026_03"
down_revision: str | Sequence[str] | None = "0003_published_figures"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Older than the suppression lists' table: 0005 loads this release's list, if it has one.
    loader.load_release(op.get_bind(), migration_dataset_dir(), RELEASE_ID, suppression=False)


def downgrade() -> None:
    loader.unload_release(op.get_bind(), RELEASE_ID, suppression=False)
