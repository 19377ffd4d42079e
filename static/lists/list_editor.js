// The list editor (admin/lists/candidatelist/edit_list.html): while the team edits,
// count the names against the legal maximum and show the women's share of the list and
// of its top third, in the order the server will save (by place number, rows without a
// number last). The full rule check (lists.rules) runs on the server on every save.
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var table = document.getElementById("places-table");
  var counter = document.getElementById("list-count");
  if (!table || !counter) {
    return;
  }
  var countText = document.getElementById("list-count-text");
  var warning = document.getElementById("list-count-warning");
  var shareList = document.getElementById("share-list");
  var shareTop = document.getElementById("share-top");
  var limit = counter.dataset.limit ? parseInt(counter.dataset.limit, 10) : null;

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (match, key) {
      return key in values ? String(values[key]) : match;
    });
  }

  function chosenInOrder() {
    var chosen = [];
    table.querySelectorAll("tbody tr.place-row").forEach(function (row, index) {
      var select = row.querySelector("select");
      var remove = row.querySelector("td.delete input[type=checkbox]");
      var position = row.querySelector("td.field-position input");
      if (!select || !select.value || (remove && remove.checked)) {
        return;
      }
      var number = position && position.value ? parseInt(position.value, 10) : NaN;
      var option = select.options[select.selectedIndex];
      chosen.push({
        select: select,
        value: select.value,
        numbered: !isNaN(number),
        number: isNaN(number) ? 0 : number,
        index: index,
        woman: option && option.dataset.woman === "1",
      });
    });
    chosen.sort(function (a, b) {
      if (a.numbered !== b.numbered) {
        return a.numbered ? -1 : 1;
      }
      return a.number - b.number || a.index - b.index;
    });
    return chosen;
  }

  function share(people) {
    var women = people.filter(function (person) { return person.woman; }).length;
    var text = fill(counter.dataset.textShare, { women: women, total: people.length });
    if (people.length) {
      text += " (" + Math.round((100 * women) / people.length) + " %)";
    }
    return text;
  }

  function update() {
    var chosen = chosenInOrder();
    var count = chosen.length;
    countText.textContent = limit === null
      ? fill(counter.dataset.textUnknown, { count: count })
      : fill(counter.dataset.textLimit, { count: count, limit: limit });
    var tooMany = limit !== null && count > limit;
    warning.hidden = !tooMany;
    counter.classList.toggle("too-many", tooMany);
    shareList.textContent = share(chosen);
    shareTop.textContent = share(chosen.slice(0, Math.ceil(count / 3)));
    // The same person chosen twice: marked at once (the server refuses it too).
    var seen = {};
    chosen.forEach(function (person) { seen[person.value] = (seen[person.value] || 0) + 1; });
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
