"""Shared fixtures: every database test runs on SQLite and on a real PostgreSQL."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api import migrate
from api.main import create_app
from api.paths import DATASET_DIR, DEMO_RECORDS_DIR
from api.publication.workspace import create_workspace
from api.settings import Settings
from tests.utils.browser import chromium
from tests.utils.databases import ENGINES, fresh_database, require_engine
from tests.utils.examples import examples

DEMO_RECORD_FOLDERS = sorted(p for p in DEMO_RECORDS_DIR.iterdir() if p.is_dir())

# Tests make thousands of requests from one client; tests of the rate limit set their own.
os.environ.setdefault("PRISONERS_API_RATE_LIMIT", "")
# TestClient's requests name the host `testserver`: the service's public address in tests.
os.environ.setdefault("PRISONERS_API_PUBLIC_BASE_URL", "http://testserver")


def pytest_report_header() -> str:
    """Say in every run's header how many examples the properties try (CI: thorough)."""
    return f"generated examples: {'thorough' if examples(0, 1) else 'everyday'} (PRISONERS_TESTS_THOROUGH)"


@pytest.fixture(params=ENGINES)
def engine_kind(request: pytest.FixtureRequest) -> str:
    require_engine(request.param)
    return str(request.param)


@pytest.fixture
def database_url(engine_kind: str, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database of each engine."""
    with fresh_database(engine_kind, tmp_path) as url:
        yield url


@pytest.fixture
def dataset_copy(tmp_path: Path) -> Path:
    """A private copy of the bundled dataset folder that a test may break."""
    copy = tmp_path / "dataset"
    shutil.copytree(DATASET_DIR, copy)
    return copy


@pytest.fixture(scope="session")
def migrated_sqlite_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The bundled dataset loaded into SQLite: `migrated_url`'s SQLite database."""
    with fresh_database("sqlite", tmp_path_factory.mktemp("db")) as url:
        migrate.upgrade(url)
        yield url


@pytest.fixture(scope="session", params=ENGINES)
def migrated_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One database per engine with the bundled dataset loaded, shared by the read-only API tests."""
    require_engine(request.param)
    if request.param == "sqlite":
        yield request.getfixturevalue("migrated_sqlite_url")
        return
    with fresh_database(request.param, tmp_path_factory.mktemp("db")) as url:
        migrate.upgrade(url)
        yield url


@pytest.fixture(scope="session")
def records_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A private workspace (SQLite) holding the bundled demonstration releases' record-level data: what
    `publish` computes from. Shared by tests that only read it."""
    url = f"sqlite:///{tmp_path_factory.mktemp('workspace') / 'records.sqlite3'}"
    create_workspace(url, DATASET_DIR, DEMO_RECORD_FOLDERS).dispose()
    return url


@pytest.fixture(scope="session")
def sqlite_client(migrated_sqlite_url: str) -> Iterator[TestClient]:
    """The API on SQLite alone, for what the database engine cannot change: drawings, workbooks, pages
    and packages are made from answers, and that both engines give the same answers is tested once
    (tests/publication/test_publish.py, tests/routes/test_stats.py). `client`'s SQLite instance."""
    app = create_app(Settings(database_url=migrated_sqlite_url))
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture(scope="session")
def client(request: pytest.FixtureRequest, migrated_url: str) -> Iterator[TestClient]:
    """The API on each engine, shared by the read-only API tests."""
    if migrated_url == request.getfixturevalue("migrated_sqlite_url"):
        yield request.getfixturevalue("sqlite_client")
        return
    app = create_app(Settings(database_url=migrated_url))
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's headless Chromium, shared by the tests marked `browser`."""
    with chromium() as launched:
        yield launched


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test that drives Chromium must carry the `browser` marker: the fast loop leaves those out. The
    slow tests run first."""
    unmarked = [
        item.nodeid
        for item in items
        if "browser" in getattr(item, "fixturenames", ()) and item.get_closest_marker("browser") is None
    ]
    if unmarked:
        raise pytest.UsageError(f"tests using the browser fixture without @pytest.mark.browser: {unmarked}")
    # The slow tests first (a stable sort keeps each file's order): scripts/check hands out one test at a
    # time to whichever core is free, so the long publishing tests start early and the quick ones fill
    # in around them, rather than one of them starting last and running alone.
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)
