// 比对: start a cross-check as a background job (POST /api/v1/runs), follow its progress
// (GET /api/v1/jobs/{id}, also after a reload), then see the run's counts beside the previous
// run's and what changed: newly suspected, returned to school, other changes, left the register.
import { useEffect, useState } from 'preact/hooks';
import { html } from '../html.js';
import { api } from '../api.js';
import { setQuery } from '../router.js';
import { useApi, useTitle } from '../hooks.js';
import { can } from '../session.js';
import { fmtDate, fmtDateTime, fmtNumber } from '../format.js';
import { label, tone } from '../vocab.js';
import { Badge, EmptyState, ErrorBanner, Loading, Notice, PageHeader, StatusBadge } from '../components/feedback.js';
import { ProgressBar, useJob } from '../components/progress.js';

const SHOWN = ['not_enrolled', 'dropped_out', 'pending_review', 'suspended', 'enrolled_elsewhere', 'enrolled'];

function today() {
  const d = new Date();
  const p = n => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

export default function Runs({ query }) {
  useTitle('比对');
  const runs = useApi('/runs');
  const jobs = useApi('/jobs');
  const [asOf, setAsOf] = useState('');
  const [starting, setStarting] = useState(false);
  const [startError, setStartError] = useState(null);
  // the job to follow: the URL's, else a match job still queued or running
  const running = jobs.data && jobs.data.items.find(j => j.kind === 'match' && (j.state === 'queued' || j.state === 'running'));
  const jobId = query.job || (running && running.id) || null;
  const { job, error: jobError } = useJob(jobId);
  const items = runs.data ? runs.data.items.slice().sort((a, b) => b.id - a.id) : [];
  const latest = items[0];
  const runId = query.run || (latest && latest.id);

  useEffect(() => {
    if (job && job.state === 'done' && job.result && job.result.run_id) {
      runs.reload();
      setQuery({ run: job.result.run_id }, { replace: true });
    }
  }, [job && job.state]);

  const start = async e => {
    e.preventDefault();
    setStarting(true);
    setStartError(null);
    try {
      const j = await api.post('/runs', asOf ? { as_of: asOf } : {});
      setQuery({ job: j.id, run: '' });
    } catch (err) {
      setStartError(err);
    } finally {
      setStarting(false);
    }
  };
  const busy = job && (job.state === 'queued' || job.state === 'running');

  return html`<div class="page">
    <${PageHeader} title="比对" subtitle="四查三比对：户籍与学籍、外出就读名单逐一比对，找出每一名不在校的适龄儿童" />
    ${can('write') && html`<form class="card run-form" onSubmit=${start}>
      <label class="field" for="as-of"><span class="field-label">比对截止日期（默认今天）</span>
        <input id="as-of" type="date" value=${asOf} max=${today()} onInput=${e => setAsOf(e.target.value)} /></label>
      <button type="submit" class="btn btn-primary" disabled=${starting || busy}>${busy ? '正在比对…' : '开始比对'}</button>
      <p class="muted small">用最新导入的户籍、学籍和外出就读名单比对；比对在后台进行，可以离开本页，回来后仍能看到进度。</p>
    </form>`}
    <${ErrorBanner} error=${startError} />
    <${ErrorBanner} error=${jobError} />
    ${job && html`<${JobCard} job=${job} />`}
    <${ErrorBanner} error=${runs.error} onRetry=${runs.reload} />
    ${runs.loading && !runs.data && html`<${Loading} />`}
    ${runs.data && items.length === 0 && html`<${EmptyState} title="还没有比对">先在“数据导入”中导入户籍、学籍和外出就读名单，再开始比对。<//>`}
    ${runId && html`<${RunChanges} id=${runId} latest=${latest && Number(runId) === latest.id} />`}
    ${items.length > 0 && html`<section class="card">
      <h2>历次比对</h2>
      <div class="table-wrap"><table class="table">
        <caption class="visually-hidden">历次比对</caption>
        <thead><tr><th scope="col">比对</th><th scope="col">截止日期</th><th scope="col">完成时间</th>
          <th scope="col" class="num">户籍人数</th><th scope="col" class="num">适龄未入学</th><th scope="col" class="num">辍学</th><th scope="col" class="num">待复核</th><th scope="col"><span class="visually-hidden">操作</span></th></tr></thead>
        <tbody>${items.map(r => html`<tr key=${r.id} class=${String(r.id) === String(runId) ? 'selected' : ''}>
          <td class="primary" data-label="比对">第 ${r.id} 次</td>
          <td data-label="截止日期">${fmtDate(r.as_of)}</td>
          <td data-label="完成时间">${fmtDateTime(r.finished_at)}</td>
          <td class="num" data-label="户籍人数">${fmtNumber(r.counts.population)}</td>
          <td class="num" data-label="适龄未入学">${fmtNumber(r.counts.not_enrolled)}</td>
          <td class="num" data-label="辍学">${fmtNumber(r.counts.dropped_out)}</td>
          <td class="num" data-label="待复核">${fmtNumber(r.counts.pending_review)}</td>
          <td data-label="">${String(r.id) === String(runId) ? html`<span class="muted">正在查看</span>` : html`<a href=${'#/runs?run=' + r.id}>查看变化</a>`}</td>
        </tr>`)}</tbody>
      </table></div>
    </section>`}
  </div>`;
}

function JobCard({ job }) {
  if (job.state === 'failed') return html`<div class="banner banner-error" role="alert">比对失败：${job.error || '原因不明'}</div>`;
  if (job.state === 'done') {
    const r = job.result || {};
    return html`<${Notice} tone="ok">比对完成（第 ${r.run_id} 次）：户籍 ${fmtNumber(r.population)} 人，不在校 ${fmtNumber(r.out_of_school)} 人；
      新建核查任务 ${fmtNumber(r.casework && r.casework.tasks_created)} 项，关闭 ${fmtNumber(r.casework && r.casework.tasks_closed)} 项。<//>`;
  }
  return html`<div class="card" aria-live="polite">
    <h2>比对${label('job_states', job.state)}</h2>
    <${ProgressBar} value=${job.progress} label=${job.phase || label('job_states', job.state)} />
    <p class="muted small">由 ${job.who} 于 ${fmtDateTime(job.created_at)} 开始</p>
  </div>`;
}

/** The change since the previous run; red when it is bad news (more suspected, fewer at school). */
function Delta({ now, before, good }) {
  if (before === undefined || before === null) return null;
  const d = (now || 0) - (before || 0);
  if (!d) return html`<span class="delta muted">持平</span>`;
  const bad = good ? d < 0 : d > 0;
  return html`<span class=${'delta ' + (bad ? 'up' : 'down')}>${d > 0 ? '+' : ''}${fmtNumber(d)}</span>`;
}

function RunChanges({ id, latest }) {
  const r = useApi('/runs/' + id);
  if (r.error) return html`<${ErrorBanner} error=${r.error} />`;
  if (!r.data) return html`<${Loading} />`;
  const { run, previous, changes } = r.data;
  const prev = previous ? previous.counts : null;
  return html`<section class="card">
    <h2>第 ${run.id} 次比对 · 截至 ${fmtDate(run.as_of)}</h2>
    <p class="muted small">${previous ? `与第 ${previous.id} 次（截至 ${fmtDate(previous.as_of)}）相比` : '这是第一次比对，没有可比较的上一次'}</p>
    <div class="count-grid">
      ${SHOWN.map(k => html`<div class="count" key=${k}>
        <span class="count-label">${label('statuses', k)}</span>
        <span class="count-value">${fmtNumber(run.counts[k] || 0)}</span>
        ${prev && html`<${Delta} now=${run.counts[k]} before=${prev[k]} good=${tone('statuses', k) === 'ok'} />`}
      </div>`)}
    </div>
    ${changes && html`<div class="grid grid-2 changes">
      <${Group} title="新增疑似失学辍学" tone="bad" g=${changes.new_suspected} link=${latest} empty="没有新增" />
      <${Group} title="已返校或在外地就读" tone="ok" g=${changes.returned} link=${latest} empty="没有" />
      <${Group} title="其他变化（上次疑似，本次为其他状态）" tone="warn" g=${changes.other} link=${latest} empty="没有" />
      <${Group} title="离开本县户籍" tone="muted" g=${changes.left_register || changes.left} link=${false}
        empty="户籍名单没有变化" extra=${changes.arrived && changes.arrived.total ? `新迁入 ${fmtNumber(changes.arrived.total)} 人` : ''} />
    </div>`}
  </section>`;
}

function Group({ title, tone, g, link, empty, extra }) {
  const total = g ? g.total : 0;
  return html`<div class="change-group">
    <h3><${Badge} tone=${tone}>${fmtNumber(total)}<//> ${title}</h3>
    ${extra && html`<p class="muted small">${extra}</p>`}
    ${total === 0 ? html`<p class="muted small">${empty}</p>` : html`<ul class="plain change-list">
      ${g.items.map(c => html`<li key=${c.id}>
        ${link ? html`<a href=${'#/children/' + c.id}>${c.name || '（无姓名）'}</a>` : html`<span>${c.name || '（无姓名）'}</span>`}
        <span class="muted small">${c.township} ${c.village}</span>
        ${c.status && html`<${StatusBadge} status=${c.status} />`}
      </li>`)}
    </ul>`}
    ${total > g.items.length && html`<p class="muted small">仅列出前 ${g.items.length} 名，共 ${fmtNumber(total)} 名。</p>`}
  </div>`;
}
