"""A breakdown says whom it counts (issue 17): without a status it counts everyone ever recognized,
in custody or released, which a reader can easily misreport as the people in custody."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient


def _whom(client: TestClient, query: str) -> list[str]:
    response = client.get(f"/v1/stats/breakdown?{query}")
    assert response.status_code == 200, response.text
    return [note for note in response.json()["meta"]["notes"] if note.startswith("Whom it counts")]


@pytest.mark.parametrize(
    ("query", "says"),
    [
        (
            "by=region&gender=female",
            "everyone recognized as a political prisoner since 2020, in custody or released",
        ),
        ("by=region&status=in_custody", "the people in custody on the as-of date"),
        ("by=gender&status=released", "the people released by the as-of date"),
        ("by=region,status", "each row says whether its people are in custody"),
        ("by=release_kind", "each row says whether its people are in custody"),
        # Two filters: a slice of the stored table by both, whose own note says "each row": the slice
        # counts only the people in custody.
        ("gender=female&status=in_custody", "the people in custody on the as-of date"),
        ("gender=female&region=BY-MI", "everyone recognized"),
    ],
)
def test_every_breakdown_says_whom_it_counts(sqlite_client: TestClient, query: str, says: str) -> None:
    whom = _whom(sqlite_client, query)
    assert len(whom) == 1 and says in whom[0], whom


def test_the_women_in_custody_are_not_the_women_ever_recognized(sqlite_client: TestClient) -> None:
    """The numbers behind the note: fewer women are in custody than were ever recognized."""
    ever, now = (
        sqlite_client.get(f"/v1/stats/breakdown?gender=female{status}").json()["data"][0]["count"]
        for status in ("", "&status=in_custody")
    )
    assert isinstance(ever, int) and isinstance(now, int) and 0 < now < ever
