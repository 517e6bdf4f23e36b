"""One canonical form for every identifier a person types or one system hands to another.

Real users paste codes from Word and type with a Chinese input method: a 统一社会信用代码 in
full-width characters (``９１１１…``), an organization code with a full-width hyphen
(``XXXXXXXX－X``), a 居民身份证号 with a zero-width space pasted inside, a credit code behind a
byte-order mark, a captcha in full-width letters. A person sees a valid value in each; so must
the mocks. Every identifier therefore goes through exactly one function here before it is
checked, stored or compared, in both mocks:

1. Unicode NFKC, which folds full-width letters, digits and punctuation to ASCII;
2. every format character (Unicode category Cf: zero-width spaces and joiners, the byte-order
   mark, bidirectional marks) removed — they are invisible, nobody typed them on purpose;
3. the identifier's own rule: which separators its standard lets people write (spaces and
   hyphens in codes and phone numbers), and its case.

A value that is still not valid after this is refused with a message that says what is wrong
(each mock's validation module), never silently "corrected" into another value.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final

# Dashes people and input methods type where a hyphen is meant (NFKC leaves these as they are):
# hyphen, non-breaking hyphen, figure dash, en and em dashes, horizontal bar, minus sign,
# the katakana prolonged sound mark an IME gives for "-" in some modes.
_DASHES: Final = re.compile("[\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u30fc-]")
_SPACES: Final = re.compile(r"\s+")
# A mainland number written with its country code: +86 138…, 0086 138…, 86-138….
_COUNTRY_CODE: Final = re.compile(r"^(?:\+|00)?86(?=1\d{10}$)")


def clean(raw: str) -> str:
    """NFKC, without format characters, trimmed: what a person meant to type."""
    folded = unicodedata.normalize("NFKC", raw)
    return "".join(char for char in folded if unicodedata.category(char) != "Cf").strip()


def _without_separators(text: str) -> str:
    return _DASHES.sub("", _SPACES.sub("", text))


def credit_code(raw: str) -> str:
    """统一社会信用代码 (GB 32100) or 组织机构代码 (GB 11714): digits and capital letters only.

    People write an organization code as ``XXXXXXXX-X`` and break long codes into groups; the
    standards' characters are upper case, so a lower-case letter is the same character.
    """
    return _without_separators(clean(raw)).upper()


def id_number(raw: str) -> str:
    """An identity document number: no spaces; upper case (a 居民身份证号's check character ``x`` is ``X``).

    Hyphens are kept: in a passport or other document number they may be part of it.
    """
    return _SPACES.sub("", clean(raw)).upper()


def mobile(raw: str) -> str:
    """A mainland mobile number: 11 digits, without spaces, hyphens or a +86 country code."""
    return _COUNTRY_CODE.sub("", _without_separators(clean(raw)))


def account_name(raw: str) -> str:
    """An account name as shown (case kept); :func:`account_key` is how two names compare."""
    return clean(raw)


def account_key(raw: str) -> str:
    """Account names are unique regardless of case, as on most real sites."""
    return account_name(raw).casefold()


def captcha(raw: str) -> str:
    """An image captcha's answer: no spaces, upper case (the images show capitals)."""
    return _SPACES.sub("", clean(raw)).upper()


def sms_code(raw: str) -> str:
    """A six-digit SMS code, as typed or pasted from the message (spaces dropped)."""
    return _SPACES.sub("", clean(raw))
