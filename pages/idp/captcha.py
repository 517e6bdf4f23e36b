"""The image captcha that the IdP's forms share."""

from __future__ import annotations

from playwright.sync_api import Locator


class CaptchaField:
    """验证码: the input, its image, and the id of the captcha on show.

    Reading the characters off the image is the one thing a test cannot do
    like a person; the harness asks the mock's control interface for the answer
    to the captcha whose id the page carries.
    """

    def __init__(self, scope: Locator) -> None:
        self.input = scope.get_by_label("验证码")
        self.image = scope.get_by_role("img", name="验证码图片")
        self.refresh_link = scope.get_by_role("link", name="换一张")
        # A hidden input has no role or label: CSS is the only way to it.
        self._captcha_id = scope.locator("input[type=hidden][name=captcha_id]")

    def captcha_id(self) -> str:
        return self._captcha_id.input_value()

    def fill(self, answer: str) -> None:
        self.input.fill(answer)
