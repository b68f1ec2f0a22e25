"""Publications: every table the API can answer for one release, protected and audited before
anything serves it. `publish` makes one from record-level data (privately, on a curator's machine);
the data migration loads it; the service slices it. See docs/PUBLISHING.md.
"""
