"""Demo and volume data, and the benchmark: synthetic people and concerns, never real ones."""
