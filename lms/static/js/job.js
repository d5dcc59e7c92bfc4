// Bulk jobs: poll the job's progress and show it (the page works without this file; reload to update).
document.addEventListener("DOMContentLoaded", () => {
  const box = document.querySelector(".job[data-job-url]");
  if (!box) return;
  const bar = box.querySelector("progress");
  const status = box.querySelector("[data-job-status]");
  const message = box.querySelector("[data-job-message]");
  const poll = async () => {
    try {
      const response = await fetch(box.dataset.jobUrl, {credentials: "same-origin"});
      if (response.ok) {
        const job = await response.json();
        bar.max = job.total || 1;
        bar.value = job.done + job.failed;
        let text = box.dataset.textDone.replace("__D__", job.done).replace("__T__", job.total).replace("__F__", job.failed);
        if (job.status === "finished") text += " " + box.dataset.textFinished;
        if (status.textContent !== text) status.textContent = text;
        message.textContent = job.message || "";
        if (job.status === "finished" || job.status === "failed") return;
      }
    } catch (err) { /* offline: try again */ }
    setTimeout(poll, 1000);
  };
  poll();
});
