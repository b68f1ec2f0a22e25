"""`publish` computes every answer again in each round of protection, each round adding a few sets of
people to the release's suppression list: an answer is taken from the last round only when every
question it asked of the list is answered alike now (`api.records.statistics._ANSWERS`)."""

from __future__ import annotations

from api.cells import Cell
from api.paths import DEMO_RECORDS_DIR
from api.publication.workspace import workspace
from api.query import StatQuery
from api.records.load import store_suppression
from api.records.statistics import _ANSWERS, RecordStatistics
from api.settings import Settings
from tests.utils.releases import BUNDLED_RELEASE

BY_GENDER = StatQuery(release=BUNDLED_RELEASE, by=("gender",))
BY_REGION = StatQuery(release=BUNDLED_RELEASE, by=("region",))


def test_an_answer_is_computed_again_when_the_list_hides_its_people_and_kept_otherwise() -> None:
    with workspace(Settings(), [DEMO_RECORDS_DIR / BUNDLED_RELEASE]) as (engine, settings):
        first = RecordStatistics(engine, settings)  # a service per round, as `protect` makes
        release = first.release(BUNDLED_RELEASE)
        by_gender, by_region = (first.compute("breakdown", q, release) for q in (BY_GENDER, BY_REGION))
        women = {row["gender"]: row for row in by_gender.rows}["female"]
        assert women["count"] is not None  # shown before: hiding them must change the answer

        listed = (
            {Cell.of({"gender": {"female"}}): True}
            | {cell: True for cell in release.withheld.hidden}
            | {cell: False for cell in release.withheld.shown}
        )
        with engine.begin() as connection:
            store_suppression(connection, BUNDLED_RELEASE, listed)
        second = RecordStatistics(engine, settings)
        release = second.release(BUNDLED_RELEASE)
        again_by_gender = second.compute("breakdown", BY_GENDER, release)
        again_by_region = second.compute("breakdown", BY_REGION, release)

        assert {row["gender"]: row for row in again_by_gender.rows}["female"]["count"] is None
        assert again_by_region is by_region  # its questions are answered alike: taken as it was
        _ANSWERS.pop(engine)  # nothing remembered: what computing afresh gives
        assert RecordStatistics(engine, settings).compute("breakdown", BY_GENDER, release) == again_by_gender
