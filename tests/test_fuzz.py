"""Schemathesis against the committed OpenAPI document and the ASGI app, on SQLite and PostgreSQL.

Every operation, with parameters generated from the document (valid and invalid): no 5xx, every
response conforms to the documented status codes, media types and schemas, and every 4xx is
problem+json. EXAMPLES per operation × 42 operations × 2 engines ≥ 1,000 cases.

Cases come from each operation's Hypothesis strategy (schemathesis's pytest plugin does not support
this pytest yet); `call_and_validate` runs schemathesis's own checks on every response, except
"valid data is accepted": rules across parameters (at most two dimensions, a filter not also a split)
cannot be written in OpenAPI, so a request valid for the document may still be a 400 problem.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import CheckFunction, not_a_server_error
from schemathesis.core.result import Err
from schemathesis.specs.openapi.checks import positive_data_acceptance

from api.main import create_app
from api.settings import Settings
from tests.utils.server import running_server

ROOT = Path(__file__).parent.parent
OPENAPI = ROOT / "openapi" / "openapi.json"
SCHEMA = schemathesis.openapi.from_path(OPENAPI)
Operation = schemathesis.APIOperation[Any, Any, Any, Any]


def _operations() -> list[Operation]:
    """Every operation of the document; one it cannot read is an error, not a test left out."""
    operations = []
    for result in SCHEMA.get_all_operations():
        if isinstance(result, Err):
            raise result.err()
        operations.append(result.ok())
    return operations


OPERATIONS = _operations()
EXAMPLES = 20
SLOW = {"png", "svg", "zip"}  # rendered or packed per request: fewer examples keep CI's budget


@pytest.fixture(scope="module")
def app(migrated_url: str) -> Iterator[FastAPI]:
    yield create_app(Settings(database_url=migrated_url, rate_limit=""))


def test_the_document_has_only_get_operations() -> None:
    assert len(OPERATIONS) >= 40 and {operation.method.upper() for operation in OPERATIONS} == {"GET"}


@pytest.mark.slow
@pytest.mark.parametrize("operation", OPERATIONS, ids=[operation.label for operation in OPERATIONS])
def test_no_server_error_and_every_answer_as_documented(app: FastAPI, operation: Operation) -> None:
    operation.app = app  # this engine's app answers the generated requests
    examples = 5 if operation.path.rsplit(".", 1)[-1] in SLOW else EXAMPLES

    @given(
        case=operation.as_strategy()
        | operation.as_strategy(generation_mode=schemathesis.GenerationMode.NEGATIVE)
    )
    @settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def check(case: schemathesis.Case[Any]) -> None:
        oembed_format = operation.path == "/oembed" and (case.query or {}).get("format", "json") != "json"
        excluded: list[CheckFunction] = [
            positive_data_acceptance,
            *([not_a_server_error] if oembed_format else []),
        ]
        response = case.call_and_validate(excluded_checks=excluded)
        # oEmbed 1.0 (2.3.3) answers a format it does not provide with 501 Not Implemented.
        assert response.status_code < 500 or (oembed_format and response.status_code == 501)
        if 400 <= response.status_code < 500:
            assert response.headers["content-type"][0].startswith("application/problem+json")
            assert response.json()["status"] == response.status_code

    check()


@pytest.mark.slow
def test_schemathesis_with_every_check_finds_no_failure(migrated_url: str, tmp_path: Path) -> None:
    """`schemathesis run --checks all` over the committed document, as anyone can run it against a
    server: every phase (examples, coverage, fuzzing, stateful) and every check, positive data
    acceptance included. schemathesis.toml loads tests/utils/contract.py, which drops only the answers
    the document states in words (rules across parameters, the URL length limit, oEmbed's 501)."""
    with running_server(migrated_url, tmp_path) as base:
        command = [
            *(sys.executable, "-m", "schemathesis.cli", "--config-file", str(ROOT / "schemathesis.toml")),
            *("run", str(OPENAPI), "--url", base, "--checks", "all", "--max-examples", "30"),
            *("--generation-deterministic", "--no-color"),
        ]
        run = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=1200, check=False)
    assert run.returncode == 0, run.stdout[-20000:] + run.stderr[-5000:]
