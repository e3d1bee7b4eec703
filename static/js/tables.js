/* Tables wider than the screen scroll sideways inside their .table-responsive
 * wrapper. A keyboard user can only scroll a region that takes focus, so a
 * wrapper that overflows becomes a labelled, focusable region (named after
 * its table's caption); one that fits is left alone (no empty tab stop). */
(function () {
  "use strict";

  function label(wrapper) {
    var caption = wrapper.querySelector("caption");
    var text = caption ? caption.textContent.trim() : "Table";
    return text + " (scrolls sideways)";
  }

  function update() {
    document.querySelectorAll(".table-responsive").forEach(function (wrapper) {
      if (wrapper.scrollWidth > wrapper.clientWidth + 1) {
        wrapper.setAttribute("tabindex", "0");
        wrapper.setAttribute("role", "region");
        wrapper.setAttribute("aria-label", label(wrapper));
      } else if (wrapper.getAttribute("data-static-region") === null) {
        wrapper.removeAttribute("tabindex");
        wrapper.removeAttribute("role");
        wrapper.removeAttribute("aria-label");
      }
    });
  }

  var timer = null;
  window.addEventListener("resize", function () {
    clearTimeout(timer);
    timer = setTimeout(update, 150);
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", update);
  } else {
    update();
  }
  window.addEventListener("load", update);
})();
