"""Step definitions, in the domain's words, and the test modules that bind the features.

Where a step lives: by system. A step goes in the module of the system whose pages it acts on
or checks, whatever feature uses it first:

- ``web_steps``: the platform website (平台网站);
- ``app_steps``: the 北京通企服版 APP's pages;
- ``yzt_login_steps``, ``yzt_registration_steps``, ``yzt_password_steps``: 一证通 (the identity
  provider): its login page, its registration wizard, its 找回密码;
- ``backstage_steps``: set-up and checks through the mocks' control interfaces (accounts that
  existed before, time, faults, what a system recorded that no page shows).

Every step module is registered once, in the root ``conftest.py``, so every feature can use every
step; a step text that could mean two systems names its system ("我在APP中…"), and a text matching
two definitions stops the run before it starts. Step modules import ``pages`` and ``fixtures``,
never each other and never ``mock_servers``. ``test_<feature>.py`` binds one feature file.
"""
