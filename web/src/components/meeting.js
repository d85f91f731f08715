// 联席会议 and 约谈 (issue 17): a decision of a joint meeting as a card — owner, deadline, state
// (逾期 in red), its progress and the duty checks it carries — with 报告进展 and 登记检查结果 for the
// accounts the server lets report on it (`may_report`: the owner department, the county); and a
// small labelled-field helper the 联席会议 and 约谈 forms share. Used by screens/meetings.js,
// screens/meeting.js and screens/interview.js.
import { useState } from 'preact/hooks';
import { html } from '../html.js';
import { api } from '../api.js';
import { fmtDate } from '../format.js';
import { Badge } from './feedback.js';
import { SubmitRow, useSubmit } from './casework.js';

export const STATE_TONE = { todo: 'muted', doing: 'info', done: 'ok', overdue: 'bad', open: 'warn', kept: 'ok' };

/** One labelled input (a textarea when rows is given). */
export function Field({ id, label, value, onInput, type = 'text', rows, required, hint }) {
  return html`<div class="field"><label class="field-label" for=${id}>${label}${required ? html`<span class="req" aria-hidden="true"> *</span>` : ''}</label>
    ${rows ? html`<textarea id=${id} rows=${rows} required=${required} value=${value} onInput=${onInput} placeholder=${hint || ''}></textarea>`
      : html`<input id=${id} type=${type} required=${required} value=${value} onInput=${onInput} placeholder=${hint || ''} autocomplete="off" />`}</div>`;
}

export function useForm(init) {
  const [f, setF] = useState(init);
  return [f, k => e => setF(x => ({ ...x, [k]: e.target.value })), setF];
}

export function DecisionCard({ d, showMeeting, onChanged }) {
  const [act, setAct] = useState(null);
  const [done, setDone] = useState(null);
  const finish = m => { setAct(null); setDone(m); onChanged && onChanged(); };
  return html`<article class=${'card decision-card tone-' + (STATE_TONE[d.state] || 'muted')} aria-label=${'议定事项 ' + d.id}>
    <header class="warning-head">
      <strong>${d.department_name}</strong>
      <${Badge} tone=${STATE_TONE[d.state] || 'muted'}>${d.state_label}<//>
      <span class="muted">议定事项 ${d.id}${d.duty_label ? ' · ' + d.duty_label : ''}</span>
    </header>
    ${showMeeting && html`<p class="muted"><a href=${'#/meetings/' + d.meeting_id}>${fmtDate(d.meeting_date)} ${d.meeting_title}</a></p>`}
    <p>${d.content}</p>
    <p class=${d.state === 'overdue' ? 'late' : 'muted'}>完成期限 ${fmtDate(d.deadline)}${d.state === 'overdue' ? `，已逾期 ${-d.days} 天` : d.done_on ? `，${fmtDate(d.done_on)} 办结` : ''}</p>
    ${d.progress.length > 0 && html`<details open><summary>进展（${d.progress.length}）</summary><ul class="plain-list">
      ${d.progress.map((p, i) => html`<li key=${i}>${fmtDate(p.date)} ${p.by}（${p.state_label}）：${p.content}</li>`)}</ul></details>`}
    ${d.checks.length > 0 && html`<details open><summary>检查结果（${d.checks.length}）</summary><ul class="plain-list">
      ${d.checks.map(c => html`<li key=${c.id}>${fmtDate(c.date)} ${c.places}：发现未成年人 ${c.minors_found} 名；${c.result}
        ${c.minors.length > 0 && html`<ul class="plain-list">${c.minors.map((m, i) => html`<li key=${i}>${m.name} ${m.id_number}${m.record_id ? html` <a href=${'#/children/' + m.record_id}>儿童记录</a>` : ''}</li>`)}</ul>`}</li>`)}</ul></details>`}
    ${done && html`<p class="notice" role="status">${done}</p>`}
    ${d.may_report && !act && html`<div class="page-actions">
      <button type="button" class="btn btn-primary" onClick=${() => { setDone(null); setAct('progress'); }}>报告进展</button>
      ${d.duty && html`<button type="button" class="btn" onClick=${() => { setDone(null); setAct('check'); }}>登记检查结果</button>`}</div>`}
    ${act === 'progress' && html`<${ProgressForm} id=${d.id} onCancel=${() => setAct(null)} onDone=${finish} />`}
    ${act === 'check' && html`<${CheckForm} id=${d.id} onCancel=${() => setAct(null)} onDone=${finish} />`}
  </article>`;
}

function ProgressForm({ id, onDone, onCancel }) {
  const [f, set] = useForm({ state: '进行中', content: '', date: '', by: '' });
  const [state, submit] = useSubmit(() => api.post(`/decisions/${id}/progress`,
    { state: f.state, content: f.content, date: f.date || null, by: f.by || null }), r => onDone(r.message));
  return html`<form class="form" onSubmit=${submit} aria-label="报告进展">
    <fieldset class="choices"><legend class="field-label">办理状态</legend>
      ${['进行中', '已完成'].map(s => html`<label class=${'choice' + (f.state === s ? ' checked' : '')} key=${s}>
        <input type="radio" name=${'p-state-' + id} value=${s} checked=${f.state === s} onChange=${set('state')} /> ${s}</label>`)}</fieldset>
    <${Field} id=${'p-content-' + id} label="进展情况" rows="3" required value=${f.content} onInput=${set('content')} />
    <${Field} id=${'p-date-' + id} label="日期（不填为今天）" type="date" value=${f.date} onInput=${set('date')} />
    <${Field} id=${'p-by-' + id} label="报告人（不填为本账号）" value=${f.by} onInput=${set('by')} />
    <${SubmitRow} state=${state} label="提交进展" onCancel=${onCancel} />
  </form>`;
}

function CheckForm({ id, onDone, onCancel }) {
  const [f, set] = useForm({ date: '', places: '', minors_found: '', result: '', minors: '' });
  const [state, submit] = useSubmit(() => api.post(`/decisions/${id}/checks`, {
    date: f.date || null, places: f.places, result: f.result, minors_found: f.minors_found || null, minors: f.minors || null,
  }), r => onDone(r.message));
  return html`<form class="form" onSubmit=${submit} aria-label="登记检查结果">
    <${Field} id=${'c-places-' + id} label="检查场所" required value=${f.places} onInput=${set('places')} hint="如：城区网吧 8 家" />
    <${Field} id=${'c-found-' + id} label="发现未成年人数" type="number" value=${f.minors_found} onInput=${set('minors_found')} />
    <${Field} id=${'c-minors-' + id} label="发现的未成年人（每行一人：姓名 身份证号）" rows="3" value=${f.minors} onInput=${set('minors')} />
    <${Field} id=${'c-result-' + id} label="处理结果" rows="2" required value=${f.result} onInput=${set('result')} />
    <${Field} id=${'c-date-' + id} label="检查日期（不填为今天）" type="date" value=${f.date} onInput=${set('date')} />
    <${SubmitRow} state=${state} label="登记" onCancel=${onCancel} />
  </form>`;
}
