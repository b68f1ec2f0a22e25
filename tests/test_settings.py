"""Settings: defaults, environment, and errors that name the setting."""

from __future__ import annotations

import pytest

from api.settings import Settings, SettingsError, load_settings


def test_default_database_is_a_sqlite_file_under_var(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    url = Settings().effective_database_url
    assert url.startswith("sqlite:///") and url.endswith("/var/prisoners.sqlite3")


def test_database_url_is_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://u@h/db")
    assert load_settings().effective_database_url == "postgresql+psycopg://u@h/db"


@pytest.mark.parametrize(
    ("variable", "value", "named"),
    [
        ("PRISONERS_API_PORT", "eighty", "PRISONERS_API_PORT"),
        ("PRISONERS_API_SUPPRESSION_THRESHOLD", "2", "PRISONERS_API_SUPPRESSION_THRESHOLD"),
        ("DATABASE_URL", "mysql://u@h/db", "DATABASE_URL"),
        ("DATABASE_URL", "not a url", "DATABASE_URL"),
        ("PRISONERS_API_AUTO_MIGRATE", "perhaps", "PRISONERS_API_AUTO_MIGRATE"),
        ("PRISONERS_API_PUBLIC_BASE_URL", "data.example.org", "PRISONERS_API_PUBLIC_BASE_URL"),
        ("PRISONERS_API_PUBLIC_BASE_URL", "https://data.example.org/api", "PRISONERS_API_PUBLIC_BASE_URL"),
    ],
)
def test_invalid_setting_is_named(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, named: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(SettingsError, match=f"invalid setting {named}:"):
        load_settings()


def test_threshold_cannot_go_below_the_floor() -> None:
    with pytest.raises(ValueError, match="suppression_threshold"):
        Settings(suppression_threshold=2)


@pytest.mark.parametrize(
    "url", ["data.example.org", "https://data.example.org/", "ftp://x", "https://a b", "https://x.org/api"]
)
def test_public_base_url_must_be_an_absolute_http_url_without_trailing_slash(url: str) -> None:
    with pytest.raises(ValueError, match="public_base_url"):
        Settings(public_base_url=url)


def test_allowed_hosts_hold_the_public_base_urls_host() -> None:
    settings = Settings(public_base_url="https://Data.Example.org", allowed_hosts="[::1], *.lan")
    assert settings.host_patterns == ("::1", "*.lan", "data.example.org")


def test_without_a_public_base_url_urls_start_with_the_local_address() -> None:
    settings = Settings(public_base_url="", port=8123)
    assert settings.effective_public_base_url == "http://127.0.0.1:8123"
