// The "Drucken" button of the printable list pages (templates/lists/print_base.html);
// shown only where scripts run, since without them it could do nothing.
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  document.querySelectorAll(".print-button").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      window.print();
    });
  });
});
