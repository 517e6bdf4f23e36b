"""Root conftest: registers the harness's fixture modules and step libraries, once.

Step definitions are fixtures, so a steps module is registered by naming it
here; every feature's scenarios can then use every step.
"""

from __future__ import annotations

pytest_plugins = [
    "fixtures.browser",
    "fixtures.mocks",
    "fixtures.test_data",
    "fixtures.bdd_report_xdist",
    "fixtures.bdd_failures",
    "steps.platform_steps",
    "steps.idp_steps",
    "steps.registration_rules_steps",
    "steps.login_security_steps",
    "steps.sso_steps",
]
