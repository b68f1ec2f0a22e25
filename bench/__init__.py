"""Benchmarks: serving side by side with Datasette and a bare Starlette app, and growth to 1M records.

Run `python -m bench small` (under two minutes) or `python -m bench full`; see docs/BENCHMARKS.md.
Everything they generate lives under `.bench/` (git-ignored): datasets, databases, the peers' venv.
"""
