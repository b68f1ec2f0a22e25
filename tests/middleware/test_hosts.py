"""Hosts: a request names one host we serve, and no URL we build comes from the one it names."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from api.middleware.hosts import host_allowed, host_name
from api.settings import Settings
from tests.utils.server import migrated_server

EMBED = "/embed/in-custody?release=demo-2026-03&lang=be"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real uvicorn (the HTTP parser is part of what is tested), on a fresh SQLite database."""
    with migrated_server(tmp_path_factory.mktemp("hosts")) as base:
        yield base


def _raw_get(base: str, target: str, host_lines: list[str]) -> tuple[int, dict[str, str], bytes]:
    """GET `target` over a raw socket with exactly `host_lines` as Host headers (no client tidies them)."""
    address = base.removeprefix("http://").split(":")
    request = f"GET {target} HTTP/1.1\r\n" + "".join(f"Host: {h}\r\n" for h in host_lines)
    request += "Connection: close\r\n\r\n"
    with socket.create_connection((address[0], int(address[1])), timeout=30) as sock:
        sock.sendall(request.encode("latin-1"))
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    status_line, *lines = head.decode("latin-1").split("\r\n")
    headers = {name.lower(): value.strip() for name, _, value in (line.partition(":") for line in lines)}
    return int(status_line.split()[1]), headers, body


def test_two_host_headers_are_400_problem(server: str) -> None:
    ours = server.removeprefix("http://")
    status, headers, body = _raw_get(server, EMBED, ["evil.example", ours])
    assert status == 400
    assert headers["content-type"] == "application/problem+json"
    assert b"Host" in body


def test_two_host_headers_cannot_poison_the_page_others_get(server: str) -> None:
    ours = server.removeprefix("http://")
    _raw_get(server, EMBED, ["evil.example", ours])
    status, _, body = _raw_get(server, EMBED, [ours])
    assert status == 200 and b"evil.example" not in body


PUBLIC = "https://data.example.org"


@pytest.fixture(scope="module")
def behind_a_proxy(migrated_url: str) -> Iterator[TestClient]:
    """The service as a proxy reaches it: by an internal name, while its public address is another."""
    settings = Settings(database_url=migrated_url, public_base_url=PUBLIC, allowed_hosts="internal.lan")
    with TestClient(create_app(settings), base_url="http://internal.lan") as client:
        yield client


def test_a_host_not_allowed_is_400_problem_naming_it(behind_a_proxy: TestClient) -> None:
    response = behind_a_proxy.get("/v1", headers={"Host": "evil.example"})
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    assert "evil.example" in response.json()["detail"]


def test_the_public_host_and_its_port_are_allowed(behind_a_proxy: TestClient) -> None:
    assert behind_a_proxy.get("/v1", headers={"Host": "DATA.example.org:443"}).status_code == 200


def test_probes_answer_any_one_host(behind_a_proxy: TestClient) -> None:
    assert behind_a_proxy.get("/healthz", headers={"Host": "10.1.2.3:8000"}).status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/embed/in-custody?release=demo-2026-03",
        "/",
        f"/oembed?url={PUBLIC}/embed/flows%3Frelease%3Ddemo-2026-03",
    ],
)
def test_absolute_urls_start_with_the_public_base_url(behind_a_proxy: TestClient, path: str) -> None:
    response = behind_a_proxy.get(path)
    assert response.status_code == 200
    assert f"{PUBLIC}/" in response.text and "internal.lan" not in response.text


def test_the_trailing_slash_redirect_goes_to_the_public_base_url(behind_a_proxy: TestClient) -> None:
    response = behind_a_proxy.get("/v1/stats/summary/", follow_redirects=False)
    assert response.status_code == 307
    assert response.headers["location"] == f"{PUBLIC}/v1/stats/summary"


def test_oembed_refuses_a_url_of_another_host(behind_a_proxy: TestClient) -> None:
    response = behind_a_proxy.get("/oembed", params={"url": "http://internal.lan/embed/flows"})
    assert response.status_code == 404 and response.json()["parameter"] == "url"


@pytest.mark.parametrize(
    ("value", "name"),
    [("Example.org:8000", "example.org"), ("[::1]:8000", "::1"), ("[::1]", "::1"), ("10.0.0.1", "10.0.0.1")],
)
def test_host_name_drops_the_port_and_brackets(value: str, name: str) -> None:
    assert host_name(value) == name


def test_a_wildcard_allows_subdomains_only() -> None:
    assert host_allowed("a.example.org", ("*.example.org",))
    assert not host_allowed("example.org", ("*.example.org",))
    assert not host_allowed("evilexample.org", ("*.example.org",))
