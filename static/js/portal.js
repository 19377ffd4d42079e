// The error summary above the application form (templates/includes/_error_summary.html).
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.getElementById("error-summary");
  if (!summary) {
    return;
  }
  // Move keyboard and screen-reader focus to the summary after a failed submit.
  summary.focus();

  // Each link points at the field's input (for radio and checkbox groups: the group's
  // first input), so it works without JavaScript too. With it, a radio group focuses its
  // checked answer, and the question (legend or label) scrolls into view with the input,
  // instead of the input landing at the very top of the screen with its question hidden.
  summary.addEventListener("click", function (event) {
    var link = event.target.closest("a[href^='#']");
    if (!link || !summary.contains(link)) {
      return;
    }
    var input = document.getElementById(decodeURIComponent(link.hash.slice(1)));
    if (!input) {
      return;
    }
    if (input.type === "radio" && input.form) {
      var checked = Array.prototype.find.call(input.form.elements, function (element) {
        return element.type === "radio" && element.name === input.name && element.checked;
      });
      input = checked || input;
    }
    event.preventDefault();
    var question = input.closest("[id^='div_id_']") || input;
    question.scrollIntoView({ block: "start" });
    input.focus({ preventScroll: true });
  });
});
