"""A request that fails inside a mock is answered with a 500 page and kept for the harness to report.

``fixtures.bdd_failures`` asks ``GET /_control/server-errors`` when a scenario fails and prints
what it finds under the failed step ("模拟服务器出错: 平台 GET /… → NameError: …").
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from mock_servers.idp import create_app as create_idp
from mock_servers.platform.server import create_app as create_platform

BASE = "http://testserver"


def _platform() -> FastAPI:
    return create_platform(BASE, idp_url="http://idp.test", client_id="c", client_secret="s")


def _idp() -> FastAPI:
    return create_idp(BASE)


@pytest.mark.parametrize("make_app", [_platform, _idp], ids=["platform", "idp"])
def test_a_failing_request_is_answered_500_and_kept_until_the_reset(make_app: Callable[[], FastAPI]) -> None:
    app = make_app()

    @app.get("/broken-on-purpose")
    def broken() -> None:
        raise LookupError("没有这条记录")

    with TestClient(app, raise_server_exceptions=False) as http:
        assert http.get("/_control/server-errors").json() == []
        assert http.get("/broken-on-purpose").status_code == 500
        [error] = http.get("/_control/server-errors").json()
        where = (error["method"], error["path"], error["error"])
        assert where == ("GET", "/broken-on-purpose", "LookupError: 没有这条记录")
        assert 'raise LookupError("没有这条记录")' in error["traceback"]
        assert http.post("/_control/reset").status_code == 204
        assert http.get("/_control/server-errors").json() == []
