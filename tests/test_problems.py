"""Problems (api/problems.py) speak the reader's language: `lang=`, else `Accept-Language`."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.translations import has_text, preferred_lang

API = Path(__file__).resolve().parents[1] / "api"


def test_a_bad_parameter_is_explained_in_the_lang_asked_and_still_named(client: TestClient) -> None:
    response = client.get("/v1/stats/breakdown?gender=woman&lang=be")
    assert response.status_code == 400 and response.headers["content-language"] == "be"
    body = response.json()
    assert body["type"] == "/problems/invalid-parameter" and body["parameter"] == "gender"
    assert body["title"] == "Няправільны параметр запыту"
    assert body["detail"] == (
        "Параметр запыту 'gender': 'woman' — недапушчальнае значэнне. "
        "Дазволеныя значэнні: female, male, unknown"
    )
    assert body["invalid-params"][0]["reason"] == "'woman' — недапушчальнае значэнне"


def test_accept_language_chooses_when_the_request_has_no_lang(client: TestClient) -> None:
    headers = {"Accept-Language": "de;q=0.9, ru-RU, en;q=0.5"}
    response = client.get("/v1/stats/in-custody?from=2024-05&to=2024-01", headers=headers)
    assert response.headers["content-language"] == "ru" and "Accept-Language" in response.headers["vary"]
    body = response.json()
    assert body["type"] == "/problems/conflicting-parameters" and body["parameter"] == "from"
    assert body["detail"] == "Параметр запроса 'from': '2024-05' позже, чем to='2024-01'"


def test_lang_wins_over_accept_language_and_english_is_the_default(client: TestClient) -> None:
    russian = {"Accept-Language": "ru"}
    assert client.get("/v1/nope?lang=be", headers=russian).json()["title"] == "Не знойдзена"
    english = client.get("/v1/nope")
    assert english.headers["content-language"] == "en"
    assert english.json()["detail"] == "No resource at /v1/nope. The index of the API is at /v1."


def test_a_problem_of_the_middleware_is_translated_too(client: TestClient) -> None:
    response = client.get("/v1", headers={"Host": "elsewhere.example", "Accept-Language": "be"})
    body = response.json()
    assert response.status_code == 400 and body["type"] == "/problems/bad-host"
    assert body["title"] == "Няправільны хост" and body["detail"].startswith("Хост 'elsewhere.example'")


@pytest.mark.parametrize(
    ("lang", "accept", "chosen"),
    [
        ("ru", "be", "ru"),
        ("de", "be", "be"),
        (None, "ru;q=0.4, be;q=0.8", "be"),
        (None, "be;q=0, ru-RU;q=0.1", "ru"),
        (None, "fr, de", "en"),
        (None, "ru;q=oops, be", "be"),
        (None, None, "en"),
    ],
)
def test_preferred_lang(lang: str | None, accept: str | None, chosen: str) -> None:
    assert preferred_lang(lang, accept) == chosen


def _keys_named_in_the_code() -> set[str]:
    keys: set[str] = set()
    for module in API.rglob("*.py"):
        source = module.read_text(encoding="utf-8")
        keys |= set(re.findall(r'Sentence\(\s*"([\w.-]+)"', source))
        reasons = re.findall(r'(?:bad_parameter|conflicting_parameters)\(\s*[^,()]+,\s*"(\w+)"', source)
        keys |= {f"problem.reason.{reason}" for reason in reasons}
    return keys


def test_every_sentence_a_problem_names_is_in_the_catalogue() -> None:
    keys = _keys_named_in_the_code()
    assert {"problem.reason.not_allowed", "problem.unknown_release", "problem.rate_limited"} <= keys
    assert sorted(key for key in keys if not has_text(key)) == []
