// The user-name menu at the top right (WAI-ARIA menu button pattern).  The only script on
// the site: everything else works without JavaScript.
(function () {
  "use strict";

  function setup(container) {
    var button = container.querySelector("[aria-haspopup='menu']");
    var menu = container.querySelector("[role='menu']");
    if (!button || !menu) {
      return;
    }
    function items() {
      return Array.prototype.slice.call(menu.querySelectorAll("[role='menuitem']"));
    }
    function open(focusFirst) {
      menu.hidden = false;
      button.setAttribute("aria-expanded", "true");
      if (focusFirst && items().length) {
        items()[0].focus();
      }
    }
    function close(returnFocus) {
      menu.hidden = true;
      button.setAttribute("aria-expanded", "false");
      if (returnFocus) {
        button.focus();
      }
    }
    button.addEventListener("click", function () {
      if (menu.hidden) {
        open(false);
      } else {
        close(false);
      }
    });
    button.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown") {
        event.preventDefault();
        open(true);
      }
    });
    menu.addEventListener("keydown", function (event) {
      var list = items();
      var index = list.indexOf(document.activeElement);
      if (event.key === "Escape") {
        event.preventDefault();
        close(true);
      } else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        var step = event.key === "ArrowDown" ? 1 : -1;
        list[(index + step + list.length) % list.length].focus();
      } else if (event.key === "Tab") {
        close(false);
      }
    });
    document.addEventListener("click", function (event) {
      if (!menu.hidden && !container.contains(event.target)) {
        close(false);
      }
    });
  }

  document.querySelectorAll("[data-user-menu]").forEach(setup);
})();
