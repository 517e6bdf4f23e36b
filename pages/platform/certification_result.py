"""The end of a 北京市企业认证 round trip on the platform: its redirect URI and the page shown when it fails."""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from playwright.sync_api import Page, Request, Route

from pages.base import PageObject


class CertificationCallback(PageObject):
    """The platform's redirect URI, as the browser visits it when 一证通 sends it back with ``code`` and ``state``.

    Nobody sees this address as a page (it answers with a redirect or the result page),
    but it is what an attacker between the two sites would replay or tamper with. This
    object watches the browser's visits to it, and can hold up or change the next one.
    """

    # The platform's redirect URI, as registered at 一证通: defined here once for the harness.
    PATH = "/auth/yzt/callback"

    def __init__(self, page: Page, base_url: str) -> None:
        super().__init__(page, base_url)
        self._pattern = re.compile("^" + re.escape(self.url) + r"\?")
        self.visits: list[str] = []

    def remember_visits(self) -> None:
        """From now on, keep every callback URL the browser requests (as a browser history or a proxy log would)."""
        self.page.on("request", self._remember)

    def change_next_state(self, state: str) -> None:
        """The next callback reaches the platform with ``state`` instead of the one 一证通 sent back."""
        self._intercept_next(lambda url: _with_query_value(url, "state", state))

    def revisit(self, url: str) -> None:
        """Open a callback URL in this browser, as someone would by pasting it or going back in history."""
        self.page.goto(url)

    def _remember(self, request: Request) -> None:
        if self._pattern.match(request.url):
            self.visits.append(request.url)

    def _intercept_next(self, deliver: Callable[[str], str]) -> None:
        """Let ``deliver`` see (and replace) the next callback URL before the browser requests it.

        The callback is reached by redirects (一证通's login → authorize → callback), and
        Playwright routes only the first request of a redirect chain. So the navigation
        that starts the chain is routed, its redirects are followed here with the browser
        context's own request client (same cookie jar), and the browser is finally sent
        to the URL ``deliver`` returns.
        """
        delivered = False

        def handle(route: Route) -> None:
            nonlocal delivered
            if delivered or not route.request.is_navigation_request():
                route.fallback()
                return
            url = route.request.url
            response = route.fetch(max_redirects=0)
            hops = 0
            while response.status in _REDIRECTS:
                url = urljoin(url, response.headers["location"])
                if self._pattern.match(url):
                    delivered = True
                    route.fulfill(status=302, headers={"location": deliver(url)})
                    return
                response = self.page.context.request.get(url, max_redirects=0)
                hops += 1
            if hops:
                # A chain that ends elsewhere: let the browser load where it ends (a page, so a second GET is harmless).
                route.fulfill(status=302, headers={"location": url})
            else:
                route.fulfill(response=response)

        self.page.route("**/*", handle)


class CertificationResultPage(PageObject):
    """企业认证未完成: what the platform says when 认证 does not end in 已认证, and the way to try again.

    The platform shows it where the round trip ended: at its redirect URI (the usual case).
    """

    PATH = CertificationCallback.PATH

    def __init__(self, page: Page, base_url: str) -> None:
        super().__init__(page, base_url)
        self.heading = page.get_by_role("heading", level=1, name="企业认证未完成")
        self.message = page.get_by_role("main").get_by_role("alert")
        self.retry_link = page.get_by_role("main").get_by_role("link", name="重新认证", exact=True)
        self.back_to_profile_link = page.get_by_role("main").get_by_role("link", name="返回个人主页", exact=True)
        # What to do now (该企业已被其他用户绑定: the guide's answer, with the call center's numbers).
        self.advice = page.get_by_role("region", name="处理建议")

    def retry(self) -> None:
        """重新认证: start the round trip to 一证通 again."""
        self.retry_link.click()

    def back_to_profile(self) -> None:
        self.back_to_profile_link.click()


_REDIRECTS = frozenset({301, 302, 303, 307, 308})


def _with_query_value(url: str, name: str, value: str) -> str:
    parts = urlsplit(url)
    query = [(key, value if key == name else old) for key, old in parse_qsl(parts.query, keep_blank_values=True)]
    return urlunsplit(parts._replace(query=urlencode(query)))
