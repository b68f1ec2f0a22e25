"""Record-level tables: one row per person of a release. They exist only in a curator's private
workspace (`api.publication.workspace`), where `prisoners-api publish` computes a publication from
them. The public database never has them: no Alembic migration creates them, and the public models
(`api.models`) do not include them.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

METADATA = MetaData()


def _case_key() -> list[Column[str]]:
    """The key of a case, which the tables about one case share: its release and its id in that release.
    New columns each call: SQLAlchemy binds a column to a single table."""
    return [
        Column("release_id", String(40), primary_key=True),
        Column("case_id", String(32), primary_key=True),
    ]


CASE = Table(
    "case",
    METADATA,
    *_case_key(),
    Column("gender", String(10), nullable=False),
    Column("age_band", String(10), nullable=False),
    Column("region", String(10), nullable=False),
    Column("detained_on", String(7), nullable=False),
    Column("recognized_on", String(7), nullable=False),
    Column("sentence_kind", String(24), nullable=False),
    Column("sentence_months", Integer),
    Column("released_on", String(7)),
    Column("release_kind", String(24)),
    Index("ix_case_release_recognized", "release_id", "recognized_on"),
    Index("ix_case_release_released", "release_id", "released_on"),
)
"""One anonymized person of one release: the input of the aggregate statistics, never published."""

CASE_ARTICLE = Table(
    "case_article",
    METADATA,
    *_case_key(),
    Column("article", String(10), primary_key=True),
    ForeignKeyConstraint(["release_id", "case_id"], ["case.release_id", "case.case_id"], ondelete="CASCADE"),
)
"""An article a case was charged under (a case has one or more)."""

RELEASE_SUPPRESSION = Table(
    "release_suppression",
    METADATA,
    Column("release_id", String(40), primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("cell", Text, nullable=False),
    Column("hidden", Boolean, nullable=False),
)
"""A set of people (`api.cells.Cell`) the release's suppression list hides (or shows) in every table,
found by `prisoners-api protect`, from the record-level folder's suppression.json."""
