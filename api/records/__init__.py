"""Record-level releases, for a curator's private workspace only: their tables (`tables`) and the
statistics computed from them through the disclosure policy (`statistics.RecordStatistics`), which is
what `prisoners-api publish` puts in a publication. The public service never imports this package
(tests/records/test_layers.py): it answers from publications (`api.stats`)."""
