// 约谈 (issue 17): the interviews — GET /api/v1/interviews — newest first, each with how many of
// its commitments are still open or overdue; a township or a school sees its own; the county
// registers an interview here (POST /api/v1/interviews) and opens it to add the commitments.
import { html } from '../html.js';
import { navigate } from '../router.js';
import { api } from '../api.js';
import { useApi, useTitle } from '../hooks.js';
import { fmtDate, fmtNumber } from '../format.js';
import { Badge, ErrorBanner, Loading, PageHeader } from '../components/feedback.js';
import { SubmitRow, useSubmit } from '../components/casework.js';
import { Field, useForm } from '../components/meeting.js';

export default function Interviews() {
  useTitle('约谈');
  const list = useApi('/interviews');
  const d = list.data;
  return html`<div class="page">
    <${PageHeader} title="约谈" subtitle=${d ? `共 ${fmtNumber(d.total)} 次约谈` : '被约谈单位和人、承诺及落实情况'} />
    ${d && d.may_add && html`<details class="card"><summary>登记约谈</summary><${AddInterview} /></details>`}
    <${ErrorBanner} error=${list.error} onRetry=${list.reload} />
    ${list.loading && !d && html`<${Loading} />`}
    ${d && d.items.length === 0 && html`<div class="empty"><p class="empty-title">没有约谈记录</p></div>`}
    ${d && d.items.map(i => html`<article class="card" key=${i.id} aria-label=${'约谈 ' + i.id}>
      <header class="warning-head"><strong><a href=${'#/interviews/' + i.id}>${i.unit_name} ${i.person}</a></strong>
        ${i.overdue > 0 && html`<${Badge} tone="bad">逾期未落实 ${i.overdue} 项<//>`}</header>
      <p class="muted">${fmtDate(i.date)} · ${i.post} · 约谈人 ${i.by}</p>
      <p>${i.reason}</p>
      <p class="muted">承诺 ${i.commitments} 项，待落实 ${i.open} 项</p>
    </article>`)}
  </div>`;
}

function AddInterview() {
  const [f, set] = useForm({ unit: '', person: '', post: '', by: '', date: '', reason: '', month: '', finding: '' });
  const [state, submit] = useSubmit(() => api.post('/interviews', {
    unit: f.unit, person: f.person, post: f.post, by: f.by, reason: f.reason,
    date: f.date || null, month: f.month || null, finding: f.finding || null,
  }), r => navigate('/interviews/' + r.id));
  return html`<form class="form" onSubmit=${submit} aria-label="登记约谈">
    <${Field} id="i-unit" label="被约谈单位" required value=${f.unit} onInput=${set('unit')} hint="乡镇名称或代码、学校名称或学籍代码" />
    <${Field} id="i-person" label="被约谈人" required value=${f.person} onInput=${set('person')} />
    <${Field} id="i-post" label="职务" required value=${f.post} onInput=${set('post')} hint="如：分管副镇长、校长" />
    <${Field} id="i-by" label="约谈人" required value=${f.by} onInput=${set('by')} />
    <${Field} id="i-reason" label="约谈事由" rows="3" required value=${f.reason} onInput=${set('reason')} />
    <${Field} id="i-date" label="约谈日期（不填为今天）" type="date" value=${f.date} onInput=${set('date')} />
    <${Field} id="i-month" label="排名月份（因排名约谈时）" type="month" value=${f.month} onInput=${set('month')} />
    <${Field} id="i-finding" label="督导发现问题编号" value=${f.finding} onInput=${set('finding')} />
    <${SubmitRow} state=${state} label="登记约谈" />
  </form>`;
}
