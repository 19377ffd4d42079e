// Inside the frame (templates/embed/base.html): tells the district's homepage how tall
// this page is, so that its iframe grows with it (static/embed/resize.js there). Only
// the origins the district entered (data-embed-parents, the same list as the page's
// frame-ancestors header) are ever told; the message holds nothing but the height.
(function () {
  "use strict";
  var root = document.documentElement;
  var parents = (root.getAttribute("data-embed-parents") || "").split(" ").filter(Boolean);
  if (window.parent === window || parents.length === 0) {
    return;
  }
  // The homepage's origin, where the browser tells it; else every allowed one (a message
  // for another origin is dropped by the browser).
  var known = window.location.ancestorOrigins && window.location.ancestorOrigins[0];
  var targets = parents.indexOf(known) >= 0 ? [known] : parents;
  var last = 0;

  function post(kind) {
    var height = Math.ceil(root.getBoundingClientRect().height);
    if (kind === "height" && height === last) {
      return;
    }
    last = height;
    targets.forEach(function (origin) {
      try {
        window.parent.postMessage({ portal: "kandidaturportal", kind: kind, height: height }, origin);
      } catch (error) {
        // A malformed origin cannot come from the server's list; nothing to do.
      }
    });
  }

  post("load");
  if (window.ResizeObserver) {
    new ResizeObserver(function () { post("height"); }).observe(root);
  } else {
    window.addEventListener("resize", function () { post("height"); });
  }
}());
