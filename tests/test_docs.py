"""The operations docs name only settings, commands and images that exist."""

from __future__ import annotations

import re

import pytest
from typer.main import get_command

from api.cli import app
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
