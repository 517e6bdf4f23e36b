"""The journeys of the guide as a Python API: what a person does, step by step, on the pages.

The scenarios' steps call these flows (one flow, one behaviour: not a copy for the steps and another
for the automation), and ``python -m flows`` runs whole journeys against a target, to provision
accounts for manual testers or to walk a staging deployment. Flows act through page objects
(``pages/``) and read what a person reads off their phone or a captcha image through the
backstage (``fixtures.backstage``); they never assert: the steps do, with ``expect``.
"""
