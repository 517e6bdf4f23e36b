"""Image captchas: answers drawn from an unambiguous alphabet, images drawn by the ``captcha`` package.

The store keeps the answers (single use, 5 minutes by the mock clock); this
module only invents answers and paints them.  The harness never reads the
image: it asks the control interface for the answer of the ``captcha_id`` it
finds on the page.
"""

from __future__ import annotations

import secrets
import threading
from typing import Final

from captcha.image import ImageCaptcha

# No 0/O, 1/I/L, 2/Z, 5/S, 8/B, G/6: a person reading a noisy image must not
# have to guess, and neither should a QA engineer reading a screenshot.
ALPHABET: Final = "ACDEFHJKMNPRTUVWXY34679"
LENGTH: Final = 4

_WIDTH: Final = 130
_HEIGHT: Final = 48


def new_answer() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


class CaptchaImages:
    """Paints captcha answers as PNG images, small enough to sit beside an input."""

    def __init__(self) -> None:
        self._painter = ImageCaptcha(width=_WIDTH, height=_HEIGHT, font_sizes=(36, 40, 44))
        # ImageCaptcha loads its fonts lazily on first use; the lock keeps two
        # server threads from doing that (or sharing a half-built font list) at once.
        self._lock = threading.Lock()

    def png(self, answer: str) -> bytes:
        with self._lock:
            return self._painter.generate(answer, format="png").getvalue()
