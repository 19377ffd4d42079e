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
  // The height is told when the page has loaded and when the window changes its width,
  // never when the content changes after that: the live eligibility hints and the
  // thank-you page's notes would otherwise tell the homepage (and whatever it loads)
  // something about the applicant. Content that grows later scrolls inside the frame.
  // A page that could say something by its very height (the thank-you page) keeps the
  // frame as it was and only says that it loaded.
  var quiet = root.hasAttribute("data-embed-keep-height");
  var width = window.innerWidth;

  function post(kind) {
    var height = quiet ? null : Math.ceil(root.getBoundingClientRect().height);
    targets.forEach(function (origin) {
      try {
        window.parent.postMessage({ portal: "kandidaturportal", kind: kind, height: height }, origin);
      } catch (error) {
        // A malformed origin cannot come from the server's list; nothing to do.
      }
    });
  }

  post("load");
  window.addEventListener("resize", function () {
    if (window.innerWidth !== width) {
      width = window.innerWidth;
      post("height");
    }
  });
}());
