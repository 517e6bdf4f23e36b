"""Mock of 北京市中小企业公共服务平台 (Beijing's SME public service platform, https://www.smebj.cn/).

Two front ends on one store: the website's pages (``routes_web``) and the 北京通企服版 app's
H5 pages (``routes_app``, under ``/m/``, templates in ``templates/app/``).  An account, its
session and its 认证信息 are the same in both; the modules below are shared:

- ``state``: platform accounts, browser sessions, enterprise bindings, the app's devices, faults
  (one lock; identifiers stored and compared in the canonical form of ``mock_servers.common.identifiers``);
- ``accounts``: the website's registration and login rules; ``browser``: which browsers get the hint;
- ``app_accounts``: the app's 注册 (with an SMS code from ``mock_servers.common.sms``), 登录, 获取验证码;
- ``app_devices``: the app's device cookie and the accounts that logged in on each phone (常见问题 Q1a);
- ``sso``: the OpenID Connect client of the 一证通 identity provider;
- ``certification``: the 企业认证 flow (SSO round trip + the one-enterprise-one-account rule);
- ``results``: what a failed round trip says, shown in the layout of the front end it started from
  (and, in the app, whether the guide's note on one phone with several accounts applies);
- ``web``: sessions cookie, login-required redirect, safe ``next``, page rendering;
- ``context``: the pieces of one instance, handed to the routers;
- ``control``: the test-facing control interface at ``/_control``; ``client``: its typed client;
- ``server``: ``create_app`` and ``start_platform``.
"""
