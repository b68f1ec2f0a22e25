"""Every route answers a bad request with an RFC 9457 problem that names the parameter at fault, so a
client can point at the field to fix. One table for all routes: the promise is the same everywhere."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

RELEASE = "/v1/releases/demo-2026-03"
EMBED = "http://testserver/embed"
"""The embed pages, as an oEmbed `url=` names them (quoted)."""

BAD_REQUESTS = [
    # (path, status, parameter, a fragment of the detail; "" checks none)
    # Statistics
    ("/v1/stats/breakdown?by=gender,region,age_band", 400, "by", "at most 2"),
    ("/v1/stats/breakdown?gender=female&region=BY-BR&by=age_band", 400, "by", "at most 2 are allowed"),
    ("/v1/stats/breakdown?gender=female&by=gender", 400, "by", "already fixed"),
    ("/v1/stats/breakdown?gender=woman", 400, "gender", "Allowed values: female, male, unknown"),
    ("/v1/stats/breakdown?by=name", 400, "by", "not a dimension"),
    ("/v1/stats/in-custody?from=2024-13", 400, "from", "YYYY-MM"),
    ("/v1/stats/in-custody?from=2024-05&to=2024-01", 400, "from", "after"),
    ("/v1/stats/summary?gender=female&region=BY-BR", 400, "gender", "at most 2"),
    ("/v1/stats/summary?sql=select", 400, "sql", "unknown parameter"),
    ("/v1/stats/summary?release=../../etc", 400, "release", "not a release id"),
    ("/v1/stats/summary?gender=female&gender=male", 400, "gender", "more than once"),
    ("/v1/stats/summary?format=xml", 400, "format", "Allowed values: json, csv"),
    ("/v1/stats/summary?lang=de", 400, "lang", "Allowed values: en, be, ru"),
    # Populations (who a breakdown counts) and the months held before release
    ("/v1/stats/breakdown?population=in_custody&status=released", 400, "population", "already fixes status"),
    ("/v1/stats/breakdown?population=released&by=status", 400, "population", "already fixes status"),
    ("/v1/stats/breakdown?population=in_custody&by=release_kind", 400, "population", "fixes release_kind"),
    ("/v1/stats/breakdown?population=nobody", 400, "population", "Allowed values: recognized, in_custody"),
    ("/v1/stats/breakdown?population=in_custody&population=released", 400, "population", "more than once"),
    ("/v1/stats/breakdown?population=in_custody&gender=female&by=region,age_band", 400, "by", "at most 2"),
    ("/v1/stats/breakdown?population=in_custody&by=year_detained,region", 400, "population", "only among"),
    (
        "/v1/stats/breakdown?population=released&gender=female&by=sentence_kind",
        400,
        "population",
        "only among",
    ),
    ("/v1/stats/held-before-release?by=status", 400, "by", "not a dimension"),
    ("/v1/stats/held-before-release?by=year_detained", 400, "by", "not a dimension"),
    ("/v1/stats/held-before-release?by=gender,region", 400, "by", "at most 1"),
    ("/v1/stats/held-before-release?gender=female&by=region", 400, "by", "at most 1 are allowed"),
    ("/v1/stats/held-before-release?part=all", 400, "part", "Allowed values: histogram, quantiles"),
    # Charts as images and specs
    ("/v1/charts/in-custody.svg?width=abc", 400, "width", "from 300 to 1200"),
    ("/v1/charts/in-custody.png?width=2000", 400, "width", "from 300 to 1200"),
    ("/v1/charts/in-custody.png?scale=5", 400, "scale", "Allowed values: 1, 2, 3"),
    ("/v1/charts/in-custody.svg?scale=2", 400, "scale", "unknown parameter"),
    ("/v1/charts/in-custody.svg?theme=auto", 400, "theme", "Allowed values: light, dark"),
    ("/v1/charts/breakdown.vl.json?format=csv", 400, "format", "unknown parameter"),
    ("/v1/charts/breakdown.vl.json?by=name", 400, "by", "not a dimension"),
    ("/v1/charts/breakdown.svg?gender=female&region=BY-BR&by=age_band", 400, "by", "at most 2"),
    ("/v1/charts/flows.svg?gender=woman", 400, "gender", "Allowed values"),
    ("/v1/charts/flows.svg?lang=de", 400, "lang", "Allowed values: en, be, ru"),
    ("/v1/charts/in-custody.vl.json?from=2024-13", 400, "from", "YYYY-MM"),
    ("/v1/charts/in-custody.vl.json?by=article", 400, "by", "not a dimension"),
    ("/v1/charts/releases-by-kind.svg?by=gender", 400, "by", "unknown parameter"),
    # It counts the released by how: a population would repeat or contradict it (was a 404).
    ("/v1/charts/releases-by-kind.vl.json?population=in_custody", 400, "population", "unknown parameter"),
    ("/v1/charts/releases-by-kind.svg?population=released&gender=female", 400, "population", "unknown"),
    ("/v1/charts/sentences.svg?width=400&width=500", 400, "width", "more than once"),
    # Published series and their charts
    ("/v1/figures/series/nope", 404, "key", "Known series"),
    ("/v1/figures/series/in-custody?from=2024-13", 400, "from", "is not a date"),
    ("/v1/figures/series/in-custody?from=2025&to=2024", 400, "from", "is after"),
    ("/v1/figures/series/in-custody?format=xml", 400, "format", "Allowed values: json, csv"),
    ("/v1/figures/series/in-custody?release=latest", 400, "release", "unknown parameter"),
    ("/v1/figures/series?lang=be", 400, "lang", ""),
    ("/v1/charts/published-in-custody.svg?width=99999", 400, "width", "from 300 to 1200"),
    ("/v1/charts/published-in-custody.png?scale=9", 400, "scale", "Allowed values: 1, 2, 3"),
    ("/v1/charts/published-in-custody.vl.json?lang=de", 400, "lang", "Allowed values: en, be, ru"),
    ("/embed/published-release-events?width=400", 400, "width", "unknown parameter"),
    ("/embed/published-release-events?release=latest", 400, "release", "unknown parameter"),
    # Downloads
    (f"{RELEASE}/tables/cases.csv", 404, "table", "No table 'cases'"),
    ("/v1/releases/no-such-release/tables/summary.csv", 404, "release", "Known releases"),
    ("/v1/releases/no-such-release/download.zip", 404, "release", "Known releases"),
    ("/v1/releases/no-such-release/datapackage.json", 404, "release", "Known releases"),
    (f"{RELEASE}/download.zip?format=csv", 400, "format", "unknown parameter"),
    (f"{RELEASE}/tables?lang=be", 400, "lang", ""),
    # Pages for people: landing, gallery, chart pages
    ("/?lang=de", 400, "lang", "'de' is not an allowed value. Allowed values: en, be, ru"),
    ("/?release=latest", 400, "release", "unknown parameter"),
    ("/charts?lang=de", 400, "lang", "'de' is not an allowed value. Allowed values: en, be, ru"),
    ("/charts?release=latest", 400, "release", "unknown parameter"),
    ("/charts/breakdown?gender=x", 400, "gender", "Allowed values: female, male, unknown"),
    ("/charts/breakdown?width=12", 400, "width", "from 300 to 1200"),
    ("/charts/breakdown?theme=blue", 400, "theme", "Allowed values: light, dark, auto"),
    ("/charts/breakdown?format=csv", 400, "format", "unknown parameter"),
    ("/charts/breakdown?release=demo-1999-01", 404, "release", "Known releases"),
    ("/charts/in-custody?from=2020-13", 400, "from", "YYYY-MM"),
    ("/charts/published-in-custody?release=latest", 400, "release", "unknown parameter"),
    ("/charts/no-such-chart", 404, "chart", "Known charts"),
    # oEmbed, whose specification sets the status codes
    (f"/oembed?url={quote(EMBED + '/in-custody')}&format=xml", 501, "format", ""),
    (f"/oembed?url={quote('https://elsewhere.example/embed/in-custody')}", 404, "url", ""),
    (f"/oembed?url={quote('http://testserver/v1/stats/summary')}", 404, "url", ""),
    (f"/oembed?url={quote(EMBED + '/pie')}", 404, "url", ""),
    (f"/oembed?url={quote(EMBED + '/in-custody?gender=woman')}", 404, "url", ""),
    ("/oembed?format=json", 400, "url", ""),
    (f"/oembed?url={quote(EMBED + '/flows')}&maxwidth=wide", 400, "maxwidth", ""),
    (f"/oembed?url={quote(EMBED + '/flows')}&callback=x", 400, "callback", ""),
]


@pytest.mark.parametrize(("path", "status", "parameter", "fragment"), BAD_REQUESTS)
def test_a_bad_request_is_a_problem_naming_the_parameter(
    client: TestClient, path: str, status: int, parameter: str, fragment: str
) -> None:
    response = client.get(path)
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["parameter"] == parameter and fragment in body["detail"]
