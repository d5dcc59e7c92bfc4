// Exam pages: autosave each answer as it changes, survive a dropped connection, show the time left.
// The server decides everything (deadline, order of saves); this file only makes it pleasant.
(() => {
  const form = document.querySelector("form.attempt-form[data-save-url]");
  if (!form) return;
  const status = document.querySelector("[data-save-status]");
  const token = form.querySelector("input[name=csrf_token]").value;
  const storeKey = "lms-pending:" + form.dataset.saveUrl;
  const messages = {
    saving: document.documentElement.lang.startsWith("en") ? "Saving…" : "儲存中…",
    saved: document.documentElement.lang.startsWith("en") ? "All answers saved." : "所有答案都已儲存。",
    offline: document.documentElement.lang.startsWith("en")
      ? "Not saved: the connection dropped. Retrying…" : "尚未儲存：連線中斷，正在重試…",
    stale: document.documentElement.lang.startsWith("en")
      ? "A newer answer from another window is kept." : "已保留另一個視窗中較新的答案。",
  };
  let pending = {};
  try { pending = JSON.parse(sessionStorage.getItem(storeKey) || "{}"); } catch (e) { pending = {}; }
  let retryDelay = 2000;
  let timer = null;
  let flushing = false;

  const setStatus = (text, state) => {
    if (!status) return;
    status.textContent = text;
    status.dataset.state = state;
  };
  const persist = () => sessionStorage.setItem(storeKey, JSON.stringify(pending));
  const seqInput = (position) => form.querySelector(`input[data-seq-for="${position}"]`);

  const fieldsOf = (position) => {
    const block = form.querySelector(`.question-block[data-position="${position}"]`);
    const data = [];
    block.querySelectorAll("input, select, textarea").forEach((el) => {
      if (!el.name || !el.name.startsWith("q" + position) || el.disabled) return;
      if ((el.type === "radio" || el.type === "checkbox") && !el.checked) return;
      data.push([el.name, el.value]);
    });
    return data;
  };

  const queue = (position) => {
    const input = seqInput(position);
    const stored = pending[position];
    // Each change gets the next number; a resend after a dropped connection keeps its number.
    const next = Math.max(parseInt(input.value, 10), stored ? stored.seq + 1 : 0);
    pending[position] = {seq: next, fields: fieldsOf(position)};
    input.value = next + 1;
    persist();
    flush();
  };

  const flush = async () => {
    if (flushing) return;
    flushing = true;
    clearTimeout(timer);
    try {
      for (const position of Object.keys(pending)) {
        const item = pending[position];
        setStatus(messages.saving, "saving");
        const body = new URLSearchParams([["csrf_token", token], ["position", position],
                                          ["sequence", String(item.seq)], ...item.fields]);
        let response;
        try {
          response = await fetch(form.dataset.saveUrl, {method: "POST", body, credentials: "same-origin",
                                                        headers: {"X-CSRFToken": token}});
        } catch (err) {
          setStatus(messages.offline, "offline");
          timer = setTimeout(flush, retryDelay);
          retryDelay = Math.min(retryDelay * 2, 15000);
          return;
        }
        retryDelay = 2000;
        const result = await response.json().catch(() => ({}));
        if (response.ok || result.stale) {
          if (pending[position] && pending[position].seq === item.seq) delete pending[position];
          persist();
          const link = document.querySelector(`[data-nav-position="${position}"]`);
          if (link && item.fields.length) { link.classList.add("answered"); link.classList.remove("unanswered"); }
          if (result.stale) setStatus(messages.stale, "stale");
        } else if (result.closed) {
          sessionStorage.removeItem(storeKey);
          window.location.href = result.review;
          return;
        } else {
          delete pending[position];
          persist();
          setStatus(result.error || messages.offline, "error");
        }
      }
      if (!Object.keys(pending).length && status && status.dataset.state !== "stale") setStatus(messages.saved, "saved");
    } finally {
      flushing = false;
    }
  };

  form.addEventListener("change", (event) => {
    const block = event.target.closest(".question-block");
    if (block && event.target.matches("[data-autosave]")) queue(block.dataset.position);
  });
  let typing = null;
  form.addEventListener("input", (event) => {
    if (!event.target.matches("input[type=text], input:not([type]), textarea")) return;
    const block = event.target.closest(".question-block");
    clearTimeout(typing);
    typing = setTimeout(() => queue(block.dataset.position), 1500);
  });
  window.addEventListener("online", flush);
  // Answers queued before a reload or a dropped connection are sent again with the same numbers.
  if (Object.keys(pending).length) flush();
  window.lmsExam = {pending: () => pending, flush};

  // The countdown: seconds left according to the server when the page was made, counted down with
  // the monotonic clock, so a wrong or changed computer clock changes nothing.
  const box = document.querySelector(".timer[data-remaining]");
  if (!box) return;
  const clock = box.querySelector(".timer__clock");
  const announce = box.querySelector("[data-timer-announce]");
  const total = parseInt(box.dataset.remaining, 10);
  const started = performance.now();
  const said = new Set();
  const en = document.documentElement.lang.startsWith("en");
  const tick = () => {
    const left = Math.max(0, Math.round(total - (performance.now() - started) / 1000));
    clock.textContent = `${Math.floor(left / 60)}:${String(left % 60).padStart(2, "0")}`;
    for (const mark of [600, 300, 60, 30]) {
      if (left <= mark && total > mark && !said.has(mark)) {
        said.add(mark);
        const minutes = mark >= 60 ? mark / 60 : 0;
        announce.textContent = en ? (minutes ? `${minutes} minutes left.` : `${mark} seconds left.`)
                                  : (minutes ? `剩下 ${minutes} 分鐘。` : `剩下 ${mark} 秒。`);
        if (mark <= 60) box.classList.add("timer--urgent");
      }
    }
    if (left === 0) {
      clearInterval(interval);
      flush().finally(() => document.getElementById(box.dataset.submitForm).submit());
    }
  };
  const interval = setInterval(tick, 1000);
  tick();
})();
