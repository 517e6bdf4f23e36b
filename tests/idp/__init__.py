"""The 一证通 identity provider mock's own tests: fast, over HTTP, no browser."""
