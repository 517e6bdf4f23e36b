"""How the mocks' own HTTP clients connect (the platform's calls to the IdP, the control clients).

Two costs that a fresh ``httpx.Client`` pays on every construction or call, and that add up over
a suite of short scenarios:

- loading the CA bundle into a new TLS context (~50-80 ms per client, even for plain ``http://``):
  one context is built once and shared;
- Nagle's algorithm: httpx writes a POST's headers and body in two sends, and with Nagle on the
  second waits for the peer's delayed ACK (~40 ms per POST on loopback): ``TCP_NODELAY``.
"""

from __future__ import annotations

import functools
import socket
import ssl

import httpx


@functools.cache
def tls_context() -> ssl.SSLContext:
    return httpx.create_ssl_context()


def transport() -> httpx.HTTPTransport:
    """A transport for one client: the shared TLS context, no Nagle delay."""
    return httpx.HTTPTransport(verify=tls_context(), socket_options=[(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)])
