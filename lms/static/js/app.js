// Small progressive enhancements; every flow works without this file.
document.addEventListener("DOMContentLoaded", () => {
  // Move focus to an error summary so screen readers announce it.
  const summary = document.querySelector(".error-summary");
  if (summary) summary.focus();
});
