"""docs/SETTINGS.md is generated from the Settings class and never falls behind it."""

from __future__ import annotations

from api.paths import PACKAGE_DIR
from api.settings import Settings
from api.settings_doc import COMMITTED, env_name, render


def test_committed_settings_reference_matches_the_settings_class() -> None:
    assert COMMITTED.read_text(encoding="utf-8") == render(), (
        "docs/SETTINGS.md is out of date: run `python -m api.settings_doc`"
    )


def test_every_setting_has_a_row_with_its_variable_and_description() -> None:
    document = render()
    for name, field in Settings.model_fields.items():
        assert field.description
        assert f"| `{env_name(name, field)}` |" in document
        assert " ".join(field.description.split()) in document


def test_the_reference_names_no_path_of_the_machine_that_generated_it() -> None:
    assert str(PACKAGE_DIR.parent) not in render()
