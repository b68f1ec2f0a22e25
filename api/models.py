"""Database tables. The schema migration in migrations/versions creates exactly these (a test compares)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, ForeignKeyConstraint, Index, Text
from sqlmodel import Field, SQLModel


class Release(SQLModel, table=True):
    """One record-level dataset release, as loaded by its data migration. Immutable."""

    __tablename__ = "release"

    id: str = Field(primary_key=True, max_length=40)
    title: str
    description: str = ""
    valid_as_of: date
    published: date
    synthetic: bool
    synthetic_note: str = ""
    licence_name: str
    licence_url: str
    metadata_json: str = Field(sa_column=Column(Text, nullable=False))
    case_count: int
    loaded_at: datetime


class DatasetFile(SQLModel, table=True):
    """A file a migration loaded, with its checksum: every figure traces back to the bytes it came from."""

    __tablename__ = "dataset_file"

    path: str = Field(primary_key=True, max_length=200)
    release_id: str | None = Field(default=None, foreign_key="release.id", index=True, max_length=40)
    sha256: str = Field(max_length=64)
    rows: int
    bytes: int


class Article(SQLModel, table=True):
    """Criminal-code article of the Republic of Belarus (`other` collects the rest)."""

    __tablename__ = "article"

    code: str = Field(primary_key=True, max_length=10)
    title_en: str
    title_be: str
    title_ru: str
    title_status: str


class Region(SQLModel, table=True):
    """Region of detention by ISO 3166-2:BY code (`unknown` when not known)."""

    __tablename__ = "region"

    code: str = Field(primary_key=True, max_length=10)
    name_en: str
    name_be: str
    name_ru: str


class Case(SQLModel, table=True):
    """One anonymized person of one release. Never published: input of aggregate statistics only."""

    __tablename__ = "case"
    __table_args__ = (
        Index("ix_case_release_recognized", "release_id", "recognized_on"),
        Index("ix_case_release_released", "release_id", "released_on"),
    )

    release_id: str = Field(primary_key=True, foreign_key="release.id", max_length=40)
    case_id: str = Field(primary_key=True, max_length=32)
    gender: str = Field(max_length=10)
    age_band: str = Field(max_length=10)
    region: str = Field(foreign_key="region.code", max_length=10)
    detained_on: str = Field(max_length=7)
    recognized_on: str = Field(max_length=7)
    sentence_kind: str = Field(max_length=24)
    sentence_months: int | None = None
    released_on: str | None = Field(default=None, max_length=7)
    release_kind: str | None = Field(default=None, max_length=24)


class CaseArticle(SQLModel, table=True):
    """An article a case was charged under (a case has one or more)."""

    __tablename__ = "case_article"
    __table_args__ = (
        ForeignKeyConstraint(
            ["release_id", "case_id"], ["case.release_id", "case.case_id"], ondelete="CASCADE"
        ),
    )

    release_id: str = Field(primary_key=True, max_length=40)
    case_id: str = Field(primary_key=True, max_length=32)
    article: str = Field(primary_key=True, foreign_key="article.code", max_length=10)


class ReleaseSuppression(SQLModel, table=True):
    """A cell (a set of people, `api.cells.Cell`) a release's suppression list hides or shows in every
    table, found by the release-wide anonymity audit (`prisoners-api protect`), from suppression.json."""

    __tablename__ = "release_suppression"

    release_id: str = Field(primary_key=True, foreign_key="release.id", max_length=40)
    position: int = Field(primary_key=True)
    cell: str = Field(sa_column=Column(Text, nullable=False))
    hidden: bool
    """True: hidden in every table that counts these people; false: shown (determined exactly anyway)."""


class PublishedFigure(SQLModel, table=True):
    """A figure published by Viasna or the press, with its citation. Real data, never synthetic."""

    __tablename__ = "published_figure"

    figure_id: str = Field(primary_key=True, max_length=80)
    key: str = Field(index=True, max_length=40)
    value: int
    qualifier: str = Field(max_length=12)
    as_of: str = Field(max_length=10)
    period_start: str | None = Field(default=None, max_length=10)
    period_end: str | None = Field(default=None, max_length=10)
    dimension: str | None = Field(default=None, max_length=30)
    dimension_value: str | None = Field(default=None, max_length=30)
    source_title: str
    source_publisher: str
    source_url: str | None = None
    source_published: str | None = Field(default=None, max_length=10)
    source_kind: str = Field(max_length=10)
    note: str | None = None
