"""The harness's own checks use pytest's pytester to run small inner test sessions."""

from __future__ import annotations

pytest_plugins = ["pytester"]
