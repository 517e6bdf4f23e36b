"""``python -m flows``: walk a journey of the guide against a target, and keep the evidence.

For example, provision a certified platform account on the bundled mocks for a manual tester::

    make mocks &                                   # the mocks at http://127.0.0.1:8000 and :8001
    .venv/bin/python -m flows website-certified    # prints the account's credentials

Every step prints a progress line; screenshots after each step and a Playwright trace go to the
evidence folder (``reports/automation/<journey>-<time>/`` by default).
"""

from __future__ import annotations

import argparse
import re
import signal
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, TextIO

from playwright.sync_api import BrowserContext, Page, sync_playwright

from fixtures.backstage import Backstage
from fixtures.browser import QUIET_NETWORK_ARGS, BrowserNotFoundError, choose_chromium
from fixtures.devices import PHONES, desktop_context_args
from fixtures.target import Target, TargetSettingsError, load_target
from fixtures.test_data import TestDataBuilder, run_seed
from flows.journeys import People, certified_app_account, certified_website_account, check_existing_account
from flows.narration import ConsoleNarrator, narrating, recording
from mock_servers import IdpControl, PlatformControl, PortInUseError, start_mock_servers
from pages.app.site import App
from pages.idp.site import Yzt
from pages.platform.site import Website

# Where `make mocks` (python -m mock_servers) serves the mocks by default.
MAKE_MOCKS_URLS = ("http://127.0.0.1:8000", "http://127.0.0.1:8001")
JOURNEYS = {
    "website-certified": "方式一：新的平台账户在平台网站上完成企业认证 (a new platform account certified on the web)",
    "app-certified": "方式二：新的APP账户在北京通企服版APP中完成企业认证 (a new app account certified in the app)",
    "check-account": "用已有的平台账户登录，读出认证信息 (log in with an existing account and read 认证信息)",
}
EXIT_USAGE = 2
EXIT_FAILED = 1


class UsageProblem(Exception):
    """What the user asked for cannot be done; the message says what to do."""


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m flows",
        description=(
            "按操作说明走一遍企业认证流程，并保存证据（截图、Playwright 跟踪）。"
            " Walk a journey of the guide against a target, saving the evidence (screenshots, a Playwright trace)."
        ),
        epilog=(
            "目标 (target): 默认是 make mocks 启动的模拟服务器 (default: the mocks `make mocks` serves at "
            f"{MAKE_MOCKS_URLS[0]} and {MAKE_MOCKS_URLS[1]}); E2E_PLATFORM_URL/E2E_IDP_URL name another, "
            "E2E_CONTROL=false one without the control interface, E2E_PLATFORM_USERNAME/E2E_PLATFORM_PASSWORD "
            "an existing account (check-account). --start-mocks 在本进程中启动模拟服务器 (starts the bundled mocks "
            "here and keeps serving them until Ctrl-C, so the account stays usable)."
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "journey",
        choices=sorted(JOURNEYS),
        help="要走的流程 (the journey): " + "; ".join(f"{name} = {text}" for name, text in JOURNEYS.items()),
    )
    parser.add_argument("--platform-url", help="平台的地址 (the platform's base URL)")
    parser.add_argument("--idp-url", help="一证通的地址 (一证通's base URL)")
    parser.add_argument(
        "--start-mocks", action="store_true", help="在本进程中启动模拟服务器 (start the bundled mocks here)"
    )
    parser.add_argument(
        "--keep-serving",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="走完后继续运行模拟服务器，直到 Ctrl-C (with --start-mocks: keep serving them until Ctrl-C)",
    )
    parser.add_argument("--seed", type=int, help="生成测试数据的种子 (seed of the generated data, to replay it)")
    parser.add_argument("--phone", choices=sorted(PHONES), default="iphone", help="APP 用哪部手机 (the app's phone)")
    parser.add_argument("--evidence", type=Path, help="证据目录 (evidence folder; default reports/automation/…)")
    parser.add_argument("--headed", action="store_true", help="显示浏览器窗口 (show the browser; needs a display)")
    return parser.parse_args(argv)


@dataclass
class Run:
    target: Target
    platform_url: str
    idp_url: str
    backstage: Backstage | None
    evidence: Path


def _evidence_folder(arguments: argparse.Namespace) -> Path:
    if arguments.evidence is not None:
        return Path(arguments.evidence)
    return Path("reports/automation") / f"{arguments.journey}-{datetime.now():%Y%m%d-%H%M%S}"


@contextmanager
def opened_run(arguments: argparse.Namespace, out: TextIO) -> Iterator[Run]:
    """The target (started here, named by options or settings, or `make mocks`), and its control interface."""
    try:
        target = load_target()
    except TargetSettingsError as error:
        raise UsageProblem(str(error)) from None
    with ExitStack() as stack:
        if arguments.start_mocks:
            try:
                mocks = start_mock_servers()
            except PortInUseError as error:
                raise UsageProblem(str(error)) from None
            stack.callback(mocks.stop)
            urls = (mocks.platform_url, mocks.idp_url)
            out.write(f"模拟服务器已启动 (mocks started): {urls[0]}/ {urls[1]}/\n")
        elif arguments.platform_url or arguments.idp_url:
            if not (arguments.platform_url and arguments.idp_url):
                raise UsageProblem("give both --platform-url and --idp-url (or neither)")
            urls = (arguments.platform_url.rstrip("/"), arguments.idp_url.rstrip("/"))
        elif not target.bundled:
            urls = target.urls()
        else:
            urls = MAKE_MOCKS_URLS
        backstage = None
        if target.control or arguments.start_mocks:
            platform, idp = PlatformControl(urls[0]), IdpControl(urls[1])
            stack.callback(platform.close)
            stack.callback(idp.close)
            backstage = Backstage(platform=platform, idp=idp)
        yield Run(target, urls[0], urls[1], backstage, _evidence_folder(arguments))
        if arguments.start_mocks and arguments.keep_serving:
            out.write("模拟服务器继续运行，按 Ctrl-C 停止 (the mocks keep serving; Ctrl-C stops them)\n")
            out.flush()
            _wait_for_interrupt()


def _wait_for_interrupt() -> None:
    stop = threading.Event()
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    stop.wait()


def _file_name(title: str) -> str:
    return re.sub(r"[^\w\u4e00-\u9fff-]+", "_", title.split(" (")[0]).strip("_")[:60]


class Evidence:
    """Screenshots after each step of every page the journey uses, and the trace of each browser.

    A trace is kept in parts: it stops while a form carrying a configured credential is submitted
    (``flows.narration.keeping_secret``) and starts again after, so ``trace-pc.zip`` may come with
    ``trace-pc-1.zip`` … (the part before); each opens in ``playwright show-trace``.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.pages: dict[str, Page] = {}
        self.contexts: dict[str, BrowserContext] = {}
        self._parts = 0

    def pause(self) -> None:
        # A whole new trace afterwards, not just a new chunk: a trace's network log spans its chunks.
        self._parts += 1
        for name, context in self.contexts.items():
            context.tracing.stop(path=self.folder / f"trace-{name}-{self._parts}.zip")

    def resume(self) -> None:
        for context in self.contexts.values():
            self._start(context)

    @staticmethod
    def _start(context: BrowserContext) -> None:
        # Snapshots keep the pages' DOM: a password field's value is not in it, and a secret is
        # typed through PageObject.type_into, which the trace does not record.
        context.tracing.start(screenshots=True, snapshots=True)

    def watch(self, name: str, context: BrowserContext) -> Page:
        self._start(context)
        self.contexts[name] = context
        self.pages[name] = context.new_page()
        return self.pages[name]

    def after_step(self, number: int, title: str) -> None:
        for name, page in self.pages.items():
            if page.url != "about:blank":
                # A click that started a navigation returns before the next page has loaded.
                page.wait_for_load_state()
                page.screenshot(path=self.folder / f"{number:02d}-{name}-{_file_name(title)}.png")

    def close(self) -> None:
        for name, context in self.contexts.items():
            context.tracing.stop(path=self.folder / f"trace-{name}.zip")
            context.close()


def walk(arguments: argparse.Namespace, run: Run, out: TextIO) -> dict[str, str]:
    """Walk the journey; what it provisioned or read, to print."""
    if arguments.journey != "check-account" and run.backstage is None:
        raise UsageProblem(
            f"{arguments.journey} 需要模拟服务器的控制接口 (needs the mocks' control interface: captcha answers, "
            "SMS codes, the review period); the target has none. Use the bundled mocks (--start-mocks, or make mocks)."
        )
    seed = arguments.seed if arguments.seed is not None else run_seed()
    data = TestDataBuilder(seed)
    people = People(data.enterprise(), data.platform_account(), data.yzt_account(), data.app_account())
    try:
        chosen = choose_chromium(sync_playwright_executable(), headless=not arguments.headed)
    except BrowserNotFoundError as error:
        raise UsageProblem(str(error)) from None
    run.evidence.mkdir(parents=True, exist_ok=True)
    out.write(f"流程 (journey): {JOURNEYS[arguments.journey]}\n目标 (target): {run.platform_url}/ {run.idp_url}/\n")
    out.write(f"测试数据种子 (data seed): {seed}\n证据 (evidence): {run.evidence}/\n")
    out.flush()
    evidence = Evidence(run.evidence)
    with sync_playwright() as playwright:
        launch: dict[str, Any] = {"headless": not arguments.headed, "args": QUIET_NETWORK_ARGS}
        if chosen.executable is not None:
            launch["executable_path"] = str(chosen.executable)
        browser = playwright.chromium.launch(**launch)
        zh: dict[str, Any] = {"locale": "zh-CN", "timezone_id": "Asia/Shanghai"}
        try:
            with narrating(ConsoleNarrator(out, on_step_end=evidence.after_step)), recording(evidence):
                if arguments.journey == "app-certified":
                    descriptor = dict(playwright.devices[PHONES[arguments.phone]])
                    descriptor.pop("default_browser_type", None)
                    phone = evidence.watch("phone", browser.new_context(**descriptor, **zh))
                    pc = evidence.watch("pc", browser.new_context(**desktop_context_args(), **zh))
                    assert run.backstage is not None
                    certified_app_account(
                        App(phone, run.platform_url),
                        Yzt(pc, run.idp_url),
                        Yzt(phone, run.idp_url, touch=True),
                        run.backstage,
                        people,
                    )
                    return _app_credentials(people)
                page = evidence.watch("pc", browser.new_context(**desktop_context_args(), **zh))
                website = Website(page, run.platform_url)
                if arguments.journey == "website-certified":
                    assert run.backstage is not None
                    certified_website_account(website, Yzt(page, run.idp_url), run.backstage, people)
                    return _website_credentials(people)
                return _check_existing(website, run.target)
        finally:
            evidence.close()
            browser.close()


def sync_playwright_executable() -> str:
    """Where Playwright's own Chromium would be (it may not be installed: choose_chromium decides)."""
    with sync_playwright() as playwright:
        return playwright.chromium.executable_path


def _check_existing(website: Website, target: Target) -> dict[str, str]:
    if not target.platform_username or target.platform_password is None:
        raise UsageProblem(
            "check-account 需要已有的平台账户 (needs an existing account): set E2E_PLATFORM_USERNAME and "
            "E2E_PLATFORM_PASSWORD (or put them in the file E2E_SETTINGS names)"
        )
    status = check_existing_account(website, target.platform_username, target.platform_password)
    return {
        "平台账户 (platform account)": target.platform_username,
        "认证信息 (certification)": " ".join(status.split()),
    }


def _website_credentials(people: People) -> dict[str, str]:
    account, yzt, enterprise = people.platform_account, people.yzt_account, people.enterprise
    return {
        "平台账户 用户名 (platform username)": account.username,
        "平台账户 密码 (platform password)": account.password,
        "平台账户 手机号码 (mobile)": account.mobile,
        "一证通账号 (一证通 account)": yzt.account,
        "一证通密码 (一证通 password)": yzt.password,
        "企业名称 (enterprise)": enterprise.name,
        "统一社会信用代码 (credit code)": enterprise.credit_code,
        "法人代表 (legal person)": f"{enterprise.legal_person.name} {enterprise.legal_person.id_number}",
    }


def _app_credentials(people: People) -> dict[str, str]:
    account, yzt, enterprise = people.app_account, people.yzt_account, people.enterprise
    return {
        "APP账户 手机号码 (app mobile)": account.mobile,
        "APP账户 密码 (app password)": account.password,
        "APP账户 昵称 (nickname)": account.nickname,
        "一证通账号 (一证通 account)": yzt.account,
        "一证通密码 (一证通 password)": yzt.password,
        "企业名称 (enterprise)": enterprise.name,
        "统一社会信用代码 (credit code)": enterprise.credit_code,
    }


def main(argv: list[str] | None = None, out: TextIO = sys.stdout, err: TextIO = sys.stderr) -> int:
    arguments = parse_arguments(argv)
    started = time.perf_counter()
    try:
        with opened_run(arguments, out) as run:
            try:
                result = walk(arguments, run, out)
            except UsageProblem:
                raise
            except Exception as error:  # a step failed: say which, keep the evidence
                err.write(
                    f"失败 (failed): {type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}\n"
                )
                err.write(f"证据 (evidence): {run.evidence}/ (trace: .venv/bin/playwright show-trace …/trace-*.zip)\n")
                return EXIT_FAILED
            out.write(f"完成 (done) in {time.perf_counter() - started:.1f}s\n")
            width = max(len(label) for label in result)
            for label, value in result.items():
                out.write(f"  {label.ljust(width)}  {value}\n")
            out.write(f"证据 (evidence): {run.evidence}/\n")
            out.flush()
    except UsageProblem as problem:
        err.write(f"error: {problem}\n")
        return EXIT_USAGE
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
