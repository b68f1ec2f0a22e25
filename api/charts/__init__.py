"""Charts of the statistics: the named charts, their parameters, and the figures the renderers draw."""
