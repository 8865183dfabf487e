/* Live preview only: keeps the open page up to date with the preview's build.
   A websocket to the server says, on connecting and after every rebuild that
   changed what is shown, which version of the site is served and whether the
   content has errors. A page of another version reloads; otherwise the errors
   (written to /_preview/errors.html from the theme's preview-errors.html
   template) show over the page, and go once they are fixed. */
(function () {
  "use strict";
  if (!window.WebSocket || !window.fetch || !window.DOMParser) return;
  var script = document.currentScript;
  var version = script && script.getAttribute("data-version");
  var PANEL = "timeline-preview-errors";

  function hideErrors() {
    var shown = document.getElementById(PANEL);
    if (shown) shown.remove();
  }

  function showErrors() {
    fetch("/_preview/errors.html", { cache: "no-store" })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        var panel = html && new DOMParser().parseFromString(html, "text/html").getElementById(PANEL);
        if (!panel) return hideErrors();  /* fixed in the meantime */
        if (!document.querySelector('link[href="/_preview/overlay.css"]')) {
          var style = document.createElement("link");
          style.rel = "stylesheet";
          style.href = "/_preview/overlay.css";
          document.head.appendChild(style);
        }
        var shown = document.getElementById(PANEL);
        panel = document.importNode(panel, true);
        if (shown) {
          shown.replaceWith(panel);  /* the errors of the latest save, shown again if hidden */
        } else {
          document.body.appendChild(panel);
          panel.focus({ preventScroll: true });
        }
        var hide = panel.querySelector("[data-dismiss]");
        if (hide) hide.addEventListener("click", function () { panel.hidden = true; });
      })
      .catch(function () { /* the server stopped: nothing to show */ });
  }

  function connect() {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    var socket = new WebSocket(scheme + location.host + "/_preview/updates");
    socket.onmessage = function (message) {
      var state = JSON.parse(message.data);
      if (version && state.version !== version) {
        location.reload();
      } else if (state.errors) {
        showErrors();
      } else {
        hideErrors();
      }
    };
    /* The server stopped: try again, and reload once it is back with a new build. */
    socket.onclose = function () { setTimeout(connect, 1000); };
  }

  connect();
})();
