"""Pages of 北京市统一身份认证平台 (一证通, the identity provider)."""
