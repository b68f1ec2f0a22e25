"""Liveness and readiness."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import text

from api import migrate
from api.db import create_db_engine
from api.main import create_app
from api.settings import Settings


def test_healthz_answers_without_a_database() -> None:
    app = create_app(Settings(database_url="postgresql+psycopg://nobody@127.0.0.1:1/none"))
    with TestClient(app) as client:
        response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_readyz_is_ready_on_a_migrated_database(client: TestClient) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ready", "revision": migrate.head_revision()}


def test_readyz_is_503_problem_when_the_database_is_unreachable() -> None:
    app = create_app(Settings(database_url="postgresql+psycopg://nobody@127.0.0.1:1/none"))
    with TestClient(app) as client:
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["retry-after"].isdigit()
    assert response.json()["title"] == "Not ready"


def test_readyz_is_503_problem_when_migrations_are_pending(database_url: str, tmp_path: Path) -> None:
    migrate.upgrade(database_url, "0001_schema")
    with TestClient(create_app(Settings(database_url=database_url))) as client:
        response = client.get("/readyz")
    assert response.status_code == 503
    assert "0001_schema" in response.json()["detail"]


def test_unknown_path_is_a_404_problem(client: TestClient) -> None:
    response = client.get("/no/such/thing")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 404 and body["instance"] == "/no/such/thing" and "/v1" in body["detail"]


def test_readyz_stays_ready_when_a_newer_release_migration_already_ran(database_url: str) -> None:
    """Rolling deployments: the migration job of the next build runs before this instance is replaced."""
    migrate.upgrade(database_url)
    engine = create_db_engine(database_url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = 'zz_next_release'"))
    engine.dispose()
    with TestClient(create_app(Settings(database_url=database_url))) as client:
        response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ready", "revision": "zz_next_release"}
