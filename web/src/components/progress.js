// A progress bar (value 0..1) with its label; and useJob, which polls GET /api/v1/jobs/{id}
// once a second until the job is done or failed. The job id lives in the URL or comes from
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

/** The job `id` (null: none), refreshed every second while queued or running. */
export function useJob(id) {
  const [job, setJob] = useState(null);
  const [error, setError] = useState(null);
  useEffect(() => {
    setJob(null);
    setError(null);
    if (!id) return undefined;
    let stop = false, timer = null;
    const poll = async () => {
      try {
        const j = await api.get('/jobs/' + id);
        if (stop) return;
        setJob(j);
        if (j.state === 'queued' || j.state === 'running') timer = setTimeout(poll, 1000);
      } catch (e) {
        if (!stop) setError(e);
      }
    };
    poll();
    return () => { stop = true; clearTimeout(timer); };
  }, [id]);
  return { job, error };
}

