// 联席会议 (issue 17): one joint meeting — GET /api/v1/meetings/{id} — its departments, minutes
// and decisions (a department's account: its own), each a card with its progress and checks; the
// county adds a decision here (POST /api/v1/meetings/{id}/decisions), the owner department
// reports progress on its card.
import { html } from '../html.js';
import { api } from '../api.js';
import { useApi, useTitle } from '../hooks.js';
import { fmtDate } from '../format.js';
import { ErrorBanner, Loading, PageHeader } from '../components/feedback.js';
import { SubmitRow, useSubmit } from '../components/casework.js';
import { DecisionCard, Field, useForm } from '../components/meeting.js';

const DEPARTMENTS = ['教育', '公安', '财政', '乡村振兴', '民政', '残联', '人社', '文旅', '卫健', '司法', '审计'];

export default function Meeting({ params }) {
  useTitle('联席会议');
  const m = useApi('/meetings/' + params.id);
  const d = m.data;
  return html`<div class="page">
    <${PageHeader} title=${d ? d.title : '联席会议'} subtitle=${d ? `${fmtDate(d.date)}${d.host ? ' · 主持人 ' + d.host : ''}` : ''} />
    <p><a href="#/meetings">← 全部联席会议</a></p>
    <${ErrorBanner} error=${m.error} onRetry=${m.reload} />
    ${m.loading && !d && html`<${Loading} />`}
    ${d && html`<p>参会部门：${d.departments.map(x => x.name).join('、')}</p>
      ${d.notes && html`<p class="muted">会议纪要：${d.notes}</p>`}
      <h2>议定事项</h2>
      ${d.decisions.length === 0 && html`<p class="muted">还没有登记议定事项。</p>`}
      ${d.decisions.map(x => html`<${DecisionCard} key=${x.id} d=${x} onChanged=${m.reload} />`)}
      ${d.may_decide && html`<details class="card"><summary>登记议定事项</summary><${AddDecision} id=${d.id} onDone=${m.reload} /></details>`}`}
  </div>`;
}

function AddDecision({ id, onDone }) {
  const [f, set, setF] = useForm({ department: '', content: '', deadline: '', duty: '' });
  const [state, submit] = useSubmit(() => api.post(`/meetings/${id}/decisions`, {
    department: f.department, content: f.content, deadline: f.deadline, duty: f.duty || null,
  }), () => { setF({ department: '', content: '', deadline: '', duty: '' }); onDone(); });
  return html`<form class="form" onSubmit=${submit} aria-label="登记议定事项">
    <div class="field"><label class="field-label" for="d-dept">责任部门<span class="req" aria-hidden="true"> *</span></label>
      <select id="d-dept" required value=${f.department} onChange=${set('department')}>
        <option value="">请选择</option>${DEPARTMENTS.map(n => html`<option key=${n} value=${n}>${n}</option>`)}</select></div>
    <${Field} id="d-content" label="议定事项" rows="3" required value=${f.content} onInput=${set('content')} />
    <${Field} id="d-deadline" label="完成期限" type="date" required value=${f.deadline} onInput=${set('deadline')} />
    <div class="field"><label class="field-label" for="d-duty">部门职责事项</label>
      <select id="d-duty" value=${f.duty} onChange=${set('duty')}>
        <option value="">（其他事项）</option><option value="未成年人务工检查">未成年人务工检查（人社）</option>
        <option value="网吧/歌舞厅检查">网吧/歌舞厅检查（文旅）</option></select></div>
    ${state.message && html`<p class="notice" role="status">${state.message}</p>`}
    <${SubmitRow} state=${state} label="登记议定事项" />
  </form>`;
}
