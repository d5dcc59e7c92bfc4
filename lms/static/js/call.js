// Simulated call: the turn timer (shown, read out at each ring and near the end, and submitted as
// "no reply" when it runs out), number keys for replies, a written reply's character count, and no double
// submission.
// Without this file every turn still works: the server keeps the time and a late reply counts as none.
document.addEventListener("DOMContentLoaded", () => {
  const heading = document.getElementById("turn");
  if (heading && location.hash === "#turn") heading.focus();

  let submitting = false;
  document.querySelectorAll(".turn form").forEach((form) => {
    form.addEventListener("submit", (event) => {
      if (submitting) { event.preventDefault(); return; }
      submitting = true;
    });
  });

  const buttons = Array.from(document.querySelectorAll(".replies button.reply"));
  document.addEventListener("keydown", (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey || submitting) return;
    const target = event.target;
    if (target && (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName))) return;
    const number = parseInt(event.key, 10);
    if (number >= 1 && number <= buttons.length) {
      event.preventDefault();
      buttons[number - 1].focus();
      buttons[number - 1].click();
    }
  });

  // A reply with a length limit (an SMS) counts its characters as they are typed.
  const counted = document.querySelector("textarea[data-count-max]");
  const count = document.getElementById("reply-count");
  if (counted && count) {
    const show = () => {
      count.textContent = counted.dataset.countText.replace("__N__", counted.value.length)
        .replace("__M__", counted.dataset.countMax);
    };
    counted.addEventListener("input", show);
    show();
  }

  const timer = document.querySelector(".call-timer[data-seconds-left]");
  if (!timer) return;
  const total = parseFloat(timer.dataset.total);
  const startLeft = parseFloat(timer.dataset.secondsLeft);
  const rings = parseInt(timer.dataset.rings || "0", 10);
  const text = timer.querySelector("[data-timer-text]");
  const announce = timer.querySelector("[data-timer-announce]");
  const dots = Array.from(timer.querySelectorAll(".ring-dot"));
  const form = document.getElementById(timer.dataset.timeoutForm);
  const started = performance.now();  // monotonic: changing the clock does not change the timer
  let lastRing = 0;
  let warned = false;
  let finished = false;

  const say = (message) => { if (announce) announce.textContent = message; };
  const tick = () => {
    if (finished) return;
    const left = Math.max(0, startLeft - (performance.now() - started) / 1000);
    const whole = Math.ceil(left);
    text.textContent = timer.dataset.textSeconds.replace("__N__", whole);
    timer.classList.toggle("call-timer--urgent", left <= Math.min(5, total / 3));
    if (rings) {
      const ring = Math.min(rings, Math.floor((total - left) / (total / rings)) + 1);
      dots.forEach((dot, i) => dot.classList.toggle("ring-dot--rung", i < ring));
      if (ring !== lastRing) {
        lastRing = ring;
        say(timer.dataset.textRing.replace("__N__", ring).replace("__M__", rings));
      }
    } else if (!warned && left <= 5 && total > 5) {
      warned = true;
      say(timer.dataset.textSeconds.replace("__N__", whole));
    }
    if (left <= 0) {
      finished = true;
      say(timer.dataset.textUp);
      if (form && !submitting) {
        submitting = true;
        form.submit();
      }
      return;
    }
    setTimeout(tick, 200);
  };
  tick();
});
