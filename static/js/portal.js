// Move keyboard and screen-reader focus to the error summary after a failed submit.
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.getElementById("error-summary");
  if (summary) {
    summary.focus();
  }
});
