"""``python -m mock_servers``: run both mocks on loopback for exploratory testing."""

from __future__ import annotations

import argparse
import signal
import sys
import threading

from mock_servers import PortInUseError, start_mock_servers
from mock_servers.common.server import LOOPBACK


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}") from None
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"a port is between 0 and 65535, not {value}")
    return value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m mock_servers",
        description="Start the platform mock and the 一证通 identity provider mock on loopback.",
    )
    parser.add_argument("--host", default=LOOPBACK, help="address to bind (default: %(default)s, loopback only)")
    parser.add_argument(
        "--platform-port", type=_port, default=8000, help="platform port (default: %(default)s; 0 = any free port)"
    )
    parser.add_argument("--idp-port", type=_port, default=8001, help="identity provider port (default: %(default)s)")
    args = parser.parse_args(argv)

    try:
        mocks = start_mock_servers(args.host, args.platform_port, args.idp_port)
    except PortInUseError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2

    print("Mock servers are running (Ctrl-C to stop):")
    print(f"  北京市中小企业公共服务平台  {mocks.platform_url}/")
    print(f"  北京市统一身份认证平台      {mocks.idp_url}/am/UI/Login?module=BjzwLDAP&gx_charset=UTF-8")
    print("Control interfaces (OpenAPI docs):")
    print(f"  platform  {mocks.platform_url}/_control/docs")
    print(f"  一证通     {mocks.idp_url}/_control/docs")
    sys.stdout.flush()

    stop = threading.Event()
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    stop.wait()
    mocks.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
