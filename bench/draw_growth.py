"""Draw the growth figures (run by the peers' venv python: `draw_growth.py growth.json out.png`)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import matplotlib  # type: ignore[import-not-found, unused-ignore]

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # type: ignore[import-not-found, unused-ignore]


def main(figures: Path, output: Path) -> None:
    sizes = json.loads(figures.read_text())["sizes"]
    records = [size["records"] for size in sizes]
    figure, (loads, sqlite, postgres) = plt.subplots(1, 3, figsize=(16, 5))
    for engine, colour in (("sqlite", "tab:blue"), ("postgresql", "tab:orange")):
        loads.plot(records, [s[engine]["load_seconds"] for s in sizes], "o-", color=colour,
                   label=f"data migration, {engine}")  # fmt: skip
        loads.plot(records, [s[engine]["ceiling_seconds"] for s in sizes], "s--", color=colour,
                   label="ceiling: " + ("sqlite3 .import" if engine == "sqlite" else "COPY"))  # fmt: skip
    loads.set_title("Loading a release (median of runs)")
    loads.set_ylabel("seconds")
    endpoints = list(sizes[0]["sqlite"]["queries"])
    colours = plt.get_cmap("tab10")
    for index, endpoint in enumerate(endpoints):
        colour = colours(index)
        sqlite.plot(records, [s["sqlite"]["queries"][endpoint]["p95"] * 1000 for s in sizes], "o-",
                    color=colour, label=f"API {endpoint}")  # fmt: skip
        sqlite.plot(records, [s["datasette"][endpoint]["p95"] * 1000 for s in sizes], "x:", color=colour,
                    label=f"Datasette, same SQL ({endpoint})")  # fmt: skip
        postgres.plot(records, [s["postgresql"]["queries"][endpoint]["p95"] * 1000 for s in sizes], "o-",
                      color=colour, label=f"API {endpoint}")  # fmt: skip
    sqlite.set_title("Uncached statistics, SQLite: p95")
    postgres.set_title("Uncached statistics, PostgreSQL: p95")
    for axes in (loads, sqlite, postgres):
        axes.set_xscale("log")
        axes.set_yscale("log")
        axes.set_xlabel("records in the release")
        axes.grid(True, which="both", alpha=0.3)
    sqlite.set_ylabel("milliseconds")
    postgres.set_ylabel("milliseconds")
    loads.legend(fontsize=8)
    sqlite.legend(fontsize=6)
    postgres.legend(fontsize=7)
    figure.suptitle("Cost against records (synthetic releases; medians of repeated runs, one machine)")
    figure.tight_layout()
    output.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(output, dpi=110)


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
