"""Database tables. The schema migration in migrations/versions creates exactly these (a test compares)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, Text
from sqlmodel import Field, SQLModel


class Release(SQLModel, table=True):
    """One dataset release, as its publication was loaded by its data migration. Immutable."""

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
    """The article's number as the Code writes it (`361-1`), or `other`."""
    title_en: str
    title_be: str
    title_ru: str
    title_status: str
    """`source` when every title of the row is cited or checked against the official text of the Code;
    `translation_to_verify` while any of them is the curators' own rendering."""


class Region(SQLModel, table=True):
    """Region of detention: the six regions and Minsk city (`BY-HM`) by ISO 3166-2:BY code, or `unknown`."""

    __tablename__ = "region"

    code: str = Field(primary_key=True, max_length=10)
    name_en: str
    name_be: str
    name_ru: str


class PublishedAnswer(SQLModel, table=True):
    """One answer of a release's publication: every row the API returns for one statistic and query,
    already protected by `prisoners-api publish`. Serving a statistic is a lookup of one of these."""

    __tablename__ = "published_answer"

    release_id: str = Field(primary_key=True, foreign_key="release.id", max_length=40)
    statistic: str = Field(primary_key=True, max_length=20)
    query: str = Field(primary_key=True, max_length=200)
    """The canonical query without the release (`api.publication.answers.answer_key`)."""
    columns: str = Field(sa_column=Column(Text, nullable=False))
    dimensions: str = Field(sa_column=Column(Text, nullable=False))
    notes: str = Field(sa_column=Column(Text, nullable=False))
    suppressed_cells: int
    rows: str = Field(sa_column=Column(Text, nullable=False))
    """The rows as a JSON array of objects, in order."""


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


# The Core tables of the models, for SQLAlchemy Core statements (SQLModel leaves `Model.__table__`
# untyped; the metadata's tables are typed).
RELEASE = SQLModel.metadata.tables[Release.__tablename__]
DATASET_FILE = SQLModel.metadata.tables[DatasetFile.__tablename__]
ARTICLE = SQLModel.metadata.tables[Article.__tablename__]
REGION = SQLModel.metadata.tables[Region.__tablename__]
ANSWER = SQLModel.metadata.tables[PublishedAnswer.__tablename__]
FIGURE = SQLModel.metadata.tables[PublishedFigure.__tablename__]
