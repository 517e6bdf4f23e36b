"""Benchmarks reuse the harness's fixtures (mocks, browser) through the root conftest."""
