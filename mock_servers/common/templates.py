"""The Jinja2 set-up both mocks render their pages with."""

from __future__ import annotations

from pathlib import Path

import jinja2


def template_environment(directory: Path) -> jinja2.Environment:
    """An environment for one mock's ``templates/`` folder."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(directory),
        autoescape=True,
        # A misspelt template variable fails the mock's own tests instead of
        # rendering as an empty string on a page.
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
