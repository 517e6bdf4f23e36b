"""Pages of 北京市中小企业公共服务平台 (the platform website)."""
