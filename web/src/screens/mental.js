// 心理健康台帐 (issue 16): only for an account holding that permission (the session's
// mental_health; the server refuses every other): the entries of its school (a school's
// counsellor or head) or the county's (the designated officer), reviews due first; every read is
// audited by the server. Nothing here is downloadable: the ledger is in no export.
import { html } from '../html.js';
import { setQuery } from '../router.js';
import { useApi, useTitle } from '../hooks.js';
import { fmtDate, fmtNumber } from '../format.js';
import { Badge, ErrorBanner, PageHeader } from '../components/feedback.js';
import { DataTable } from '../components/table.js';
import { FilterBar } from '../components/filters.js';
import { LEVEL_TONE } from '../components/wellbeing.js';

export default function Mental({ query }) {
  useTitle('心理健康台帐');
  const list = useApi('/mental-health', { due: query.due, open: query.all ? undefined : '1' });
  const d = list.data;
  const columns = [
    { key: 'name', label: '姓名', primary: true, render: r => html`<a href=${'#/children/' + r.record_id}>${r.name || '（无姓名）'}</a>` },
    { key: 'level', label: '关注等级', render: r => html`<${Badge} tone=${LEVEL_TONE[r.level]}>${r.level_label}<//>` },
    { key: 'next_review', label: '下次复查', render: r => r.closed_on ? `${fmtDate(r.closed_on)} 结案`
      : html`${fmtDate(r.next_review)}${r.review_due ? html` <${Badge} tone="bad">已到期<//>` : ''}` },
    { key: 'referral', label: '转介', render: r => r.referral_label },
    { key: 'events', label: '干预和复查', render: r => `${r.events.length} 次` },
    { key: 'school', label: '学校' },
  ];
  return html`<div class="page">
    <${PageHeader} title="心理健康台帐" subtitle=${d ? `共 ${fmtNumber(d.total)} 人，复查到期 ${fmtNumber(d.review_due)} 人` : '仅限被授权的人员'} />
    <p class="muted">仅限被授权的人员查看，每次查看都记入审计日志；不进入任何报表和导出。点姓名打开学生档案，记录干预和复查。</p>
    <${FilterBar} fields=${[
      { name: 'due', label: '只看复查到期的', type: 'checkbox' },
      { name: 'all', label: '包括已结案的', type: 'checkbox' },
    ]} values=${query} onChange=${setQuery} />
    <${ErrorBanner} error=${list.error} onRetry=${list.reload} />
    ${!query.due && html`<${MentalDue} />`}
    <${DataTable} columns=${columns} rows=${d && d.items} loading=${list.loading} caption="心理健康台帐"
      empty=${html`<div class="empty"><p class="empty-title">没有记录</p></div>`} />
  </div>`;
}

/** On 待办: the holder's reviews due today or overdue (nothing for anyone else). */
export function MentalDue() {
  const list = useApi('/mental-health', { due: '1' });
  const d = list.data;
  if (!d || d.total === 0) return null;
  return html`<section class="card" aria-label="心理健康复查到期">
    <h2>心理健康复查到期 <${Badge} tone="bad">${d.total}<//></h2>
    <ul class="follows">${d.items.map(r => html`<li key=${r.id}><a href=${'#/children/' + r.record_id}>${r.name}</a>
      <span class="muted">复查日期 ${fmtDate(r.next_review)}（${r.level_label}）</span></li>`)}</ul>
  </section>`;
}
