"""The importer: a curator's export becomes an anonymized, valid release, and nothing of a person leaks.

Every person here is fictional and obviously so; the names and free texts are made up to be findable.
"""

from __future__ import annotations

import csv
import json
import stat
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from api.dataset import files
from api.dataset import import_vocabulary as vocabulary
from api.dataset.import_vocabulary import PartialDate
from api.dataset.importer import ImportReport, import_export
from api.dataset.validation import DatasetError

AS_OF = date(2026, 3, 31)
KNOWN = {"130", "342", "361", "361-1", "364", "369-1", "other"}
HEADER = {
    "name": "Name", "gender": "Gender", "birthday": "Birthday", "arrested": "Arrest date",
    "recognized": "Recognized", "articles": "Articles", "city": "City", "place": "Place of detention",
    "penalty": "Penalty", "verdict": "Verdict date", "released": "Release date", "reason": "Release reason",
    "status": "Status", "description": "Description", "prison": "Prison", "judge": "Judge",
    "nickname": "Nickname",
}  # fmt: skip
"""Short name -> the column header of the (English) fixture export."""
FAKE_NAME = "Xyloqua Fictitiova"
LEAKS = [
    FAKE_NAME, "Xyloqua", "Fictitiova", "Zorblat Imaginarov", "Zorblat", "SECRET-NOTE-7781", "Colony QQ-404",
    "Judge Nonesuch", "Zebra-Moon", "Atlantis-upon-Nowhere", "11.11.1951", "1951-11-11",
]  # fmt: skip


def person(**fields: str) -> list[str]:
    """One row of the fixture export; unnamed fields are empty."""
    assert set(fields) <= set(HEADER)
    return [fields.get(short, "") for short in HEADER]


# Each kept person has their own month of detention, so rows can be found by it.
PEOPLE = [
    person(name=FAKE_NAME, gender="ж", birthday="01.01.1990", arrested="15.03.2021", recognized="April 2021",
           articles="342 ч.1, 361-1 ч.2", place="Гомель", penalty="2 г. 6 мес.", verdict="10.09.2021",
           released="15.09.2023", reason="отбыл срок", status="освобождена", description="SECRET-NOTE-7781",
           prison="Colony QQ-404", judge="Judge Nonesuch", nickname="Zebra-Moon"),
    person(name="Zorblat Imaginarov", gender="male", birthday="1960", arrested="2022-05",
           articles="ст. 342; ст. 130", city="Barysaŭ", penalty="restricted freedom 3 years"),
    person(name="Nobody Realski", arrested="10/08/2020", recognized="2020-09-01", articles="411",
           place="Atlantis-upon-Nowhere", status="в заключении"),
    person(name="Quibble Placeholder", gender="M", birthday="12.12.1999", arrested="March 2023",
           recognized="May 2023", articles="369-1", place="Minsk region", penalty="штраф 100 базовых величин",
           verdict="2023-09-01", released="2023-11", reason="помилован и вывезен"),
    person(name="Skipped Withoutdate", gender="f", birthday="1980", recognized="2022-01", articles="342",
           city="Brest"),
    person(name="fictitiova   XYLOQUA", gender="female", birthday="1990-01-01", arrested="2020-10-01",
           recognized="2020-11", articles="342", city="Minsk", penalty="1 year"),
    person(name="Quirk Laterelease", gender="female", birthday="1975-06-30", arrested="2021-06-01",
           recognized="2021-05-01", city="Pinsk", penalty="домашняя химия", verdict="2021-09-01",
           released="2020-01-01", reason="pardon"),
    person(name="Future Freedman", gender="m", birthday="11.11.1951", arrested="2024-01-10",
           recognized="2024-02", articles="342", city="Vitebsk", penalty="3 года лишения свободы",
           released="2026-06-01", reason="end of term"),
    person(name="Unreasoned Release", gender="ж", birthday="1980", arrested="2022-02-02",
           recognized="2022-03", articles="364", city="Лида", penalty="1 год", released="2024-02",
           status="released"),
    person(name="Dateless Pardonee", gender="f", birthday="1985", arrested="2022-07-01",
           recognized="2022-08", articles="342", city="Brest", penalty="2 years", reason="pardon",
           status="released"),
    person(name="Tardy Arrestee", gender="m", birthday="1990", arrested="2026-05-01", articles="342",
           city="Minsk"),
]  # fmt: skip
EXPECTED = {  # detained_on -> the rest of the row, without case_id
    "2021-03": ["female", "25_34", "BY-HO", "2021-03", "2021-04", "342;361-1", "prison", "30", "2023-09",
                "end_of_term"],
    "2022-05": ["male", "55_64", "BY-MI", "2022-05", "2022-05", "342;130", "restricted_freedom", "36", "",
                ""],
    "2020-08": ["unknown", "unknown", "unknown", "2020-08", "2020-09", "other", "pending", "", "", ""],
    "2023-03": ["male", "under_25", "BY-MI", "2023-03", "2023-05", "369-1", "fine", "", "2023-11",
                "pardon_expelled"],
    "2021-06": ["female", "45_54", "BY-BR", "2021-06", "2021-06", "other", "other", "", "", ""],
    "2024-01": ["male", "65_plus", "BY-VI", "2024-01", "2024-02", "342", "prison", "36", "", ""],
    "2022-02": ["female", "35_44", "BY-HR", "2022-02", "2022-03", "364", "prison", "12", "2024-02", "other"],
    "2022-07": ["female", "35_44", "BY-BR", "2022-07", "2022-08", "342", "prison", "24", "", ""],
}  # fmt: skip
COLUMNS = [
    "case_id", "gender", "age_band", "region", "detained_on", "recognized_on", "articles", "sentence_kind",
    "sentence_months", "released_on", "release_kind",
]  # fmt: skip


@pytest.fixture
def dataset(dataset_copy: Path) -> Path:
    return dataset_copy


@pytest.fixture
def private(tmp_path: Path) -> Path:
    """The curator's private folder, outside the dataset: export and id map."""
    folder = tmp_path / "private"
    folder.mkdir()
    return folder


def write_csv(
    path: Path, rows: list[list[str]], header: list[str] | None = None, delimiter: str = ","
) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow(header or list(HEADER.values()))
        writer.writerows(rows)
    return path


def records_dir(dataset: Path) -> Path:
    """Where the tests import to: a private folder beside the dataset, in no repository."""
    return dataset.parent / "records"


def run(source: Path, dataset: Path, release: str, id_map: Path, as_of: date = AS_OF) -> ImportReport:
    return import_export(source, dataset, release, as_of, id_map, records_dir(dataset))


def cases(dataset: Path, release: str) -> list[dict[str, str]]:
    with (records_dir(dataset) / release / "cases.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def by_detention(rows: list[dict[str, str]]) -> dict[str, dict[str, str]]:
    return {row["detained_on"]: row for row in rows}


def release_folders(dataset: Path) -> list[str]:
    releases = records_dir(dataset)
    return sorted(p.name for p in releases.iterdir()) if releases.is_dir() else []


@pytest.fixture
def messy(dataset: Path, private: Path) -> tuple[ImportReport, Path]:
    """The messy export imported as release `import-2026-03`, with its id map."""
    id_map = private / "id-map.json"
    report = run(write_csv(private / "export.csv", PEOPLE), dataset, "import-2026-03", id_map)
    return report, id_map


# --- The whole import ------------------------------------------------------------------------------------


def test_each_person_becomes_the_expected_case(dataset: Path, messy: tuple[ImportReport, Path]) -> None:
    rows = by_detention(cases(dataset, "import-2026-03"))
    assert {month: [row[c] for c in COLUMNS[1:]] for month, row in rows.items()} == EXPECTED


def test_report_counts_what_it_could_not_map_per_column(messy: tuple[ImportReport, Path]) -> None:
    report, _ = messy
    assert (report.rows_read, report.cases_written, report.duplicates_merged) == (11, 8, 1)
    assert report.unmapped == {
        "age_band": 1, "articles": 1, "detained_on": 1, "gender": 1, "recognized_on": 2, "region": 1,
        "release_kind": 1, "released_on": 2, "sentence_months": 1,
    }  # fmt: skip
    assert "11 records read: 8 cases written, 1 duplicates merged, 2 skipped" in report.summary()


@pytest.mark.parametrize(
    "warning",
    [
        "skipped: no month of detention: 1 records",
        "skipped: detained or recognized after valid_as_of: 1 records",
        "recognized before the detention month: set to the detention month: 1 records",
        "released before the detention month: release dropped, kept in custody: 1 records",
        "released after valid_as_of: in custody on that date: 1 records",
        "released without a month of release that can be read: kept in custody: 1 records",
        "columns ignored (not a known field): 'Nickname'",
        "new id map id-map.json: every case_id of this release is new",
    ],
)
def test_each_fix_is_reported_with_its_count(messy: tuple[ImportReport, Path], warning: str) -> None:
    assert warning in messy[0].warnings


def test_duplicate_people_merge_into_the_latest_detention(
    dataset: Path, messy: tuple[ImportReport, Path]
) -> None:
    months = [row["detained_on"] for row in cases(dataset, "import-2026-03")]
    assert "2021-03" in months and "2020-10" not in months  # same name (any order and case) and birthday


def test_a_more_complete_row_wins_between_duplicates_of_one_detention(dataset: Path, private: Path) -> None:
    sparse = person(name=FAKE_NAME, birthday="1990", arrested="2021-03-15")
    source = write_csv(private / "export.csv", [PEOPLE[0], sparse])
    report = run(source, dataset, "dup-2026-03", private / "map.json")
    assert report.duplicates_merged == 0  # a birth year is another birthday than a full date: two people
    sparse = person(name=FAKE_NAME, birthday="01.01.1990", arrested="2021-03-15")
    source = write_csv(private / "export2.csv", [PEOPLE[0], sparse])
    report = run(source, dataset, "dup2-2026-03", private / "map.json")
    (row,) = cases(dataset, "dup2-2026-03")
    assert report.duplicates_merged == 1 and row["region"] == "BY-HO" and row["sentence_months"] == "30"


def test_cases_csv_has_the_schema_columns_in_case_id_order(
    dataset: Path, messy: tuple[ImportReport, Path]
) -> None:
    text = ((records_dir(dataset) / "import-2026-03") / "cases.csv").read_text(encoding="utf-8")
    ids = [line.split(",")[0] for line in text.splitlines()[1:]]
    assert text.splitlines()[0] == ",".join(COLUMNS)
    assert ids == sorted(ids) and all(len(i) == 12 and i.isalnum() and i == i.lower() for i in ids)


def test_release_json_says_real_data_and_validates(dataset: Path, messy: tuple[ImportReport, Path]) -> None:
    folder = records_dir(dataset) / "import-2026-03"
    metadata, count = files.validate_release(folder, dataset)
    assert (metadata.synthetic, metadata.valid_as_of, count) == (False, AS_OF, 8)
    assert release_folders(dataset).count("import-2026-03") == 1
    assert not [name for name in release_folders(dataset) if name.startswith(".")]  # staging removed


def test_json_and_semicolon_csv_with_bom_give_the_same_release(dataset: Path, private: Path) -> None:
    id_map = private / "id-map.json"
    records: list[dict[str, Any]] = [
        {header: value or None for header, value in zip(HEADER.values(), row, strict=True)} for row in PEOPLE
    ]  # JSON says null where a CSV has an empty cell
    records[0]["Articles"] = ["342 ч.1", "361-1"]  # a list
    records[1]["Birthday"] = 1960  # and numbers
    (private / "export.json").write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    run(private / "export.json", dataset, "json-2026-03", id_map)
    russian = [
        "ФИО", "Пол", "Дата рождения", "Дата задержания", "Дата признания", "Статьи", "Город",
        "Место задержания", "Наказание", "Дата приговора", "Дата освобождения", "Основание освобождения",
        "Статус", "Описание", "Колония", "Судья", "Прозвище",
    ]  # fmt: skip
    write_csv(private / "export.csv", PEOPLE, header=russian, delimiter=";")
    (private / "export.csv").write_bytes(b"\xef\xbb\xbf" + (private / "export.csv").read_bytes())
    run(private / "export.csv", dataset, "csv-2026-03", id_map)
    json_cases = ((records_dir(dataset) / "json-2026-03") / "cases.csv").read_text(encoding="utf-8")
    csv_cases = ((records_dir(dataset) / "csv-2026-03") / "cases.csv").read_text(encoding="utf-8")
    assert json_cases == csv_cases  # same people, same map: same case_ids too


# --- case_id and the id map ------------------------------------------------------------------------------


def test_case_ids_stay_the_same_across_releases_with_the_same_map(dataset: Path, private: Path) -> None:
    id_map = private / "id-map.json"
    run(write_csv(private / "a.csv", PEOPLE), dataset, "first-2026-03", id_map)
    newcomer = person(
        name="Newly Inventedson", gender="m", birthday="1991", arrested="2025-01-05", city="Hrodna"
    )
    second = run(write_csv(private / "b.csv", [*PEOPLE, newcomer]), dataset, "second-2026-03", id_map)
    first_ids = {m: row["case_id"] for m, row in by_detention(cases(dataset, "first-2026-03")).items()}
    second_ids = {m: row["case_id"] for m, row in by_detention(cases(dataset, "second-2026-03")).items()}
    assert {m: second_ids[m] for m in first_ids} == first_ids
    assert second_ids["2025-01"] not in first_ids.values()
    assert not any("new id map" in warning for warning in second.warnings)


def test_a_fresh_map_gives_every_case_a_new_id(dataset: Path, private: Path) -> None:
    source = write_csv(private / "a.csv", PEOPLE)
    run(source, dataset, "first-2026-03", private / "one.json")
    run(source, dataset, "again-2026-03", private / "two.json")
    first = {row["case_id"] for row in cases(dataset, "first-2026-03")}
    again = {row["case_id"] for row in cases(dataset, "again-2026-03")}
    assert len(first) == len(again) == 8 and not first & again


def test_the_id_map_holds_a_salt_and_hashes_for_its_owner(messy: tuple[ImportReport, Path]) -> None:
    _, id_map = messy
    content = json.loads(id_map.read_text(encoding="utf-8"))
    assert len(content["salt"]) == 64 and len(content["ids"]) == 8
    assert all(len(key) == 64 and int(key, 16) >= 0 for key in content["ids"])
    assert stat.S_IMODE(id_map.stat().st_mode) == 0o600


def test_nothing_of_a_person_leaks_into_report_release_or_map(
    dataset: Path, messy: tuple[ImportReport, Path]
) -> None:
    report, id_map = messy
    folder = records_dir(dataset) / "import-2026-03"
    outputs = {
        "report": f"{report.summary()}\n{report!r}",
        "cases.csv": (folder / "cases.csv").read_text(encoding="utf-8"),
        "release.json": (folder / "release.json").read_text(encoding="utf-8"),
        "id map": id_map.read_text(encoding="utf-8"),
    }
    found = [(name, leak) for name, text in outputs.items() for leak in LEAKS if leak.lower() in text.lower()]
    assert found == []


# --- Refusals: nothing is written ------------------------------------------------------------------------


def test_an_id_map_inside_the_dataset_is_refused(dataset: Path, private: Path) -> None:
    with pytest.raises(ValueError, match="inside the dataset folder"):
        run(write_csv(private / "a.csv", PEOPLE), dataset, "leaky-2026-03", dataset / "id-map.json")
    assert "leaky-2026-03" not in release_folders(dataset) and not (dataset / "id-map.json").exists()


def test_an_export_inside_the_dataset_is_refused(dataset: Path, private: Path) -> None:
    with pytest.raises(ValueError, match="inside the dataset folder"):
        run(write_csv(dataset / "export.csv", PEOPLE), dataset, "leaky-2026-03", private / "map.json")


def test_an_existing_release_is_never_overwritten(dataset: Path, private: Path) -> None:
    (records_dir(dataset) / "taken-2026-03").mkdir(parents=True)
    with pytest.raises(ValueError, match="already exists"):
        run(write_csv(private / "a.csv", PEOPLE), dataset, "taken-2026-03", private / "map.json")
    assert list((records_dir(dataset) / "taken-2026-03").iterdir()) == []
    assert not (private / "map.json").exists()


@pytest.mark.parametrize("release", ["latest", "Bad_Id", "x", "-starts-with-dash"])
def test_a_release_id_the_urls_cannot_carry_is_refused(dataset: Path, private: Path, release: str) -> None:
    with pytest.raises(ValueError, match="release id"):
        run(write_csv(private / "a.csv", PEOPLE), dataset, release, private / "map.json")


@pytest.mark.parametrize(
    ("content", "suffix", "message"),
    [
        (b"Name,Recognized,Articles\nA B,2021-01,342\n", ".csv", "no column for arrested"),
        ("Name,Arrest date\nИмя,2021-01-01\n".encode("cp1251"), ".csv", "not UTF-8"),
        (b'{"Name": "x"}', ".json", "JSON array of objects"),
        (b"[1, 2]", ".json", "JSON array of objects"),
        (b"[{", ".json", "not JSON"),
        (b"Name,Arrest date\nA B,2021-01-01,surplus\n", ".csv", "line 2: more values than header columns"),
        (b"Name,Arrest date,Birthday,Date of birth\n", ".csv", "two columns mean birthday"),
        (b"Name,Arrest date\nA B,someday\n", ".csv", "no record could be imported"),
    ],
)
def test_an_export_that_cannot_be_read_is_refused(
    dataset: Path, private: Path, content: bytes, suffix: str, message: str
) -> None:
    source = private / f"export{suffix}"
    source.write_bytes(content)
    before = release_folders(dataset)
    with pytest.raises(ValueError, match=message):
        run(source, dataset, "bad-2026-03", private / "map.json")
    assert release_folders(dataset) == before and not (private / "map.json").exists()


def test_a_release_that_fails_validation_is_not_published(dataset: Path, private: Path) -> None:
    schema_path = dataset / "schema" / "cases.schema.json"
    schema: dict[str, Any] = json.loads(schema_path.read_text(encoding="utf-8"))
    gender = next(f for f in schema["fields"] if f["name"] == "gender")
    gender["constraints"]["enum"] = ["female", "male"]  # a stricter schema than the importer writes for
    schema_path.write_text(json.dumps(schema), encoding="utf-8")
    before = release_folders(dataset)
    with pytest.raises(DatasetError, match='column "gender"'):
        run(write_csv(private / "a.csv", PEOPLE), dataset, "strict-2026-03", private / "map.json")
    assert release_folders(dataset) == before and not (private / "map.json").exists()


# --- Reading the export's text ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2021-03-15", PartialDate(2021, 3, 15)),
        ("15.03.2021", PartialDate(2021, 3, 15)),
        ("15/03/2021", PartialDate(2021, 3, 15)),
        ("15.03.2021 0:00:00", PartialDate(2021, 3, 15)),
        ("2021-03-15T10:00:00", PartialDate(2021, 3, 15)),
        ("2021-03", PartialDate(2021, 3)),
        ("03.2021", PartialDate(2021, 3)),
        ("March 2021", PartialDate(2021, 3)),
        ("15 марта 2021 г.", PartialDate(2021, 3, 15)),
        ("сакавік 2021", PartialDate(2021, 3)),
        ("1 траўня 2022", PartialDate(2022, 5, 1)),
        ("2021", PartialDate(2021)),
        ("31.02.2021", None),
        ("03/15/2021", None),  # day first: month 15 does not exist
        ("someday", None),
        ("", None),
    ],
)
def test_dates_are_read_in_the_export_formats(text: str, expected: PartialDate | None) -> None:
    assert vocabulary.parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("342 ч.1, 361-1 ч.2", ["342", "361-1"]),
        ("ст. 342; ст. 130", ["342", "130"]),
        ("part 2 of article 342", ["342"]),
        ("342.1", ["342"]),  # no article 342-1: part 1 of article 342
        ("361.1", ["361-1"]),  # a known code: article 361-1
        ("ч. 2 ст. 361¹", ["361-1"]),
        ("342, 342 ч.2", ["342"]),
        ("342, 411, 423", ["342", "other"]),
        ("", []),
    ],
)
def test_articles_drop_parts_fold_unknown_codes_and_dedupe(text: str, expected: list[str]) -> None:
    assert vocabulary.parse_articles(text, KNOWN) == expected


SENTENCES_IN_WORDS: dict[tuple[str, int | None, str | None], tuple[str, ...]] = {
    # (kind, months, the column a curator must check) ← what a source may write
    ("prison", 18, None): ("1,5 года", "полтора года"),
    ("prison", 30, None): ("2 years 6 months", "2 г. 6 мес.", "два с половиной года"),
    ("prison", 36, None): ("three years", "3 года лишения свободы", "3 года и штраф"),
    ("prison", 48, None): ("позбаўленне волі на 4 гады",),
    ("restricted_freedom", 12, None): ("домашняя химия 1 год",),
    ("restricted_freedom", 24, None): ("ограничение свободы 2 года",),
    ("restricted_freedom", 36, None): ("restricted freedom 3 years",),
    ("home_confinement", 12, None): ("домашний арест 1 год",),
    ("fine", None, None): ("штраф 100 базовых величин",),
    ("compulsory_treatment", None, None): ("принудительное лечение",),
    ("other", None, None): ("life imprisonment",),
    # 30 years is above the schema's 300 months.
    ("other", None, "sentence_months"): ("домашняя химия", "30 years"),
    ("other", None, "sentence_kind"): ("something odd",),
    ("pending", None, None): ("",),
}


@pytest.mark.parametrize(
    ("text", "expected"),
    [(text, meaning) for meaning, texts in SENTENCES_IN_WORDS.items() for text in texts],
)
def test_sentences_in_words_and_numbers(text: str, expected: tuple[str, int | None, str | None]) -> None:
    assert vocabulary.parse_sentence(text, has_verdict=False) == expected


def test_no_penalty_after_a_verdict_is_other_not_pending() -> None:
    assert vocabulary.parse_sentence("", has_verdict=True) == ("other", None, "sentence_kind")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Minsk", "BY-HM"), ("Мінск", "BY-HM"), ("г. Минск", "BY-HM"), ("СИЗО-1, Минск", "BY-HM"),
        ("Фрунзенский район г. Минска", "BY-HM"), ("Минская область", "BY-MI"), ("Minsk region", "BY-MI"),
        ("Минский р-н", "BY-MI"), ("Мінская", "BY-MI"), ("Brest", "BY-BR"), ("Брестская область", "BY-BR"),
        ("Homiel", "BY-HO"), ("Gomel", "BY-HO"), ("в Гомеле", "BY-HO"), ("Hrodna", "BY-HR"),
        ("Grodno", "BY-HR"), ("Mahilioŭ", "BY-MA"), ("Mogilev", "BY-MA"), ("Магілёў", "BY-MA"),
        ("Viciebsk", "BY-VI"), ("Vitebsk", "BY-VI"), ("Barysaŭ", "BY-MI"), ("Borisov", "BY-MI"),
        ("Maladzechna", "BY-MI"), ("Molodechno", "BY-MI"), ("Salihorsk", "BY-MI"), ("Soligorsk", "BY-MI"),
        ("Zhodzina", "BY-MI"), ("Babruisk", "BY-MA"), ("Bobruisk", "BY-MA"), ("Pinsk", "BY-BR"),
        ("Baranavichy", "BY-BR"), ("Mazyr", "BY-HO"), ("Rechytsa", "BY-HO"), ("Lida", "BY-HR"),
        ("Polatsk", "BY-VI"), ("Navapolatsk", "BY-VI"), ("Orsha", "BY-VI"), ("BY-HR", "BY-HR"),
        ("Atlantis", None), ("", None),
    ],
)  # fmt: skip
def test_places_map_to_their_region(text: str, expected: str | None) -> None:
    assert vocabulary.region_of(text) == expected


def test_no_place_stem_of_one_region_starts_a_stem_of_another() -> None:
    stems = [(vocabulary.fold(s), code) for code, group in vocabulary.PLACE_STEMS.items() for s in group]
    clashes = [(a, b) for a, ca in stems for b, cb in stems if ca != cb and b.startswith(a)]
    assert clashes == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("end of term", "end_of_term"), ("отбыл срок", "end_of_term"), ("pardon", "pardon"),
        ("помилован", "pardon"), ("pardoned and deported", "pardon_expelled"),
        ("помилован и вывезен в Литву", "pardon_expelled"), ("expelled", "pardon_expelled"),
        ("died", "died_in_custody"), ("умер в заключении", "died_in_custody"), ("acquitted", "acquitted"),
        ("оправдан", "acquitted"), ("sentence changed", "sentence_changed"), ("amnesty", "other"),
        ("whatever", None),
    ],
)  # fmt: skip
def test_release_reasons_map_to_release_kinds(text: str, expected: str | None) -> None:
    assert vocabulary.release_kind_of(text) == expected


def test_a_status_of_serving_a_term_does_not_say_released() -> None:
    assert not vocabulary.says_released("отбывает срок") and vocabulary.says_released("освобождён")


@pytest.mark.parametrize(
    ("born", "detained", "expected"),
    [
        (PartialDate(1996, 3, 20), PartialDate(2021, 3, 15), "under_25"),  # the day before the birthday
        (PartialDate(1996, 3, 10), PartialDate(2021, 3, 15), "25_34"),
        (PartialDate(1996), PartialDate(2021, 6), "under_25"),  # a birth year alone is 1 July
        (PartialDate(1996), PartialDate(2021, 8), "25_34"),
        (PartialDate(1956, 1, 1), PartialDate(2021, 3), "65_plus"),
        (PartialDate(2015), PartialDate(2021, 3), None),  # six years old: a wrong birthday
        (None, PartialDate(2021, 3), None),
    ],
)
def test_age_band_at_detention(born: PartialDate | None, detained: PartialDate, expected: str | None) -> None:
    assert vocabulary.age_band(born, detained) == expected


@pytest.mark.parametrize("where", ["the dataset", "a repository"])
def test_a_destination_where_records_could_be_committed_is_refused(
    where: str, dataset: Path, private: Path, tmp_path: Path
) -> None:
    """Record-level releases never go where they could be published: not into the dataset folder, and
    not anywhere inside a git checkout (the project's, or any other). Nor do the id map and export."""
    export = write_csv(private / "export.csv", PEOPLE)
    if where == "the dataset":
        out = dataset / "releases"
    else:
        (tmp_path / "checkout" / ".git").mkdir(parents=True)
        out = tmp_path / "checkout" / "private"
    with pytest.raises(ValueError, match=r"inside the dataset folder|inside the repository"):
        import_export(export, dataset, "leak-2026-03", AS_OF, private / "ids.json", out)
    assert not (out / "leak-2026-03").exists()
    assert not (private / "ids.json").exists()


@pytest.mark.parametrize("which", ["id map", "export"])
def test_an_id_map_or_export_inside_a_repository_is_refused(
    which: str, dataset: Path, private: Path, tmp_path: Path
) -> None:
    checkout = tmp_path / "checkout"
    (checkout / ".git").mkdir(parents=True)
    export = write_csv((checkout if which == "export" else private) / "export.csv", PEOPLE)
    id_map = (checkout if which == "id map" else private) / "ids.json"
    with pytest.raises(ValueError, match="inside the repository"):
        import_export(export, dataset, "leak-2026-03", AS_OF, id_map, tmp_path / "records")
    assert not (tmp_path / "records" / "leak-2026-03").exists()
