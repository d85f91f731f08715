// 送教上门 (issue 15): the children placed 送教上门 that the account reaches — the county all, a
// township its own, a school those it sends teachers to — with one month's visits and lesson
// hours against the county's minimum (GET /api/v1/send-teaching), short ones marked and red
// once the month has ended. 记录送教 opens the visit form on the row's child, so that a teacher
// logs the visit from the phone at the door; the child's name opens its record (the placement,
// the whole log, corrections).
import { useState } from 'preact/hooks';
import { html } from '../html.js';
import { setQuery } from '../router.js';
import { useApi, useTitle } from '../hooks.js';
import { can } from '../session.js';
import { fmtDate } from '../format.js';
import { DataTable } from '../components/table.js';
import { Badge, ErrorBanner, Notice, PageHeader } from '../components/feedback.js';
import { VisitForm } from '../components/placement.js';

export default function SendTeaching({ query }) {
  useTitle('送教上门');
  const [visiting, setVisiting] = useState(null);
  const [done, setDone] = useState(null);
  const list = useApi('/send-teaching', { month: query.month, township: query.township });
  const d = list.data;
  const rows = d && d.children;
  const writer = can('write');
  const columns = [
    { key: 'name', label: '姓名', primary: true, render: r => r.record_id && r.record_id !== '0'
      ? html`<a href=${'#/children/' + r.record_id}>${r.name}</a>` : r.name },
    { key: 'school', label: '送教学校' },
    { key: 'visits', label: '本月送教', render: r => html`${r.visits} 次、${r.hours} 课时 <span class="muted small">（至少 ${r.minimum}）</span>` },
    { key: 'status', label: '状态', render: r => html`<${Badge} tone=${r.short === 'overdue' ? 'bad' : r.short === 'short' ? 'warn' : 'ok'}>${r.status}<//>
      ${r.short && html` <span class=${r.short === 'overdue' ? 'late small' : 'muted small'}>截止 ${fmtDate(r.due)}</span>`}` },
    { key: 'township', label: '乡镇' },
    ...(writer ? [{ key: 'act', label: '操作', render: r => r.record_id && r.record_id !== '0' && html`<button type="button" class="btn btn-small btn-primary"
      aria-expanded=${visiting === r.record_id} onClick=${() => { setDone(null); setVisiting(visiting === r.record_id ? null : r.record_id); }}>记录送教</button>` }] : []),
  ];
  const who = rows && visiting && rows.find(r => r.record_id === visiting);
  return html`<div class="page send-teaching">
    <${PageHeader} title="送教上门" subtitle=${d ? `${d.month.replace('-', ' 年 ')} 月 · 每月至少 ${d.min_visits}` : '安置为送教上门的儿童和本月送教情况'} />
    <form class="filters-inline" onSubmit=${e => e.preventDefault()}>
      <label class="field" for="st-month"><span class="field-label">月份</span>
        <input id="st-month" type="month" value=${query.month || (d && d.month) || ''} onChange=${e => setQuery({ month: e.target.value })} /></label>
    </form>
    ${done && html`<${Notice} tone="ok">${done}<//>`}
    ${who && html`<div class="card"><h2>记录送教：${who.name}</h2>
      <${VisitForm} recordId=${who.record_id} onDone=${msg => { setVisiting(null); setDone(msg); list.reload(); }} onCancel=${() => setVisiting(null)} /></div>`}
    <${ErrorBanner} error=${list.error} onRetry=${list.reload} />
    <${DataTable} columns=${columns} rows=${rows} rowKey=${r => r.record_id + r.name} loading=${list.loading} caption="送教上门的儿童"
      rowClass=${r => (r.short === 'overdue' ? 'overdue' : null)}
      empty=${html`<div class="empty"><p class="empty-title">没有安置为送教上门的儿童</p><p class="empty-text">在学生档案的“安置和送教上门”中登记安置方式。</p></div>`} />
    ${d && html`<p class="muted small">${(d.footer || '').trim()}</p>`}
  </div>`;
}
