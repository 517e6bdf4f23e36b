"""The platform mock's own tests (no browser): pages, SSO client, control interface, and with the IdP mock."""
