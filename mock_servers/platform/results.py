"""How a 企业认证 round trip ends, in words and in a page, for the website and the app alike.

:func:`describe` maps each failed :data:`~mock_servers.platform.certification.Outcome` to what
the user is told (one table for both front ends, so their messages cannot drift apart);
:func:`render_outcome` picks the front end the request came from and renders its page.

Two decisions about where the user is are made here, not in the routes: which front end
answers (:func:`channel_of`), and whether the app adds the guide's note on one phone with
several accounts (:func:`one_phone_note`, 常见问题 Q1a).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import assert_never

from fastapi import Request, Response
from fastapi.responses import RedirectResponse

from mock_servers.common.devices import is_phone
from mock_servers.platform import app_devices
from mock_servers.platform.certification import (
    AccountHasOtherEnterprise,
    BoundToOther,
    Certified,
    Outcome,
    ProviderError,
    ProviderUnavailable,
    StateInvalid,
    TokenRejected,
)
from mock_servers.platform.context import PlatformContext
from mock_servers.platform.state import Channel
from mock_servers.platform.web import (
    APP_ME_PATH,
    APP_START_PATH,
    WEB_PROFILE_PATH,
    WEB_START_PATH,
    current_username,
    render,
)

MSG_INCOMPLETE = "企业认证未完成"
MSG_STATE_INVALID = "认证请求已失效，请重新认证"
MSG_IDP_UNAVAILABLE = "统一身份认证平台暂时无法访问，请稍后重试"
MSG_IDP_ERROR = "统一身份认证平台未完成认证，请重新认证"
MSG_TOKEN_REJECTED = "统一身份认证平台返回的认证结果未通过校验，请重新认证"
MSG_BOUND_TO_OTHER = "该企业已被其他用户绑定"
# The guide's answer to Q1 (常见问题), in the contract's wording.
ADVICE_BOUND_TO_OTHER = (
    "请咨询贵公司相关人员是否有过绑定，获取已被绑定的平台账号和密码，并用该账号重新登录平台网站或者APP，"
    "进行后续相关操作。若找不到已被绑定的平台账号和密码，需要申请解绑处理，"
    "请咨询北京市中小企业公共服务平台呼叫中心（010-82176966/010-82176996）。"
)
MSG_ACCOUNT_HAS_OTHER = "您的平台账号已认证其他企业，一个平台账号只能认证一家企业"
ADVICE_ACCOUNT_HAS_OTHER = "如需变更认证企业，请咨询北京市中小企业公共服务平台呼叫中心（010-82176966/010-82176996）。"
ADVICE_HEADING = "处理建议"
# 常见问题 Q1a, the guide's first reason for 该企业已被其他用户绑定, in its words.
ONE_PHONE_HEADING = "企业认证仅支持一部手机一个账号"
ONE_PHONE_NOTE = (
    "一部手机登录多个账号进行操作，如此操作会影响认证平台对企业认证绑定的判断和返回结果，"
    "也会影响已经完成认证的账号，企业认证仅支持一部手机一个账号，请谨慎操作。"
)

Failure = StateInvalid | ProviderError | ProviderUnavailable | TokenRejected | BoundToOther | AccountHasOtherEnterprise


@dataclass(frozen=True)
class ResultPage:
    """What the result page says for one way a 企业认证 round trip failed."""

    status_code: int
    message: str
    detail: str | None = None
    advice: str | None = None
    # A refused binding will be refused again: only the call center can help, so no 重新认证.
    retry: bool = True


@dataclass(frozen=True)
class _FrontEnd:
    """Where one front end shows the result, and where its buttons lead."""

    template: str
    retry_path: str
    back_label: str
    back_path: str


_FRONT_ENDS: dict[Channel, _FrontEnd] = {
    "web": _FrontEnd("auth_result.html", WEB_START_PATH, "返回个人主页", WEB_PROFILE_PATH),
    "app": _FrontEnd("app/auth_result.html", APP_START_PATH, "返回我的", APP_ME_PATH),
}


def describe(outcome: Failure) -> ResultPage:
    """The words (and HTTP status) for a failed round trip, whichever front end shows them."""
    match outcome:
        case StateInvalid():
            return ResultPage(400, MSG_STATE_INVALID)
        case ProviderError(error=error, description=description):
            detail = f"错误代码：{error}" + (f"（{description}）" if description else "")
            return ResultPage(400, MSG_IDP_ERROR, detail)
        case ProviderUnavailable():
            return ResultPage(502, MSG_IDP_UNAVAILABLE)
        case TokenRejected(reason=reason):
            return ResultPage(502, MSG_TOKEN_REJECTED, f"原因：{reason}")
        case BoundToOther(enterprise_name=name, credit_code=code):
            detail = f"企业名称：{name}（统一社会信用代码：{code}）"
            return ResultPage(409, MSG_BOUND_TO_OTHER, detail, ADVICE_BOUND_TO_OTHER, retry=False)
        case AccountHasOtherEnterprise(binding=binding):
            detail = f"已认证企业：{binding.enterprise_name}"
            return ResultPage(409, MSG_ACCOUNT_HAS_OTHER, detail, ADVICE_ACCOUNT_HAS_OTHER, retry=False)
        case _:
            assert_never(outcome)


def channel_of(outcome: Outcome, user_agent: str | None) -> Channel:
    """The front end whose page answers: the request's own, or for an unknown request the browser's kind."""
    if outcome.channel is not None:
        return outcome.channel
    return "app" if is_phone(user_agent) else "web"


def one_phone_note(ctx: PlatformContext, request: Request, outcome: Failure, channel: Channel) -> str | None:
    """The guide's note on one phone with several accounts, when it explains this refusal; else None.

    It does only when the app started the round trip, the enterprise is bound to another
    account, and that account logged in to the app on this very phone (Q1a).  A colleague's
    account that never did (Q1b) gets the 处理建议 alone.
    """
    if channel != "app" or not isinstance(outcome, BoundToOther):
        return None
    return ONE_PHONE_NOTE if app_devices.logged_in_here(ctx, request, outcome.holder) else None


def render_outcome(ctx: PlatformContext, request: Request, outcome: Outcome) -> Response:
    """Success goes where the request asked; a failure gets the result page of its front end."""
    if isinstance(outcome, Certified):
        return RedirectResponse(outcome.return_to, status_code=303)
    page = describe(outcome)
    channel = channel_of(outcome, request.headers.get("user-agent"))
    front_end = _FRONT_ENDS[channel]
    context = {
        "heading": MSG_INCOMPLETE,
        "message": page.message,
        "detail": page.detail,
        # Only the app's template shows it; the website never sets it.
        "one_phone_note": one_phone_note(ctx, request, outcome, channel),
        "one_phone_heading": ONE_PHONE_HEADING,
        "advice": page.advice,
        "advice_heading": ADVICE_HEADING,
        "retry": page.retry,
        "retry_path": front_end.retry_path,
        "back_label": front_end.back_label,
        "back_path": front_end.back_path,
        "logged_in": current_username(ctx, request) is not None,
    }
    return render(ctx, request, front_end.template, context, status_code=page.status_code)
