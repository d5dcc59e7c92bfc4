// Small progressive enhancements; every flow works without this file.
document.addEventListener("DOMContentLoaded", () => {
  // Move focus to an error summary so screen readers announce it.
  const summary = document.querySelector(".error-summary");
  if (summary) summary.focus();

  // Editors: an error naming a line puts the cursor on that line of the source.
  document.querySelectorAll("a[data-source-line]").forEach((link) => {
    link.addEventListener("click", (event) => {
      const area = document.querySelector(link.getAttribute("href"));
      if (!area) return;
      event.preventDefault();
      const lines = area.value.split("\n");
      const line = Math.min(lines.length, parseInt(link.dataset.sourceLine, 10)) - 1;
      const start = lines.slice(0, line).reduce((sum, text) => sum + text.length + 1, 0);
      area.focus();
      area.setSelectionRange(start, start + lines[line].length);
      const height = parseFloat(getComputedStyle(area).lineHeight) || 20;
      area.scrollTop = Math.max(0, (line - 3) * height);
    });
  });

  // Lesson reader: come back to where the learner stopped, and remember how far they read.
  const lesson = document.querySelector("article.lesson[data-position-url]");
  if (lesson) {
    // How far they read is beside the lesson, not in it: the lesson is kept as rendered while it scrolls.
    const kept = document.getElementById("lesson-resume");
    const resume = parseFloat((kept && kept.dataset.resume) || "0");
    const scrollable = () => Math.max(1, document.documentElement.scrollHeight - window.innerHeight);
    if (resume > 0.02 && resume < 0.98 && !location.hash) {
      window.scrollTo(0, resume * scrollable());
    }
    let sent = resume;
    let timer = null;
    const send = () => {
      const position = Math.min(1, Math.max(0, window.scrollY / scrollable()));
      if (Math.abs(position - sent) < 0.05) return;
      sent = position;
      const body = new URLSearchParams({position: position.toFixed(3), csrf_token: lesson.dataset.csrf});
      fetch(lesson.dataset.positionUrl, {method: "POST", body, credentials: "same-origin", keepalive: true})
        .catch(() => {});
    };
    window.addEventListener("scroll", () => { clearTimeout(timer); timer = setTimeout(send, 800); },
                            {passive: true});
    document.addEventListener("visibilitychange", () => { if (document.hidden) send(); });
  }

  // Authoring: live Markdown preview, rendered and sanitised by the server exactly as learners see it.
  document.querySelectorAll("form[data-preview-url] textarea[data-preview]").forEach((area) => {
    const form = area.closest("form");
    const target = document.getElementById(area.dataset.preview);
    if (!target) return;
    let timer = null;
    area.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(async () => {
        const token = form.querySelector("input[name=csrf_token]").value;
        const body = new URLSearchParams({text: area.value, csrf_token: token});
        try {
          const response = await fetch(form.dataset.previewUrl, {method: "POST", body, credentials: "same-origin"});
          if (response.ok) target.innerHTML = (await response.json()).html;
        } catch (err) { /* offline: the Preview button still works */ }
      }, 400);
    });
  });

  // Header menus (<details>: staff pages, the user's own): Escape closes the open one and gives focus back to its summary;
  // a click outside closes it.
  const menus = document.querySelectorAll(".nav-menu details, details.user-menu");
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    menus.forEach((menu) => {
      if (menu.open) { menu.open = false; menu.querySelector("summary").focus(); }
    });
  });
  document.addEventListener("click", (event) => {
    menus.forEach((menu) => { if (menu.open && !menu.contains(event.target)) menu.open = false; });
  });
});
