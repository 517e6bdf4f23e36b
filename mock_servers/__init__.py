"""Bundled mocks of the platform (北京市中小企业公共服务平台) and the identity provider (一证通)."""
