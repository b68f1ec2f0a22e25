"""The columns a reader's spreadsheet sees, written out once: the tests check the served CSVs
against these literals, not against the server's own lists."""

FLOWS_LONG_COLUMNS = ["month", "event", "event_label", "kind", "kind_label", "count", "suppressed"]
"""A long flows CSV's columns before the provenance columns."""
