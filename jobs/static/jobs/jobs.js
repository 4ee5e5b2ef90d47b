// Keeps the jobs page (and a job's own page) up to date while jobs run: polls the
// status URL for the unfinished jobs shown, rewrites their state, progress and
// result, and reloads a job's own page once, when it finishes, to show its report.
"use strict";
(function () {
  const INTERVAL_MS = 2000;

  function unfinished() {
    return Array.from(document.querySelectorAll('[data-job-field="state"]')).filter(
      (el) => el.dataset.jobState === "queued" || el.dataset.jobState === "running"
    );
  }

  function setField(id, field, text) {
    document
      .querySelectorAll(`[data-job-id="${id}"][data-job-field="${field}"]`)
      .forEach((el) => {
        el.textContent = text;
      });
  }

  function apply(job) {
    document
      .querySelectorAll(`[data-job-id="${job.id}"][data-job-field="state"]`)
      .forEach((el) => {
        el.dataset.jobState = job.state;
        el.className = `job-state job-state-${job.state}`;
        el.textContent = job.state_label;
      });
    setField(job.id, "progress", job.progress);
    setField(job.id, "result", job.result);
    if (job.finished && document.body.classList.contains("change-form")) {
      window.location.reload();
    }
  }

  function poll() {
    const pending = unfinished();
    if (pending.length === 0) {
      return;
    }
    const url = new URL(pending[0].dataset.statusUrl, window.location.href);
    pending.forEach((el) => url.searchParams.append("id", el.dataset.jobId));
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then((response) => (response.ok ? response.json() : { jobs: [] }))
      .then((data) => data.jobs.forEach(apply))
      .catch(() => {})
      .finally(() => window.setTimeout(poll, INTERVAL_MS));
  }

  document.addEventListener("DOMContentLoaded", () => window.setTimeout(poll, INTERVAL_MS));
})();
