// On a district's homepage, next to the iframe of the candidate portal (the snippet from
// the portal's admin): grows the iframe to the height of the page inside it, and brings
// a new page in the frame (the form, the thank-you page) into view. It listens only to
// the portal's own origin (where this script was loaded from) and only to the portal's
// frames on this page. No cookies, no requests of its own.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !window.URL) {
    return;
  }
  var portal = new URL(script.src).origin;

  function portalFrames() {
    return Array.prototype.filter.call(document.querySelectorAll("iframe"), function (frame) {
      try {
        return new URL(frame.src, document.baseURI).origin === portal;
      } catch (error) {
        return false;
      }
    });
  }

  window.addEventListener("message", function (event) {
    if (event.origin !== portal) {
      return;
    }
    var data = event.data;
    if (!data || data.portal !== "kandidaturportal") {
      return;
    }
    // No height: the page keeps the frame's height (the thank-you page).
    var height = typeof data.height === "number" ? Math.round(data.height) : null;
    if (height !== null && !(height > 0 && height < 100000)) {
      return;
    }
    portalFrames().forEach(function (frame) {
      if (frame.contentWindow !== event.source) {
        return;
      }
      if (height !== null) {
        frame.style.height = height + "px";
      }
      if (data.kind === "load") {
        if (frame.getAttribute("data-portal-loaded")) {
          // A new page inside the frame: show its top, not the middle of the old one.
          var top = frame.getBoundingClientRect().top;
          if (top < 0) {
            frame.scrollIntoView();
          }
        }
        frame.setAttribute("data-portal-loaded", "1");
      }
    });
  });
}());
