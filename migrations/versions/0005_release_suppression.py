"""schema: release_suppression, each release's own suppression list (written by `prisoners-api protect`)

Revision ID: 0005_release_suppression
Revises: 0004_release_demo_2026_03
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_release_suppression"
down_revision: str | Sequence[str] | None = "0004_release_demo_2026_03"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "release_suppression",
        sa.Column("release_id", sa.String(length=40), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("cell", sa.Text(), nullable=False),
        sa.Column("hidden", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["release_id"], ["release.id"]),
        sa.PrimaryKeyConstraint("release_id", "position"),
    )
    # Releases loaded before this table existed used to get their lists here. Since 0006 the database
    # holds publications, already protected; the table only lives until 0006 drops it.


def downgrade() -> None:
    bind = op.get_bind()
    bind.execute(sa.text("DELETE FROM dataset_file WHERE path LIKE 'releases/%/suppression.json'"))
    op.drop_table("release_suppression")
