"""Placeholder: steps for this feature are being written."""

from __future__ import annotations
