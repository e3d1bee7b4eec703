/* "Print" buttons: no inline handler, so the Content-Security-Policy holds. */
(function () {
  "use strict";
  document.querySelectorAll("[data-action='print']").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
})();
