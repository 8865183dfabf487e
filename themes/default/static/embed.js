/* Embed a timeline: <div data-timeline-embed="https://…/embed/?tags=ico"></div>
   <script src="https://…/static/embed.js" async></script>
   Each such element gets an accessible, lazily loaded iframe whose height
   follows its content. Only height messages from our own frames are heeded. */
(function () {
  "use strict";
  var frames = [];
  var MESSAGE = "timeline-embed:height";

  function embed(holder) {
    if (holder.getAttribute("data-timeline-embedded") !== null) return;
    var url;
    try { url = new URL(holder.getAttribute("data-timeline-embed"), document.baseURI); } catch (error) { return; }
    if (url.protocol !== "https:" && url.protocol !== "http:") return;
    var frame = document.createElement("iframe");
    frame.src = url.href;
    frame.title = holder.getAttribute("data-title") || "Timeline";
    frame.loading = "lazy";
    frame.setAttribute("scrolling", "no");
    frame.style.cssText = "display:block;width:100%;height:480px;border:0;overflow:hidden";
    holder.setAttribute("data-timeline-embedded", "");
    holder.textContent = "";
    holder.appendChild(frame);
    frames.push({ frame: frame, origin: url.origin });
  }

  window.addEventListener("message", function (event) {
    var data = event.data;
    if (!data || typeof data !== "object" || data.type !== MESSAGE) return;
    var height = data.height;
    if (typeof height !== "number" || !isFinite(height) || height < 0 || height > 200000) return;
    for (var i = 0; i < frames.length; i += 1) {
      if (frames[i].frame.contentWindow === event.source && frames[i].origin === event.origin) {
        frames[i].frame.style.height = Math.ceil(height) + "px";
      }
    }
  });

  function scan() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-timeline-embed]"), embed);
  }
  scan();
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", scan);
})();
