"""The service's settings: one class, read from the environment (prefix `PRISONERS_API_`)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal, Self
from urllib.parse import urlsplit

from pydantic import AliasChoices, Field, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from api.paths import DATASET_DIR, MIGRATIONS_DIR

ENV_PREFIX = "PRISONERS_API_"
MIN_THRESHOLD = 3
"""The disclosure policy's floor: the service refuses a suppression threshold below this."""


class Settings(BaseSettings):
    """Every knob of the service. The docstring under each field is its description; docs/SETTINGS.md is
    generated from them."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX, extra="ignore", validate_default=True, use_attribute_docstrings=True
    )

    database_url: Annotated[
        str, Field(validation_alias=AliasChoices("DATABASE_URL", f"{ENV_PREFIX}DATABASE_URL"))
    ] = ""
    """SQLAlchemy URL of the database. Empty means the embedded SQLite file `<data_dir>/prisoners.sqlite3`.
    PostgreSQL: `postgresql+psycopg://user@host/db`.
    """
    database_connect_timeout: Annotated[int, Field(ge=2)] = 3
    """Seconds to wait for a new PostgreSQL connection (TCP and the server's greeting) before answering
    503."""
    database_statement_timeout: Annotated[float, Field(gt=0)] = 10.0
    """Seconds one SQL statement may run, or wait for a lock, before it is cancelled and the request answered
    503 (both engines; migrations are not limited). On PostgreSQL it also bounds how long sent data may go
    unacknowledged (`tcp_user_timeout`).
    """
    database_pool_timeout: Annotated[float, Field(gt=0)] = 2.0
    """Seconds a request waits for a pooled database connection when all are busy before answering 503, rather
    than queueing.
    """
    data_dir: Path = Path("var")
    """Writable folder for the embedded SQLite database (relative to the working directory)."""
    dataset_dir: Path = DATASET_DIR
    """Folder of the dataset (schema/, reference/, figures/, releases/) the migrations load."""
    migrations_dir: Path = MIGRATIONS_DIR
    """Folder of the Alembic migrations (env.py, versions/). With DATASET_DIR, lets a migration job load a
    release that the running image does not bundle yet.
    """
    public_base_url: str = ""
    """The service's public address: scheme, host and port, no path and no trailing slash
    (`https://data.example.org`). Every absolute URL in pages, oEmbed answers, citations and redirects starts
    with it; none is ever built from a request's Host header. Empty: `http://127.0.0.1:<PORT>`, and a
    release's CITATION.cff names no URL.
    """
    allowed_hosts: str = "localhost,127.0.0.1,::1"
    """Comma-separated host names (without port) a request's Host may name, besides the host of
    PUBLIC_BASE_URL; `*.example.org` matches its subdomains, `*` any host. Other hosts, and a request with
    more than one Host, get 400 problem+json (/healthz and /readyz answer any one host).
    """
    host: str = "127.0.0.1"
    """Address `serve` listens on."""
    port: Annotated[int, Field(ge=1, le=65535)] = 8000
    """Port `serve` listens on."""
    auto_migrate: bool = True
    """`serve` applies pending migrations before serving. Turn off for multi-instance deployments, where
    `prisoners-api migrate` runs once as a separate step.
    """
    suppression_threshold: Annotated[int, Field(ge=MIN_THRESHOLD)] = 5
    """k: published counts from 1 to k-1 are suppressed. Never below 3."""
    min_group_size: Annotated[int, Field(ge=MIN_THRESHOLD)] = 10
    """Smallest group for which medians and quantiles are published (means never are)."""
    protection_interval: Annotated[int | None, Field(ge=MIN_THRESHOLD)] = None
    """p: given everything a release publishes, every suppressed count must still range over an interval at
    least p wide (or the whole of a smaller published total containing it). Empty means k; at most k (a wider
    interval would need visible counts of k or more hidden, i.e. a higher k).
    """
    max_url_length: Annotated[int, Field(ge=256)] = 2048
    """Longest request URL (path and query string, in bytes) answered; longer ones get 414 before anything
    else runs.
    """
    rate_limit: str = "600/minute"
    """Requests one client may make in a moving window (`N/second`, `N/minute` or `N/hour`); answers 304 Not
    Modified are not counted, /healthz and /readyz never limited. Empty turns limiting off. Counted per
    instance.
    """
    rate_limit_client_header: str = ""
    """Header naming the client address for rate limiting (its last address), for a trusted proxy that writes
    one; empty uses the peer address (which uvicorn takes from X-Forwarded-For for the proxies in
    FORWARDED_ALLOW_IPS).
    """
    latest_max_age: Annotated[int, Field(ge=0)] = 300
    """Cache-Control max-age (seconds) of responses for `release=latest`."""
    release_check_seconds: Annotated[float, Field(ge=0)] = 30.0
    """How often (seconds) an instance re-reads the list of releases, so a release loaded by a migration
    appears without a restart.
    """
    forwarded_allow_ips: str = "127.0.0.1,::1"
    """Comma-separated addresses or networks (CIDR) of the proxies whose X-Forwarded-For and X-Forwarded-Proto
    headers `serve` trusts; `*` trusts every peer, empty trusts none.
    """
    timeout_graceful_shutdown: Annotated[int, Field(ge=0)] = 8
    """On SIGTERM `serve` stops accepting connections and waits up to this many seconds for requests in flight
    to finish (keep it below the orchestrator's grace period: `docker stop` waits 10 s).
    """
    log_level: Literal["debug", "info", "warning", "error"] = "info"
    """Lowest level `serve` logs (JSON lines on standard output)."""
    access_log: bool = True
    """Log one JSON line per request (request id, method, path, status, duration; never the client's
    address)."""
    metrics: bool = False
    """Serve Prometheus metrics at `/metrics` (keep it off the public internet)."""

    @field_validator("rate_limit")
    @classmethod
    def _parseable_rate(cls, value: str) -> str:
        if value:
            from limits import parse

            try:
                parse(value)
            except ValueError:
                raise ValueError("not a rate such as `600/minute`") from None
        return value

    @field_validator("public_base_url")
    @classmethod
    def _origin_only(cls, value: str) -> str:
        if not value:
            return value
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname or " " in value:
            raise ValueError("not an absolute http(s) URL such as `https://data.example.org`")
        if parts.path or parts.query or parts.fragment or parts.username:
            raise ValueError("only a scheme, a host and a port: no path (nor trailing slash), query or user")
        return value

    @field_validator("database_url")
    @classmethod
    def _parseable_url(cls, value: str) -> str:
        if value:
            try:
                url = make_url(value)
            except ArgumentError as error:
                raise ValueError(f"not a SQLAlchemy database URL: {error}") from None
            if url.get_backend_name() not in {"sqlite", "postgresql"}:
                raise ValueError("only sqlite and postgresql databases are supported")
        return value

    @model_validator(mode="after")
    def _protection_interval_not_above_threshold(self) -> Self:
        if self.protection_interval is not None and self.protection_interval > self.suppression_threshold:
            raise ValueError("protection_interval must not be above suppression_threshold")
        return self

    @model_validator(mode="after")
    def _derived_statistics_not_below_threshold(self) -> Self:
        if self.min_group_size < self.suppression_threshold:
            raise ValueError("min_group_size must not be below suppression_threshold")
        return self

    @property
    def effective_public_base_url(self) -> str:
        """Where every absolute URL the service writes starts: the setting, or the local address."""
        return self.public_base_url or f"http://127.0.0.1:{self.port}"

    @property
    def host_patterns(self) -> tuple[str, ...]:
        """Host names (lower case, IPv6 without brackets) requests may name; `*.` prefixes, `*` any."""
        names = [*self.allowed_hosts.split(","), urlsplit(self.effective_public_base_url).hostname or ""]
        return tuple(dict.fromkeys(name.strip().strip("[]").lower() for name in names if name.strip()))

    @property
    def effective_protection_interval(self) -> int:
        """p, the width every suppressed count's interval must keep (default: k)."""
        return self.protection_interval or self.suppression_threshold

    @property
    def effective_database_url(self) -> str:
        """The configured URL, or the embedded SQLite file under `data_dir`."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'prisoners.sqlite3').resolve()}"


class SettingsError(Exception):
    """Settings that cannot start the service; the message names each bad setting."""


def load_settings() -> Settings:
    """Read settings from the environment, turning validation errors into one readable message."""
    try:
        return Settings()
    except ValidationError as error:
        lines = []
        for item in error.errors():
            name = str(item["loc"][0]) if item["loc"] else "settings"
            # Fields read through an alias (DATABASE_URL) are reported under the alias itself.
            env = name if name.isupper() else f"{ENV_PREFIX}{name.upper()}"
            lines.append(f"invalid setting {env}: {item['msg']}")
        raise SettingsError("\n".join(lines)) from None


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings (tests build their own `Settings` instead)."""
    return load_settings()
