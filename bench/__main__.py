"""`python -m bench small|full [step ...]`: run the benchmarks, print their figures, save them as JSON.

Steps: publish, serving, growth, memory, profile, plot (all by default), and load (only when named:
the load test of docs/RELIABILITY.md, 11 minutes in full mode). Small mode takes a few minutes (short
wrk runs, 10k records only); full mode publishes 1M records too, which takes over an hour today.
"""

from __future__ import annotations

import argparse
import importlib
import json
import time
from dataclasses import replace

from bench import environment
from bench.modes import MODES, Mode


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("mode", choices=sorted(MODES))
    steps_known = ["publish", "serving", "growth", "memory", "profile", "plot", "load", []]
    parser.add_argument("steps", nargs="*", choices=steps_known)
    parser.add_argument("--records", type=int, nargs="+", help="Sizes instead of the mode's (e.g. 1000000).")
    parser.add_argument("--seconds", type=float, help="Seconds per wrk run instead of the mode's.")
    arguments = parser.parse_args()
    mode = MODES[arguments.mode]
    if arguments.records:
        mode = replace(mode, sizes=tuple(arguments.records))
    if arguments.seconds:
        mode = replace(mode, wrk_seconds=arguments.seconds)
    steps = arguments.steps or ["publish", "serving", "growth", "memory", "profile", "plot"]
    environment.require_tools()
    environment.ensure_peers_venv()
    environment.RESULTS.mkdir(parents=True, exist_ok=True)
    machine = environment.machine()
    (environment.RESULTS / f"machine-{mode.name}.json").write_text(json.dumps(machine, indent=2))
    print("machine:", ", ".join(f"{k} {v}" for k, v in machine.items()), flush=True)
    started = time.monotonic()
    for step in steps:
        print(f"\n== {step} ({mode.name}) ==", flush=True)
        _run(step, mode)
    print(f"\ndone in {time.monotonic() - started:.0f} s; results in {environment.RESULTS}")


def _run(step: str, mode: Mode) -> None:
    module = importlib.import_module(f"bench.{step}")
    results = module.run(mode)
    if results is not None:
        module.save(results, mode.name)


if __name__ == "__main__":
    main()
