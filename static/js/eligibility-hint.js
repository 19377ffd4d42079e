// Live eligibility hint on the application form (progressive enhancement): when an answer
// means the person cannot stand on our list, say why and what they can do instead, next
// to that field, at once. The texts and the boundary dates come from the page
// (#eligibility-hints, rendered from candidates.eligibility); this script restates no
// rule but comparing dates. Without JavaScript the thank-you page says the same.
document.addEventListener("DOMContentLoaded", function () {
  var source = document.getElementById("eligibility-hints");
  var form = document.querySelector("form.application-form");
  if (!source || !form) {
    return;
  }
  var bornBy = source.dataset.bornBy;
  var residentBy = source.dataset.residentBy;

  function value(name) {
    var checked = form.querySelector('[name="' + name + '"]:checked');
    if (checked) {
      return checked.value;
    }
    var field = form.querySelector('input[name="' + name + '"]:not([type="radio"])');
    return field ? field.value : "";
  }

  function isoDate(text) {
    // Date fields give YYYY-MM-DD; typed German dates (TT.MM.JJJJ) are read too.
    var german = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(text.trim());
    if (german) {
      return german[3] + "-" + ("0" + german[2]).slice(-2) + "-" + ("0" + german[1]).slice(-2);
    }
    return /^\d{4}-\d{2}-\d{2}$/.test(text) ? text : "";
  }

  function ticked(name) {
    var box = form.querySelector('input[type="checkbox"][name="' + name + '"]');
    return box ? box.checked : false;
  }

  // Reason code -> the field it belongs to and whether the answers show it.
  var checks = [
    { code: "too_young", field: "date_of_birth", applies: function () {
      var born = isoDate(value("date_of_birth"));
      return born !== "" && bornBy !== "" && born > bornBy;
    } },
    { code: "citizenship", field: "citizenship", applies: function () {
      return value("citizenship") === "other";
    } },
    { code: "residence", field: "resident_since", applies: function () {
      var since = isoDate(value("resident_since"));
      return since !== "" && residentBy !== "" && since > residentBy;
    } },
    { code: "other_party", field: "member_of_other_party", applies: function () {
      return ticked("member_of_other_party") && value("membership") !== "member";
    } },
  ];

  checks.forEach(function (check) {
    var text = source.querySelector('[data-reason="' + check.code + '"]');
    var wrapper = document.getElementById("div_id_" + check.field);
    if (!text || !wrapper) {
      return;
    }
    // The live region exists (empty) from the start, so screen readers announce changes.
    var region = document.createElement("div");
    region.className = "eligibility-hint";
    region.id = "eligibility-hint-" + check.code;
    region.setAttribute("aria-live", "polite");
    wrapper.insertAdjacentElement("afterend", region);
    check.update = function () {
      var show = check.applies();
      if (show && !region.firstChild) {
        var box = document.createElement("div");
        box.className = "alert alert-warning mt-n2 mb-3";
        box.innerHTML = text.innerHTML;
        region.appendChild(box);
      } else if (!show && region.firstChild) {
        region.textContent = "";
      }
    };
  });

  function updateAll() {
    checks.forEach(function (check) {
      if (check.update) {
        check.update();
      }
    });
  }
  form.addEventListener("input", updateAll);
  form.addEventListener("change", updateAll);
  updateAll();
});
