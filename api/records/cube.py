"""Counts by up to two dimensions in SQL, protected as a whole, then sliced by the query's filters.

A filter is a dimension: `gender=female&by=region` is the female slice of the gender × region table,
so the slice is cut *after* the whole table has been protected. Asking the same table through other
filters can then never reveal a cell that the full table hides.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from weakref import WeakKeyDictionary

from sqlalchemy import (
    ColumnElement,
    Connection,
    Engine,
    FromClause,
    and_,
    case,
    func,
    literal,
    literal_column,
    select,
)
from sqlalchemy.sql.elements import ClauseElement

from api.disclosure import protect_counts
from api.records.tables import CASE, CASE_ARTICLE
from api.stats.dimensions import Dimension
from api.stats.releases import ReleaseInfo
from api.table import TOTAL, CountTable, Key, PublishedEntry, PublishedTable

Row = tuple[object, ...]


@dataclass(frozen=True)
class Slice:
    """Which dimensions the response is split by, and which are fixed by a filter."""

    dimensions: tuple[Dimension, ...]
    filters: dict[str, str]

    @property
    def by(self) -> tuple[Dimension, ...]:
        return tuple(d for d in self.dimensions if d.name not in self.filters)


SCAN_SHARE = 0.25
"""On SQLite, a release holding at least this share of all cases is read by a scan of the table, not
through an index on release_id: fetching most rows through an index costs 2-4x a sequential scan (at
1M records: 1.0 s against 0.23 s for a breakdown), and the planner, which costs the index lower,
picks it anyway. PostgreSQL's planner chooses well on its own."""

_COUNTED: WeakKeyDictionary[Engine, dict[Hashable, list[Row]]] = WeakKeyDictionary()
"""Each workspace's GROUP BY results, by statement and parameters. `publish` asks the same GROUP BY
for many answers (each filter value of a table is a slice of the same counts) and again in every
audit round: 2,347 statements at 100k records, 126 of them distinct. The records of a workspace are
loaded once, before anything is counted (`api.publication.workspace`), so a result never goes stale."""


def column(dimension: Dimension) -> ColumnElement[str]:
    """The SQL of a dimension's value for each person: only these whitelisted expressions reach SQL,
    and parameter values are always bound."""
    name = dimension.name
    if name == "article":
        return CASE_ARTICLE.c.article
    if name == "release_kind":
        return func.coalesce(CASE.c.release_kind, literal("not_released"))
    if name == "status":
        return case((CASE.c.released_on.is_(None), literal("in_custody")), else_=literal("released"))
    if name == "year_detained":
        return func.substr(CASE.c.detained_on, 1, 4)
    return CASE.c[name]


def grouped_counts(
    connection: Connection,
    release: ReleaseInfo,
    dimensions: Sequence[Dimension],
    extra: Sequence[ColumnElement[object]] = (),
    where: Iterable[ColumnElement[bool]] = (),
) -> list[Row]:
    """SELECT <dimensions>, <extra>, count(*) ... GROUP BY: one SQL query, parameters bound."""
    columns = [column(d) for d in dimensions] + list(extra)
    source: FromClause = CASE
    if any(d.name == "article" for d in dimensions):
        source = CASE.join(
            CASE_ARTICLE,
            and_(CASE_ARTICLE.c.release_id == CASE.c.release_id, CASE_ARTICLE.c.case_id == CASE.c.case_id),
        )
    release_id: ColumnElement[str] = CASE.c.release_id
    if connection.dialect.name == "sqlite" and release.share >= SCAN_SHARE:
        release_id = literal_column('+"case".release_id')  # unary plus: SQLite uses no index for it
    query = select(*columns, func.count()).select_from(source).where(release_id == release.id, *where)
    if columns:
        query = query.group_by(*columns)
    counted = _COUNTED.setdefault(connection.engine, {})
    key = _statement_key(query, connection)
    if key not in counted:
        counted[key] = [tuple(row) for row in connection.execute(query).all()]
    return list(counted[key])


def _statement_key(query: ClauseElement, connection: Connection) -> Hashable:
    """The statement and its parameters' values: SQLAlchemy's own cache key (what its statement cache
    uses), which costs a tenth of compiling the statement as this cache did at first."""
    cache_key = query._generate_cache_key()
    if cache_key is None:  # a construct SQLAlchemy can't key: the SQL text then
        compiled = query.compile(connection)
        return f"{compiled} {sorted(compiled.params.items())!r}"
    return cache_key.key, repr([parameter.effective_value for parameter in cache_key.bindparams])


def count_table(
    name: str,
    release: ReleaseInfo,
    dimensions: Sequence[Dimension],
    counts: dict[Key, int],
    periods: tuple[str, ...] | None = None,
    exact_totals: bool = False,
    movement: dict[Key, int] | None = None,
    decided_by_tables: dict[Key, bool] | None = None,
    context: Mapping[str, frozenset[str]] | None = None,
) -> CountTable:
    """The exact counts of `release` as a table, with the keys its suppression list hides. `context`
    holds the conditions every count shares (the population a table describes)."""
    table = CountTable(
        name=name,
        dimensions=tuple(d.name for d in dimensions),
        levels={d.name: d.levels for d in dimensions},
        counts=counts,
        periods=periods,
        exact_totals=exact_totals,
        movement=movement,
        decided_by_tables=decided_by_tables,
    )
    return replace(table, decided_by_list=release.withheld.keys(table, context))


def protect_and_slice(table: CountTable, view: Slice, threshold: int) -> PublishedTable:
    """Protect the whole table, then keep the cells of the filters' values (and drop non-additive margins)."""
    protected = protect_counts(table, threshold)
    names = table.dimensions
    keep_positions = [i for i, n in enumerate(names) if n not in view.filters]
    non_additive = {i for i, d in enumerate(view.dimensions) if not d.additive}

    def wanted(cell: PublishedEntry) -> bool:
        for position, value in enumerate(cell.key):
            name = names[position]
            if name in view.filters and value != view.filters[name]:
                return False
            if position in non_additive and value == TOTAL and name not in view.filters:
                return False  # a sum over articles double-counts people charged under several
        return True

    cells = tuple(
        PublishedEntry(
            key=tuple(cell.key[i] for i in keep_positions),
            value=cell.value,
            suppressed=cell.suppressed,
            period=cell.period,
            is_margin=any(cell.key[i] == TOTAL for i in keep_positions),
        )
        for cell in protected.cells
        if wanted(cell)
    )
    return PublishedTable(
        name=table.name,
        dimensions=tuple(names[i] for i in keep_positions),
        cells=cells,
        threshold=protected.threshold,
        periods=protected.periods,
    )


def keyed(rows: Iterable[Row], width: int, transform: Callable[[Row], Key] | None = None) -> dict[Key, int]:
    """Sum SQL rows (dimension values…, count) into a dict keyed by the first `width` values."""
    counts: dict[Key, int] = {}
    for row in rows:
        key = transform(row) if transform else tuple(str(v) for v in row[:width])
        counts[key] = counts.get(key, 0) + int(row[-1])  # type: ignore[call-overload]
    return counts
