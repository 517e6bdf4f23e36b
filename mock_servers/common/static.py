"""Static files (CSS, JS, images) that the browser may keep between page loads."""

from __future__ import annotations

import os

from fastapi.staticfiles import StaticFiles
from starlette.responses import Response
from starlette.types import Scope

# Every scenario walks through many pages; without max-age the browser revalidates the CSS and
# JS on each one (a round trip per file).  The files never change while a mock runs, and an
# hour outlasts any test; ETag/Last-Modified still serve a revalidation after that.
STATIC_CACHE_CONTROL = "public, max-age=3600"


class CachedStaticFiles(StaticFiles):
    """``StaticFiles`` whose answers (200 and 304 alike) let the browser reuse them for a while."""

    def file_response(
        self,
        full_path: str | os.PathLike[str],
        stat_result: os.stat_result,
        scope: Scope,
        status_code: int = 200,
    ) -> Response:
        response = super().file_response(full_path, stat_result, scope, status_code)
        response.headers["Cache-Control"] = STATIC_CACHE_CONTROL
        return response
