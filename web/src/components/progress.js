// A progress bar (value 0..1) with its label; and useJob, which follows GET /api/v1/jobs/{id}
// until the job is done or failed: a poll a second while it is queued or running; a failed poll
// (the network, a busy server) is tried again after a short wait, not the end of following it;
// and a page coming back to the front (a background tab's timers are throttled to once a
// minute), the window's focus or the network's return polls at once. So the bar never stays
// behind a finished job for more than a few seconds. The job id lives in the URL or comes from
// GET /api/v1/jobs, so a reload picks the job up again.
import { useEffect, useState } from 'preact/hooks';
import { html } from '../html.js';
import { api } from '../api.js';

export function ProgressBar({ value, label }) {
  const pct = Math.round(Math.max(0, Math.min(1, value || 0)) * 100);
  return html`<div class="progress">
    <div class="progress-label"><span>${label}</span><span>${pct}%</span></div>
    <div class="progress-track" role="progressbar" aria-valuemin="0" aria-valuemax="100" aria-valuenow=${pct} aria-label=${label}>
      <div class="progress-fill" style=${{ width: pct + '%' }}></div></div>
  </div>`;
}

const INTERVAL = 1000;      // ms between polls of a queued or running job
const RETRY_MAX = 3000;     // the longest wait after failed polls
const finished = j => j.state === 'done' || j.state === 'failed';
/** An answer that following the job again cannot change: not signed in, not allowed, no such job. */
const final = e => [401, 403, 404].includes(e.status);

/**
 * Follow job `id`: onJob(job) on each answer until it is finished; onError(error) after three
 * failed polls in a row (null once a poll answers again) or at once for a final answer. Returns
 * the function that stops following.
 */
export function followJob(id, onJob, onError) {
  let stop = false, timer = null, busy = false, failures = 0, over = false;
  const again = ms => { clearTimeout(timer); timer = setTimeout(poll, ms); };
  async function poll() {
    if (stop || busy || over) return;
    busy = true;
    try {
      const j = await api.get('/jobs/' + id);
      if (stop) return;
      failures = 0;
      onError(null);
      onJob(j);
      if (finished(j)) over = true;
      else again(INTERVAL);
    } catch (e) {
      if (stop) return;
      if (final(e)) { over = true; onError(e); return; }
      failures += 1;
      if (failures >= 3) onError(e);
      again(Math.min(INTERVAL * 2 ** (failures - 1), RETRY_MAX));   // 1 s, 2 s, then 3 s
    } finally {
      busy = false;
    }
  }
  const wake = () => { if (document.visibilityState === 'visible') { clearTimeout(timer); poll(); } };
  document.addEventListener('visibilitychange', wake);
  window.addEventListener('focus', wake);
  window.addEventListener('online', wake);
  poll();
  return () => {
    stop = true;
    clearTimeout(timer);
    document.removeEventListener('visibilitychange', wake);
    window.removeEventListener('focus', wake);
    window.removeEventListener('online', wake);
  };
}

/** followJob as a promise: the job once done; rejected when it failed or cannot be followed. */
export function waitJob(id, onJob, failure = '任务失败') {
  return new Promise((resolve, reject) => {
    const stop = followJob(id, j => {
      onJob(j);
      if (j.state === 'done') { stop(); resolve(j); }
      else if (j.state === 'failed') { stop(); reject(new Error(j.error || failure)); }
    }, e => { if (e && final(e)) { stop(); reject(e); } });
  });
}

/** The job `id` (null: none), followed while queued or running (followJob). */
export function useJob(id) {
  const [job, setJob] = useState(null);
  const [error, setError] = useState(null);
  useEffect(() => {
    setJob(null);
    setError(null);
    if (!id) return undefined;
    return followJob(id, setJob, setError);
  }, [id]);
  return { job, error };
}
