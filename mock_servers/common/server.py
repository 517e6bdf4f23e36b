"""Run an ASGI app on a real loopback socket in a background thread.

The socket is bound and listening before the server thread starts, so the URL
is known (port 0 picks a free port) and a client that connects early simply
waits in the backlog: nothing ever polls or sleeps for the server to come up.
"""

from __future__ import annotations

import errno
import socket
import threading
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import uvicorn

LOOPBACK = "127.0.0.1"
START_TIMEOUT_S = 10.0
STOP_TIMEOUT_S = 5.0


class PortInUseError(RuntimeError):
    """The port asked for is taken; the message says what to do."""


def bind_socket(host: str = LOOPBACK, port: int = 0, *, name: str = "mock server") -> socket.socket:
    """Bind and listen, turning a busy port into an error that says what to do."""
    # IPPROTO_TCP, not 0: asyncio turns Nagle's algorithm off (TCP_NODELAY) only
    # for sockets that say they are TCP, and accepted connections inherit this.
    # With protocol 0 every request on a kept-alive connection waits ~40 ms.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as error:
        sock.close()
        if error.errno == errno.EADDRINUSE:
            raise PortInUseError(
                f"{name}: port {port} on {host} is already in use. "
                f"Stop whatever is listening there (ss -ltnp 'sport = :{port}'), "
                "or choose another port, or use port 0 to let the system pick a free one."
            ) from error
        raise
    sock.listen(128)
    return sock


@dataclass
class RunningServer:
    """A server started by :func:`serve_in_thread`; ``stop()`` shuts it down."""

    name: str
    url: str
    _server: uvicorn.Server
    _thread: threading.Thread
    _socket: socket.socket
    extras: dict[str, Any] = field(default_factory=dict)

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(STOP_TIMEOUT_S)
        self._socket.close()


def serve_in_thread(
    build_app: Callable[[str], Any],
    *,
    name: str,
    host: str = LOOPBACK,
    port: int = 0,
) -> RunningServer:
    """Bind a socket, build the app for its URL, and serve it from a daemon thread.

    ``build_app`` receives the server's base URL (``http://127.0.0.1:PORT``)
    because the mocks put absolute URLs in their protocol documents (OIDC
    discovery, redirect URIs).
    """
    sock = bind_socket(host, port, name=name)
    bound_port = sock.getsockname()[1]
    url = f"http://{host}:{bound_port}"
    app = build_app(url)

    started = threading.Event()
    app_with_signal = _signal_when_started(app, started)
    config = uvicorn.Config(
        app_with_signal,
        log_level="warning",
        access_log=False,
        lifespan="on",
        # Keep-alive long enough that a test's page loads reuse connections.
        timeout_keep_alive=30,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name=name, daemon=True)
    thread.start()
    if not started.wait(START_TIMEOUT_S):
        server.should_exit = True
        sock.close()
        raise RuntimeError(f"{name} did not start within {START_TIMEOUT_S:.0f} s; see the log above")
    return RunningServer(name=name, url=url, _server=server, _thread=thread, _socket=sock)


def _signal_when_started(app: Any, started: threading.Event) -> Any:
    """Wrap an ASGI app so that its lifespan start-up sets ``started``."""
    inner_lifespan = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(lifespan_app: Any) -> AsyncIterator[Any]:
        async with inner_lifespan(lifespan_app) as state:
            started.set()
            yield state

    app.router.lifespan_context = lifespan
    return app
