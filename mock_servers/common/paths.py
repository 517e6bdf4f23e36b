"""Addresses both mocks share, in a module of their own so that a client can know them without the servers."""

from __future__ import annotations

# Where each mock mounts its control interface (OpenAPI at CONTROL_PREFIX + "/openapi.json").
CONTROL_PREFIX = "/_control"
