// 疾病台帐 (issue 16): the illnesses of the account's pupils (a school), its township's (a
// township) or the county's — GET /api/v1/illnesses — open ones first, a category filter and
// "only chronic or serious"; each row opens the child record, where illnesses are added and
// followed up (components/wellbeing.js). Phone first: cards on a narrow screen (DataTable).
// Below, for the county and a township (who read summaries): the 传染病缺课登记表 the county sends
// 卫健 — GET /api/v1/reports/infectious — for the month picked (this month by default; the
// server refuses a malformed month in Chinese), with its Excel download.
import { html } from '../html.js';
import { setQuery } from '../router.js';
import { useApi, useTitle } from '../hooks.js';
import { downloadUrl } from '../api.js';
import { can } from '../session.js';
import { fmtDate, fmtNumber } from '../format.js';
import { Badge, ErrorBanner, Notice, PageHeader } from '../components/feedback.js';
import { DataTable } from '../components/table.js';
import { FilterBar } from '../components/filters.js';
import { CATEGORIES } from '../components/wellbeing.js';

const EFFECT_TONE = { none: 'ok', partial: 'warn', absent: 'bad' };

export default function Illness({ query }) {
  useTitle('疾病台帐');
  const list = useApi('/illnesses', { category: query.category, serious: query.serious });
  const d = list.data;
  const rows = d ? [...d.items].sort((a, b) => (b.open - a.open) || (b.from > a.from ? 1 : -1)) : null;
  const columns = [
    { key: 'name', label: '姓名', primary: true, render: r => html`<a href=${'#/children/' + r.record_id}>${r.name || '（无姓名）'}</a>` },
    { key: 'category', label: '类别', render: r => html`${r.category_label}${r.serious ? html` <${Badge} tone="warn">慢性或重大<//>` : ''}` },
    { key: 'diagnosis', label: '病情' },
    { key: 'effect', label: '影响', render: r => html`<${Badge} tone=${EFFECT_TONE[r.effect]}>${r.effect_label}<//>` },
    { key: 'from', label: '时间', render: r => html`${fmtDate(r.from)} 起${r.to ? '，至 ' + fmtDate(r.to) : html`，<strong>未痊愈</strong>`}` },
    { key: 'follows', label: '随访', render: r => r.follows.length ? `${r.follows.length} 次，最近 ${fmtDate(r.follows[r.follows.length - 1].date)}` : '—' },
    { key: 'school', label: '学校' },
  ];
  return html`<div class="page">
    <${PageHeader} title="疾病台帐" subtitle=${d ? `共 ${fmtNumber(d.total)} 条，未痊愈 ${fmtNumber(d.items.filter(x => x.open).length)} 条` : '学生的疾病、对到校的影响和随访'} />
    <p class="muted">点姓名打开学生档案，登记疾病、记录随访；有诊断证明、影响到校的慢性或重大疾病，可考虑送教上门或缓学。</p>
    <${FilterBar} fields=${[
      { name: 'category', label: '类别', type: 'select', options: CATEGORIES.map(([value, label]) => ({ value, label })) },
      { name: 'serious', label: '只看慢性或重大疾病', type: 'checkbox' },
    ]} values=${query} onChange=${setQuery} />
    <div class="page-actions">
      <a class="btn" download href=${downloadUrl('/reports/illness', { format: 'xlsx' })}>导出Excel</a>
    </div>
    <${ErrorBanner} error=${list.error} onRetry=${list.reload} />
    <${DataTable} columns=${columns} rows=${rows} loading=${list.loading} caption="疾病台帐"
      empty=${html`<div class="empty"><p class="empty-title">疾病台帐中没有记录</p></div>`} />
    ${can('summary') && html`<${Infectious} month=${query.month || ''} />`}
  </div>`;
}

/* 传染病缺课登记表 of one month (报县卫健局). */
function Infectious({ month }) {
  const rep = useApi('/reports/infectious', { format: 'json', month: month || undefined });
  const d = rep.data;
  const columns = [
    { key: 'name', label: '姓名', primary: true },
    { key: 'diagnosis', label: '传染病名称' },
    { key: 'from', label: '发病（停课）', render: r => fmtDate(r.from) },
    { key: 'to', label: '痊愈（返校）', render: r => (r.to ? fmtDate(r.to) : html`<strong>未痊愈</strong>`) },
    { key: 'effect', label: '对到校的影响' },
    { key: 'school', label: '学校' },
  ];
  return html`<section class="infectious" aria-label="传染病缺课登记表">
    <h2>传染病缺课登记表（报县卫健局）</h2>
    <form class="filters-inline" onSubmit=${e => e.preventDefault()}>
      <label class="field" for="inf-month"><span class="field-label">月份</span>
        <input id="inf-month" type="month" value=${month || (d && d.month) || ''} onChange=${e => setQuery({ month: e.target.value || undefined })} /></label>
      <a class="btn" download href=${downloadUrl('/reports/infectious', { format: 'xlsx', month: month || (d && d.month) || undefined })}>导出Excel</a>
    </form>
    ${d && html`<p class="muted">${d.subtitle}</p>`}
    <${ErrorBanner} error=${rep.error} onRetry=${rep.reload} />
    ${rep.error && month && html`<${Notice} tone="warn">请用上面的月份选择器选一个月。<//>`}
    <${DataTable} columns=${columns} rows=${d && d.illnesses} rowKey=${r => r.seq} loading=${rep.loading} caption="传染病缺课登记表"
      empty=${html`<div class="empty"><p class="empty-title">这个月没有因传染病缺课的学生</p></div>`} />
  </section>`;
}
