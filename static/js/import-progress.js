/* Polls an import's status and moves the progress bar; the page also
 * refreshes itself (meta refresh) when scripts are off. */
(function () {
  "use strict";
  var bar = document.getElementById("import-progress");
  var url = bar && bar.getAttribute("data-status-url");
  if (!url) { return; }
  function poll() {
    fetch(url, { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (s) {
        bar.style.width = s.progress + "%";
        bar.textContent = s.progress + "%";
        bar.parentElement.setAttribute("aria-valuenow", s.progress);
        if (s.finished) { window.location = s.url; } else { setTimeout(poll, 1000); }
      });
  }
  poll();
})();
