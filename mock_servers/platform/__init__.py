"""Mock of 北京市中小企业公共服务平台 (Beijing's SME public service platform, https://www.smebj.cn/).

The website's pages (``routes_web``) sit on modules that a later router for the 北京通企服版
app's H5 pages (``routes_app``, under ``/m/``) can share unchanged:

- ``state``: platform accounts, browser sessions, enterprise bindings, faults (one lock);
- ``accounts``: registration and login rules; ``browser``: which browsers get the hint;
- ``sso``: the OpenID Connect client of the 一证通 identity provider;
- ``certification``: the 企业认证 flow (SSO round trip + the one-enterprise-one-account rule);
- ``web``: sessions cookie, login-required redirect, safe ``next``, page rendering;
- ``context``: the pieces of one instance, handed to the routers;
- ``control``: the test-facing control interface at ``/_control``; ``client``: its typed client;
- ``server``: ``create_app`` and ``start_platform``.
"""
