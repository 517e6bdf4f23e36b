"""Hypothesis profiles of the harness's generated-input checks: the property tests of ``tests/common`` and
the schemathesis runs of ``tests/schema``.

``quick`` (the default) keeps every run of the suite to a few seconds per check; ``HYPOTHESIS_PROFILE=fuzz``
tries many more examples, for a long hunt before a release or after changing a rule. Neither keeps an
example database in the work tree: a failure prints its falsifying example and the ``@reproduce_failure``
line that replays it.
"""

from __future__ import annotations

import os
from typing import Final

from hypothesis import settings

PROFILE_ENV: Final = "HYPOTHESIS_PROFILE"
QUICK: Final = "quick"
FUZZ: Final = "fuzz"

settings.register_profile(QUICK, max_examples=30, deadline=None, database=None, print_blob=True)
settings.register_profile(FUZZ, max_examples=5_000, deadline=None, database=None, print_blob=True)


def load_profile() -> str:
    """Load the profile ``HYPOTHESIS_PROFILE`` names (``quick`` when unset); its name."""
    name = os.environ.get(PROFILE_ENV, QUICK)
    settings.load_profile(name)
    return name
