"""Tests of what both mocks share (``mock_servers.common``), without a server."""
