"""Query parameters of the statistics endpoints: parsed, checked against the allowed values, canonical.

HTTP-free: a query is parsed from its (name, value) pairs and the `Accept` header's text, so the routes,
the charts, the audit and `publish` parse it alike. Values are checked against the vocabularies of the
dataset, so every bad value is a problem (400) that names the parameter and lists what is allowed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from api.labels import LANGS, Lang
from api.problems import ProblemError, bad_parameter, conflicting_parameters
from api.stats.dimensions import DIMENSION_NAMES, FILTER_NAMES
from api.translations import Sentence

MAX_DIMENSIONS = 2
MAX_VALUE_LENGTH = 64
_MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")
RELEASE_PATTERN = "^(latest|[a-z0-9][a-z0-9.-]{2,39})$"
"""`latest` or a release id: what the server accepts and what the OpenAPI document says, for every
`release` parameter (query and path)."""
_RELEASE = re.compile(RELEASE_PATTERN)

Format = Literal["json", "csv", "xlsx"]
FORMATS: tuple[Format, ...] = ("json", "csv", "xlsx")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
COMMON_PARAMS = ("release", "format", "lang", "bom", "totals", "sep")
SEPARATORS = (",", ";")
SHAPES = ("long", "wide")
PARTS = ("histogram", "quantiles")
REPRESENTATION_PARAMS: dict[str, tuple[str, ...]] = {
    "flows": ("shape",),
    "sentences": ("part",),
    "held-before-release": ("part",),
}
"""Parameters that only re-shape one statistic's table (they never change its numbers)."""
POPULATIONS = ("recognized", "in_custody", "released")
"""Whom a count describes: everyone recognized since 2020 (the default), the people in custody on the
as-of date, or the people released by then. A population is not a dimension: `population=in_custody&
gender=female&by=region` is a two-dimensional question."""
POPULATION_PAIRS = FILTER_NAMES
"""The dimensions a population is split by two at a time: who people are. Detention year, kind of
sentence and release kind are what the headlines and the flows say of a person who enters or leaves
between two releases, so a population split by two of those would pin them (a late recognition)."""
FLOW_FILTERS = ("gender",)
"""The groups the monthly flows are published for, one at a time (`flows?gender=female`). The series in
custody by the same dimension then bounds each month's change by that group's own recognitions and
releases (`api.records.in_custody`), and the policy hides more of it: on the demo, 2 more counts of
the series by gender. By age band it was 11, but a review pinned hidden months of an age band's flows
by adding them up against the breakdown by release kind (`api.audit.months` now guards that, over
all months); by region it would be 35 (Minsk region's recognitions shown in 16 months of 71), by article 184
(article 369-1's series would keep 21 months of 71). Only gender is offered."""
SENTENCE_PAIRS = (("article", "gender"), ("age_band", "gender"), ("gender", "region"))
"""The pairs of dimensions prison sentence lengths are split by at once (a filter and a split, either
way round): gender within an article, an age band or a region. The audit's families of kind × bin ×
two dimensions (`api.audit.families_of`) cover exactly these; each is a family of four attributes in
every joint audit of every later release. Article × region and article × age band are not offered:
their groups are so small that most of their cells would be hidden (hundreds of narrow counts)."""


@dataclass(frozen=True)
class StatQuery:
    """A checked query: the release asked for, the filters, the split, the representation."""

    release: str
    filters: dict[str, str] = field(default_factory=dict)
    by: tuple[str, ...] = ()
    month_from: str | None = None
    month_to: str | None = None
    sentence_kind: str | None = None
    population: str = "recognized"
    format: Format = "json"
    lang: Lang = "en"
    bom: bool = False
    totals: bool | None = None
    """Margins (`total` rows) among the rows; None: the format's default (JSON yes, CSV and XLSX no)."""
    sep: str = ","
    shape: str | None = None
    """Flows: `long` or `wide`; None: the format's default (JSON wide, CSV and XLSX long)."""
    part: str | None = None
    """Sentences: `histogram` or `quantiles` only; None: the format's default."""

    @property
    def dimension_names(self) -> tuple[str, ...]:
        """Filters first, then the split: the dimensions of the table this query is a slice of."""
        return (*self.filters, *(name for name in self.by if name not in self.filters))

    def canonical_params(self, release: str) -> list[tuple[str, str]]:
        """Parameters in a fixed order, for permalinks and cache keys."""
        params: list[tuple[str, str]] = [("release", release)]
        if self.population != "recognized":
            params.append(("population", self.population))
        params += [(name, self.filters[name]) for name in sorted(self.filters)]
        if self.sentence_kind:
            params.append(("sentence_kind", self.sentence_kind))
        if self.by:
            params.append(("by", ",".join(self.by)))
        if self.month_from:
            params.append(("from", self.month_from))
        if self.month_to:
            params.append(("to", self.month_to))
        if self.lang != "en":
            params.append(("lang", self.lang))
        if self.bom:
            params.append(("bom", "true"))
        params += [(name, value) for name, value in self._representation_params() if value is not None]
        return params

    def _representation_params(self) -> list[tuple[str, str | None]]:
        totals = None if self.totals is None else str(self.totals).lower()
        return [
            ("totals", totals),
            ("sep", None if self.sep == "," else self.sep),
            ("shape", self.shape),
            ("part", self.part),
        ]


class Params:
    """A query's parameters: (name, value) pairs, in order, a name possibly given more than once."""

    def __init__(self, pairs: Iterable[tuple[str, str]], accept: str = "") -> None:
        self.pairs = list(pairs)
        self.accept = accept

    def names(self) -> list[str]:
        return list(dict.fromkeys(name for name, _ in self.pairs))

    def getlist(self, name: str) -> list[str]:
        return [value for key, value in self.pairs if key == name]


def one_value(request: Params, name: str) -> str | None:
    values = request.getlist(name)
    if len(values) > 1:
        raise bad_parameter(name, "twice")
    if values and len(values[0]) > MAX_VALUE_LENGTH:
        raise bad_parameter(name, "too_long", limit=MAX_VALUE_LENGTH)
    return values[0] if values else None


def allowed_value(
    request: Params, name: str, allowed: Iterable[str], default: str | None = None
) -> str | None:
    value = one_value(request, name)
    if value is None:
        return default
    options = list(allowed)
    if value not in options:
        raise bad_parameter(name, "not_allowed", options, value=value)
    return value


def _month(request: Params, name: str) -> str | None:
    value = one_value(request, name)
    if value is not None and not _MONTH.fullmatch(value):
        raise bad_parameter(name, "not_month", value=value)
    return value


def _quality(accept: str, media_type: str) -> float:
    """The q-value `accept` gives `media_type` exactly (0 when it is not listed)."""
    best = 0.0
    for item in accept.split(",")[:32]:  # a hostile header with thousands of types costs nothing
        kind, *params = (part.strip() for part in item.split(";"))
        if kind.lower() != media_type:
            continue
        quality = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        best = max(best, quality)
    return best


def negotiated_format(accept: str, format_param: str | None) -> Format:
    """`format` when given; else the representation `Accept` prefers: XLSX or CSV only when preferred
    to JSON (and, for XLSX, to CSV), so a browser's `*/*` gets JSON."""
    if format_param is not None:
        return format_param  # type: ignore[return-value]  # checked against FORMATS
    json, csv = _quality(accept, "application/json"), _quality(accept, "text/csv")
    if _quality(accept, XLSX_TYPE) > max(json, csv, 0.0):
        return "xlsx"
    return "csv" if csv > max(json, 0.0) else "json"


def wants_csv(accept: str, format_param: str | None) -> bool:
    """CSV when asked with `format=csv`, or when `Accept` prefers text/csv to application/json."""
    if format_param is not None:
        return format_param == "csv"
    return _quality(accept, "text/csv") > max(_quality(accept, "application/json"), 0.0)


@dataclass(frozen=True)
class QuerySpec:
    """Which parameters an endpoint takes: used to parse requests and to document them in OpenAPI."""

    filters: tuple[str, ...] = FILTER_NAMES
    by_allowed: tuple[str, ...] = ()
    max_by: int = 0
    months: bool = False
    sentence_kind: bool = False
    populations: bool = False
    """Whether `population` chooses whom the counts describe (see `POPULATIONS`)."""
    inherent_dimensions: int = 0
    """Dimensions the statistic always has (e.g. release kind in flows): they count towards the limit."""
    max_dimensions: int = MAX_DIMENSIONS
    """Dimensions (filters, `by` and inherent ones) a query may combine."""
    pairs: tuple[tuple[str, str], ...] | None = None
    """With two dimensions, the pairs they may be (names sorted; None: any allowed ones)."""
    representation: tuple[str, ...] = ()
    """Parameters of this statistic's table shape beyond the common ones (`REPRESENTATION_PARAMS`)."""

    def names(self) -> set[str]:
        names = {*COMMON_PARAMS, *self.filters}
        if self.max_by:
            names.add("by")
        if self.months:
            names |= {"from", "to"}
        if self.sentence_kind:
            names.add("sentence_kind")
        if self.populations:
            names.add("population")
        return names | set(self.representation)


def parse_query(request: Params, spec: QuerySpec, levels: dict[str, tuple[str, ...]]) -> StatQuery:
    """Check every parameter of a statistics query; raise a 400 problem on the first bad one."""
    allowed = spec.names()
    filters, by_allowed, max_by, months = spec.filters, spec.by_allowed, spec.max_by, spec.months
    sentence_kinds = levels["sentence_kind"] if spec.sentence_kind else ()
    for name in request.names():
        if name not in allowed:
            raise bad_parameter(name, "unknown", sorted(allowed))

    release = one_value(request, "release")
    release = "latest" if release is None else release
    if not _RELEASE.fullmatch(release):
        raise bad_parameter("release", "not_release", value=release)
    chosen = {
        name: value for name in filters if (value := allowed_value(request, name, levels[name])) is not None
    }
    by = _parse_by(request, by_allowed, max_by) if max_by else ()
    sentence_kind = (
        allowed_value(request, "sentence_kind", sentence_kinds, "prison") if sentence_kinds else None
    )
    query = StatQuery(
        release=release,
        filters=chosen,
        by=by,
        month_from=_month(request, "from") if months else None,
        month_to=_month(request, "to") if months else None,
        sentence_kind=sentence_kind,
        population=(allowed_value(request, "population", POPULATIONS) if spec.populations else None)
        or "recognized",
        format=negotiated_format(request.accept, allowed_value(request, "format", FORMATS)),
        lang=allowed_value(request, "lang", LANGS, "en"),  # type: ignore[arg-type]
        bom=allowed_value(request, "bom", ("true", "false"), "false") == "true",
        **_representation(request, spec),
    )
    _check_population(query)
    _check_dimension_count(query, spec.inherent_dimensions, spec.max_dimensions)
    _check_pair(query, spec.pairs)
    if query.month_from and query.month_to and query.month_from > query.month_to:
        raise conflicting_parameters("from", "after", value=query.month_from, to=query.month_to)
    return query


def _representation(request: Params, spec: QuerySpec) -> dict[str, Any]:
    """The shape parameters (`totals`, `sep`, and `shape` or `part` where the statistic takes them)."""
    totals = allowed_value(request, "totals", ("true", "false"))
    chosen: dict[str, Any] = {
        "totals": None if totals is None else totals == "true",
        "sep": allowed_value(request, "sep", SEPARATORS, ","),
    }
    if "shape" in spec.representation:
        chosen["shape"] = allowed_value(request, "shape", SHAPES)
    if "part" in spec.representation:
        chosen["part"] = allowed_value(request, "part", PARTS)
    return chosen


def _parse_by(request: Params, by_allowed: tuple[str, ...], max_by: int) -> tuple[str, ...]:
    value = one_value(request, "by")
    if value is None:
        return ()
    if not value:
        # The document's pattern forbids an empty `by`; the server says so too, not "no split".
        raise bad_parameter("by", "by_empty", list(by_allowed))
    names = tuple(value.split(","))
    for name in names:
        if name not in by_allowed:
            raise bad_parameter("by", "not_dimension", list(by_allowed), value=name)
    if len(set(names)) != len(names):
        raise conflicting_parameters("by", "dimension_twice")
    if len(names) > max_by:
        raise bad_parameter("by", "too_many_by", most=max_by)
    return names


def _check_population(query: StatQuery) -> None:
    """A population fixes the status, and in custody nobody has a release kind yet; by two dimensions
    a population is split only by who people are (`POPULATION_PAIRS`)."""
    if query.population == "recognized":
        return
    fixed = ("status", "release_kind") if query.population == "in_custody" else ("status",)
    for name in fixed:
        if name in query.filters or name in query.by:
            raise conflicting_parameters(
                "population", "population_fixes", population=query.population, fixed=name
            )
    names = query.dimension_names
    if len(names) == 2 and not set(names) <= set(POPULATION_PAIRS):
        allowed = ", ".join(POPULATION_PAIRS)
        raise conflicting_parameters(
            "population", "population_pair", population=query.population, dimensions=allowed
        )


def _check_pair(query: StatQuery, pairs: tuple[tuple[str, str], ...] | None) -> None:
    names = query.dimension_names
    if pairs is not None and len(names) == 2 and tuple(sorted(names)) not in pairs:
        allowed = "; ".join(" and ".join(pair) for pair in pairs)
        raise conflicting_parameters("by" if query.by else names[-1], "dimension_pair", dimensions=allowed)
    if pairs is not None and len(names) == 2 and query.sentence_kind not in (None, "prison"):
        # The other kinds' groups are small: split twice, nearly every cell would be hidden.
        raise conflicting_parameters("sentence_kind", "two_groups_prison", kind=query.sentence_kind)


def _check_dimension_count(query: StatQuery, extra_dimensions: int, most: int) -> None:
    overlap = set(query.filters) & set(query.by)
    if overlap:
        name = sorted(overlap)[0]
        raise conflicting_parameters("by", "filter_and_split", dimension=name, value=query.filters[name])
    count = len(query.dimension_names) + extra_dimensions
    if count > most:
        raise ProblemError(
            400,
            Sentence("problem.too_many_dimensions", {"count": count, "most": most}),
            problem_type="/problems/too-many-dimensions",
            parameter="by" if query.by else next(iter(query.filters)),
        )


BY_ONE = tuple(n for n in DIMENSION_NAMES if n not in ("status",))
BY_SERIES = tuple(n for n in BY_ONE if n != "release_kind")
SPECS: dict[str, QuerySpec] = {
    # What each statistics endpoint takes (the routes, the audit, `publish` and the charts use these).
    "summary": QuerySpec(inherent_dimensions=1),
    "in-custody": QuerySpec(by_allowed=BY_SERIES, max_by=1, months=True, max_dimensions=1),
    # Monthly flows for everyone or for one group (`gender=female`); never split by a dimension, which
    # would make a three-way table of month × kind × group.
    "flows": QuerySpec(filters=FLOW_FILTERS, months=True, inherent_dimensions=1),
    # The kind of sentence defines the population described (as custody does for in-custody), so it is
    # not one of the dimensions; with the length bins, one more dimension makes a two-way table, and two
    # (a filter and a split among who people are: `article=342&by=gender`) a slice of a three-way one.
    "sentences": QuerySpec(
        by_allowed=tuple(n for n in BY_ONE if n != "sentence_kind"),
        max_by=1,
        sentence_kind=True,
        pairs=SENTENCE_PAIRS,
    ),
    "breakdown": QuerySpec(
        filters=(*FILTER_NAMES, "status"), by_allowed=DIMENSION_NAMES, max_by=2, populations=True
    ),
    # Released people describe the population (as the kind of sentence does for sentences); with the
    # bins of months held, one more dimension makes a two-way table. Not by year of detention: it bounds
    # the months held (detained in 2026, held 0-5 months), so its cells pin each other.
    "held-before-release": QuerySpec(
        by_allowed=tuple(n for n in BY_ONE if n != "year_detained"), max_by=1, max_dimensions=1
    ),
    # Read off the series in custody (`api.records.time_in_custody`): the year is its rows, so year of
    # detention is not one of its dimensions.
    "time-in-custody": QuerySpec(
        by_allowed=tuple(n for n in BY_SERIES if n != "year_detained"), max_by=1, max_dimensions=1
    ),
}
for _statistic, _names in REPRESENTATION_PARAMS.items():
    SPECS[_statistic] = replace(SPECS[_statistic], representation=_names)


def dimension_limit_text(spec: QuerySpec) -> str:
    """The endpoint's dimension limit in words, as its OpenAPI description and the README state it."""
    free = spec.max_dimensions - spec.inherent_dimensions
    if free <= 0:
        return "Dimensions: none (no filter, no `by`)."
    text = f"Dimensions: at most {free} (filters and `by` together)."
    if spec.pairs and free == 2:
        pairs = "; ".join(" and ".join(pair) for pair in spec.pairs)
        text += f" Two only as {pairs}, and for prison sentences."
    return text


def openapi_parameters(spec: QuerySpec, levels: dict[str, tuple[str, ...]]) -> list[dict[str, object]]:
    """The OpenAPI description of the parameters `spec` accepts (the same lists `parse_query` checks)."""

    def param(
        name: str, description: str, schema: dict[str, object], example: str | None = None
    ) -> dict[str, object]:
        item: dict[str, object] = {"name": name, "in": "query", "required": False, "description": description}
        item["schema"] = schema
        if example is not None:
            item["example"] = example
        return item

    free = spec.max_dimensions - spec.inherent_dimensions  # the dimensions a query may choose
    params = [
        param(
            "release",
            "Dataset release: `latest` (default) or a release id from /v1/releases.",
            {"type": "string", "default": "latest", "pattern": RELEASE_PATTERN},
            "latest",
        )
    ]
    if spec.populations:
        params.append(
            param(
                "population",
                "Whom the counts describe: `recognized` (default: everyone recognized as a political "
                "prisoner since 2020, in custody or released), `in_custody` (on the as-of date) or "
                "`released` (by the as-of date). Not a dimension: it does not count towards the limit, "
                "and it replaces the `status` filter. With two dimensions, a population is split only "
                f"by {', '.join(POPULATION_PAIRS)} (e.g. `population=in_custody&gender=female&by=region`).",
                {"type": "string", "enum": list(POPULATIONS), "default": "recognized"},
                "in_custody",
            )
        )
    for name in spec.filters:
        params.append(
            param(
                name,
                f"Only people with this {name.replace('_', ' ')}. Counts as a dimension: at most {free} "
                "per query, `by` included.",
                {"type": "string", "enum": list(levels[name])},
            )
        )
    if spec.sentence_kind:
        params.append(
            param(
                "sentence_kind",
                "Kind of sentence whose lengths are described (default prison).",
                {"type": "string", "enum": list(levels["sentence_kind"]), "default": "prison"},
            )
        )
    if spec.max_by:
        params.append(
            param(
                "by",
                f"Split by up to {spec.max_by} dimension(s), comma-separated: "
                + ", ".join(spec.by_allowed)
                + f". Filters and `by` together make at most {free} dimension(s) here, and a filtered "
                "dimension is not also a split (400 problems otherwise).",
                {"type": "string", "pattern": _by_pattern(spec)},
                spec.by_allowed[0] if spec.by_allowed else None,
            )
        )
    if spec.months:
        for name, side in (("from", "first"), ("to", "last")):
            params.append(
                param(
                    name,
                    f"The {side} month shown (YYYY-MM); `from` is not after `to`.",
                    {"type": "string", "pattern": "^[0-9]{4}-(0[1-9]|1[0-2])$"},
                    "2021-01",
                )
            )
    params += [
        param(
            "format",
            "Representation: json (default), csv or xlsx (Excel: the rows on a first sheet, the "
            "provenance on a second); `Accept: text/csv` or the XLSX media type also choose.",
            {"type": "string", "enum": list(FORMATS), "default": "json"},
        ),
        param(
            "lang",
            "Language of labels: en, be (Belarusian) or ru (Russian). Codes never change.",
            {"type": "string", "enum": list(LANGS), "default": "en"},
        ),
        param(
            "bom",
            "CSV only: start with a UTF-8 byte-order mark so Excel shows Cyrillic labels.",
            {"type": "string", "enum": ["true", "false"], "default": "false"},
        ),
        *_representation_docs(spec, param),
    ]
    return params


def _representation_docs(spec: QuerySpec, param: Callable[..., dict[str, object]]) -> list[dict[str, object]]:
    """The OpenAPI description of the shape parameters `spec` takes."""
    true_false = {"type": "string", "enum": ["true", "false"]}
    docs = [
        param(
            "totals",
            "Margins: rows whose dimension is `total` (and, in flows, the kind `total` or the column "
            "`released_total`). Default: kept in JSON (as before), left out of CSV and XLSX so that a sum "
            "or a pivot of the parts does not count anyone twice; `true` puts them back as their own rows.",
            true_false,
        ),
        param(
            "sep",
            "CSV only: the separator, `,` (default) or `;` (for the Excel of locales that use a decimal "
            "comma; decimals are then written with a comma). Give it as `sep=%3B`.",
            {"type": "string", "enum": list(SEPARATORS), "default": ","},
        ),
    ]
    if "shape" in spec.representation:
        docs.append(
            param(
                "shape",
                "`long`: one row per month, event and kind — columns `month, event, kind, count, "
                "suppressed` (`event` is `recognized` or `released`; `kind`, how people were released, is "
                "empty for recognitions and `total` for the monthly total of releases when totals are "
                "asked). `wide`: one row per month, a column and a `_suppressed` twin per event and kind. "
                "Default: long for CSV and XLSX, wide for JSON.",
                {"type": "string", "enum": list(SHAPES)},
            )
        )
    if "part" in spec.representation:
        docs.append(
            param(
                "part",
                "`histogram`: one row per band of lengths — `bin_months`, the split, `count`, "
                "`suppressed`. `quantiles`: one row per statistic — the split, `statistic` (n, p10, p25, "
                "median, p75, p90, mean), `value`, `suppressed`, `withheld_reason`. Default: histogram "
                "for CSV; both for JSON (rows with a `measure` column, as before) and XLSX (two sheets).",
                {"type": "string", "enum": list(PARTS)},
            )
        )
    return docs


def _by_pattern(spec: QuerySpec) -> str:
    """The values of `by` the document allows: up to `max_by` of the endpoint's dimensions."""
    name = "(" + "|".join(spec.by_allowed) + ")"
    return f"^{name}" + f"(,{name})?" * (spec.max_by - 1) + "$"
