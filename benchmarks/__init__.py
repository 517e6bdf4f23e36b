"""Benchmarks of the harness and its mocks (make bench); not part of the regression suite."""
