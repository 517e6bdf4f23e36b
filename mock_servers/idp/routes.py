"""The IdP's pages: 口令登录, the registration wizard (注册), 找回密码, and the small pages around them.

On a phone (the app's web view) the same URLs serve the mobile pages: 口令登录 in a
phone layout, and instead of the wizard and 找回密码 the guide's answers that both are
possible only on a PC (常见问题 Q3, Q4).

Forms are read with ``request.form()`` rather than FastAPI's ``Form(...)``
parameters on purpose: a missing or tampered field must come back as the page
with its Chinese message, never as FastAPI's 422 JSON.  Every rejected form is
rendered again with what the user typed (except passwords, the captcha and SMS
codes) and stores nothing.

Every identifier read from a form goes through its one function of
:mod:`mock_servers.common.identifiers` right where it is read, and only the
canonical value is checked, stored or compared: a credit code typed in full-width
characters is the same code.  What goes back into a refused form is the raw text.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData, UploadFile
from starlette.templating import Jinja2Templates

from mock_servers.common import identifiers
from mock_servers.common.sms import CodeCheck, SmsRateLimitedError
from mock_servers.idp import messages, validation
from mock_servers.idp.captchas import CaptchaImages, new_answer
from mock_servers.idp.pages import (
    AGREEMENT_PATH,
    BROWSER_COOKIE,
    FORGOT_PATH,
    LOGIN_MODULE,
    LOGIN_PATH,
    LOGOUT_PATH,
    RECOVERY_COOKIE,
    REGISTER_ACCOUNT_PATH,
    REGISTER_DONE_PATH,
    REGISTER_PATH,
    RESET_PATH,
    RESET_SMS_PATH,
    SESSION_COOKIE,
    WELCOME_PATH,
    WIZARD_COOKIE,
    browser_id,
    error_page,
    form_text,
    login_url,
    new_browser_id,
    on_phone,
    render,
    safe_goto,
    with_goto,
)
from mock_servers.idp.state import (
    SMS_PURPOSE_RESET_PASSWORD,
    Account,
    AccountExistsError,
    DraftNotReadyError,
    HandlerAlreadyRegisteredError,
    IdpStore,
    LegalIdentity,
    LoginResult,
)

CAPTCHA_IMAGE_PATH: Final = "/am/captcha/{captcha_id}.png"


@dataclass(frozen=True)
class LoginTab:
    key: str
    label: str


# The five tabs of the real login page, in its order.  Only 口令登录 works;
# the others (and the third-party logins) say so, as the guide says.
LOGIN_TABS: Final = (
    LoginTab("cert", "证书登录"),
    LoginTab("password", "口令登录"),
    LoginTab("license", "电子营业执照"),
    LoginTab("institution", "事业单位"),
    LoginTab("certificate", "电子证照"),
)
THIRD_PARTY_LOGINS: Final = (
    LoginTab("alipay", "支付宝"),
    LoginTab("wechat", "微信"),
    LoginTab("baidu", "百度"),
)
PASSWORD_TAB: Final = "password"

WIZARD_STEPS: Final = ("法人身份鉴证", "创建账号", "注册完成")
RECOVERY_STEPS: Final = ("验证身份", "设置新密码", "重置完成")

# What a typed SMS code is worth, as 步骤2 of 找回密码 says it beside the field.
SMS_CODE_MESSAGES: Final[Mapping[CodeCheck, str | None]] = {
    CodeCheck.VALID: None,
    CodeCheck.WRONG: messages.SMS_CODE_WRONG,
    CodeCheck.EXPIRED: messages.SMS_CODE_EXPIRED,
    CodeCheck.USED: messages.SMS_CODE_USED,
    CodeCheck.TOO_MANY_ATTEMPTS: messages.SMS_CODE_TOO_MANY_ATTEMPTS,
}


@dataclass(frozen=True)
class PcOnlyNotice:
    """What a phone gets instead of a page that works only on a PC (常见问题 Q3, Q4)."""

    heading: str
    answer: str


REGISTER_ON_PC: Final = PcOnlyNotice(messages.REGISTER_ON_PC_HEADING, messages.REGISTER_ON_PC_ONLY)
PASSWORD_RECOVERY_ON_PC: Final = PcOnlyNotice(
    messages.PASSWORD_RECOVERY_ON_PC_HEADING, messages.PASSWORD_RECOVERY_ON_PC_ONLY
)


@dataclass(frozen=True)
class FormState:
    """What a refused form comes back with: what the user typed (never passwords or captchas) and what is wrong."""

    values: Mapping[str, str] = dataclasses.field(default_factory=dict)
    errors: Mapping[str, str] = dataclasses.field(default_factory=dict)
    form_error: str | None = None


BLANK_FORM: Final = FormState()


def page_router(*, store: IdpStore, templates: Jinja2Templates, images: CaptchaImages, base_url: str) -> APIRouter:
    router = APIRouter()
    secure_cookies = base_url.lower().startswith("https://")

    def set_cookie(response: Response, name: str, value: str) -> None:
        response.set_cookie(name, value, httponly=True, samesite="lax", path="/", secure=secure_cookies)

    def delete_cookie(response: Response, name: str) -> None:
        response.delete_cookie(name, path="/", httponly=True, samesite="lax", secure=secure_cookies)

    def new_captcha_id(request: Request) -> str:
        # Every render of a form gets a fresh captcha: the previous one was
        # used up by the submit that led here (or never shown at all).  It is this browser's.
        return store.issue_captcha(new_answer(), browser_id(request)).captcha_id

    def captcha_error(request: Request, form: FormData) -> str | None:
        """Use the submitted captcha up (any submit does, right or wrong) and say what is wrong with the answer."""
        answer = identifiers.captcha(form_text(form, "captcha"))
        if store.consume_captcha(form_text(form, "captcha_id"), answer, browser_id(request)):
            return None
        return messages.CAPTCHA_WRONG if answer else messages.CAPTCHA_REQUIRED

    def render_form(
        request: Request, template: str, goto: str | None, form: FormState, *, defaults: dict[str, str], **context: Any
    ) -> HTMLResponse:
        """A page whose form carries ``goto``: as first shown, or refused with what was typed and what is wrong."""
        return render(
            templates,
            request,
            template,
            {
                "goto": goto or "",
                "values": {**defaults, **form.values},
                "errors": dict(form.errors),
                "form_error": form.form_error,
                **context,
            },
        )

    def pc_only(request: Request, goto: str | None, notice: PcOnlyNotice) -> HTMLResponse:
        """The guide's answer for a phone, the PC address, and the way back to the login page (``goto`` kept)."""
        return render(
            templates,
            request,
            "pc_only.html",
            {"heading": notice.heading, "answer": notice.answer, "back_to_login": login_url(goto)},
        )

    async def pc_only_for_post(request: Request, notice: PcOnlyNotice) -> HTMLResponse:
        """A form posted from a phone: read only its goto, store nothing, and say where to do it instead."""
        async with request.form() as form:
            goto = carried_goto(request, form)
        return pc_only(request, goto, notice)

    # --- captcha images -----------------------------------------------------

    @router.get(CAPTCHA_IMAGE_PATH)
    def captcha_image(captcha_id: str) -> Response:
        captcha = store.get_captcha(captcha_id)
        if captcha is None:
            return Response("验证码不存在", status_code=404, media_type="text/plain; charset=utf-8")
        return Response(images.png(captcha.answer), media_type="image/png", headers={"Cache-Control": "no-store"})

    # --- 口令登录 ------------------------------------------------------------

    def bad_login_address(request: Request) -> HTMLResponse:
        return error_page(
            templates,
            request,
            status_code=400,
            heading="登录地址无效",
            detail="登录地址缺少认证模块参数，请从业务系统重新进入北京市统一身份认证平台。",
        )

    def render_login(
        request: Request,
        *,
        goto: str | None,
        tab: str | None,
        username: str = "",
        errors: dict[str, str] | None = None,
        form_error: str | None = None,
    ) -> HTMLResponse:
        known = {t.key for t in (*LOGIN_TABS, *THIRD_PARTY_LOGINS)}
        # An unknown tab is not worth an error page: show the default one.
        active = tab if tab in known else PASSWORD_TAB
        third_party = next((t for t in THIRD_PARTY_LOGINS if t.key == active), None)
        show_form = active == PASSWORD_TAB
        # The form posts back to exactly the URL it came from, query included.
        action = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return render(
            templates,
            request,
            "login.html",
            {
                "tabs": [
                    {"key": t.key, "label": t.label, "href": login_url(goto, t.key), "selected": t.key == active}
                    for t in LOGIN_TABS
                ],
                "third_party_logins": [{"label": t.label, "href": login_url(goto, t.key)} for t in THIRD_PARTY_LOGINS],
                "active_tab": None if third_party else active,
                "third_party_label": third_party.label if third_party else "",
                "show_form": show_form,
                "only_password": messages.ONLY_PASSWORD_LOGIN,
                "no_account_note": messages.NO_ACCOUNT_ON_PHONE,
                "captcha_id": new_captcha_id(request) if show_form else "",
                "refresh_url": login_url(goto, tab),
                "action": action,
                "username": username,
                "errors": errors or {},
                "form_error": form_error,
                "forgot_url": with_goto(FORGOT_PATH, goto),
                "register_url": with_goto(REGISTER_PATH, goto),
                "agreement_url": AGREEMENT_PATH,
            },
        )

    @router.get(LOGIN_PATH)
    def login_page(
        request: Request, module: str | None = None, goto: str | None = None, tab: str | None = None
    ) -> HTMLResponse:
        if module != LOGIN_MODULE:
            return bad_login_address(request)
        return render_login(request, goto=goto, tab=tab)

    @router.post(LOGIN_PATH)
    async def login_submit(
        request: Request, module: str | None = None, goto: str | None = None, tab: str | None = None
    ) -> Response:
        if module != LOGIN_MODULE:
            return bad_login_address(request)
        form = await request.form()
        typed_username = form_text(form, "username")
        username = identifiers.account_name(typed_username)
        password = form_text(form, "password")
        # Any submit uses the captcha up, whatever else is wrong with the form.
        captcha_message = captcha_error(request, form)

        def again(*, field: str | None = None, message: str) -> HTMLResponse:
            errors = {field: message} if field else {}
            return render_login(
                request,
                goto=goto,
                tab=PASSWORD_TAB,
                username=typed_username,
                errors=errors,
                form_error=None if field else message,
            )

        # The rules in the order the contract gives; the first that fails answers.
        if not username:
            return again(field="username", message=messages.LOGIN_ACCOUNT_REQUIRED)
        if not password:
            return again(field="password", message=messages.LOGIN_PASSWORD_REQUIRED)
        if captcha_message:
            return again(field="captcha", message=captcha_message)
        result, account = store.attempt_login(username, password)
        if result is LoginResult.LOCKED:
            return again(message=messages.ACCOUNT_LOCKED)
        if result is LoginResult.BAD_CREDENTIALS:
            return again(message=messages.BAD_CREDENTIALS)
        if result is LoginResult.PENDING_REVIEW:
            return again(message=messages.UNDER_REVIEW)
        assert account is not None, "a successful login names its account"

        # A new login replaces whatever session this browser had, and the browser id its
        # forms' tokens are bound to: nothing fixed before the login outlives it.
        store.end_session(request.cookies.get(SESSION_COOKIE))
        session = store.create_session(account)
        response = RedirectResponse(safe_goto(goto, base_url) or WELCOME_PATH, status_code=302)
        set_cookie(response, SESSION_COOKIE, session.session_id)
        set_cookie(response, BROWSER_COOKIE, new_browser_id())
        return response

    @router.get(WELCOME_PATH)
    def welcome(request: Request) -> Response:
        signed_in = store.session_account(request.cookies.get(SESSION_COOKIE))
        if signed_in is None:
            return RedirectResponse(login_url(), status_code=302)
        _session, account = signed_in
        return render(templates, request, "welcome.html", {"account": account.account})

    @router.get(LOGOUT_PATH)
    def logout(request: Request, goto: str | None = None) -> Response:
        store.end_session(request.cookies.get(SESSION_COOKIE))
        response = RedirectResponse(safe_goto(goto, base_url) or login_url(), status_code=302)
        delete_cookie(response, SESSION_COOKIE)
        # The next page starts a new browser id (and so new form tokens) too.
        delete_cookie(response, BROWSER_COOKIE)
        return response

    @router.get(AGREEMENT_PATH)
    def agreement(request: Request) -> HTMLResponse:
        return render(templates, request, "agreement.html")

    # --- 注册 step 1: 法人身份鉴证 -------------------------------------------

    def render_identity(request: Request, goto: str | None, form: FormState = BLANK_FORM) -> HTMLResponse:
        return render_form(
            request,
            "register_identity.html",
            goto,
            form,
            defaults={"legal_person_id_type": "resident_id"},
            steps=WIZARD_STEPS,
            current_step=0,
            captcha_id=new_captcha_id(request),
            refresh_url=with_goto(REGISTER_PATH, goto),
            max_document_mb=validation.DOCUMENT_MAX_BYTES // (1024 * 1024),
        )

    # On a phone every step of the wizard, GET or POST, answers with 常见问题 Q3
    # instead: registration is possible only on a PC, so nothing is registered here.

    @router.get(REGISTER_PATH)
    def register_identity_page(request: Request, goto: str | None = None) -> HTMLResponse:
        if on_phone(request):
            return pc_only(request, goto, REGISTER_ON_PC)
        return render_identity(request, goto)

    @router.post(REGISTER_PATH)
    async def register_identity_submit(request: Request) -> Response:
        if on_phone(request):
            return await pc_only_for_post(request, REGISTER_ON_PC)
        async with request.form() as form:
            goto = carried_goto(request, form)
            values = {
                name: form_text(form, name)
                for name in ("enterprise_name", "credit_code", "legal_person_name", "legal_person_id_number")
            }
            # A tampered radio value falls back to the default choice rather than an error page.
            id_type_raw = form_text(form, "legal_person_id_type")
            id_type: validation.IdType = "passport" if id_type_raw == "passport" else "resident_id"
            values["legal_person_id_type"] = id_type
            upload = form.get("document")
            document_name = upload.filename if isinstance(upload, UploadFile) else None
            document_size = await _upload_size(upload) if isinstance(upload, UploadFile) else 0
            captcha_message = captcha_error(request, form)
        credit_code = identifiers.credit_code(values["credit_code"])
        id_number = identifiers.id_number(values["legal_person_id_number"])

        checks = {
            "enterprise_name": validation.enterprise_name_error(values["enterprise_name"]),
            "credit_code": validation.credit_code_error(credit_code),
            "legal_person_name": validation.legal_person_name_error(values["legal_person_name"]),
            "legal_person_id_number": validation.legal_person_id_error(id_type, id_number),
            # Rule R2: a passport or other document needs its scan.
            "document": validation.document_error(document_name, document_size) if id_type == "passport" else None,
            "captcha": captcha_message,
        }
        errors = {field: message for field, message in checks.items() if message}
        form_error: str | None = None
        if not errors and store.has_password_account(credit_code, id_number):
            form_error = messages.ONE_ACCOUNT_PER_HANDLER
        if errors or form_error:
            return render_identity(request, goto, FormState(values, errors, form_error))

        draft = store.save_identity(
            request.cookies.get(WIZARD_COOKIE),
            LegalIdentity(
                enterprise_name=values["enterprise_name"].strip(),
                credit_code=credit_code,
                legal_person_name=values["legal_person_name"].strip(),
                legal_person_id_type=id_type,
                legal_person_id_number=id_number,
                document_name=document_name if id_type == "passport" else None,
                document_size=document_size if id_type == "passport" else None,
            ),
        )
        response = RedirectResponse(with_goto(REGISTER_ACCOUNT_PATH, goto), status_code=303)
        set_cookie(response, WIZARD_COOKIE, draft.draft_id)
        return response

    # --- 注册 step 2: 创建账号 -----------------------------------------------

    def step_one_first(goto: str | None) -> RedirectResponse:
        """Steps 2 and 3 without a finished step 1 in this browser start over."""
        return RedirectResponse(with_goto(REGISTER_PATH, goto), status_code=303)

    def ready_for_account(request: Request) -> bool:
        draft = store.get_draft(request.cookies.get(WIZARD_COOKIE))
        return draft is not None and draft.identity is not None and draft.registered_account is None

    def render_account(request: Request, goto: str | None, form: FormState = BLANK_FORM) -> HTMLResponse:
        return render_form(
            request,
            "register_account.html",
            goto,
            form,
            defaults={"account": "", "mobile": ""},
            steps=WIZARD_STEPS,
            current_step=1,
        )

    @router.get(REGISTER_ACCOUNT_PATH)
    def register_account_page(request: Request, goto: str | None = None) -> Response:
        if on_phone(request):
            return pc_only(request, goto, REGISTER_ON_PC)
        if not ready_for_account(request):
            return step_one_first(goto)
        return render_account(request, goto)

    @router.post(REGISTER_ACCOUNT_PATH)
    async def register_account_submit(request: Request) -> Response:
        if on_phone(request):
            return await pc_only_for_post(request, REGISTER_ON_PC)
        form = await request.form()
        goto = carried_goto(request, form)
        if not ready_for_account(request):
            return step_one_first(goto)
        values = {"account": form_text(form, "account"), "mobile": form_text(form, "mobile")}
        account = identifiers.account_name(values["account"])
        mobile = identifiers.mobile(values["mobile"])
        password = form_text(form, "password")
        confirmation = form_text(form, "password_confirm")

        password_error, confirmation_error = validation.new_password_errors(password, confirmation)
        account_error = validation.account_name_error(account)
        if account_error is None and store.get_account(account) is not None:
            account_error = messages.ACCOUNT_NAME_TAKEN
        checks = {
            "account": account_error,
            "password": password_error,
            "password_confirm": confirmation_error,
            "mobile": validation.mobile_error(mobile),
        }
        errors = {field: message for field, message in checks.items() if message}
        if errors:
            return render_account(request, goto, FormState(values, errors))
        try:
            store.complete_registration(
                request.cookies.get(WIZARD_COOKIE), account=account, password=password, mobile=mobile
            )
        except AccountExistsError:
            # Taken between the check above and the insert (another browser).
            return render_account(request, goto, FormState(values, errors={"account": messages.ACCOUNT_NAME_TAKEN}))
        except HandlerAlreadyRegisteredError:
            return render_account(request, goto, FormState(values, form_error=messages.ONE_ACCOUNT_PER_HANDLER))
        except DraftNotReadyError:
            return step_one_first(goto)
        return RedirectResponse(with_goto(REGISTER_DONE_PATH, goto), status_code=303)

    # --- 注册 step 3: 注册完成 -----------------------------------------------

    @router.get(REGISTER_DONE_PATH)
    def register_done(request: Request, goto: str | None = None) -> Response:
        if on_phone(request):
            return pc_only(request, goto, REGISTER_ON_PC)
        draft = store.get_draft(request.cookies.get(WIZARD_COOKIE))
        if draft is None or draft.registered_account is None:
            return step_one_first(goto)
        return render(
            templates,
            request,
            "register_done.html",
            {
                "steps": WIZARD_STEPS,
                "current_step": 2,
                "account": draft.registered_account,
                "back_to_login": login_url(goto),
            },
        )

    # --- 找回密码 (常见问题 Q2) ------------------------------------------------
    #
    # 步骤1 验证身份 (account, ID number, captcha) starts a recovery kept on the server under a
    # fresh cookie; 步骤2 设置新密码 sends a code to the account's registered mobile and takes it
    # with the new password; then 重置完成.  A phone gets 常见问题 Q4 at every one of these
    # addresses, GET or POST: no password changes there.

    def render_recovery(
        request: Request, template: str, goto: str | None, form: FormState, *, current_step: int, **context: Any
    ) -> HTMLResponse:
        return render_form(
            request,
            template,
            goto,
            form,
            defaults={"account": "", "legal_person_id_number": ""},
            steps=RECOVERY_STEPS,
            current_step=current_step,
            help_line=messages.RECOVERY_HELP,
            back_to_login=login_url(goto),
            **context,
        )

    def render_verify_identity(request: Request, goto: str | None, form: FormState = BLANK_FORM) -> HTMLResponse:
        return render_recovery(
            request,
            "forgot.html",
            goto,
            form,
            current_step=0,
            captcha_id=new_captcha_id(request),
            refresh_url=with_goto(FORGOT_PATH, goto),
        )

    def render_new_password(
        request: Request, goto: str | None, account: Account, form: FormState = BLANK_FORM, *, sent: bool = False
    ) -> HTMLResponse:
        masked = validation.mask_mobile(account.mobile)
        return render_recovery(
            request,
            "forgot_reset.html",
            goto,
            form,
            current_step=1,
            masked_mobile=masked,
            sent_message=messages.SMS_CODE_SENT.format(mobile=masked) if sent else None,
        )

    def identity_first(goto: str | None) -> RedirectResponse:
        """步骤2 without a live recovery in this browser (none, expired, or finished) starts over at 步骤1."""
        return RedirectResponse(with_goto(FORGOT_PATH, goto), status_code=303)

    @router.get(FORGOT_PATH)
    def forgot_page(request: Request, goto: str | None = None) -> HTMLResponse:
        if on_phone(request):
            return pc_only(request, goto, PASSWORD_RECOVERY_ON_PC)
        return render_verify_identity(request, goto)

    @router.post(FORGOT_PATH)
    async def forgot_submit(request: Request) -> Response:
        if on_phone(request):
            return await pc_only_for_post(request, PASSWORD_RECOVERY_ON_PC)
        form = await request.form()
        goto = carried_goto(request, form)
        values = {
            "account": form_text(form, "account"),
            "legal_person_id_number": form_text(form, "legal_person_id_number"),
        }
        account = identifiers.account_name(values["account"])
        id_number = identifiers.id_number(values["legal_person_id_number"])
        captcha_message = captcha_error(request, form)
        # Submitting 步骤1 starts over: whatever recovery this browser had is over.
        store.end_recovery(request.cookies.get(RECOVERY_COOKIE))

        # Only presence is checked: the ID number may be a passport's, and a malformed one simply does not match.
        checks = {
            "account": None if account else messages.LOGIN_ACCOUNT_REQUIRED,
            "legal_person_id_number": None if id_number else messages.LEGAL_PERSON_ID_REQUIRED,
            "captcha": captcha_message,
        }
        errors = {field: message for field, message in checks.items() if message}
        if errors:
            return render_verify_identity(request, goto, FormState(values, errors))
        recovery = store.start_recovery(account, id_number)
        if recovery is None:
            # An unknown account answers like a wrong ID number: the page must not reveal which accounts exist.
            return render_verify_identity(request, goto, FormState(values, form_error=messages.ACCOUNT_ID_MISMATCH))
        response = RedirectResponse(with_goto(RESET_PATH, goto), status_code=303)
        set_cookie(response, RECOVERY_COOKIE, recovery.recovery_id)
        return response

    @router.get(RESET_PATH)
    def reset_page(request: Request, goto: str | None = None) -> Response:
        if on_phone(request):
            return pc_only(request, goto, PASSWORD_RECOVERY_ON_PC)
        found = store.get_recovery(request.cookies.get(RECOVERY_COOKIE))
        if found is None:
            return identity_first(goto)
        _recovery, account = found
        return render_new_password(request, goto, account)

    @router.post(RESET_SMS_PATH)
    async def reset_send_code(request: Request) -> Response:
        """获取短信验证码: a code to the account's registered mobile, never to a number the browser names."""
        if on_phone(request):
            return await pc_only_for_post(request, PASSWORD_RECOVERY_ON_PC)
        async with request.form() as form:
            goto = carried_goto(request, form)
        found = store.get_recovery(request.cookies.get(RECOVERY_COOKIE))
        if found is None:
            return identity_first(goto)
        _recovery, account = found
        try:
            store.sms.send(account.mobile, SMS_PURPOSE_RESET_PASSWORD)
        except SmsRateLimitedError as refused:
            return render_new_password(request, goto, account, FormState(errors={"sms_code": refused.message}))
        return render_new_password(request, goto, account, sent=True)

    @router.post(RESET_PATH)
    async def reset_submit(request: Request) -> Response:
        if on_phone(request):
            return await pc_only_for_post(request, PASSWORD_RECOVERY_ON_PC)
        form = await request.form()
        goto = carried_goto(request, form)
        recovery_id = request.cookies.get(RECOVERY_COOKIE)
        found = store.get_recovery(recovery_id)
        if recovery_id is None or found is None:
            return identity_first(goto)
        _recovery, account = found
        code = identifiers.sms_code(form_text(form, "sms_code"))
        password = form_text(form, "new_password")
        confirmation = form_text(form, "new_password_confirm")

        password_error, confirmation_error = validation.new_password_errors(
            password, confirmation, required_message=messages.NEW_PASSWORD_REQUIRED
        )
        code_error: str | None
        if not code:
            code_error = messages.SMS_CODE_REQUIRED
        elif password_error or confirmation_error:
            # Say what the code is worth, but keep a good one for the next try: nothing changes
            # while any field is wrong.
            code_error = SMS_CODE_MESSAGES[store.sms.check(account.mobile, SMS_PURPOSE_RESET_PASSWORD, code)]
        else:
            code_error = SMS_CODE_MESSAGES[store.sms.consume(account.mobile, SMS_PURPOSE_RESET_PASSWORD, code)]
        checks = {"sms_code": code_error, "new_password": password_error, "new_password_confirm": confirmation_error}
        errors = {field: message for field, message in checks.items() if message}
        if errors:
            return render_new_password(request, goto, account, FormState(errors=errors))
        if store.complete_recovery(recovery_id, password) is None:
            # It ran out (or was finished by another tab) between the check above and now.
            return identity_first(goto)
        response = render_recovery(
            request, "forgot_done.html", goto, BLANK_FORM, current_step=2, done_message=messages.PASSWORD_RESET_DONE
        )
        delete_cookie(response, RECOVERY_COOKIE)
        return response

    return router


def carried_goto(request: Request, form: FormData) -> str | None:
    """The goto a wizard or 找回密码 form carries in its hidden input, else the one in the URL it posts to."""
    return form_text(form, "goto") or request.query_params.get("goto") or None


async def _upload_size(upload: UploadFile) -> int:
    """Bytes in an uploaded file (Starlette counts them while parsing; measure if it did not)."""
    if upload.size is not None:
        return upload.size
    await upload.seek(0)
    size = len(await upload.read())
    await upload.seek(0)
    return size
