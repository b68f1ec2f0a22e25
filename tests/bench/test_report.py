"""docs/BENCHMARKS.md's tables, written from saved figures: every row as wide as its header."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench import report

TIMING = {"p50": 0.0012, "p95": 0.0034, "statements": [{"sql": "SELECT 1", "plan": ["SCAN t"]}]}
FIGURES = {
    "serving": {
        "seconds": 10,
        "repetitions": 3,
        "skipped": [],
        "scenarios": [
            {
                "name": "pinned breakdown (warm)",
                "vs_bare": 1.1,
                "vs_datasette": 25.0,
                "peers": {
                    peer: {"rps": 900, "errors": errors, "p50_ms": 1.0, "p99_ms": 4.0}
                    for peer, errors in (("api", 0), ("bare", 2), ("datasette", 0))
                },
            }
        ],
    },
    "growth": {
        "sizes": [
            {
                "records": 100_000,
                "csv_rows": 5_000,
                "csv_bytes": 3_000_000,
                **{
                    engine: {
                        "load_seconds": 1.5,
                        "load_peak_rss_mib": 120,
                        "ceiling_seconds": 1.0,
                        "ratio": ratio,
                        "queries": {"breakdown": TIMING},
                    }
                    for engine, ratio in (("sqlite", 1.5), ("postgresql", 3.5))
                },
                "datasette": {"breakdown": {"p50": 0.01, "p95": 0.02}},
            }
        ]
    },
    "memory": {
        "records": 100_000,
        "sqlite": {"rss_at_start_mib": 80, "rss_mib": 100, "peak_rss_mib": 150},
        "postgresql": {"rss_at_start_mib": 85, "rss_mib": 190, "peak_rss_mib": 195},
    },
    "publish": {
        "runs": [
            {
                "records": 20_000,
                "wall_seconds": 300,
                "cpu_seconds": 290,
                "peak_rss_mib": 900,
                "load_average": [0.5, 1.9],
            }
        ]
    },
}


def test_every_table_row_has_its_header_s_columns(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name, figures in FIGURES.items():
        (tmp_path / f"{name}-full.json").write_text(json.dumps(figures))
    monkeypatch.setattr(report, "RESULTS", tmp_path)
    report.main("full")
    tables: list[list[str]] = [[]]
    for line in capsys.readouterr().out.splitlines():
        if line.startswith("|"):
            tables[-1].append(line)
        elif tables[-1]:
            tables.append([])
    tables = [table for table in tables if table]
    assert len(tables) == 5  # publish, serving, loading, uncached statistics, memory
    for table in tables:
        widths = {line.count(" | ") for line in (table[0], *table[2:])}
        assert len(widths) == 1, table
        assert table[1].count("|") == table[0].count(" | ") + 2, table
    text = "\n".join("\n".join(table) for table in tables)
    assert "| 100,000 | sqlite | 80 | 100 | 150 | met |" in text
    assert "| 100,000 | postgresql | 85 | 190 | 195 | **not met** |" in text  # 195 MiB is 204 MB
    assert "3.5× | **not met** |" in text
    assert "| 900 (2 errors) |" in text
