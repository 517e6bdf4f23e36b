"""Root conftest: registers the harness's fixture modules and step libraries, once.

Step definitions are fixtures, so a steps module is registered by naming it
here; every feature's scenarios can then use every step. Steps live by system
(see ``steps/__init__.py``), and no step text may match two definitions
(``fixtures.bdd_step_check`` refuses to start a run where one does).
"""

from __future__ import annotations

pytest_plugins = [
    "fixtures.interrupts",
    "fixtures.target",
    "fixtures.devices",
    "fixtures.browser",
    "fixtures.mocks",
    "fixtures.backstage",
    "fixtures.sites",
    "fixtures.test_data",
    "fixtures.bdd_report_xdist",
    "fixtures.bdd_reruns",
    "fixtures.bdd_report_tags",
    "fixtures.bdd_failures",
    "fixtures.bdd_step_check",
    "fixtures.walkthrough",
    "fixtures.allure_report",
    "fixtures.bdd_feature_check",
    "steps.backstage_steps",
    "steps.web_steps",
    "steps.yzt_login_steps",
    "steps.yzt_registration_steps",
    "steps.yzt_password_steps",
    "steps.app_steps",
]
