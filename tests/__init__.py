"""The harness's own checks: fast, no browser unless a test says so."""
