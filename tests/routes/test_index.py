"""/v1: the index links every collection, the real published series and the charts among them."""

from __future__ import annotations

from fastapi.testclient import TestClient

from api.figures_series import SERIES


def test_index_links_the_real_published_series_and_the_charts(client: TestClient) -> None:
    links = client.get("/v1").json()["links"]
    assert links["figures"] == "/v1/figures" and links["figures_series"] == "/v1/figures/series"
    assert links["charts"] == "/v1/charts"
    for key in SERIES:
        assert links[f"figures_series_{key.replace('-', '_')}"] == f"/v1/figures/series/{key}"


def test_every_index_link_answers(client: TestClient) -> None:
    links = client.get("/v1").json()["links"]
    assert {"releases", "latest_release", "stats_summary", "regions"} <= set(links)
    for name, link in links.items():
        assert client.get(link).status_code == 200, (name, link)
