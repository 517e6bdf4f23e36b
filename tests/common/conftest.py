"""Hypothesis profiles for the property tests of this folder.

``quick`` (the default) keeps every run of the suite to a few seconds; ``HYPOTHESIS_PROFILE=fuzz``
tries many more examples, for a long hunt before a release or after changing a rule. Neither keeps
an example database in the work tree: a failure prints its falsifying example and the
``@reproduce_failure`` line that replays it.
"""

from __future__ import annotations

import os

from hypothesis import settings

PROFILE_ENV = "HYPOTHESIS_PROFILE"

settings.register_profile("quick", max_examples=30, deadline=None, database=None, print_blob=True)
settings.register_profile("fuzz", max_examples=5_000, deadline=None, database=None, print_blob=True)
settings.load_profile(os.environ.get(PROFILE_ENV, "quick"))
