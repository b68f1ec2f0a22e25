"""A real uvicorn server in a child process, on 127.0.0.1 and a free port, for end-to-end tests."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx

from tests.utils.servers import free_port, stop

STARTUP_SECONDS = 30


@contextmanager
def running_server(database_url: str, log_dir: Path) -> Iterator[str]:
    """`uvicorn api.main:app` on a migrated database; yields its base URL (also its public base URL) and
    stops it afterwards."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "DATABASE_URL": database_url, "PRISONERS_API_PUBLIC_BASE_URL": base}
    log_path = log_dir / f"uvicorn-{port}.log"
    command = [sys.executable, "-m", "uvicorn", "api.main:app", "--host", "127.0.0.1", "--port", str(port)]
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        _wait_until_ready(base, process, log_path)
        yield base
    finally:
        stop(process, 10)


def _wait_until_ready(base: str, process: subprocess.Popen[bytes], log_path: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"uvicorn exited with {process.returncode}:\n{log_path.read_text()}")
        try:
            if httpx.get(f"{base}/readyz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"uvicorn did not answer within {STARTUP_SECONDS} s:\n{log_path.read_text()}")


@contextmanager
def migrated_server(folder: Path) -> Iterator[str]:
    """A server on a fresh SQLite database with the bundled dataset loaded; yields its base URL."""
    from api import migrate
    from tests.utils.databases import fresh_database

    with fresh_database("sqlite", folder) as url:
        migrate.upgrade(url)
        with running_server(url, folder) as base:
            yield base


@contextmanager
def news_site(article: str) -> Iterator[str]:
    """Another origin on this machine that serves one article page (Chromium lets only http(s) pages frame
    the embed, and only local pages frame a local server)."""

    class Article(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = article.encode("utf-8")
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", free_port()), Article)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/article"
    finally:
        server.shutdown()
        server.server_close()
