// Live progress for /data/jobs/:id. The page already works without JavaScript (a Refresh link; no
// automatic refresh, which WCAG 2.2.1 and axe's meta-refresh rule forbid); with JavaScript it polls
// the JSON API once a second, updates the progress in place (an aria-live region), and reloads
// once the job has ended to show the server's report.
const box = document.querySelector("[data-job-id]");

function mb(bytes) {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

function progressText(job) {
  const p = job.progress;
  if (job.state === "queued") return "Waiting for the previous upload to finish";
  if (!p.fileCount) return "Opening the files";
  const n = Math.min(p.fileIndex + 1, p.fileCount);
  const file = p.file ? ` (now ${p.file.slice(Math.max(p.file.lastIndexOf("/"), p.file.lastIndexOf(":")) + 1)})` : "";
  return `${n.toLocaleString("en-GB")} of ${p.fileCount.toLocaleString("en-GB")} file${p.fileCount === 1 ? "" : "s"}, ${mb(p.bytesDone)} of ${mb(p.bytesTotal)} read, ${p.rows.toLocaleString("en-GB")} rows${file}`;
}

async function poll() {
  const id = box.getAttribute("data-job-id");
  let job;
  try {
    const res = await fetch(`/api/v1/imports/jobs/${encodeURIComponent(id)}`, { headers: { accept: "application/json" } });
    if (!res.ok) return; // the Refresh link still works
    job = await res.json();
  } catch {
    setTimeout(poll, 3000);
    return;
  }
  // Finished, failed, or interrupted by a server restart (the page then offers Resume): show it.
  if (job.state !== "queued" && job.state !== "running") {
    window.location.reload();
    return;
  }
  const progress = box.querySelector("[data-field=progress]");
  if (progress) progress.textContent = progressText(job);
  const bar = box.querySelector("[data-field=bar]");
  if (bar && job.progress.bytesTotal) {
    bar.max = job.progress.bytesTotal;
    bar.value = job.progress.bytesDone;
    bar.textContent = `${Math.round((100 * job.progress.bytesDone) / job.progress.bytesTotal)}%`;
  }
  box.setAttribute("data-job-state", job.state);
  setTimeout(poll, 1000);
}

const state = box?.getAttribute("data-job-state");
if (box && (state === "queued" || state === "running")) {
  const note = document.querySelector("[data-field=refresh-note]");
  if (note) note.textContent = "This page also updates by itself every second.";
  setTimeout(poll, 1000);
}
