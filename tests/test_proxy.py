"""The caching proxy docs/DEPLOYMENT.md recommends, run for real: Debian's nginx with deploy/nginx.conf in
front of two `prisoners-api serve` instances on one PostgreSQL holding the bundled dataset.

nginx missing is a failure with the command that installs it (scripts/check does), never a skip.
"""

from __future__ import annotations

import re
import socket
import time
from contextlib import ExitStack
from pathlib import Path

import httpx
import pytest

from api import migrate
from tests.utils.databases import fresh_database, require_engine
from tests.utils.nginx import PUBLIC_BASE_URL, PUBLIC_HOST, Nginx, instances_behind_nginx
from tests.utils.releases import BUNDLED_RELEASE

LATEST_MAX_AGE = 2
PINNED = f"/v1/stats/breakdown?release={BUNDLED_RELEASE}&by=region"
NEGOTIATED = f"/v1/stats/breakdown?release={BUNDLED_RELEASE}&by=region,gender"
LATEST = "/v1/stats/summary"
EMBED = f"/embed/in-custody?release={BUNDLED_RELEASE}&lang=be"
ATTACKER = "evil.example"


def _get(proxy: Nginx, path: str, **headers: str) -> httpx.Response:
    return httpx.get(proxy.base_url + path, headers={"Host": PUBLIC_HOST, **headers}, timeout=60)


def _status(response: httpx.Response) -> str:
    """What nginx's cache did (X-Cache-Status); empty when the header is missing."""
    return str(response.headers.get("x-cache-status", ""))


def _raw(proxy: Nginx, request: str) -> tuple[int, bytes]:
    """Send `request` as written (two Host headers, an absolute-form target) and read the whole answer."""
    with socket.create_connection(("127.0.0.1", proxy.port), timeout=30) as connection:
        connection.sendall(request.replace("\n", "\r\n").encode("latin-1"))
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    status_line = answer.split(b"\r\n", 1)[0].decode("latin-1")
    return int(status_line.split()[1]), answer


def _upstreams_used(proxy: Nginx) -> set[str]:
    text = proxy.access_log.read_text(encoding="utf-8")
    return set(re.findall(r"127\.0\.0\.1:\d+", text))


@pytest.mark.slow
def test_nginx_with_the_shipped_configuration_caches_by_the_rules_and_cannot_be_poisoned(
    tmp_path: Path,
) -> None:
    require_engine("postgresql")
    with fresh_database("postgresql", tmp_path) as url, ExitStack() as stack:
        migrate.upgrade(url)
        settings = {
            "PRISONERS_API_FORWARDED_ALLOW_IPS": "127.0.0.1",
            "PRISONERS_API_LATEST_MAX_AGE": str(LATEST_MAX_AGE),
        }
        instances, proxy = stack.enter_context(instances_behind_nginx(url, tmp_path, **settings))
        # Release-pinned: stored for as long as its Cache-Control says (a year), then answered by nginx.
        first, second = _get(proxy, PINNED), _get(proxy, PINNED)
        assert first.status_code == 200 and "immutable" in first.headers["cache-control"]
        assert (_status(first), _status(second)) == ("MISS", "HIT")
        assert first.headers["server"] == "nginx", "server_tokens off: no version"
        assert second.content == first.content and second.headers["etag"] == first.headers["etag"]

        # Vary: Accept. The JSON and the CSV of one URL are two stored answers, never one for the other.
        json_answer = _get(proxy, NEGOTIATED)
        csv_answer = _get(proxy, NEGOTIATED, Accept="text/csv")
        assert json_answer.headers["content-type"].startswith("application/json")
        assert csv_answer.headers["content-type"].startswith("text/csv"), csv_answer.headers
        assert _status(json_answer) == "MISS" and _status(csv_answer) == "MISS"
        json_again = _get(proxy, NEGOTIATED, Accept="application/json")
        csv_again = _get(proxy, NEGOTIATED, Accept="text/csv")
        json_third = _get(proxy, NEGOTIATED)
        assert (json_third.content, csv_again.content) == (json_answer.content, csv_answer.content)
        assert _status(csv_again) == "HIT" and _status(json_third) == "HIT"
        assert json_again.headers["content-type"].startswith("application/json")

        # Hosts: two Host headers (either order), a foreign Host, an absolute-form request line naming
        # another host: all refused by nginx itself, before any instance or the cache sees them.
        for hosts in ((ATTACKER, PUBLIC_HOST), (PUBLIC_HOST, ATTACKER)):
            head = "".join(f"Host: {host}\n" for host in hosts)
            status, answer = _raw(proxy, f"GET {EMBED} HTTP/1.1\n{head}Connection: close\n\n")
            assert status == 400, answer[:300]
        status, answer = _raw(proxy, f"GET {EMBED} HTTP/1.1\nHost: {ATTACKER}\nConnection: close\n\n")
        assert status == 400, answer[:300]
        absolute = f"GET http://{ATTACKER}{EMBED} HTTP/1.1\nHost: {PUBLIC_HOST}\nConnection: close\n\n"
        status, answer = _raw(proxy, absolute)
        assert status == 400, answer[:300]
        assert b"x-request-id" not in answer.lower(), "an instance answered: the proxy let it through"
        forwarded = _get(proxy, EMBED, **{"X-Forwarded-Host": ATTACKER, "Forwarded": f"host={ATTACKER}"})
        assert forwarded.status_code == 200 and _status(forwarded) == "MISS"
        page = _get(proxy, EMBED)
        assert _status(page) == "HIT" and page.content == forwarded.content
        assert ATTACKER not in page.text
        links = re.findall(r'(?:href|src)="(https?://[^"]+)"', page.text)
        assert links and all(link.startswith(f"{PUBLIC_BASE_URL}/") for link in links), links
        assert f'<link rel="canonical" href="{PUBLIC_BASE_URL}/' in page.text

        # `latest` is kept for its max-age, then fetched again (revalidated with its ETag).
        latest = _get(proxy, LATEST)
        assert latest.headers["cache-control"] == f"public, max-age={LATEST_MAX_AGE}"
        assert (_status(latest), _status(_get(proxy, LATEST))) == ("MISS", "HIT")
        time.sleep(LATEST_MAX_AGE + 1.5)
        refreshed = _get(proxy, LATEST)
        assert refreshed.status_code == 200 and _status(refreshed) in {"EXPIRED", "REVALIDATED"}
        assert refreshed.content == latest.content
        assert _status(_get(proxy, LATEST)) == "HIT"

        # Both instances answered misses; with one stopped, nginx sends every miss to the other.
        for path in ("/v1/stats/in-custody?by=gender", "/v1/stats/breakdown?by=region&gender=female"):
            assert _get(proxy, path).status_code == 200, path
        upstreams = {server.base_url.removeprefix("http://") for server in instances}
        assert _upstreams_used(proxy) == upstreams, proxy.access_log.read_text()
        assert instances[0].terminate() in (0, -15)
        for path in ("/v1/releases", "/v1/figures", f"/v1/stats/in-custody?release={BUNDLED_RELEASE}"):
            answer_with_one = _get(proxy, path)
            assert answer_with_one.status_code == 200 and _status(answer_with_one) == "MISS", path
        assert _status(_get(proxy, PINNED)) == "HIT"

        # Both stopped: what the cache holds is still served, expired `latest` included (stale).
        assert instances[1].terminate() in (0, -15)
        time.sleep(LATEST_MAX_AGE + 1)
        stale = _get(proxy, LATEST)
        assert (stale.status_code, _status(stale)) == (200, "STALE")
        assert _status(_get(proxy, PINNED)) == "HIT"
        assert _get(proxy, "/v1/stats/flows").status_code == 502
        assert _get(proxy, "/metrics").status_code == 404
