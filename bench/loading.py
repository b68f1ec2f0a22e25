"""`python -m bench.loading [--records N ...] [--engines ...] [--repetitions R]`: growth's loading only.

The same measurement as `python -m bench full growth` (the data migration in a process of its own against
`sqlite3 .import` / psql `\\copy` of the same CSV, within each repetition), without the uncached statistics
and Datasette, for working on the loader. Prints the medians; saves nothing.
"""

from __future__ import annotations

import argparse

from bench.growth import ENGINES, loading


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.loading", description=__doc__)
    parser.add_argument("--records", type=int, nargs="+", default=[1_000_000])
    parser.add_argument("--engines", nargs="+", choices=ENGINES, default=list(ENGINES))
    parser.add_argument("--repetitions", type=int, default=3)
    arguments = parser.parse_args()
    rows = []
    for records in arguments.records:
        for engine in arguments.engines:
            measured = loading(records, engine, arguments.repetitions)
            rows.append((records, engine, measured))
    print("\n| records | engine | data migration s | peak RSS MiB | ceiling s | ratio |")
    print("|---:|---|---:|---:|---:|---:|")
    for records, engine, measured in rows:
        seconds, rss = measured["load_seconds"], measured["load_peak_rss_mib"]
        print(f"| {records:,} | {engine} | {seconds:.2f} | {rss:.0f} "
              f"| {measured['ceiling_seconds']:.2f} | {measured['ratio']:.1f}× |")  # fmt: skip


if __name__ == "__main__":
    main()
