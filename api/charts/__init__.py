"""Charts of the statistics: a catalogue, their parameters, and the figures the renderers draw."""
