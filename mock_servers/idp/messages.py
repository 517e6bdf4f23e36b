"""Every message text with a rule behind it, in one place.

The wording comes from the platform's guide (企业认证操作说明) and from the
contract between the mocks and the harness; the harness's ``then`` steps assert
these strings exactly, so a change here is a change to the tests' expectations.
Static page copy (headings, tips, labels) lives in the templates.
"""

from __future__ import annotations

from typing import Final

# Shown on every login tab but 口令登录, and for the third-party logins.
ONLY_PASSWORD_LOGIN: Final = "目前只支持口令登录，请选择“口令登录”。"

# Login form (口令登录), in the order the rules are checked.
LOGIN_ACCOUNT_REQUIRED: Final = "请输入一证通账号"
LOGIN_PASSWORD_REQUIRED: Final = "请输入一证通密码"
CAPTCHA_REQUIRED: Final = "请输入验证码"
CAPTCHA_WRONG: Final = "验证码错误或已过期，请重新输入"
ACCOUNT_LOCKED: Final = "密码错误次数过多，账号已锁定，请30分钟后再试"
# Deliberately the same text for an unknown account, a wrong password and an
# account without a password: the page must never reveal whether an account exists.
BAD_CREDENTIALS: Final = "用户名或密码错误"
UNDER_REVIEW: Final = "账号正在审核中，注册完成后系统需要一个工作日进行身份证件的审核，审核通过后方可登录。"

# Registration step 1 (法人身份鉴证).
ENTERPRISE_NAME_REQUIRED: Final = "请填写企业名称"
CREDIT_CODE_REQUIRED: Final = "请填写统一社会信用代码/组织机构代码"
# What is wrong with a code, in the order it is checked (after the canonical form of
# mock_servers.common.identifiers: full-width folded, separators dropped, upper case).
CREDIT_CODE_CHARACTERS: Final = "统一社会信用代码/组织机构代码只能包含数字和大写字母"
CREDIT_CODE_LENGTH: Final = "统一社会信用代码应为18位，组织机构代码应为9位"
USCC_CHECK_CHARACTER: Final = "统一社会信用代码校验位不正确"
ORGANIZATION_CODE_CHECK_CHARACTER: Final = "组织机构代码校验位不正确"
LEGAL_PERSON_NAME_REQUIRED: Final = "请填写企业法人代表名称"
LEGAL_PERSON_ID_REQUIRED: Final = "请填写企业法人代表身份证号"
# 中国居民身份证 (GB 11643), in the order it is checked.
RESIDENT_ID_LENGTH: Final = "法人代表身份证号应为18位"
RESIDENT_ID_CHARACTERS: Final = "法人代表身份证号只能包含数字，最后一位可以是X"
RESIDENT_ID_COMPONENT: Final = "法人代表身份证号中的出生日期或地区码不正确"
RESIDENT_ID_CHECK_DIGIT: Final = "法人代表身份证号校验位不正确"
PASSPORT_NUMBER_INVALID: Final = "证件号码格式不正确"
DOCUMENT_REQUIRED: Final = "请上传护照或其它有效身份证件扫描件"
DOCUMENT_TYPE_INVALID: Final = "证件扫描件仅支持jpg、png、pdf格式"
DOCUMENT_TOO_LARGE: Final = "证件扫描件不能超过5MB"
# Rule R4 of the spec: one handler, one unit, one password account.
ONE_ACCOUNT_PER_HANDLER: Final = "一个办事人在同一个单位下，只能注册一个口令账号，该法人代表已注册过口令账号。"

# Registration step 2 (创建账号).
ACCOUNT_NAME_REQUIRED: Final = "请设置一证通账号"
ACCOUNT_NAME_INVALID: Final = "一证通账号须为4-20位字母、数字或下划线"
ACCOUNT_NAME_TAKEN: Final = "该一证通账号已被注册"
PASSWORD_REQUIRED: Final = "请设置密码"
PASSWORD_INVALID: Final = "密码须为8-20位，且同时包含字母和数字"
PASSWORDS_DIFFER: Final = "两次输入的密码不一致"
MOBILE_REQUIRED: Final = "请填写手机号码"
MOBILE_LENGTH: Final = "手机号码应为11位"
MOBILE_INVALID: Final = "手机号码格式不正确"

# 找回密码 (常见问题 Q2: an account opened another way gets a password here).
# 步骤1 验证身份: an unknown account reads exactly like a wrong ID number, so the page
# never tells which accounts exist.  The empty-field messages reuse the other forms' wording.
ACCOUNT_ID_MISMATCH: Final = "一证通账号与法人代表身份证号不匹配"
# 步骤2 设置新密码: a code sent to the account's registered mobile ({mobile} is masked).
SMS_CODE_SENT: Final = "短信验证码已发送至{mobile}"
SMS_CODE_REQUIRED: Final = "请输入短信验证码"
SMS_CODE_WRONG: Final = "短信验证码错误"
SMS_CODE_EXPIRED: Final = "短信验证码已过期，请重新获取"
SMS_CODE_USED: Final = "短信验证码已使用，请重新获取"
SMS_CODE_TOO_MANY_ATTEMPTS: Final = "短信验证码错误次数过多，请重新获取"
NEW_PASSWORD_REQUIRED: Final = "请设置新密码"
PASSWORD_RESET_DONE: Final = "密码已重置，请使用新密码登录"
# Under every step, as the guide's answer to Q2 ends; plain text, so that it can be found as written.
RECOVERY_HELP: Final = "操作过程中如遇问题，请咨询一证通技术人员，电话：010-58511090"

# Shown for every page while the control interface has the IdP "down", and in the
# token endpoint's 503 while a "fail the next token request" fault is pending.
IDP_UNAVAILABLE: Final = "统一身份认证平台暂时无法访问"

# On a phone (the app's web view, 方式二): registration and password recovery happen
# only on a PC.  The answers are the guide's 常见问题 Q3 and Q4, word for word; the
# pages turn the phone number in them into a tel: link and show the PC address below.
NO_ACCOUNT_ON_PHONE: Final = "还没有一证通账号？目前只能在PC端注册，请在电脑上打开认证平台地址完成注册。"
REGISTER_ON_PC_HEADING: Final = "请在PC端注册"
REGISTER_ON_PC_ONLY: Final = (
    "目前只能在PC端进行认证平台的账号注册，在PC端打开认证平台地址，进行注册。"
    "操作过程中如遇问题，请咨询一证通技术人员，电话：010-58511090。"
)
PASSWORD_RECOVERY_ON_PC_HEADING: Final = "请在PC端找回密码"
PASSWORD_RECOVERY_ON_PC_ONLY: Final = (
    "目前只能在PC端进行认证平台的密码找回，在PC端打开认证平台地址，进行密码找回操作。"
    "操作过程中如遇问题，请咨询一证通技术人员，电话：010-58511090。"
)
