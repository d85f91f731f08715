// 各县指标 (issue 18): the province's or a city's counties ranked on the indicators each county
// computes for itself, with the area's total. Computing a province takes minutes, so the table
// is computed by a background job (POST /api/v1/province/indicators, 重新计算) and kept; the
// screen shows the kept table (GET) with when it was computed, follows a running computation's
// progress (the job's id in the URL, or the area's running job from GET /api/v1/jobs, so that a
// reload or another account of the area sees it too) and shows the new table when it is done.
// A province account may narrow it to one city; counts and rates only, no child is named.
import { useEffect, useState } from 'preact/hooks';
import { html } from '../html.js';
import { useApi, useTitle } from '../hooks.js';
import { fmtDate, fmtDateTime, fmtNumber } from '../format.js';
import { api, downloadUrl } from '../api.js';
import { setQuery } from '../router.js';
import { currentUser } from '../session.js';
import { Badge, EmptyState, ErrorBanner, Loading, Notice, PageHeader } from '../components/feedback.js';
import { DataTable } from '../components/table.js';
import { ProgressBar, useJob } from '../components/progress.js';
import { fmtRate, rankText, rateColumns } from '../components/indicators.js';

const active = j => j && (j.state === 'queued' || j.state === 'running');

export default function Counties({ query }) {
  useTitle('各县指标');
  const own = (currentUser() || {}).area || null;
  const area = query.area || '';
  const month = query.month || '';
  const q = { format: 'json', ...(area ? { area } : {}), ...(month ? { month } : {}) };
  const rep = useApi('/province/indicators', q);
  const jobs = useApi('/jobs');
  const [starting, setStarting] = useState(false);
  const [startError, setStartError] = useState(null);
  const [finished, setFinished] = useState(null);
  // the computation to follow: the URL's, else one of this area (and month) still running
  const shownArea = area || (own && own.code) || '';
  const shownMonth = month || (rep.data && rep.data.month) || null;   // none: this month, as the server counts it
  const running = jobs.data && jobs.data.items.find(j => j.kind === 'province_indicators' && active(j)
    && j.area === shownArea && (!shownMonth || j.topic === shownMonth));
  const jobId = query.job || (running && running.id) || null;
  const { job, error: jobError } = useJob(jobId);
  const busy = starting || active(job);

  useEffect(() => {
    if (!job || active(job)) return;
    // done or failed: the kept table read again, the job out of the URL
    setFinished(job);
    rep.reload();
    jobs.reload();
    if (query.job) setQuery({ job: '' }, { replace: true });
  }, [job && job.id, job && job.state]);

  const start = async () => {
    setStarting(true);
    setStartError(null);
    setFinished(null);
    try {
      const j = await api.post('/province/indicators', { ...(area ? { area } : {}), ...(month ? { month } : {}) });
      setQuery({ job: j.id }, { replace: true });
    } catch (err) {
      setStartError(err);
    } finally {
      setStarting(false);
    }
  };

  const notComputed = rep.error && rep.error.code === 'not_computed';
  const d = rep.data;
  const rows = d ? d.counties : null;
  // the cities of the counties shown (a province account's filter), by the first 4 digits
  const cities = new Map();
  for (const r of rows || []) if (r.code) cities.set(r.code.slice(0, 4), r.city || r.code.slice(0, 4));
  if (area && !cities.has(area)) cities.set(area, area);
  const columns = [
    { key: 'order', label: '综合排名', align: 'right', render: r => (r.order === null ? '—' : r.order) },
    { key: 'name', label: '县', primary: true,
      render: r => html`${r.name}${r.high_dropout ? html` <${Badge} tone="bad">辍学高发<//>` : ''}${r.city ? html`<div class="muted small">${r.city}</div>` : ''}` },
    ...rateColumns(),
    { key: 'overdue', label: '逾期任务和案件', align: 'right',
      render: r => (r.overdue === null ? '—' : html`${fmtNumber(r.overdue)}${rankText(r.overdue_rank)}`) },
    { key: 'out_of_school', label: '未在校/适龄儿童', align: 'right',
      render: r => (r.school_age === null ? '—' : `${fmtNumber(r.out_of_school)}/${fmtNumber(r.school_age)}`) },
    { key: 'run_date', label: '比对日期', render: r => (r.run_date ? fmtDate(r.run_date) : '—') },
    { key: 'note', label: '说明', render: r => r.note || '' },
  ];
  const t = d && d.totals;
  const place = d && d.caption ? d.caption.replace(/各县控辍保学指标和排名$/, '') : '';
  const subtitle = d ? `${place ? place + ' · ' : ''}截至 ${fmtDate(d.as_of)} · ${fmtNumber(rows.filter(r => r.code).length)} 个县` : '各县的指标和排名';
  const computed = d && d.computed_at
    ? `计算于 ${fmtDateTime(d.computed_at)}（${d.computed_by}${d.job ? '' : '，在命令行'}）`
    : '';
  const button = html`<button type="button" class="btn btn-primary" onClick=${start} disabled=${busy}>
    ${busy ? '正在计算…' : d ? '重新计算' : '开始计算'}</button>`;
  return html`<div class="page">
    <${PageHeader} title="各县控辍保学指标" subtitle=${subtitle}>
      ${own && own.code.length === 2 ? html`<label class="field inline-field" for="county-area"><span class="field-label">市</span>
        <select id="county-area" value=${area} onChange=${e => setQuery({ area: e.target.value, job: '' })}>
          <option value="">${own.name}全部</option>
          ${[...cities].map(([code, name]) => html`<option value=${code}>${name}</option>`)}
        </select></label>` : ''}
      <label class="field inline-field" for="county-month"><span class="field-label">月份</span>
        <input id="county-month" type="month" value=${month} onChange=${e => setQuery({ month: e.target.value, job: '' })} /></label>
    <//>
    <p class="muted">各县的指标按各县自己的数据计算，方法与县里的《控辍保学指标》相同；各项指标分别排名，按各项名次的平均数排出综合排名。合计的比率由各县人数相加后计算。全省各县计算一次需要几分钟，在后台进行，算好后保存在这里。</p>
    <div class="page-actions counties-actions">
      ${button}
      ${d && html`<a class="btn" download href=${downloadUrl('/province/indicators', { ...q, format: 'xlsx' })}>导出Excel</a>`}
      ${computed && html`<span class="muted small computed-at">${computed}</span>`}
    </div>
    <${ErrorBanner} error=${startError} />
    <${ErrorBanner} error=${jobError} />
    ${active(job) && html`<div class="card" aria-live="polite">
      <${ProgressBar} value=${job.progress} label=${job.phase || '排队等待'} />
      <p class="muted small">由 ${job.who} 于 ${fmtDateTime(job.created_at)} 开始；可以离开本页，回来后仍能看到进度。</p>
    </div>`}
    ${finished && finished.state === 'failed' && html`<div class="banner banner-error" role="alert">计算失败：${finished.error || '原因不明'}</div>`}
    ${finished && finished.state === 'done' && d && html`<${Notice} tone="ok">计算完成：${finished.result && finished.result.message ? finished.result.message : '结果已保存'}<//>`}
    ${notComputed
      ? html`<${EmptyState} title="还没有计算">${area ? '所选地区' : '本地区'}${month ? ` ${month.replace('-', ' 年 ')} 月` : '本月'}的各县指标还没有计算过。${busy ? '正在计算，' : '点“开始计算”，'}算好后显示在这里。<//>`
      : html`<${ErrorBanner} error=${rep.error} onRetry=${rep.reload} />`}
    ${t ? html`<p>合计：适龄儿童 ${fmtNumber(t.school_age)} 人，在校 ${fmtNumber(t.enrolled)} 人，未在校 ${fmtNumber(t.out_of_school)} 人（其中重点群体 ${fmtNumber(t.group_out)} 人）；入学率 ${fmtRate(t.enrollment_rate)}，辍学率 ${fmtRate(t.dropout_rate)}，按时核查率 ${fmtRate(t.verified_on_time)}，劝返复学率 ${fmtRate(t.returned_rate)}。</p>` : ''}
    ${rep.loading && !d && !notComputed && html`<${Loading} />`}
    ${d && html`<${DataTable} columns=${columns} rows=${rows} rowKey=${r => r.code} loading=${rep.loading} caption="各县控辍保学指标和排名"
      rowClass=${r => (r.high_dropout ? 'overdue' : null)} />`}
    ${d && d.notes ? html`<ul class="muted small">${d.notes.map(n => html`<li>${n}</li>`)}</ul>` : ''}
  </div>`;
}
