"""`python -m bench.report small|full`: the saved figures as the Markdown tables of docs/BENCHMARKS.md."""

from __future__ import annotations

import json
import sys
from typing import Any

from bench.environment import RESULTS

TARGETS = {
    # API ÷ bare Starlette (issue 15: cached serving ≥ 1.0×), API ÷ Datasette (issue 9).
    "pinned breakdown (warm)": (1.0, 20.0),
    "latest summary": (1.0, None),
    "CSV table": (1.0, None),
    "304 revalidation": (1.0, None),
}


def _load(name: str, mode: str) -> Any:
    path = RESULTS / f"{name}-{mode}.json"
    return json.loads(path.read_text()) if path.exists() else None


def _met(value: float | None, target: float | None, below: bool = False) -> str:
    if value is None or target is None:
        return ""
    return "met" if (value <= target if below else value >= target) else "**not met**"


def _table(header: str, align: str, rows: list[list[str]]) -> list[str]:
    """A Markdown table: `header` names the columns between ` | `; `align` has a letter a column, `r` right
    or `l` left."""
    separator = "|" + "|".join("---:" if letter == "r" else "---" for letter in align) + "|"
    lines = ["| " + " | ".join(cells) + " |" for cells in (header.split(" | "), *rows)]
    return [lines[0], separator, *lines[1:]]


def _mib(value: float) -> str:
    return f"{value:.0f}"


def _mb_met(mib: float, ceiling_mb: float) -> str:
    return _met(mib * 1.048576, ceiling_mb, below=True)


def serving_table(serving: Any) -> list[str]:
    rows = []
    for scenario in serving["scenarios"]:
        bare_target, datasette_target = TARGETS.get(scenario["name"], (None, None))
        for peer, figures in scenario["peers"].items():
            ratio, target = "", ""
            if peer == "bare":
                ratio = f"{scenario['vs_bare']:.2f}×"
                target = f"≥ {bare_target}× {_met(scenario['vs_bare'], bare_target)}" if bare_target else ""
            if peer == "datasette":
                ratio = f"{scenario['vs_datasette']:.1f}×"
                if datasette_target:
                    target = f"≥ {datasette_target:g}× {_met(scenario['vs_datasette'], datasette_target)}"
            errors = f" ({figures['errors']} errors)" if figures["errors"] else ""
            rps, p50, p99 = (
                f"{figures['rps']:.0f}{errors}",
                f"{figures['p50_ms']:.2f}",
                f"{figures['p99_ms']:.2f}",
            )
            rows.append([scenario["name"], peer, rps, p50, p99, ratio, target])
    header = "scenario | peer | req/s | p50 ms | p99 ms | API ÷ peer (req/s) | target"
    return [
        f"wrk -t1 -c64, {serving['seconds']:g} s per run, {serving['repetitions']} repetitions, medians.",
        "",
        *_table(header, "llrrrrl", rows),
        *[f"- {item}" for item in serving["skipped"]],
    ]


def publish_table(published: Any) -> list[str]:
    header = "records | wall s | CPU s | peak RSS MiB | load average before → after | ≤ 10 min | ≤ 2 GB"
    rows = [
        [
            f"{item['records']:,}",
            f"{item['wall_seconds']:.0f}",
            f"{item['cpu_seconds']:.0f}",
            _mib(item["peak_rss_mib"]),
            " → ".join(str(load) for load in item["load_average"]),
            _met(item["wall_seconds"], 600, below=True),
            _mb_met(item["peak_rss_mib"], 2000),
        ]
        for item in published["runs"]
    ]
    return _table(header, "rrrrlll", rows)


def load_table(growth: Any) -> list[str]:
    header = (
        "records | publication CSV rows / MiB | engine | data migration s | peak RSS MiB | ceiling s | ratio"
        " | target ≤ 3×"
    )
    rows = [
        [
            f"{size['records']:,}",
            f"{size['csv_rows']:,} / {size['csv_bytes'] / 2**20:.1f}",
            engine,
            f"{size[engine]['load_seconds']:.2f}",
            _mib(size[engine]["load_peak_rss_mib"]),
            f"{size[engine]['ceiling_seconds']:.2f}",
            f"{size[engine]['ratio']:.1f}×",
            _met(size[engine]["ratio"], 3.0, below=True),
        ]
        for size in growth["sizes"]
        for engine in ("sqlite", "postgresql")
    ]
    return _table(header, "rrlrrrrl", rows)


def _p50_p95_ms(timing: Any) -> str:
    return f"{timing['p50'] * 1e3:.1f} / {timing['p95'] * 1e3:.1f}"


def query_table(growth: Any) -> list[str]:
    header = (
        "records | endpoint | API on SQLite p50 / p95 ms | API on PostgreSQL p50 / p95 ms"
        " | Datasette, SQL on the records, p50 / p95 ms | API p95 ÷ Datasette p95 (SQLite, PostgreSQL)"
        " | target ≤ 0.5×"
    )
    rows = []
    for size in growth["sizes"]:
        for endpoint, sqlite in size["sqlite"]["queries"].items():
            postgres, datasette = size["postgresql"]["queries"][endpoint], size["datasette"][endpoint]
            ratios = [sqlite["p95"] / datasette["p95"], postgres["p95"] / datasette["p95"]]
            timings = [_p50_p95_ms(timing) for timing in (sqlite, postgres, datasette)]
            ratio_text = f"{ratios[0]:.3f}, {ratios[1]:.3f}"
            rows.append(
                [f"{size['records']:,}", endpoint, *timings, ratio_text, _met(max(ratios), 0.5, below=True)]
            )
    return _table(header, "rlrrrrl", rows)


def plans(growth: Any) -> list[str]:
    """The plans of one uncached answer's statements (every statistic's are the same lookup)."""
    size = growth["sizes"][-1]
    endpoint, item = next(iter(size["sqlite"]["queries"].items()))
    postgres = size["postgresql"]["queries"][endpoint]["statements"]
    lines = [f"**{endpoint}** at {size['records']:,} records (EXPLAIN QUERY PLAN on SQLite, EXPLAIN on "
             "PostgreSQL):", "", "```"]  # fmt: skip
    for sqlite_statement, postgres_statement in zip(item["statements"], postgres, strict=False):
        lines.append(" ".join(sqlite_statement["sql"].split()))
        lines += [f"  sqlite:   {step}" for step in sqlite_statement["plan"]]
        lines += [f"  postgres: {step}" for step in postgres_statement["plan"]]
    return [*lines, "```", ""]


def memory_table(memory: Any) -> list[str]:
    header = "records | engine | RSS at start MiB | RSS after every statistic MiB | peak MiB | ≤ 200 MB"
    rows = [
        [
            f"{memory['records']:,}",
            engine,
            _mib(memory[engine]["rss_at_start_mib"]),
            _mib(memory[engine]["rss_mib"]),
            _mib(memory[engine]["peak_rss_mib"]),
            _mb_met(memory[engine]["peak_rss_mib"], 200),
        ]
        for engine in ("sqlite", "postgresql")
    ]
    return _table(header, "rlrrrl", rows)


def main(mode: str) -> None:
    machine, serving = _load("machine", mode), _load("serving", mode)
    growth, memory = _load("growth", mode), _load("memory", mode)
    published = _load("publish", mode)
    out: list[str] = []
    if machine:
        out += ["### Machine", "", *[f"- {k}: {v}" for k, v in machine.items()], ""]
    if published:
        out += ["### Publish", "", *publish_table(published), ""]
    if serving:
        out += ["### Serving", "", *serving_table(serving), ""]
    if growth:
        out += [
            "### Loading",
            "",
            *load_table(growth),
            "",
            "### Uncached statistics",
            "",
            *query_table(growth),
        ]
        out += ["", "### Query plans", "", *plans(growth)]
    if memory:
        out += ["### Memory of one serving process", "", *memory_table(memory), ""]
    print("\n".join(out))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "full")
