// The readiness board: one box ticks everyone on the page (the page works without this file: tick each).
document.addEventListener("DOMContentLoaded", () => {
  const all = document.querySelector("[data-pick-all]");
  if (!all) return;
  const boxes = [...document.querySelectorAll('.board-table tbody input[name="people"]')];
  all.hidden = false;
  all.addEventListener("change", () => boxes.forEach((box) => { box.checked = all.checked; }));
  boxes.forEach((box) => box.addEventListener("change", () => {
    all.checked = boxes.every((b) => b.checked);
  }));
});
