"""Run an ASGI app on a real loopback socket in a background thread.

The socket is bound and listening before the server thread starts, so the URL
is known (port 0 picks a free port) and a client that connects early simply
waits in the backlog: nothing ever polls or sleeps for the server to come up.
"""

from __future__ import annotations

import asyncio
import errno
import socket
import sys
import sysconfig
import threading
import types
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import uvicorn

LOOPBACK = "127.0.0.1"
START_TIMEOUT_S = 10.0
STOP_TIMEOUT_S = 5.0


class PortInUseError(RuntimeError):
    """The port asked for is taken; the message says what to do."""


class ServerStopError(RuntimeError):
    """A server's thread did not end when asked to stop; the message names the server and what still runs."""


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
    _loop: asyncio.AbstractEventLoop | None = None  # the server thread's, for saying what still runs
    extras: dict[str, Any] = field(default_factory=dict)

    def stop(self, timeout: float = STOP_TIMEOUT_S) -> None:
        """Shut the server down and wait for its thread to end; :class:`ServerStopError` if it does not.

        A thread left serving would keep the port and the application's state alive behind a run
        that looks finished, so this never carries on silently. Once whatever held it up lets go,
        calling ``stop()`` again finishes the job.
        """
        self.request_stop()
        self._thread.join(timeout)
        self._socket.close()
        if self._thread.is_alive():
            raise ServerStopError(
                f"{self.name} ({self.url}) did not stop within {timeout:g} s: its thread {self._thread.name!r} "
                f"is still running; {self._what_still_runs()}"
            )

    def request_stop(self) -> None:
        """Ask the server to shut down without waiting for it (``stop()`` waits).

        uvicorn notices within its 0.1 s tick; asking several servers first and then waiting for each
        overlaps their shutdowns instead of paying one tick after the other.
        """
        self._server.should_exit = True

    def _what_still_runs(self) -> str:
        """The server's shutdown phase, its open connections and requests, and where each waits (best effort)."""
        state = self._server.server_state
        connections, requests = len(state.connections), len(state.tasks)
        parts = [
            f"{connections} connection{'' if connections == 1 else 's'} open, "
            f"{requests} request{'' if requests == 1 else 's'} in progress"
        ]
        try:
            parts.extend(self._where_it_waits())
        except Exception as error:  # diagnostics only: never hide the stop error behind another one
            parts.append(f"(could not inspect its tasks: {error!r})")
        return "; ".join(parts)

    def _where_it_waits(self) -> Iterator[str]:
        thread_frame = sys._current_frames().get(self._thread.ident or -1)
        if thread_frame is not None and thread_frame.f_code.co_name != "select":
            yield f"its event loop is blocked at {_describe_frame(_own_frame(_frame_stack(thread_frame)))}"
        if self._loop is None:
            return
        request_tasks = set(self._server.server_state.tasks)
        for task in asyncio.all_tasks(self._loop):
            frames = list(_await_chain(task.get_coro()))
            names = {frame.f_code.co_qualname for frame in frames}
            if "LifespanOn.shutdown" in names:
                yield "waiting for the application's lifespan shutdown to finish"
            elif "Server._wait_tasks_to_complete" in names:
                yield "waiting for open connections and requests to finish"
            elif task in request_tasks and frames:
                yield f"a request waits in {_describe_frame(_own_frame(frames))}"


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
    loop: list[asyncio.AbstractEventLoop] = []
    app_with_signal = _signal_when_started(app, started, loop)
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
    # The loop was recorded before ``started`` was set.
    return RunningServer(name=name, url=url, _server=server, _thread=thread, _socket=sock, _loop=loop[0])


def _signal_when_started(app: Any, started: threading.Event, loop: list[asyncio.AbstractEventLoop]) -> Any:
    """Wrap an ASGI app so that its lifespan start-up sets ``started`` (and records the server's event loop)."""
    inner_lifespan = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(lifespan_app: Any) -> AsyncIterator[Any]:
        async with inner_lifespan(lifespan_app) as state:
            loop.append(asyncio.get_running_loop())
            started.set()
            yield state

    app.router.lifespan_context = lifespan
    return app


# Frames in these directories are the machinery (asyncio, uvicorn, Starlette), not what the server runs.
_LIBRARY_DIRS = tuple({sysconfig.get_paths()[key] for key in ("stdlib", "platstdlib", "purelib", "platlib")})


def _await_chain(awaitable: object) -> Iterator[types.FrameType]:
    """The frames of a suspended coroutine and of everything it awaits, outermost first."""
    while awaitable is not None:
        frame = getattr(awaitable, "cr_frame", None) or getattr(awaitable, "gi_frame", None)
        frame = frame or getattr(awaitable, "ag_frame", None)
        if frame is None:
            return
        yield frame
        awaitable = (
            getattr(awaitable, "cr_await", None)
            or getattr(awaitable, "gi_yieldfrom", None)
            or getattr(awaitable, "ag_await", None)
        )


def _frame_stack(frame: types.FrameType) -> list[types.FrameType]:
    """A thread's current frame and its callers, outermost first."""
    frames: list[types.FrameType] = []
    current: types.FrameType | None = frame
    while current is not None:
        frames.append(current)
        current = current.f_back
    return frames[::-1]


def _own_frame(frames: list[types.FrameType]) -> types.FrameType:
    """The innermost frame of the application's own code, or the innermost frame when all are the libraries'."""
    own = [frame for frame in frames if not frame.f_code.co_filename.startswith(_LIBRARY_DIRS)]
    return (own or frames)[-1]


def _describe_frame(frame: types.FrameType) -> str:
    return f"{frame.f_code.co_qualname} ({frame.f_code.co_filename}:{frame.f_lineno})"
