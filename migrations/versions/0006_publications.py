"""schema and data: publications replace record-level releases; release demo-2026-03 as a publication

The public database holds each release's publication (every answer the API gives, protected and
audited by `prisoners-api publish`) and no record-level table: `case`, `case_article` and
`release_suppression` are dropped, and every release loaded before is reloaded from its publication.

Revision ID: 0006_publications
Revises: 0005_release_suppression
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from api.dataset import loader
from api.migrate import migration_dataset_dir

RELEASE_ID = "demo-2026-03"

revision: str = "0006_publications"
down_revision: str | Sequence[str] | None = "0005_release_suppression"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    bind = op.get_bind()
    loaded = bind.execute(sa.text("SELECT id FROM release ORDER BY id")).scalars().all()
    op.drop_table("release_suppression")
    op.drop_table("case_article")
    with op.batch_alter_table("case", schema=None) as batch_op:
        batch_op.drop_index("ix_case_release_released")
        batch_op.drop_index("ix_case_release_recognized")
    op.drop_table("case")
    bind.execute(sa.text("DELETE FROM dataset_file WHERE release_id IS NOT NULL"))
    bind.execute(sa.text("DELETE FROM release"))
    op.create_table(
        "published_answer",
        sa.Column("release_id", sa.String(length=40), nullable=False),
        sa.Column("statistic", sa.String(length=20), nullable=False),
        sa.Column("query", sa.String(length=200), nullable=False),
        sa.Column("columns", sa.Text(), nullable=False),
        sa.Column("dimensions", sa.Text(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("suppressed_cells", sa.Integer(), nullable=False),
        sa.Column("rows", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["release_id"], ["release.id"]),
        sa.PrimaryKeyConstraint("release_id", "statistic", "query"),
    )
    for release_id in sorted({*loaded, RELEASE_ID}):
        loader.load_release(bind, migration_dataset_dir(), release_id)


def downgrade() -> None:
    # The record-level rows cannot come back (they are no longer public): the tables return empty.
    loader.unload_release(op.get_bind(), RELEASE_ID)
    op.drop_table("published_answer")
    op.create_table(
        "case",
        sa.Column("release_id", sa.String(length=40), nullable=False),
        sa.Column("case_id", sa.String(length=32), nullable=False),
        sa.Column("gender", sa.String(length=10), nullable=False),
        sa.Column("age_band", sa.String(length=10), nullable=False),
        sa.Column("region", sa.String(length=10), nullable=False),
        sa.Column("detained_on", sa.String(length=7), nullable=False),
        sa.Column("recognized_on", sa.String(length=7), nullable=False),
        sa.Column("sentence_kind", sa.String(length=24), nullable=False),
        sa.Column("sentence_months", sa.Integer(), nullable=True),
        sa.Column("released_on", sa.String(length=7), nullable=True),
        sa.Column("release_kind", sa.String(length=24), nullable=True),
        sa.ForeignKeyConstraint(["region"], ["region.code"]),
        sa.ForeignKeyConstraint(["release_id"], ["release.id"]),
        sa.PrimaryKeyConstraint("release_id", "case_id"),
    )
    with op.batch_alter_table("case", schema=None) as batch_op:
        batch_op.create_index("ix_case_release_recognized", ["release_id", "recognized_on"], unique=False)
        batch_op.create_index("ix_case_release_released", ["release_id", "released_on"], unique=False)
    op.create_table(
        "case_article",
        sa.Column("release_id", sa.String(length=40), nullable=False),
        sa.Column("case_id", sa.String(length=32), nullable=False),
        sa.Column("article", sa.String(length=10), nullable=False),
        sa.ForeignKeyConstraint(["article"], ["article.code"]),
        sa.ForeignKeyConstraint(
            ["release_id", "case_id"], ["case.release_id", "case.case_id"], ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("release_id", "case_id", "article"),
    )
    op.create_table(
        "release_suppression",
        sa.Column("release_id", sa.String(length=40), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("cell", sa.Text(), nullable=False),
        sa.Column("hidden", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["release_id"], ["release.id"]),
        sa.PrimaryKeyConstraint("release_id", "position"),
    )
