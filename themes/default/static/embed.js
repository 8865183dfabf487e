/* Embed a timeline: <div data-timeline-embed="https://…/embed/?tags=ico"></div>
   <script src="https://…/static/embed.js" async></script>
   Each such element gets an accessible, lazily loaded iframe. Options, as
   attributes of the element:
     data-height="400"        a fixed height (px, or a CSS length such as 30rem
                              or 60vh); the timeline scrolls inside the frame
     data-max-height="900"    without data-height the frame follows its
                              content up to this height (default: 720 px or
                              85% of the window's height, whichever is
                              smaller), then scrolls inside; "none" for no limit
     data-mode="compact"      one line per event: date and title
     data-title="…"           the frame's accessible name (default: the
                              embedded view's own title)
   Only messages from our own frames are heeded. */
(function () {
  "use strict";
  var frames = [];
  var MESSAGE = "timeline-embed:height";
  var LENGTH = /^\d+(\.\d+)?(px|rem|em|vh|svh|dvh|%)?$/;
  var DEFAULT_MAX = "min(720px, 85vh)";

  function length(value) {
    value = (value || "").trim();
    if (!LENGTH.test(value)) return null;
    return /\d$/.test(value) ? value + "px" : value;
  }

  function embed(holder) {
    if (holder.getAttribute("data-timeline-embedded") !== null) return;
    var url;
    try { url = new URL(holder.getAttribute("data-timeline-embed"), document.baseURI); } catch (error) { return; }
    if (url.protocol !== "https:" && url.protocol !== "http:") return;
    var mode = holder.getAttribute("data-mode");
    if (mode && /^[a-z]+$/.test(mode) && !url.searchParams.has("mode")) url.searchParams.set("mode", mode);
    var fixed = length(holder.getAttribute("data-height"));
    var max = holder.getAttribute("data-max-height");
    max = max === "none" ? "none" : length(max) || DEFAULT_MAX;
    var named = holder.getAttribute("data-title");
    var frame = document.createElement("iframe");
    frame.src = url.href;
    frame.title = named || holder.textContent.trim() || "Timeline";
    frame.loading = "lazy";
    // A thin rule shows where the frame ends when its content scrolls inside it.
    frame.style.cssText = "display:block;width:100%;border:1px solid rgba(128,128,128,0.4);box-sizing:border-box;" +
      (fixed ? "height:" + fixed : "height:480px;max-height:" + max);
    holder.setAttribute("data-timeline-embedded", "");
    holder.textContent = "";
    holder.appendChild(frame);
    frames.push({ frame: frame, origin: url.origin, fixed: !!fixed, named: !!named });
  }

  window.addEventListener("message", function (event) {
    var data = event.data;
    if (!data || typeof data !== "object" || data.type !== MESSAGE) return;
    var height = data.height;
    if (typeof height !== "number" || !isFinite(height) || height < 0 || height > 200000) return;
    var title = typeof data.title === "string" ? data.title.trim().slice(0, 300) : "";
    for (var i = 0; i < frames.length; i += 1) {
      var known = frames[i];
      if (known.frame.contentWindow !== event.source || known.origin !== event.origin) continue;
      if (!known.fixed) known.frame.style.height = Math.ceil(height) + 2 + "px";
      if (title && !known.named) known.frame.title = title;
    }
  });

  function scan() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-timeline-embed]"), embed);
  }
  scan();
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", scan);
})();
