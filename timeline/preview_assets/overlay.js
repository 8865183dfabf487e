/* Live preview only: when the content has errors, show them over the page.
   The server writes the list to /_preview/errors.html (from the theme's
   preview-errors.html template) and deletes it once the content is valid. */
(function () {
  "use strict";
  if (!window.fetch || !window.DOMParser) return;
  fetch("/_preview/errors.html", { cache: "no-store" })
    .then(function (response) { return response.ok ? response.text() : null; })
    .then(function (html) {
      if (!html || document.getElementById("timeline-preview-errors")) return;
      var panel = new DOMParser().parseFromString(html, "text/html").getElementById("timeline-preview-errors");
      if (!panel) return;
      var style = document.createElement("link");
      style.rel = "stylesheet";
      style.href = "/_preview/overlay.css";
      document.head.appendChild(style);
      panel = document.importNode(panel, true);
      document.body.appendChild(panel);
      var hide = panel.querySelector("[data-dismiss]");
      if (hide) hide.addEventListener("click", function () { panel.hidden = true; });
      panel.focus({ preventScroll: true });
    })
    .catch(function () { /* the server stopped: nothing to show */ });
})();
