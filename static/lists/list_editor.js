// The list editor (admin/lists/candidatelist/edit_list.html): while the team edits,
// count the names against the legal maximum and mark a person chosen twice. The full rule
// check (lists.rules) runs on the server on every save, and so does the summary of the
// people's self-description: the page knows no single person's answers.
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var table = document.getElementById("places-table");
  var counter = document.getElementById("list-count");
  if (!table || !counter) {
    return;
  }
  var countText = document.getElementById("list-count-text");
  var warning = document.getElementById("list-count-warning");
  var limit = counter.dataset.limit ? parseInt(counter.dataset.limit, 10) : null;

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (match, key) {
      return key in values ? String(values[key]) : match;
    });
  }

  function chosen() {
    var people = [];
    table.querySelectorAll("tbody tr.place-row").forEach(function (row) {
      var select = row.querySelector("select");
      var remove = row.querySelector("td.delete input[type=checkbox]");
      if (!select || !select.value || (remove && remove.checked)) {
        return;
      }
      people.push(select.value);
    });
    return people;
  }

  function update() {
    var people = chosen();
    var count = people.length;
    countText.textContent = limit === null
      ? fill(counter.dataset.textUnknown, { count: count })
      : fill(counter.dataset.textLimit, { count: count, limit: limit });
    var tooMany = limit !== null && count > limit;
    warning.hidden = !tooMany;
    counter.classList.toggle("too-many", tooMany);
    // The same person chosen twice: marked at once (the server refuses it too).
    var seen = {};
    people.forEach(function (value) { seen[value] = (seen[value] || 0) + 1; });
    table.querySelectorAll("tbody select").forEach(function (select) {
      select.classList.toggle("chosen-twice", !!select.value && seen[select.value] > 1);
    });
  }

  var addButton = document.getElementById("add-place-row");
  var rowTemplate = document.getElementById("place-row-template");
  var totalForms = document.getElementById("id_places-TOTAL_FORMS");
  if (addButton && rowTemplate && totalForms) {
    addButton.parentElement.hidden = false;
    addButton.addEventListener("click", function () {
      var index = parseInt(totalForms.value, 10);
      var html = rowTemplate.innerHTML.replace(/__prefix__/g, String(index));
      table.querySelector("tbody").insertAdjacentHTML("beforeend", html);
      totalForms.value = String(index + 1);
      var rows = table.querySelectorAll("tbody tr.place-row");
      var select = rows[rows.length - 1].querySelector("select");
      if (select) {
        select.focus();
      }
      update();
    });
  }

  table.addEventListener("change", update);
  table.addEventListener("input", update);
  update();
});
