"""The prisoners-api command line."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from api.cli import app
from api.paths import DATASET_DIR
from tests.utils.cases import small_cases_csv, write_cases

runner = CliRunner()


@pytest.mark.parametrize(
    "command", ["serve", "migrate", "validate", "publish", "review", "protect", "import", "generate-demo"]
)
def test_every_command_has_help(command: str) -> None:
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0 and "Usage" in result.output


def test_validate_accepts_the_bundled_publication_and_its_records() -> None:
    result = runner.invoke(app, ["validate", str(DATASET_DIR / "releases" / "demo-2026-03")])
    assert result.exit_code == 0, result.output
    assert (
        "demo-2026-03: valid, publication of 1180 answers" in result.output and "synthetic" in result.output
    )
    result = runner.invoke(app, ["validate", str(DATASET_DIR / "demo" / "demo-2026-03")])
    assert result.exit_code == 0, result.output
    assert "4535 cases (record-level: never commit or publish this folder)" in result.output


def test_validate_rejects_bad_records_with_the_loaders_message(dataset_copy: Path) -> None:
    folder = dataset_copy / "demo" / "demo-2026-03"
    write_cases(folder, small_cases_csv().replace("BY-HM", "BY-XX"))
    result = runner.invoke(app, ["validate", str(folder)])
    assert result.exit_code == 1
    assert 'dataset/demo/demo-2026-03/cases.csv, line 2, column "region"' in result.output
    assert "[rule: enum]" in result.output


def test_invalid_settings_stop_the_command_with_the_setting_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PRISONERS_API_SUPPRESSION_THRESHOLD", "1")
    result = runner.invoke(app, ["migrate"])
    assert result.exit_code == 2
    assert "invalid setting PRISONERS_API_SUPPRESSION_THRESHOLD" in result.output
    assert "Traceback" not in result.output


def test_import_writes_a_valid_release_and_reports_counts_only(dataset_copy: Path, tmp_path: Path) -> None:
    export = tmp_path / "export.csv"
    export.write_text(
        "name,gender,birthday,arrest date,articles,city,penalty,release date,release reason\n"
        "Fictional Person One,female,1990-02-01,2021-03-15,342,Minsk,2 years,,\n"
        "Fictional Person Two,male,1975,15.06.2022,ст. 361-1 ч.2,Gomel,5 лет,2025-09-11,вывезен\n",
        encoding="utf-8",
    )
    env = {"PRISONERS_API_DATASET_DIR": str(dataset_copy)}
    arguments = ["import", str(export), "--release", "curated-2026-11", "--valid-as-of", "2026-11-01"]
    private = ["--id-map", str(tmp_path / "ids.json"), "--out", str(tmp_path / "records")]
    result = runner.invoke(app, [*arguments, *private], env=env)
    assert result.exit_code == 0, result.output
    assert "2 records read: 2 cases written" in result.output
    assert "Fictional" not in result.output
    folder = tmp_path / "records" / "curated-2026-11"
    assert runner.invoke(app, ["validate", str(folder)]).exit_code == 0
    assert '"synthetic": false' in (folder / "release.json").read_text(encoding="utf-8")


def test_serve_migrates_the_embedded_database_and_becomes_ready(tmp_path: Path) -> None:
    """The README's first command, for real: a fresh data folder, `serve`, then /readyz answers 200."""
    import os
    import socket
    import subprocess
    import sys
    import time

    import httpx

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "PRISONERS_API_DATA_DIR": str(tmp_path / "var"), "PRISONERS_API_PORT": str(port)}
    env.pop("DATABASE_URL", None)
    command = [sys.executable, "-m", "api.cli", "serve"]
    output_to = {"stdout": subprocess.PIPE, "stderr": subprocess.STDOUT}
    server = subprocess.Popen(command, env=env, cwd=tmp_path, **output_to)  # type: ignore[call-overload]
    try:
        deadline, status = time.monotonic() + 60, None
        while time.monotonic() < deadline and server.poll() is None:
            try:
                status = httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=2).status_code
            except httpx.TransportError:
                status = None
            if status == 200:
                break
            time.sleep(0.3)
        output = b"" if server.poll() is None else (server.stdout.read() if server.stdout else b"")
        assert status == 200, output.decode(errors="replace")[-2000:]
        assert (tmp_path / "var" / "prisoners.sqlite3").is_file()
    finally:
        server.terminate()
        server.wait(timeout=30)
