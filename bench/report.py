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


def serving_table(serving: Any) -> list[str]:
    lines = [
        f"wrk -t1 -c64, {serving['seconds']:g} s per run, {serving['repetitions']} repetitions, medians.",
        "",
        "| scenario | peer | req/s | p50 ms | p99 ms | API ÷ peer (req/s) | target |",
        "|---|---|---:|---:|---:|---:|---|",
    ]
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
            lines.append(
                f"| {scenario['name']} | {peer} | {figures['rps']:.0f}{errors} | {figures['p50_ms']:.2f} | "
                f"{figures['p99_ms']:.2f} | {ratio} | {target} |"
            )
    lines += [f"- {item}" for item in serving["skipped"]]
    return lines


def publish_table(published: Any) -> list[str]:
    lines = [
        "| records | wall s | CPU s | peak RSS MiB | load average before → after | ≤ 10 min | ≤ 2 GB |",
        "|---:|---:|---:|---:|---|---|---|",
    ]
    for item in published["runs"]:
        before, after = item["load_average"]
        lines.append(
            f"| {item['records']:,} | {item['wall_seconds']:.0f} | {item['cpu_seconds']:.0f} | "
            f"{item['peak_rss_mib']:.0f} | {before} → {after} | "
            f"{_met(item['wall_seconds'], 600, below=True)} | "
            f"{_met(item['peak_rss_mib'] * 1.048576, 2000, below=True)} |"
        )
    return lines


def load_table(growth: Any) -> list[str]:
    lines = [
        "| records | publication CSV rows / MiB | engine | data migration s | peak RSS MiB | ceiling s "
        "| ratio | target ≤ 3× |",
        "|---:|---:|---|---:|---:|---:|---:|---|",
    ]
    for size in growth["sizes"]:
        for engine in ("sqlite", "postgresql"):
            item = size[engine]
            lines.append(
                f"| {size['records']:,} | {size['csv_rows']:,} / {size['csv_bytes'] / 2**20:.1f} | "
                f"{engine} | {item['load_seconds']:.2f} | {item['load_peak_rss_mib']:.0f} | "
                f"{item['ceiling_seconds']:.2f} | {item['ratio']:.1f}× | "
                f"{_met(item['ratio'], 3.0, below=True)} |"
            )
    return lines


def query_table(growth: Any) -> list[str]:
    lines = [
        "| records | endpoint | API on SQLite p50 / p95 ms | API on PostgreSQL p50 / p95 ms "
        "| Datasette, SQL on the records, p50 / p95 ms | API p95 ÷ Datasette p95 (SQLite, PostgreSQL) "
        "| target ≤ 0.5× |",
        "|---:|---|---:|---:|---:|---:|---|",
    ]
    for size in growth["sizes"]:
        for endpoint, sqlite in size["sqlite"]["queries"].items():
            postgres, datasette = size["postgresql"]["queries"][endpoint], size["datasette"][endpoint]
            ratios = [sqlite["p95"] / datasette["p95"], postgres["p95"] / datasette["p95"]]
            lines.append(
                f"| {size['records']:,} | {endpoint} | "
                f"{sqlite['p50'] * 1e3:.1f} / {sqlite['p95'] * 1e3:.1f} | "
                f"{postgres['p50'] * 1e3:.1f} / {postgres['p95'] * 1e3:.1f} | "
                f"{datasette['p50'] * 1e3:.1f} / {datasette['p95'] * 1e3:.1f} | "
                f"{ratios[0]:.3f}, {ratios[1]:.3f} | {_met(max(ratios), 0.5, below=True)} |"
            )
    return lines


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
    lines = ["| records | engine | RSS at start MiB | RSS after every statistic MiB | peak MiB | ≤ 200 MB |",
             "|---:|---|---:|---:|---:|---|"]  # fmt: skip
    for engine in ("sqlite", "postgresql"):
        item = memory[engine]
        lines.append(
            f"| {memory['records']:,} | {engine} | {item['rss_at_start_mib']:.0f} | {item['rss_mib']:.0f} | "
            f"{item['peak_rss_mib']:.0f} | {_met(item['peak_rss_mib'] * 1.048576, 200, below=True)} |"
        )
    return lines


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
