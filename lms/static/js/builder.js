// The question editor, enhanced: a numerical row dims the inputs its "accepted as" choice does not use.
// Everything works without this script (the server reads whichever inputs the choice names).
(function () {
  "use strict";
  function mark(select) {
    var row = select.closest("tr");
    if (!row) { return; }
    row.classList.toggle("number-row--range", select.value === "range");
    row.classList.toggle("number-row--margin", select.value !== "range");
  }
  document.querySelectorAll("select[id^='numbers-'][id$='-mode']").forEach(function (select) {
    mark(select);
    select.addEventListener("change", function () { mark(select); });
  });
}());
