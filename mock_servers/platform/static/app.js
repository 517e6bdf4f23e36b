// 获取验证码 on the app's 注册 page: ask the server to send a code, show its answer beside the
// right field, and count down until the number may get another one.
//
// The server is the clock: every second the countdown asks GET /m/sms/cooldown how many seconds
// are left, instead of counting on its own.  So when a test moves the mock's clock forward,
// the button comes back within a second, and nothing in a test ever waits 60 s.
(function () {
  "use strict";

  var POLL_MS = 1000;
  var IDLE_TEXT = "获取验证码";
  var SENT_TEXT = "验证码已发送";
  var NETWORK_ERROR = "网络异常，请稍后重试";

  function countdownText(seconds) {
    return seconds + "s后重新获取";
  }

  // A message beside a field, the way the server renders one: a role="alert" paragraph that the
  // input names with aria-describedby (so it is the input's accessible description).
  function showError(form, name, message) {
    var container = form.querySelector("[data-field='" + name + "']");
    var input = form.querySelector("#" + name);
    if (!container || !input) {
      return;
    }
    var id = name + "-error";
    var error = document.getElementById(id);
    if (!error) {
      error = document.createElement("p");
      error.id = id;
      error.className = "field-error";
      error.setAttribute("role", "alert");
      container.appendChild(error);
    }
    error.textContent = message;
    container.classList.add("app-field--invalid");
    input.setAttribute("aria-invalid", "true");
    input.setAttribute("aria-describedby", id);
  }

  function clearError(form, name) {
    var container = form.querySelector("[data-field='" + name + "']");
    var input = form.querySelector("#" + name);
    var error = document.getElementById(name + "-error");
    if (error) {
      error.remove();
    }
    if (container) {
      container.classList.remove("app-field--invalid");
    }
    if (input) {
      input.removeAttribute("aria-invalid");
      input.removeAttribute("aria-describedby");
    }
  }

  function setup(button) {
    var form = button.form;
    var mobileInput = document.getElementById(button.dataset.mobileInput);
    var status = document.getElementById(button.dataset.status);
    var timer = null;
    var countingFor = "";

    function show(seconds) {
      if (seconds > 0) {
        button.disabled = true;
        button.textContent = countdownText(seconds);
      } else {
        button.disabled = false;
        button.textContent = IDLE_TEXT;
      }
    }

    function poll() {
      timer = null;
      var url = button.dataset.cooldown + "?mobile=" + encodeURIComponent(countingFor);
      fetch(url, { cache: "no-store", credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          return response.json();
        })
        .then(function (answer) {
          count(answer.resend_after);
        })
        .catch(function () {
          // A missed poll keeps the button as it is; the next one will tell.
          timer = window.setTimeout(poll, POLL_MS);
        });
    }

    function count(seconds) {
      window.clearTimeout(timer);
      timer = null;
      show(seconds);
      if (seconds > 0) {
        timer = window.setTimeout(poll, POLL_MS);
      }
    }

    button.addEventListener("click", function () {
      var mobile = mobileInput.value.trim();
      clearError(form, "mobile");
      clearError(form, "sms_code");
      if (status) {
        status.textContent = "";
      }
      button.disabled = true; // no second request while the first is on its way
      fetch(button.dataset.endpoint, {
        method: "POST",
        // The form's CSRF token: the server refuses a post without it, as it does the form's own.
        body: new URLSearchParams({ mobile: mobile, csrf_token: form.elements.csrf_token.value }),
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      })
        .then(function (response) {
          return response.json().then(function (answer) {
            return { ok: response.ok, answer: answer };
          });
        })
        .then(function (result) {
          countingFor = mobile;
          if (result.ok) {
            if (status) {
              status.textContent = SENT_TEXT;
            }
          } else {
            showError(form, result.answer.field, result.answer.message);
          }
          count(result.answer.resend_after || 0);
        })
        .catch(function () {
          showError(form, "sms_code", NETWORK_ERROR);
          show(0);
        });
    });

    // A form the server gave back (a refused 注册) while the number is still cooling down.
    var initial = parseInt(button.dataset.resendAfter || "0", 10);
    if (initial > 0) {
      countingFor = mobileInput.value.trim();
      count(initial);
    }
  }

  document.querySelectorAll("[data-sms-button]").forEach(setup);
})();
