"""Benchmarks (`make bench`): not tests. Each prints its figures and a ratio against a
baseline measured in the same run, because machines are noisy."""
