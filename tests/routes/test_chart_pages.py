"""The chart gallery (`/charts`) and the chart pages (`/charts/{chart}`): HTML, then a real Chromium."""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element

import html5lib
import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import expect

from api.charts.chart import CHARTS
from api.charts.published import chart_name
from api.figures_series import SERIES
from api.labels import LANGS
from api.translations import text
from tests.utils.browser import ARTIFACTS, Watched, fitted_height, serious_violations
from tests.utils.http import get_page
from tests.utils.server import migrated_server, news_site

PUBLISHED = [chart_name(series) for series in SERIES.values()]
SHOTS = ARTIFACTS / "chart-pages"


def _parse(html: str) -> Element:
    tree: Element = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(html)
    return tree


def _text(element: Element) -> str:
    return " ".join("".join(element.itertext()).split())


# --- The gallery -------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_gallery_lists_every_chart_real_ones_first(sqlite_client: TestClient, lang: str) -> None:
    response = get_page(sqlite_client, f"/charts?lang={lang}", lang)
    tree = _parse(response.text)
    assert tree.get("lang") == lang
    cards = [li.get("data-chart") for li in tree.iter("li") if li.get("data-chart")]
    assert cards == [*PUBLISHED, *CHARTS]
    suffix = f"?lang={lang}" if lang != "en" else ""
    hrefs = {a.get("href") for a in tree.iter("a")}
    assert {f"/charts/{name}{suffix}" for name in cards} <= hrefs


def test_gallery_marks_every_demonstration_chart_and_no_real_one(client: TestClient) -> None:
    tree = _parse(client.get("/charts").text)
    badge = text("demo.badge", "en")
    for li in (li for li in tree.iter("li") if li.get("data-chart")):
        marked = any(_text(span) == badge for span in li.iter("span") if span.get("class") == "badge")
        assert marked == (li.get("data-chart") in CHARTS), li.get("data-chart")
    (section,) = [s for s in tree.iter("section") if s.get("aria-labelledby") == "release"]
    assert "Demonstration data" in _text(section)
    assert [s.get("aria-labelledby") for s in tree.iter("section")] == ["real", "release"]


def test_gallery_thumbnails_are_in_the_page_so_nothing_is_drawn_per_image(client: TestClient) -> None:
    tree = _parse(client.get("/charts").text)
    thumbs = [span for span in tree.iter("span") if span.get("class") == "thumb"]
    assert len(thumbs) == len(PUBLISHED) + len(CHARTS)
    for thumb in thumbs:
        (svg,) = [child for child in thumb if child.tag.endswith("svg")]
        assert svg.get("aria-hidden") == "true" and svg.get("viewBox")
    assert not [e for e in tree.iter() if e.tag == "img" or e.get("src")]


def test_gallery_policy_runs_nothing_and_allows_its_style_only(client: TestClient) -> None:
    response = client.get("/charts?lang=ru")
    policy = response.headers["content-security-policy"]
    assert "default-src 'none'" in policy and "style-src 'sha256-" in policy
    assert "script-src" not in policy and "unsafe" not in policy
    assert response.headers["x-frame-options"] == "DENY"


# --- The chart pages ---------------------------------------------------------------------------------

ALL_CHARTS = [*PUBLISHED, *CHARTS]
RELEASE = "demo-2026-03"


def _by_id(tree: Element, ident: str) -> Element:
    (found,) = [e for e in tree.iter() if e.get("id") == ident]
    return found


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("chart", ALL_CHARTS)
def test_every_chart_page_is_well_formed_in_every_language(client: TestClient, chart: str, lang: str) -> None:
    response = client.get(f"/charts/{chart}?lang={lang}")
    assert response.status_code == 200
    assert response.headers["content-language"] == lang
    tree = _parse(response.text)
    assert tree.get("lang") == lang
    spec = client.get(f"/v1/charts/{chart}.vl.json?lang={lang}").json()
    (heading,) = list(tree.iter("h1"))
    assert _text(heading) + "." in spec["description"]
    sections = [s.get("aria-labelledby") for s in tree.iter("section")]
    assert sections == ["chart", "view", "table", "sources", "download"]
    (frame,) = list(tree.iter("iframe"))
    assert frame.get("src", "").startswith(f"/embed/{chart}") and frame.get("title") == _text(heading)


def test_demonstration_mark_on_release_charts_and_not_on_published_ones(client: TestClient) -> None:
    mark = "Demonstration data generated to match published totals"
    for chart in ALL_CHARTS:
        tree = _parse(client.get(f"/charts/{chart}").text)
        notes = [_text(p) for p in tree.iter("p") if p.get("class") == "note"]
        summary = _text(_by_id(tree, "summary"))
        if chart in CHARTS:
            assert notes and all(mark in note for note in notes), chart
            assert summary.startswith("Demonstration data"), chart
        else:
            assert not notes and "Demonstration" not in summary, chart


def test_embed_code_pins_the_release_a_latest_page_resolves_to(client: TestClient) -> None:
    tree = _parse(client.get("/charts/breakdown?by=gender&lang=ru").text)
    snippet, fixed, oembed = (_text(_by_id(tree, name)) for name in ("snippet", "fixed", "oembed"))
    pinned = f"http://testserver/embed/breakdown?release={RELEASE}&amp;by=gender&amp;lang=ru"
    assert pinned in snippet and pinned in fixed
    assert "release=latest" not in snippet + fixed + oembed
    assert f"release%3D{RELEASE}" in oembed
    answer = client.get(oembed.removeprefix("http://testserver"))
    assert answer.status_code == 200 and f"release={RELEASE}" in answer.json()["html"]
    files = {a.get("href", "") for a in tree.iter("a")}
    for href in (h for h in files if h.startswith(("/v1/charts/", "/v1/stats/"))):
        assert f"release={RELEASE}" in href, href
        assert client.get(href).status_code == 200, href


def test_file_links_follow_the_chosen_width_and_theme(client: TestClient) -> None:
    tree = _parse(client.get("/charts/in-custody?width=400&theme=dark").text)
    images = [a.get("href", "") for a in tree.iter("a") if a.get("href", "").startswith("/v1/charts/")]
    assert len(images) == 3 and all("width=400" in h and "theme=dark" in h for h in images)
    snippet = _text(_by_id(tree, "snippet"))
    assert "theme=dark" in snippet


def test_the_table_marks_every_hidden_cell(client: TestClient) -> None:
    tree = _parse(client.get("/charts/flows").text)
    (table,) = list(tree.iter("table"))
    hidden = [td for td in table.iter("td") if td.get("class") == "hidden"]
    spec = client.get("/v1/charts/flows.vl.json").json()
    suppressed = [v for v in spec["data"]["values"] if v.get("suppressed")]
    assert hidden and len(hidden) == len(suppressed)
    assert all("hidden" in _text(td) for td in hidden)


def test_an_empty_field_of_the_form_counts_as_not_given(client: TestClient) -> None:
    plain = client.get("/charts/in-custody?gender=female")
    from_form = client.get("/charts/in-custody?release=latest&gender=female&age_band=&by=&from=&to=&lang=en")
    assert from_form.status_code == 200 and from_form.text == plain.text


def test_the_form_sends_back_exactly_the_view_shown(client: TestClient) -> None:
    """The form's current values, submitted as a browser without JavaScript would, show the same view."""
    url = "/charts/in-custody?gender=female&from=2022-01&lang=be&theme=auto&width=500"
    tree = _parse(client.get(url).text)
    (form,) = list(tree.iter("form"))
    assert form.get("method") == "get" and form.get("action") == "/charts/in-custody"
    pairs = []
    for control in form.iter():
        if control.tag == "select":
            chosen = [o.get("value", "") for o in control.iter("option") if "selected" in o.attrib]
            pairs.append((control.get("name", ""), chosen[0] if chosen else ""))
        elif control.tag == "input":
            pairs.append((control.get("name", ""), control.get("value", "")))
    assert ("gender", "female") in pairs and ("from", "2022-01") in pairs and ("width", "500") in pairs
    again = client.get("/charts/in-custody", params=pairs)
    assert again.status_code == 200
    assert _text(_by_id(_parse(again.text), "summary")) == _text(_by_id(tree, "summary"))


def test_policy_allows_its_own_script_frames_of_this_origin_and_forms_to_itself(client: TestClient) -> None:
    response = client.get("/charts/sentences?lang=be")
    policy = dict(p.strip().split(" ", 1) for p in response.headers["content-security-policy"].split(";"))
    tree = _parse(response.text)
    (script,) = list(tree.iter("script"))
    digest = base64.b64encode(hashlib.sha256((script.text or "").encode()).digest()).decode()
    assert policy["script-src"] == f"'sha256-{digest}'" and script.get("src") is None
    assert policy["frame-src"] == "'self'" and policy["form-action"] == "'self'"
    assert policy["default-src"] == "'none'" and "unsafe" not in response.headers["content-security-policy"]
    assert not [e.tag for e in tree.iter() if any(k.startswith("on") or k == "style" for k in e.attrib)]


@pytest.mark.parametrize("chart", ["flows", "published-release-events"])
def test_the_embed_names_the_same_description_for_screen_readers(
    sqlite_client: TestClient, chart: str
) -> None:
    summary = _text(_by_id(_parse(sqlite_client.get(f"/charts/{chart}?lang=be").text), "summary"))
    embed = _parse(sqlite_client.get(f"/embed/{chart}?lang=be").text)
    labels = [
        e.get("aria-label", "") for e in embed.iter() if e.tag.endswith("svg") and e.get("role") == "img"
    ]
    assert labels and all(summary in label for label in labels)


# --- In a real browser -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def live_base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with migrated_server(tmp_path_factory.mktemp("chart-pages-server")) as base:
        yield base


LAYOUT = """() => ({
    scroll: document.documentElement.scrollWidth - document.documentElement.clientWidth,
})"""


@pytest.mark.browser
def test_gallery_on_a_cold_cache_shows_every_thumbnail_without_a_refusal(
    browser: Any, tmp_path: Path
) -> None:
    # A server of its own: nothing drawn yet, as on the morning after a deployment.
    with migrated_server(tmp_path) as base:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        watched = Watched(page)
        page.goto(f"{base}/charts", wait_until="load")
        sizes = page.eval_on_selector_all(
            ".thumb svg",
            "all => all.map(s => [s.getBoundingClientRect().width, s.getBoundingClientRect().height,"
            " s.querySelectorAll('path, line, rect, text').length])",
        )
        page.close()
    assert len(sizes) == len(PUBLISHED) + len(CHARTS)
    assert all(width > 100 and height > 50 and marks > 5 for width, height, marks in sizes), sizes
    assert not watched.errors, watched.errors


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_gallery_renders_cleanly_in_every_language_and_width(
    browser: Any, live_base: str, scheme: str
) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    problems: list[tuple[str, int, str]] = []
    for width in (320, 1280):
        context = browser.new_context(color_scheme=scheme, viewport={"width": width, "height": 800})
        page = context.new_page()
        watched = Watched(page)
        for lang in LANGS:
            page.goto(f"{live_base}/charts?lang={lang}", wait_until="load")
            layout = page.evaluate(LAYOUT)
            page.screenshot(path=str(SHOTS / f"gallery_{lang}_{scheme}_{width}.png"), full_page=True)
            if layout["scroll"] > 0:
                problems.append((lang, width, f"scrolls sideways by {layout['scroll']} px"))
        problems += [(scheme, width, error) for error in watched.errors]
        context.close()
    assert not problems, problems


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_gallery_has_no_serious_accessibility_violations(browser: Any, live_base: str, scheme: str) -> None:
    # axe is injected as a script, which the page's own policy forbids: this context bypasses it.
    context = browser.new_context(
        bypass_csp=True, color_scheme=scheme, viewport={"width": 320, "height": 800}
    )
    page = context.new_page()
    found = []
    for lang in LANGS:
        page.goto(f"{live_base}/charts?lang={lang}")
        found += [(lang, v) for v in serious_violations(page)]
    context.close()
    assert not found, found


# Cut labels: a text of the drawing the preview shows that reaches out of the drawing (by more than 1 px).
CUT_TEXTS = """() => {
    const svg = [...document.querySelectorAll('.chart svg')].find(s => s.getBoundingClientRect().width > 0);
    const box = svg.getBoundingClientRect();
    return [...svg.querySelectorAll('text')].filter(t => t.textContent.trim()).filter(t => {
        const r = t.getBoundingClientRect();
        return r.left < box.left - 1 || r.right > box.right + 1
            || r.top < box.top - 1 || r.bottom > box.bottom + 1;
    }).map(t => t.textContent);
}"""
LONG_LABELS = "breakdown?by=article"
"""The view with the longest category labels: screenshots in every language and scheme."""


PAGE_WIDTHS = [320, 375, 768, 1200, 1280]
EVERY_VIEW_WIDTHS = (320, 1280)
"""The widths at which every chart page is seen in every language and both schemes."""
SCHEMES = ("light", "dark")


def _shown(width: int) -> list[tuple[str, str, str]]:
    """(view, language, scheme) kept as a screenshot at `width`: the long labels in every language and
    scheme, and every chart in one language and scheme, which turn with the chart and the width (each
    chart is kept in every language, and in five of the six languages and schemes, over the widths)."""
    views: list[tuple[str, str, str]] = [(LONG_LABELS, lang, scheme) for lang in LANGS for scheme in SCHEMES]
    turn = PAGE_WIDTHS.index(width)
    for index, chart in enumerate(ALL_CHARTS):
        views.append((chart, LANGS[(index + turn) % len(LANGS)], SCHEMES[(index + turn) % 2]))
    return views


def _views(width: int) -> list[tuple[str, str, tuple[str, ...]]]:
    """(view, language, schemes) checked at `width`: the page is loaded in the first scheme, then seen in
    the next one without loading it again (a scheme changes colours only). At 320 and 1280 px every
    chart and the long labels in every language and both schemes, the first scheme turning so every page
    is also loaded dark; in between, the views kept as screenshots."""
    if width in EVERY_VIEW_WIDTHS:
        return [
            (view, lang, SCHEMES[(index + turn) % 2 :] + SCHEMES[: (index + turn) % 2])
            for index, view in enumerate([LONG_LABELS, *ALL_CHARTS])
            for turn, lang in enumerate(LANGS)
        ]
    return [(view, lang, (scheme,)) for view, lang, scheme in _shown(width)]


def test_every_chart_is_seen_in_every_language_and_scheme_at_320_and_1280_px() -> None:
    for width in EVERY_VIEW_WIDTHS:
        seen = {(view, lang, scheme) for view, lang, schemes in _views(width) for scheme in schemes}
        assert seen == {(v, lang, s) for v in [LONG_LABELS, *ALL_CHARTS] for lang in LANGS for s in SCHEMES}
        assert {schemes[0] for _, _, schemes in _views(width)} == set(SCHEMES)


def _check_view(page: Any, view: str, lang: str, scheme: str) -> list[tuple[str, str, str, str]]:
    """What is wrong with the chart page shown: its preview's height, a sideways scroll, cut texts."""
    problems = []
    height, content = fitted_height(page, "iframe.preview")
    if abs(height - content) > 8:
        problems.append((view, lang, scheme, f"preview {height} px high for {content} px"))
    scroll = page.evaluate(LAYOUT)["scroll"]
    if scroll > 0:
        problems.append((view, lang, scheme, f"scrolls sideways by {scroll} px"))
    cut = page.locator("iframe.preview").element_handle().content_frame().evaluate(CUT_TEXTS)
    if cut:
        problems.append((view, lang, scheme, f"texts out of the drawing: {cut}"))
    return problems


@pytest.mark.browser
@pytest.mark.parametrize("width", PAGE_WIDTHS)
def test_every_chart_page_renders_cleanly_and_is_kept_as_a_screenshot(
    browser: Any, live_base: str, width: int
) -> None:
    """Every chart page loads without console or policy errors, never scrolls sideways, shows its preview
    at full height and no text of the drawing cut; some views are kept as PNGs under ARTIFACTS_DIR."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": width, "height": 800})
    watched = Watched(page)
    problems: list[tuple[str, str, str, str]] = []
    shots = set(_shown(width))
    for view, lang, schemes in _views(width):
        page.emulate_media(color_scheme=schemes[0])
        joiner = "&" if "?" in view else "?"
        page.goto(f"{live_base}/charts/{view}{joiner}lang={lang}", wait_until="load")
        for scheme in schemes:
            page.emulate_media(color_scheme=scheme)
            problems += _check_view(page, view, lang, scheme)
            problems += [(view, lang, scheme, error) for error in watched.errors]
            watched.errors.clear()
            if (view, lang, scheme) in shots:
                name = re.sub(r"[^a-z0-9-]+", "-", view)
                page.screenshot(path=str(SHOTS / f"{name}_{lang}_{scheme}_{width}.png"), full_page=True)
    page.close()
    assert not problems, problems


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_chart_page_has_no_serious_accessibility_violations(
    browser: Any, live_base: str, scheme: str
) -> None:
    """axe-core on every chart page at 320 px in both schemes, each chart in another language per scheme."""
    context = browser.new_context(
        bypass_csp=True, color_scheme=scheme, viewport={"width": 320, "height": 800}
    )
    page = context.new_page()
    found = []
    for index, chart in enumerate(ALL_CHARTS):
        lang = LANGS[(index + SCHEMES.index(scheme)) % len(LANGS)]
        assert page.goto(f"{live_base}/charts/{chart}?lang={lang}").ok, chart
        found += [(chart, lang, v) for v in serious_violations(page)]
    context.close()
    assert not found, found


@pytest.mark.browser
def test_changing_a_control_and_submitting_changes_the_url_and_the_preview(
    browser: Any, live_base: str
) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    watched = Watched(page)
    page.goto(f"{live_base}/charts/breakdown")
    before = page.inner_text("#summary")
    page.select_option("#f-gender", "female")
    page.select_option("#f-lang", "ru")
    with page.expect_navigation():
        page.click("form.view button[type=submit]")
    # The script leaves the fields at "any" out: a tidy link to share.
    shared = "release=latest&gender=female&by=region&lang=ru"
    assert page.url == f"{live_base}/charts/breakdown?{shared}&theme=light&width=640"
    assert page.get_attribute("iframe.preview", "src") == f"/embed/breakdown?{shared}"
    assert page.inner_text("#summary") != before and page.get_attribute("html", "lang") == "ru"
    height, content = fitted_height(page, "iframe.preview")
    assert abs(height - content) <= 8, (height, content)
    # The preview shows the new view: the filter is named under its title, in Russian.
    assert "Только:" in page.frames[1].inner_text("body")
    assert not watched.errors, watched.errors
    page.close()


@pytest.mark.browser
def test_without_javascript_the_form_still_changes_the_view(browser: Any, live_base: str) -> None:
    context = browser.new_context(java_script_enabled=False, viewport={"width": 320, "height": 800})
    page = context.new_page()
    page.goto(f"{live_base}/charts/in-custody?lang=be")
    page.select_option("#f-gender", "female")
    page.fill("#f-from", "2023-06")
    with page.expect_navigation():
        page.click("form.view button[type=submit]")
    assert "gender=female" in page.url and "from=2023-06" in page.url
    assert page.get_attribute("#f-gender option[selected]", "value") == "female"
    assert page.get_attribute("iframe.preview", "src").endswith("gender=female&from=2023-06&lang=be")
    # Copy buttons need the script: without it they stay hidden, and the text boxes remain to select.
    assert page.locator("button.copy").first.is_hidden()
    context.close()


CHOICES = {
    "release": "demo-2026-03",
    "gender": "female",
    "age_band": "25_34",
    "region": "BY-HM",
    "article": "130",
    "by": "gender",
    "from": "2023-06",
    "to": "2025-12",
    "lang": "ru",
    "theme": "dark",
    "width": "400",
}
"""A value other than the default for every control of the in-custody page's form."""


@pytest.mark.browser
def test_without_javascript_every_control_changes_the_view(browser: Any, live_base: str) -> None:
    context = browser.new_context(java_script_enabled=False, viewport={"width": 320, "height": 800})
    page = context.new_page()
    page.goto(f"{live_base}/charts/in-custody")
    assert sorted(page.eval_on_selector_all("form.view [name]", "all => all.map(c => c.name)")) == sorted(
        CHOICES
    )
    problems = []
    for name, value in CHOICES.items():
        page.goto(f"{live_base}/charts/in-custody")
        control = page.locator(f"form.view [name={name}]")
        if name in ("from", "to"):
            control.fill(value)
        else:
            control.select_option(value)
        with page.expect_navigation() as navigation:
            page.click("form.view button[type=submit]")
        shown = page.input_value(f"form.view [name={name}]")
        if not navigation.value.ok or f"{name}={value}" not in page.url or shown != value:
            problems.append((name, value, navigation.value.status, page.url, shown))
    context.close()
    assert not problems, problems


@pytest.mark.browser
def test_copy_buttons_work_from_the_keyboard(browser: Any, live_base: str) -> None:
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(f"{live_base}/charts/sentences?lang=ru")
    button = page.locator("button.copy[data-copy=snippet]")
    button.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#snippet-status")).to_have_text("Скопировано")
    assert page.evaluate("navigator.clipboard.readText()") == page.input_value("#snippet")
    context.close()


@pytest.mark.browser
def test_the_copied_snippet_shows_the_chart_at_full_height_on_another_site(
    browser: Any, live_base: str
) -> None:
    page = browser.new_page(viewport={"width": 400, "height": 600})
    page.goto(f"{live_base}/charts/flows?lang=be")
    snippet = page.input_value("#snippet")
    page.close()
    assert "release=demo-2026-03" in snippet
    article = (
        f"<!doctype html><html lang=en><title>News</title><p>Before the chart.</p>{snippet}<p>After.</p>"
    )
    page = browser.new_page(viewport={"width": 375, "height": 700})
    with news_site(article) as url:
        page.goto(url)
        (initial,) = re.findall(r' height="(\d+)"', snippet)
        height, content = fitted_height(page, "iframe[data-prisoners-api-chart]")
    page.close()
    assert height != int(initial) and abs(height - content) <= 8, (initial, height, content)
