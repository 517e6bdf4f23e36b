"""A browserless driver of the IdP mock, for fast HTTP-level tests of its rules.

The harness drives the mock with Playwright; these helpers do the same things
over plain HTTP (Starlette's TestClient, cookies kept like a browser's) so the
mock's own tests can prove each rule in milliseconds.  Like the harness, the
driver learns captcha answers only through the control interface, from the
``captcha_id`` the page carries, and takes its enterprises and legal
representatives from the harness's :class:`TestDataBuilder`, so the data
passes the same rules the server checks.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any, Final

import httpx
from fastapi import FastAPI
from fastapi.testclient import TestClient

from fixtures.test_data import TestDataBuilder
from mock_servers.idp.oidc import OIDC_PREFIX
from mock_servers.idp.pages import login_url, with_goto
from tests.form_test_client import FormTestClient

BASE_URL: Final = "http://testserver"
# The password of every account seed_account creates, unless a test gives another.
PASSWORD: Final = "Passw0rd2026"
# The relying party's authorization request that the registration wizard's pages carry along.
GOTO: Final = "/am/oauth2/authorize?client_id=smebj&state=abc"
NO_FILE: Final = ("", b"", "application/octet-stream")  # what a browser sends when no file was chosen
_VOID_TAGS: Final = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
)

ZWSP: Final = "\u200b"  # zero-width space, as pasted from a web page or a chat
BOM: Final = "\ufeff"  # byte-order mark, as pasted from a file


def full_width(text: str) -> str:
    """ASCII as a Chinese input method in full-width mode types it (``A-1`` → ``Ａ－１``)."""
    return "".join(chr(ord(char) + 0xFEE0) if "!" <= char <= "~" else char for char in text)


# --- reading pages ------------------------------------------------------------


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    children: list[Element | str] = field(default_factory=list)

    def iter(self) -> Iterator[Element]:
        yield self
        for child in self.children:
            if isinstance(child, Element):
                yield from child.iter()

    def text(self, *, accessible: bool = True) -> str:
        """Whitespace-normalised text; ``accessible`` leaves out aria-hidden parts, as a screen reader does."""
        parts: list[str] = []
        for child in self.children:
            if isinstance(child, str):
                parts.append(child)
            elif not (accessible and child.attrs.get("aria-hidden") == "true"):
                parts.append(child.text(accessible=accessible))
        return " ".join("".join(parts).split())

    def find_all(self, tag: str | None = None, **attrs: str) -> list[Element]:
        """Descendants (and self) by tag and attributes; ``aria_selected="true"`` means ``aria-selected``."""
        wanted = {name.replace("_", "-"): value for name, value in attrs.items()}
        return [
            element
            for element in self.iter()
            if (tag is None or element.tag == tag) and all(element.attrs.get(k) == v for k, v in wanted.items())
        ]

    def find(self, tag: str | None = None, **attrs: str) -> Element:
        found = self.find_all(tag, **attrs)
        assert len(found) == 1, f"expected exactly one <{tag or '*'} {attrs}>, found {len(found)}"
        return found[0]


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self._open = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {name: value or "" for name, value in attrs})
        self._open[-1].children.append(element)
        if tag not in _VOID_TAGS:
            self._open.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._open[-1].children.append(Element(tag, {name: value or "" for name, value in attrs}))

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self._open) - 1, 0, -1):
            if self._open[depth].tag == tag:
                del self._open[depth:]
                return

    def handle_data(self, data: str) -> None:
        self._open[-1].children.append(data)


class HtmlPage:
    """One HTML response, read the way an accessibility-minded locator would."""

    def __init__(self, html: str) -> None:
        builder = _TreeBuilder()
        builder.feed(html)
        builder.close()
        self.html = html
        self.root = builder.root

    @property
    def title(self) -> str:
        return self.root.find("title").text()

    def headings(self, level: int) -> list[str]:
        return [h.text() for h in self.root.find_all(f"h{level}")]

    def alerts(self) -> list[str]:
        return [e.text() for e in self.root.find_all(role="alert")]

    def statuses(self) -> list[str]:
        return [e.text() for e in self.root.find_all(role="status")]

    def field(self, label: str) -> Element:
        """The control whose ``<label for>`` reads exactly ``label``."""
        labels = [lab for lab in self.root.find_all("label") if lab.text() == label]
        assert len(labels) == 1, f"expected one <label> reading {label!r}, found {len(labels)}"
        return self.root.find(id=labels[0].attrs["for"])

    def error_of(self, label: str) -> str | None:
        """The alert tied to a field by aria-describedby, if the field is marked invalid."""
        control = self.field(label)
        if control.attrs.get("aria-invalid") != "true":
            return None
        for described in control.attrs.get("aria-describedby", "").split():
            element = self.root.find(id=described)
            if element.attrs.get("role") == "alert":
                return element.text()
        raise AssertionError(f"field {label!r} is aria-invalid but describes no alert")

    def link(self, name: str) -> str:
        links = [a for a in self.root.find_all("a") if a.text() == name]
        assert len(links) == 1, f"expected one link named {name!r}, found {len(links)}"
        return links[0].attrs["href"]

    def has_button(self, name: str) -> bool:
        return any(b.text() == name for b in self.root.find_all("button"))

    def hidden(self, name: str) -> str:
        return self.root.find("input", type="hidden", name=name).attrs["value"]

    @property
    def captcha_id(self) -> str:
        return self.hidden("captcha_id")


# --- driving the IdP ----------------------------------------------------------


class IdpDriver:
    """An HTTP "browser" for one IdP app, plus its control interface."""

    def __init__(self, app: FastAPI, data: TestDataBuilder) -> None:
        self.app = app
        self.data = data
        # Its form posts carry the page's CSRF token, as a browser's do (``fixtures.form_client``).
        self.http: TestClient = FormTestClient(
            app, token_page=login_url(), no_forms=(OIDC_PREFIX,), base_url=BASE_URL, follow_redirects=False
        )

    def new_browser(self) -> IdpDriver:
        """A second browser (own cookies) on the same IdP, drawing from the same data (so still unique)."""
        return IdpDriver(self.app, self.data)

    # control interface
    def control(
        self, method: str, path: str, *, json: Any = None, params: dict[str, str] | None = None, expect: int = 200
    ) -> Any:
        response = self.http.request(method, "/_control" + path, json=json, params=params)
        assert response.status_code == expect, f"{method} {path}: {response.status_code} {response.text}"
        return response.json() if response.content else None

    def reset(self) -> None:
        self.control("POST", "/reset", expect=204)
        self.http.cookies.clear()

    def advance(self, **delta: float) -> None:
        self.control("POST", "/clock/advance", json=delta)

    def set_clock(self, moment: str) -> None:
        self.control("POST", "/clock/set", json={"now": moment})

    def captcha_answer(self, page: HtmlPage) -> str:
        answer: str = self.control("GET", f"/captchas/{page.captcha_id}")["answer"]
        return answer

    def account(self, name: str) -> dict[str, Any]:
        found: dict[str, Any] = self.control("GET", f"/accounts/{name}")
        return found

    def sms_outbox(self, mobile: str) -> list[dict[str, Any]]:
        """The text messages the IdP sent to ``mobile``, newest first (what that phone received)."""
        sent: list[dict[str, Any]] = self.control("GET", "/sms", params={"mobile": mobile})
        return sent

    def register_client(self, client_id: str, client_secret: str, redirect_uris: list[str]) -> None:
        body = {"client_id": client_id, "client_secret": client_secret, "redirect_uris": redirect_uris}
        self.control("POST", "/clients", json=body, expect=201)

    def identity(self, **overrides: Any) -> dict[str, Any]:
        """Step-1 data that passes every rule, unique per call."""
        enterprise = self.data.enterprise()
        data: dict[str, Any] = {
            "enterprise_name": enterprise.name,
            "credit_code": enterprise.credit_code,
            "legal_person_name": enterprise.legal_person.name,
            "legal_person_id_type": "resident_id",
            "legal_person_id_number": enterprise.legal_person.id_number,
        }
        data.update(overrides)
        return data

    def seed_account(self, **overrides: Any) -> dict[str, Any]:
        """Create an active account with :data:`PASSWORD` through the control interface; returns the request body."""
        yzt = self.data.yzt_account()
        body: dict[str, Any] = {
            "account": yzt.account,
            "password": PASSWORD,
            "mobile": yzt.mobile,
            **self.identity(),
        }
        body.update(overrides)
        self.control("POST", "/accounts", json=body, expect=201)
        return body

    # pages
    def get(self, url: str) -> httpx.Response:
        # TestClient's annotations name httpx2, which is not installed: pin the type here.
        response: httpx.Response = self.http.get(url)
        return response

    def open(self, url: str) -> HtmlPage:
        response = self.http.get(url)
        assert response.status_code == 200, f"GET {url}: {response.status_code}"
        return HtmlPage(response.text)

    def post_form(
        self, url: str, data: dict[str, str], files: dict[str, tuple[str, bytes, str]] | None = None
    ) -> httpx.Response:
        response: httpx.Response = self.http.post(url, data=data, files=files)
        return response

    def login(
        self, username: str, password: str, *, goto: str | None = None, captcha: str | None = None
    ) -> httpx.Response:
        """Open the login page and submit 口令登录 (the right captcha answer unless one is given)."""
        url = login_url(goto)
        page = self.open(url)
        answer = self.captcha_answer(page) if captcha is None else captcha
        return self.post_form(
            url, {"username": username, "password": password, "captcha": answer, "captcha_id": page.captcha_id}
        )


def page_of(response: httpx.Response) -> HtmlPage:
    return HtmlPage(response.text)


# --- the registration wizard ------------------------------------------------------


def post_identity(
    idp: IdpDriver,
    identity: dict[str, Any],
    *,
    document: tuple[str, bytes, str] = NO_FILE,
    captcha: str | None = None,
    goto: str = GOTO,
) -> httpx.Response:
    """Open step 1 and submit it (the right captcha answer unless one is given)."""
    page = idp.open(with_goto("/am/register", goto))
    data = {
        **{key: str(value) for key, value in identity.items()},
        "goto": page.hidden("goto"),
        "captcha_id": page.captcha_id,
        "captcha": idp.captcha_answer(page) if captcha is None else captcha,
    }
    return idp.post_form(with_goto("/am/register", goto), data, files={"document": document})


def post_account(
    idp: IdpDriver, account: str, password: str = PASSWORD, confirm: str | None = None, mobile: str = "13912345678"
) -> httpx.Response:
    data = {
        "goto": GOTO,
        "account": account,
        "password": password,
        "password_confirm": password if confirm is None else confirm,
        "mobile": mobile,
    }
    return idp.post_form(with_goto("/am/register/account", GOTO), data)


def register(
    idp: IdpDriver, account: str, identity: dict[str, Any] | None = None, *, mobile: str = "13912345678"
) -> httpx.Response:
    """Both steps of the wizard, each of which must pass; the response of step 2."""
    step1 = post_identity(idp, identity or idp.identity())
    assert step1.status_code == 303, page_of(step1).alerts()
    step2 = post_account(idp, account, mobile=mobile)
    assert step2.status_code == 303, page_of(step2).alerts()
    return step2


def rejected(response: httpx.Response) -> HtmlPage:
    assert response.status_code == 200, f"expected the form back, got {response.status_code}"
    return page_of(response)
