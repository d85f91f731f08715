// 考勤预警 (issue 16): one warning of the attendance rules — what the absences were, who has it
// now (班主任, 校长 when it went unanswered, 乡镇 when passed up or long unanswered), its deadline,
// the contact with the family and its history — with the actions the account may take: 联系家长,
// 解除, 上报乡镇 (`may` of GET /warnings/{id} and the child record; the board derives it from the
// role, the server checks again). Used by the board (screens/warnings.js) and the child record.
import { useState } from 'preact/hooks';
import { html } from '../html.js';
import { api } from '../api.js';
import { fmtDate } from '../format.js';
import { Badge } from './feedback.js';
import { SubmitRow, useSubmit } from './casework.js';

const TONE = { new: 'bad', escalated: 'bad', contacted: 'warn', resolved: 'ok' };
const ACTIONS = {
  contact: { label: '已联系家长', hint: '家长怎么说、何时返校', button: '记录联系' },
  resolve: { label: '解除预警', hint: '如：已返校上课、补交了病假证明', button: '确认解除' },
  escalate: { label: '上报乡镇', hint: '如：家长拒不送学、多次联系不上', button: '确认上报' },
};

export function WarningCard({ w, may, onChanged, showPupil = true }) {
  const [act, setAct] = useState(null);
  const [done, setDone] = useState(null);
  const state = w.state_key || w.state;
  const label = w.state_label || w.state;
  return html`<article class=${'card warning-card tone-' + (TONE[state] || 'muted')} aria-label=${'考勤预警 ' + w.id}>
    <header class="warning-head">
      ${showPupil && html`<strong>${w.child_record ? html`<a href=${'#/children/' + w.child_record}>${w.name || '（无姓名）'}</a>` : w.name}</strong>`}
      <${Badge} tone=${TONE[state] || 'muted'}>${label}<//>
      <span class="muted">${w.kind_label || w.kind} · 预警 ${w.id}</span>
    </header>
    ${showPupil && html`<p class="muted">${w.school}${w.grade ? ' ' + (typeof w.grade === 'number' ? w.grade + ' 年级' : w.grade) : ''}${w.class ? ' ' + w.class : ''}</p>`}
    <p>${w.evidence}</p>
    <p class="muted">${w.holder || w.handled_by ? `现由${w.holder || w.handled_by}处理` : ''}${w.deadline && state !== 'resolved' ? `，期限 ${fmtDate(w.deadline)}` : ''}</p>
    ${w.task_id && html`<p><a href=${'#/verify/' + w.task_id}>核查任务 ${w.task_id}</a></p>`}
    ${w.outcome && html`<p>${state === 'resolved' ? '结果' : '联系结果'}：${w.outcome}${w.person ? `（${w.person}）` : ''}</p>`}
    ${w.history && w.history.length > 0 && html`<details><summary>经过（${w.history.length}）</summary><ul class="plain-list">
      ${w.history.map((h, i) => html`<li key=${i}>${fmtDate(h.on)} ${h.text}</li>`)}</ul></details>`}
    ${done && html`<p class="notice" role="status">${done}</p>`}
    ${may && may.length > 0 && !act && html`<div class="page-actions">
      ${may.map(k => html`<button type="button" class=${'btn' + (k === 'contact' ? ' btn-primary' : '')} key=${k} onClick=${() => { setDone(null); setAct(k); }}>${ACTIONS[k].label}</button>`)}</div>`}
    ${act && html`<${ActForm} id=${w.id} act=${act} onCancel=${() => setAct(null)} onDone=${m => { setAct(null); setDone(m); onChanged && onChanged(m); }} />`}
  </article>`;
}

function ActForm({ id, act, onDone, onCancel }) {
  const [f, setF] = useState({ outcome: '', person: '', on: '' });
  const set = k => e => setF(x => ({ ...x, [k]: e.target.value }));
  const [state, submit] = useSubmit(
    () => api.post(`/warnings/${id}/${act}`, { outcome: f.outcome, person: f.person || null, on: f.on || null }),
    r => onDone(r.message));
  const a = ACTIONS[act];
  return html`<form class="form" onSubmit=${submit} aria-label=${a.label}>
    <div class="field"><label class="field-label" for=${'w-outcome-' + id}>${a.label}：结果<span class="req" aria-hidden="true"> *</span></label>
      <textarea id=${'w-outcome-' + id} rows="3" required value=${f.outcome} onInput=${set('outcome')} placeholder=${a.hint}></textarea></div>
    <div class="field"><label class="field-label" for=${'w-person-' + id}>联系人（不填为本账号）</label>
      <input id=${'w-person-' + id} value=${f.person} onInput=${set('person')} placeholder="如 班主任王老师" autocomplete="off" /></div>
    <div class="field"><label class="field-label" for=${'w-on-' + id}>日期（不填为今天）</label>
      <input id=${'w-on-' + id} type="date" value=${f.on} onInput=${set('on')} /></div>
    <${SubmitRow} state=${state} label=${a.button} onCancel=${onCancel} />
  </form>`;
}

// The child record's part: its warnings, newest first (GET /children/{id}/casework "warnings").
export function ChildWarnings({ work, onChanged }) {
  const ws = work.warnings || [];
  if (ws.length === 0) return null;
  return html`<section class="card" aria-label="考勤预警">
    <h2>考勤预警</h2>
    ${ws.map(w => html`<${WarningCard} key=${w.id} w=${w} may=${w.may} onChanged=${onChanged} showPupil=${false} />`)}
  </section>`;
}
