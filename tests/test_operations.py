"""Operations: request ids, JSON access logs, Prometheus metrics, proxy headers, graceful shutdown."""

from __future__ import annotations

import json
import logging
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from unittest.mock import ANY

import httpx
import pytest
import structlog
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from structlog.contextvars import bound_contextvars

from api.logs import configure_logging
from api.main import create_app
from api.middleware.access_log import LOGGER_NAME
from api.settings import Settings
from tests.utils.databases import fresh_database, require_engine
from tests.utils.servers import CLI, clean_environment, free_port, running

# --- X-Request-ID ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def app_client() -> Iterator[TestClient]:
    """An app on an empty in-memory database: enough for the paths that need none."""
    with TestClient(create_app(Settings(database_url="sqlite://"))) as client:
        yield client


def test_a_request_without_an_id_gets_a_new_one(app_client: TestClient) -> None:
    first = app_client.get("/healthz").headers["x-request-id"]
    second = app_client.get("/healthz").headers["x-request-id"]
    assert len(first) == 32 and int(first, 16) >= 0 and first != second


def test_a_well_formed_id_from_the_proxy_is_kept(app_client: TestClient) -> None:
    response = app_client.get("/healthz", headers={"X-Request-ID": "edge-7f3a:42"})
    assert response.headers["x-request-id"] == "edge-7f3a:42"


@pytest.mark.parametrize("sent", ["two words", "x" * 129, "<script>", ""])
def test_a_malformed_id_is_replaced(app_client: TestClient, sent: str) -> None:
    returned = app_client.get("/healthz", headers={"X-Request-ID": sent}).headers["x-request-id"]
    assert returned != sent and len(returned) == 32


def test_error_responses_carry_the_id_too(app_client: TestClient) -> None:
    response = app_client.get("/no/such/path", headers={"X-Request-ID": "abc-123"})
    assert response.status_code == 404 and response.headers["x-request-id"] == "abc-123"


# --- access log -----------------------------------------------------------------------------------


def _access_records(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [record for record in caplog.records if record.name == LOGGER_NAME]


def test_every_request_is_logged_once_with_its_id_and_status(
    app_client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger=LOGGER_NAME):
        response = app_client.get("/no/such/path?x=1", headers={"X-Request-ID": "log-test-1"})
    (record,) = _access_records(caplog)
    assert record.getMessage() == "request" and record.levelno == logging.INFO
    fields = {name: getattr(record, name) for name in ("request_id", "method", "path", "query", "status")}
    assert fields == {
        "request_id": "log-test-1",
        "method": "GET",
        "path": "/no/such/path",
        "query": "x=1",
        "status": 404,
    }
    assert vars(record)["bytes"] == len(response.content) and vars(record)["duration_ms"] >= 0


def test_the_access_log_never_holds_the_client_address(
    app_client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger=LOGGER_NAME):
        app_client.get("/healthz", headers={"User-Agent": "reader-agent/1.0"})
    (record,) = _access_records(caplog)
    logged = json.dumps({k: str(v) for k, v in vars(record).items()})
    assert "testclient" not in logged and "reader-agent" not in logged


def test_the_access_log_can_be_turned_off(caplog: pytest.LogCaptureFixture) -> None:
    app = create_app(Settings(database_url="sqlite://", access_log=False))
    with TestClient(app) as client, caplog.at_level(logging.INFO, logger=LOGGER_NAME):
        client.get("/healthz")
    assert _access_records(caplog) == []


@pytest.fixture
def restored_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)
    structlog.reset_defaults()


@pytest.mark.usefixtures("restored_logging")
def test_logs_are_json_lines_with_the_bound_request_id(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("info")
    with bound_contextvars(request_id="ctx-1"):
        logging.getLogger(LOGGER_NAME).info("request", extra={"status": 200, "path": "/v1"})
        structlog.get_logger("api.test").warning("something", detail="x")
    logging.getLogger("uvicorn.error").debug("below the level")
    logging.getLogger("uvicorn.error").info("Started", extra={"color_message": "\x1b[36mStarted\x1b[0m"})
    lines = capsys.readouterr().out.splitlines()
    first, second, third = (json.loads(line) for line in lines)
    assert third == {"event": "Started", "level": "info", "logger": "uvicorn.error", "timestamp": ANY}
    assert first["event"] == "request" and first["status"] == 200 and first["path"] == "/v1"
    assert first["request_id"] == "ctx-1" and first["level"] == "info" and first["logger"] == LOGGER_NAME
    assert first["timestamp"].endswith("Z")
    assert second["event"] == "something" and second["detail"] == "x" and second["request_id"] == "ctx-1"


# --- metrics --------------------------------------------------------------------------------------


def test_metrics_are_off_by_default(app_client: TestClient) -> None:
    assert app_client.get("/metrics").status_code == 404


def test_metrics_count_requests_by_route_and_status_class() -> None:
    # Two apps with metrics in one process: each has its own registry.
    for _ in range(2):
        with TestClient(create_app(Settings(database_url="sqlite://", metrics=True))) as client:
            client.get("/openapi.json")
            client.get("/no/such/path")
            response = client.get("/metrics")
            schema = client.get("/openapi.json").json()
        assert response.status_code == 200 and response.headers["content-type"].startswith("text/plain")
        lines = response.text.splitlines()
        assert 'http_requests_total{handler="/openapi.json",method="GET",status="2xx"} 1.0' in lines
        assert 'http_requests_total{handler="none",method="GET",status="4xx"} 1.0' in lines
        assert any(line.startswith("process_resident_memory_bytes") for line in lines)
        assert "/metrics" not in schema["paths"]


# --- serve: proxy headers and graceful shutdown, in real processes --------------------------------


@pytest.fixture(scope="module")
def sqlite_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("operations")
    url = f"sqlite:///{folder / 'prisoners.sqlite3'}"
    subprocess.run([CLI, "migrate"], env=clean_environment(DATABASE_URL=url), check=True, capture_output=True)
    return url


# Starts a real server per case.
@pytest.mark.slow
@pytest.mark.parametrize(("trusted", "second"), [("127.0.0.1", 200), ("10.0.0.0/8", 429), ("", 429)])
def test_serve_trusts_forwarded_headers_only_from_the_configured_proxies(
    sqlite_url: str, tmp_path: Path, trusted: str, second: int
) -> None:
    env = clean_environment(
        DATABASE_URL=sqlite_url,
        PRISONERS_API_AUTO_MIGRATE="false",
        PRISONERS_API_PORT=str(free_port()),
        PRISONERS_API_FORWARDED_ALLOW_IPS=trusted,
        PRISONERS_API_RATE_LIMIT="2/minute",
    )
    with running([CLI, "serve"], env, tmp_path, tmp_path / "serve.log") as server:
        redirect = server.get("/v1/releases/", headers={"X-Forwarded-Proto": "https"}, follow_redirects=False)
        # The rate limit counts per client: two forwarded addresses are two clients only from a proxy
        # that is trusted; from any other peer the header is ignored and every request is the peer's.
        first = server.get("/v1", headers={"X-Forwarded-For": "203.0.113.1"})
        again = server.get("/v1", headers={"X-Forwarded-For": "203.0.113.2"})
    assert (first.status_code, again.status_code) == (200, second)
    # Absolute URLs come from PUBLIC_BASE_URL, whatever a proxy says the scheme was.
    assert redirect.headers["location"] == f"{server.base_url}/v1/releases"  # empty: http://127.0.0.1:PORT


def _waiting_on_a_lock(admin_url: str, database: str) -> bool:
    engine = create_engine(admin_url)
    with engine.connect() as connection:
        waiting = connection.execute(
            text("SELECT count(*) FROM pg_stat_activity WHERE datname = :db AND wait_event_type = 'Lock'"),
            {"db": database},
        ).scalar_one()
    engine.dispose()
    return bool(waiting)


# A real server, a request kept in flight, a signal: seconds by design.
@pytest.mark.slow
def test_sigterm_lets_the_request_in_flight_finish(tmp_path: Path) -> None:
    """The database holds a request mid-way (a table lock); SIGTERM arrives; the answer still comes."""
    require_engine("postgresql")
    with fresh_database("postgresql", tmp_path) as url:
        env = clean_environment(
            DATABASE_URL=url, PRISONERS_API_AUTO_MIGRATE="false", PRISONERS_API_PORT=str(free_port())
        )
        subprocess.run([CLI, "migrate"], env=env, check=True, capture_output=True)
        with running([CLI, "serve"], env, tmp_path, tmp_path / "serve.log") as server:
            server.wait_until_answering("/readyz")
            blocker = create_engine(url)
            lock = blocker.connect()
            lock.execute(text("LOCK TABLE release, published_answer IN ACCESS EXCLUSIVE MODE"))
            answers: list[httpx.Response] = []
            client = threading.Thread(target=lambda: answers.append(server.get("/v1/stats/summary")))
            client.start()
            try:
                deadline = time.monotonic() + 15
                while not _waiting_on_a_lock(url, url.rsplit("/", 1)[1]):
                    assert time.monotonic() < deadline, "the request never reached the database"
                    time.sleep(0.05)
                server.process.send_signal(signal.SIGTERM)
                time.sleep(1)
                assert server.process.poll() is None, "serve exited with a request in flight"
                with pytest.raises(httpx.ConnectError):
                    server.get("/healthz")  # no new connections once shutting down
            finally:
                lock.rollback()
                lock.close()
                blocker.dispose()
                client.join(30)
            status = server.process.wait(30)
        (answer,) = answers
        assert answer.status_code == 200 and answer.json()["meta"]["release"]
        # uvicorn re-raises SIGTERM after its graceful shutdown (exit status 0 as a container's PID 1).
        assert status in (0, -signal.SIGTERM)
        records = server.log_records()
        (logged,) = [r for r in records if r.get("event") == "request" and r["path"] == "/v1/stats/summary"]
        assert logged["status"] == 200 and logged["request_id"] == answer.headers["x-request-id"]
        assert any(r.get("logger", "").startswith("uvicorn") for r in records), "uvicorn logs JSON too"
