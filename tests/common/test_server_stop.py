"""``RunningServer.stop()`` ends its server thread and frees its port, or says loudly what is still running.

A stop that times out and carries on leaves a thread serving (and a port bound) behind a run that
looks finished; the next run on that port, or the interpreter's exit, finds out much later.
"""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager

import httpx
import pytest
from fastapi import FastAPI

from mock_servers.common.server import LOOPBACK, RunningServer, ServerStopError, serve_in_thread

WAIT_S = 10.0
# How long the blocked stop() is given: long enough for a healthy uvicorn shutdown, short for the test.
SHORT_STOP_S = 1.0


def _port_is_free(port: int) -> bool:
    """Nothing listens on it: a server could bind it again (with SO_REUSEADDR, as the mocks do, since the
    connections the server closed linger in TIME_WAIT)."""
    probe = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        probe.bind((LOOPBACK, port))
    except OSError:
        return False
    finally:
        probe.close()
    return True


def _port(server: RunningServer) -> int:
    return int(server.url.rsplit(":", 1)[1])


@pytest.fixture
def release() -> Iterator[threading.Event]:
    """Set at the end of each test, so a server held up on purpose can finish (and its stop() succeed)."""
    event = threading.Event()
    yield event
    event.set()


def _app_with_hanging_shutdown(release: threading.Event) -> Callable[[str], FastAPI]:
    def build(_url: str) -> FastAPI:
        @asynccontextmanager
        async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
            yield
            await asyncio.to_thread(release.wait)  # the application's shutdown never finishes on its own

        app = FastAPI(lifespan=lifespan)

        @app.get("/")
        def home() -> str:
            return "ok"

        return app

    return build


def _app_with_blocking_shutdown(release: threading.Event) -> Callable[[str], FastAPI]:
    def build(_url: str) -> FastAPI:
        @asynccontextmanager
        async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
            yield
            release.wait()  # blocking call in async code: the server's whole event loop stands still

        return FastAPI(lifespan=lifespan)

    return build


def _app_with_hanging_request(release: threading.Event, entered: threading.Event) -> Callable[[str], FastAPI]:
    def build(_url: str) -> FastAPI:
        app = FastAPI()

        @app.get("/hang")
        async def hang() -> str:
            entered.set()
            await asyncio.to_thread(release.wait)  # a request handler that does not return
            return "released"

        return app

    return build


def _plain_app(_url: str) -> FastAPI:
    app = FastAPI()

    @app.get("/")
    def home() -> str:
        return "ok"

    return app


def test_a_healthy_server_stops_and_frees_its_port() -> None:
    server = serve_in_thread(_plain_app, name="healthy mock")
    assert httpx.get(server.url + "/").json() == "ok"
    server.stop()
    assert _port_is_free(_port(server))


def test_a_shutdown_that_hangs_is_an_error_naming_the_server_and_what_runs(release: threading.Event) -> None:
    server = serve_in_thread(_app_with_hanging_shutdown(release), name="stuck-lifespan mock")
    with pytest.raises(ServerStopError) as raised:
        server.stop(timeout=SHORT_STOP_S)
    message = str(raised.value)
    assert "stuck-lifespan mock" in message
    assert server.url in message
    assert "still running" in message
    assert "lifespan shutdown" in message  # what it is stuck in
    # Once the application lets go, stopping again succeeds and the port is free.
    release.set()
    server.stop(timeout=WAIT_S)
    assert _port_is_free(_port(server))


def test_an_event_loop_blocked_in_shutdown_is_an_error_naming_where(release: threading.Event) -> None:
    server = serve_in_thread(_app_with_blocking_shutdown(release), name="blocked-loop mock")
    with pytest.raises(ServerStopError) as raised:
        server.stop(timeout=SHORT_STOP_S)
    message = str(raised.value)
    assert "blocked-loop mock" in message
    assert "event loop is blocked at" in message
    assert f".lifespan ({__file__}:" in message  # the application's own code that blocks it
    release.set()
    server.stop(timeout=WAIT_S)
    assert _port_is_free(_port(server))


def test_a_request_that_never_returns_is_an_error_naming_it(release: threading.Event) -> None:
    entered = threading.Event()
    server = serve_in_thread(_app_with_hanging_request(release, entered), name="stuck-request mock")
    client = threading.Thread(target=lambda: httpx.get(server.url + "/hang", timeout=WAIT_S * 3), daemon=True)
    client.start()
    assert entered.wait(WAIT_S), "the request never reached its handler"
    with pytest.raises(ServerStopError) as raised:
        server.stop(timeout=SHORT_STOP_S)
    message = str(raised.value)
    assert "stuck-request mock" in message
    assert "1 request in progress" in message
    assert ".hang (" in message  # the handler it is waiting for, by name and line
    assert f"{__file__}:" in message
    release.set()
    server.stop(timeout=WAIT_S)
    client.join(WAIT_S)
    assert not client.is_alive()
    assert _port_is_free(_port(server))
