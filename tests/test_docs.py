"""The operations docs name only settings, commands and images that exist."""

from __future__ import annotations

import re

import orjson
import pytest
from fastapi.testclient import TestClient
from typer.main import get_command

from api.cli import app
from api.query import SPECS
from api.settings import ENV_PREFIX, Settings
from api.settings_doc import env_name
from tests.utils.dockerfile import ROOT, stages

DOCS = ["README.md", "docs/DEPLOYMENT.md", "docs/PUBLISHING.md"]


@pytest.mark.parametrize("name", DOCS)
def test_every_variable_named_is_a_setting(name: str) -> None:
    known = {env_name(field_name, field) for field_name, field in Settings.model_fields.items()}
    named = set(re.findall(rf"\b{ENV_PREFIX}[A-Z_]+\b", (ROOT / name).read_text(encoding="utf-8")))
    assert named <= known, named - known


def test_deployment_guide_names_the_base_image_of_the_dockerfile() -> None:
    guide = (ROOT / "docs" / "DEPLOYMENT.md").read_text(encoding="utf-8")
    assert {stage.image for stage in stages()} == set(re.findall(r"python:3\.11\.\d+-slim-bookworm", guide))


def test_publishing_guide_uses_commands_that_exist() -> None:
    guide = (ROOT / "docs" / "PUBLISHING.md").read_text(encoding="utf-8")
    used = set(re.findall(r"\$ prisoners-api ([a-z-]+)", guide))
    commands = set(get_command(app).commands)  # type: ignore[attr-defined]
    assert used == {"import", "validate", "review", "publish", "migrate"} and used <= commands


def _documented_limit(text: str) -> int:
    """The number a "dimensions: at most N" / "dimensions: none" phrase states."""
    found = re.findall(r"dimensions: (?:at most (\d+)|(none))", text, flags=re.IGNORECASE)
    assert len(found) == 1, f"one dimension limit expected, found {found} in {text!r}"
    return 0 if found[0][1] else int(found[0][0])


@pytest.mark.parametrize("statistic", sorted(SPECS))
def test_readme_openapi_and_server_state_the_same_dimension_limit(client: TestClient, statistic: str) -> None:
    spec = SPECS[statistic]
    limit = spec.max_dimensions - spec.inherent_dimensions
    path = f"/v1/stats/{statistic}"
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    row = next(line for line in readme.splitlines() if line.startswith(f"| `{path}` |"))
    assert _documented_limit(row) == limit
    document = orjson.loads((ROOT / "openapi" / "openapi.json").read_bytes())
    operation = document["paths"][path]["get"]
    assert _documented_limit(operation["description"]) == limit
    params = {p["name"]: p for p in operation["parameters"]}
    filters = [params[name] for name in spec.filters]
    assert all(f"at most {limit} per query" in p["description"] for p in filters)
    if "by" in params:
        assert f"make at most {limit} dimension(s)" in params["by"]["description"]
    # The server: `limit` filters answer, one more is refused as too many (or unknown, for none).
    if spec.pairs:  # two only as a documented pair: that pair first
        first = [params[name] for name in spec.pairs[0]]
        filters = first + [f for f in filters if f["name"] not in spec.pairs[0]]
    chosen = {p["name"]: p["schema"]["enum"][0] for p in filters[: limit + 1]}
    if len(chosen) > limit:
        refused = client.get(path, params=chosen)
        assert refused.status_code == 400
        assert refused.json()["type"] == "/problems/too-many-dimensions"
    allowed = dict(list(chosen.items())[:limit])
    assert client.get(path, params=allowed).status_code == 200
    if limit == 0:
        assert client.get(path, params={"gender": "female"}).status_code == 400


def test_every_query_the_readme_gives_a_question_is_answered(client: TestClient) -> None:
    """The README's table of questions: each query is answered 200 (not a 400 the docs forgot)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("Questions and the query that answers each")[1].split("\n\n")[1]
    queries = re.findall(r"\| `(/v1/[^`]+)`", table)
    assert len(queries) >= 8
    for query in queries:
        assert client.get(query).status_code == 200, query
