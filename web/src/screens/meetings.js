// 联席会议 (issue 17): the joint meetings — GET /api/v1/meetings — newest first, each with its
// departments and how many of its decisions are open or overdue; the county registers a meeting
// here (POST /api/v1/meetings). A department's account sees the meetings that gave it something
// to do and, first, its own decisions (GET /api/v1/decisions) to report progress on. Phone first.
import { html } from '../html.js';
import { navigate } from '../router.js';
import { api } from '../api.js';
import { useApi, useTitle } from '../hooks.js';
import { currentUser } from '../session.js';
import { fmtDate, fmtNumber } from '../format.js';
import { Badge, ErrorBanner, Loading, PageHeader } from '../components/feedback.js';
import { SubmitRow, useSubmit } from '../components/casework.js';
import { DecisionCard, Field, useForm } from '../components/meeting.js';

const DEPARTMENTS = ['教育', '公安', '财政', '乡村振兴', '民政', '残联', '人社', '文旅', '卫健', '司法', '审计'];

export default function Meetings() {
  useTitle('联席会议');
  const list = useApi('/meetings');
  const user = currentUser();
  const dept = user && user.role === 'department';
  const d = list.data;
  return html`<div class="page">
    <${PageHeader} title="联席会议" subtitle=${d ? `共 ${fmtNumber(d.total)} 次会议` : '参会部门、议定事项和办理情况'} />
    ${dept && html`<${MyDecisions} />`}
    ${d && d.may_add && html`<details class="card"><summary>登记联席会议</summary><${AddMeeting} /></details>`}
    <${ErrorBanner} error=${list.error} onRetry=${list.reload} />
    ${list.loading && !d && html`<${Loading} />`}
    ${d && d.items.length === 0 && html`<div class="empty"><p class="empty-title">没有联席会议记录</p></div>`}
    ${d && d.items.map(m => html`<article class="card" key=${m.id} aria-label=${'联席会议 ' + m.id}>
      <header class="warning-head"><strong><a href=${'#/meetings/' + m.id}>${m.title}</a></strong>
        ${m.overdue > 0 && html`<${Badge} tone="bad">逾期 ${m.overdue} 项<//>`}</header>
      <p class="muted">${fmtDate(m.date)}${m.host ? ' · ' + m.host : ''}</p>
      <p>参会部门：${m.departments.map(x => x.name).join('、')}</p>
      <p class="muted">${dept ? '本部门' : ''}议定事项 ${m.decisions} 项，未办结 ${m.open} 项</p>
    </article>`)}
  </div>`;
}

function MyDecisions() {
  const list = useApi('/decisions');
  const d = list.data;
  return html`<section aria-label="本部门的议定事项">
    <h2>本部门的议定事项</h2>
    <${ErrorBanner} error=${list.error} onRetry=${list.reload} />
    ${list.loading && !d && html`<${Loading} />`}
    ${d && d.items.length === 0 && html`<p class="muted">没有本部门负责的议定事项。</p>`}
    ${d && d.items.map(x => html`<${DecisionCard} key=${x.id} d=${x} showMeeting=${true} onChanged=${list.reload} />`)}
  </section>`;
}

function AddMeeting() {
  const [f, set, setF] = useForm({ title: '', date: '', host: '', notes: '', departments: [] });
  const toggle = name => setF(x => ({ ...x, departments: x.departments.includes(name) ? x.departments.filter(y => y !== name) : [...x.departments, name] }));
  const [state, submit] = useSubmit(() => api.post('/meetings', {
    title: f.title, date: f.date || null, host: f.host || null, notes: f.notes || null, departments: f.departments.join('、'),
  }), r => navigate('/meetings/' + r.id));
  return html`<form class="form" onSubmit=${submit} aria-label="登记联席会议">
    <${Field} id="m-title" label="会议名称" required value=${f.title} onInput=${set('title')} hint="如：第四季度控辍保学联席会议" />
    <${Field} id="m-date" label="会议日期（不填为今天）" type="date" value=${f.date} onInput=${set('date')} />
    <fieldset class="choices choices-3"><legend class="field-label">参会部门<span class="req" aria-hidden="true"> *</span></legend>
      ${DEPARTMENTS.map(n => html`<label class=${'choice' + (f.departments.includes(n) ? ' checked' : '')} key=${n}>
        <input type="checkbox" checked=${f.departments.includes(n)} onChange=${() => toggle(n)} /> ${n}</label>`)}</fieldset>
    <${Field} id="m-host" label="主持人" value=${f.host} onInput=${set('host')} />
    <${Field} id="m-notes" label="会议纪要" rows="3" value=${f.notes} onInput=${set('notes')} />
    <${SubmitRow} state=${state} label="登记会议" />
  </form>`;
}
