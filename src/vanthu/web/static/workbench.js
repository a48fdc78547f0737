// vanthu workbench: the document page's highlights and keyboard shortcuts (no build step).
(function () {
  "use strict";

  function highlight(field, scroll) {
    document.querySelectorAll(".hl.active, mark.active, .field.focus").forEach(function (el) {
      el.classList.remove("active", "focus");
    });
    if (!field) { return; }
    var marks = document.querySelectorAll('.hl[data-field="' + field + '"], mark[data-field="' + field + '"]');
    marks.forEach(function (el) { el.classList.add("active"); });
    var row = document.querySelector('.field[data-field="' + field + '"]');
    if (row) { row.classList.add("focus"); }
    if (scroll && marks.length) { marks[0].scrollIntoView({block: "center", behavior: "smooth"}); }
  }

  function inputs(form) {
    return Array.prototype.filter.call(form.querySelectorAll("input, textarea"), function (el) {
      return el.type !== "hidden" && el.type !== "checkbox" && !el.disabled;
    });
  }

  function nextField(form, current) {
    var all = inputs(form);
    var at = all.indexOf(current);
    if (at >= 0 && at + 1 < all.length) { all[at + 1].focus(); all[at + 1].select && all[at + 1].select(); }
  }

  function submitWith(form, button) {
    if (form.requestSubmit) { form.requestSubmit(button); } else { button.click(); }
  }

  function typing(el) {
    return el && (el.tagName === "INPUT" || el.tagName === "TEXTAREA" || el.tagName === "SELECT" || el.isContentEditable);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("record-form");
    if (!form) { return; }
    form.addEventListener("focusin", function (event) {
      highlight(event.target.getAttribute("data-field"), true);
    });
    document.addEventListener("keydown", function (event) {
      var target = event.target;
      if ((event.ctrlKey || event.metaKey) && event.key === "Enter") {
        event.preventDefault();
        submitWith(form, document.getElementById("confirm"));
      } else if ((event.ctrlKey || event.metaKey) && (event.key === "s" || event.key === "S")) {
        event.preventDefault();
        submitWith(form, document.getElementById("save"));
      } else if (event.key === "Enter" && !event.shiftKey && target.tagName === "INPUT" && form.contains(target)) {
        event.preventDefault();  // Enter in a one-line field goes to the next field, never submits
        nextField(form, target);
      } else if (!typing(target) && !event.ctrlKey && !event.altKey && !event.metaKey) {
        if (event.key === "j") { document.getElementById("next").click(); }
        if (event.key === "k") { document.getElementById("prev").click(); }
      }
    });
  });
})();
