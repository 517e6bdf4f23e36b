"""Hypothesis profiles for the property tests of this folder (``tests/hypothesis_profiles.py``):
``quick`` by default, ``HYPOTHESIS_PROFILE=fuzz`` for a long hunt."""

from __future__ import annotations

from tests.hypothesis_profiles import load_profile

load_profile()
