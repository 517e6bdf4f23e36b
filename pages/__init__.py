"""Page objects: one class per page, locators inside, intent-level methods, no assertions.

Pages know only Playwright. They never import the mocks or the fixtures, so the
same objects can drive the real sites.
"""
