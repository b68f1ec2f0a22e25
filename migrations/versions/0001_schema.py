"""schema: releases, cases, reference tables, published figures

Revision ID: 0001_schema
Revises:
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001_schema"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "article",
        sa.Column("code", sa.String(length=10), nullable=False),
        sa.Column("title_en", sa.String(), nullable=False),
        sa.Column("title_be", sa.String(), nullable=False),
        sa.Column("title_ru", sa.String(), nullable=False),
        sa.Column("title_status", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("code"),
    )
    op.create_table(
        "published_figure",
        sa.Column("figure_id", sa.String(length=80), nullable=False),
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.Column("qualifier", sa.String(length=12), nullable=False),
        sa.Column("as_of", sa.String(length=10), nullable=False),
        sa.Column("period_start", sa.String(length=10), nullable=True),
        sa.Column("period_end", sa.String(length=10), nullable=True),
        sa.Column("dimension", sa.String(length=30), nullable=True),
        sa.Column("dimension_value", sa.String(length=30), nullable=True),
        sa.Column("source_title", sa.String(), nullable=False),
        sa.Column("source_publisher", sa.String(), nullable=False),
        sa.Column("source_url", sa.String(), nullable=True),
        sa.Column("source_kind", sa.String(length=10), nullable=False),
        sa.Column("note", sa.String(), nullable=True),
        sa.PrimaryKeyConstraint("figure_id"),
    )
    with op.batch_alter_table("published_figure", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_published_figure_key"), ["key"], unique=False)

    op.create_table(
        "region",
        sa.Column("code", sa.String(length=10), nullable=False),
        sa.Column("name_en", sa.String(), nullable=False),
        sa.Column("name_be", sa.String(), nullable=False),
        sa.Column("name_ru", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("code"),
    )
    op.create_table(
        "release",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("description", sa.String(), nullable=False),
        sa.Column("valid_as_of", sa.Date(), nullable=False),
        sa.Column("published", sa.Date(), nullable=False),
        sa.Column("synthetic", sa.Boolean(), nullable=False),
        sa.Column("synthetic_note", sa.String(), nullable=False),
        sa.Column("licence_name", sa.String(), nullable=False),
        sa.Column("licence_url", sa.String(), nullable=False),
        sa.Column("metadata_json", sa.Text(), nullable=False),
        sa.Column("case_count", sa.Integer(), nullable=False),
        sa.Column("loaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
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
        sa.ForeignKeyConstraint(
            ["region"],
            ["region.code"],
        ),
        sa.ForeignKeyConstraint(
            ["release_id"],
            ["release.id"],
        ),
        sa.PrimaryKeyConstraint("release_id", "case_id"),
    )
    with op.batch_alter_table("case", schema=None) as batch_op:
        batch_op.create_index("ix_case_release_recognized", ["release_id", "recognized_on"], unique=False)
        batch_op.create_index("ix_case_release_released", ["release_id", "released_on"], unique=False)

    op.create_table(
        "dataset_file",
        sa.Column("path", sa.String(length=200), nullable=False),
        sa.Column("release_id", sa.String(length=40), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("bytes", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["release_id"],
            ["release.id"],
        ),
        sa.PrimaryKeyConstraint("path"),
    )
    with op.batch_alter_table("dataset_file", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_dataset_file_release_id"), ["release_id"], unique=False)

    op.create_table(
        "case_article",
        sa.Column("release_id", sa.String(length=40), nullable=False),
        sa.Column("case_id", sa.String(length=32), nullable=False),
        sa.Column("article", sa.String(length=10), nullable=False),
        sa.ForeignKeyConstraint(
            ["article"],
            ["article.code"],
        ),
        sa.ForeignKeyConstraint(
            ["release_id", "case_id"], ["case.release_id", "case.case_id"], ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("release_id", "case_id", "article"),
    )


def downgrade() -> None:
    op.drop_table("case_article")
    with op.batch_alter_table("dataset_file", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dataset_file_release_id"))

    op.drop_table("dataset_file")
    with op.batch_alter_table("case", schema=None) as batch_op:
        batch_op.drop_index("ix_case_release_released")
        batch_op.drop_index("ix_case_release_recognized")

    op.drop_table("case")
    op.drop_table("release")
    op.drop_table("region")
    with op.batch_alter_table("published_figure", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_published_figure_key"))

    op.drop_table("published_figure")
    op.drop_table("article")
