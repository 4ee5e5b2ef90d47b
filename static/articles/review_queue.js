// The review queue's keyboard triage (articles/admin/queue.py). No inline script:
// the page's Content-Security-Policy allows only files like this one.
(function () {
  "use strict";

  const KEYS = { p: "publish", h: "hold", r: "reject" };
  const DONE = { publish: "Published", hold: "Held", reject: "Rejected" };
  let rows = [];
  let current = -1;
  let last = null; // { row, story, previous } for undo
  let busy = false;

  function status(text) {
    document.getElementById("review-status").textContent = text;
  }

  function focusRow(index) {
    if (!rows.length) return;
    current = Math.max(0, Math.min(rows.length - 1, index));
    rows[current].focus();
  }

  function nextUndecided(from) {
    for (let i = from + 1; i < rows.length; i++) {
      if (!rows[i].classList.contains("is-decided")) return i;
    }
    return Math.min(from + 1, rows.length - 1);
  }

  async function send(row, fields) {
    const form = document.getElementById("review-form");
    const body = new FormData(form);
    body.append("story", row.dataset.story);
    for (const [name, value] of Object.entries(fields)) body.append(name, value);
    const response = await fetch(form.action, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" },
    });
    const answer = await response.json().catch(() => ({ error: response.statusText }));
    if (!response.ok) throw new Error(answer.error || response.statusText);
    return answer;
  }

  function show(row, answer) {
    row.querySelector(".review-state").textContent = answer.state_label;
    row.querySelector(".review-quality").textContent =
      answer.quality === null ? "–" : String(answer.quality);
    row.classList.toggle("is-decided", answer.state !== row.dataset.tab);
  }

  async function act(fields, label) {
    if (current < 0 || busy) return;
    const row = rows[current];
    busy = true;
    try {
      const answer = await send(row, fields);
      show(row, answer);
      last = { row: row, previous: answer.previous };
      status(label + ": " + row.querySelector(".review-title").textContent + " (u to undo)");
      if (fields.action !== "quality") focusRow(nextUndecided(current));
    } catch (error) {
      status("Not done: " + error.message);
    } finally {
      busy = false;
    }
  }

  async function undo() {
    if (!last || busy) return;
    busy = true;
    try {
      const answer = await send(last.row, {
        action: "undo",
        previous: JSON.stringify(last.previous),
      });
      show(last.row, answer);
      focusRow(rows.indexOf(last.row));
      status("Undone: " + last.row.querySelector(".review-title").textContent);
      last = null;
    } catch (error) {
      status("Not undone: " + error.message);
    } finally {
      busy = false;
    }
  }

  function onKey(event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target;
    if (target.closest && target.closest("input, textarea, select")) return;
    const key = event.key;
    if (key === "j") focusRow(current + 1);
    else if (key === "k") focusRow(current - 1);
    else if (KEYS[key]) act({ action: KEYS[key] }, DONE[KEYS[key]]);
    else if (/^[0-9]$/.test(key)) {
      const quality = String(Number(key) * 10);
      act({ action: "quality", quality: quality }, "Quality " + quality);
    }
    else if (key === "u") undo();
    else if (key === "o" && current >= 0) rows[current].querySelector(".review-title").click();
    else return;
    event.preventDefault();
  }

  document.addEventListener("DOMContentLoaded", function () {
    const table = document.getElementById("review-rows");
    if (!table) return;
    const tab = new URLSearchParams(window.location.search).get("state") || "waiting";
    rows = Array.from(table.querySelectorAll(".review-row"));
    rows.forEach(function (row, index) {
      row.dataset.tab = tab;
      row.addEventListener("focus", function () { current = index; });
      row.addEventListener("click", function () { focusRow(index); });
    });
    document.addEventListener("keydown", onKey);
    focusRow(0);
  });
})();
