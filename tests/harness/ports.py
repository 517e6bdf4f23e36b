"""Whether a mock's port was freed, for the harness's own checks of clean exits."""

from __future__ import annotations

from mock_servers.common.server import PortInUseError, bind_socket


def port_is_free(port: int) -> bool:
    """Nothing listens on the loopback port any more: it binds the way the mocks bind (SO_REUSEADDR, so
    connections still closing do not count)."""
    try:
        bind_socket(port=port, name="port check").close()
    except PortInUseError:
        return False
    return True
