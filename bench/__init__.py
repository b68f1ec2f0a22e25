"""Benchmarks: publish, then serve — `publish` of up to 1M records, loading its publication, and
serving it side by side with Datasette on the records and a bare Starlette app.

Run `python -m bench small` (a few minutes) or `python -m bench full`; see docs/BENCHMARKS.md.
Record-level releases and their databases go to a private folder outside the repository
(`bench.datasets.PRIVATE`); publications, public databases, figures and the peers' venv to `.bench/`.
"""
