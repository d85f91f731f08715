// 预警 on the child record (issue 16): a child still at school — its 预警分, each factor with its
// points and why (the weights are the county's settings), whether the score puts it on the
// 预警名单, and its 结对教师; the form to pair a teacher (or end the pairing) for who may (the
// child's school, the county: may_pair in GET /children/{id}/casework). The server checks again.
import { useState } from 'preact/hooks';
import { html } from '../html.js';
import { api } from '../api.js';
import { fmtDate } from '../format.js';
import { can } from '../session.js';
import { Badge } from './feedback.js';
import { PersonSelect, SubmitRow, useSubmit } from './casework.js';

export function AtRisk({ work, recordId, onChanged }) {
  const a = work.at_risk;
  const [open, setOpen] = useState(false);
  const [done, setDone] = useState(null);
  if (!a || !a.in_school) return null;
  const p = a.pairing;
  const finish = m => { setOpen(false); setDone(m); onChanged(); };
  return html`<section class="card at-risk" aria-label="辍学预警">
    <h2>辍学预警</h2>
    <p><strong class="stat-inline">预警分 ${a.score}</strong> <span class="muted">（分数线 ${a.threshold}）</span>
      ${a.listed ? html` <${Badge} tone="bad">列入预警名单<//>` : html` <${Badge} tone="ok">未列入<//>`}</p>
    ${a.factors.length === 0 ? html`<p class="muted">没有预警因素。</p>` : html`<ul class="factor-list">
      ${a.factors.map(f => html`<li key=${f.key}><span>${f.label}：${f.detail}</span> <span class="num">${f.weight} 分</span></li>`)}</ul>`}
    <h3>结对帮扶</h3>
    ${p ? html`<p>结对教师 <strong>${p.teacher}</strong>，自 ${fmtDate(p.since)} 起</p>` : html`<p class="muted">还没有结对教师。</p>`}
    ${done && html`<p class="notice" role="status">${done}</p>`}
    ${a.may_pair && !open && html`<div class="page-actions">
      <button type="button" class="btn btn-primary" onClick=${() => { setDone(null); setOpen(true); }}>${p ? '更换结对教师' : '安排结对教师'}</button>
      ${p && html`<${EndPairing} recordId=${recordId} onDone=${finish} />`}</div>`}
    ${open && html`<${PairForm} recordId=${recordId} onDone=${finish} onCancel=${() => setOpen(false)} />`}
  </section>`;
}

function PairForm({ recordId, onDone, onCancel }) {
  const [f, setF] = useState({ teacher: '', since: '', note: '' });
  const set = k => v => setF(x => ({ ...x, [k]: v }));
  const [state, submit] = useSubmit(
    () => api.put('/children/' + recordId + '/pairing', { teacher: f.teacher, since: f.since || null, note: f.note || null }),
    r => onDone(r.message));
  return html`<form class="form" onSubmit=${submit} aria-label="安排结对教师">
    ${can('casework')
      ? html`<${PersonSelect} id="pair-teacher" label="结对教师" value=${f.teacher} onChange=${set('teacher')} required
          prefer=${x => x.org_kind === 'school' || /学校|小学|中学/.test(x.org || '')} preferLabel="学校教师" />`
      : html`<div class="field"><label class="field-label" for="pair-teacher">结对教师（本校教师姓名）<span class="req" aria-hidden="true"> *</span></label>
          <input id="pair-teacher" value=${f.teacher} onInput=${e => set('teacher')(e.target.value)} required autocomplete="off" />
          <span class="field-hint">人员名册中没有的，保存时登记为本校结对教师</span></div>`}
    <div class="field"><label class="field-label" for="pair-since">结对日期（不填为今天）</label>
      <input id="pair-since" type="date" value=${f.since} onInput=${e => set('since')(e.target.value)} /></div>
    <div class="field"><label class="field-label" for="pair-note">说明</label>
      <input id="pair-note" value=${f.note} onInput=${e => set('note')(e.target.value)} placeholder="如 每周谈心一次" /></div>
    <${SubmitRow} state=${state} label="保存结对" onCancel=${onCancel} />
  </form>`;
}

function EndPairing({ recordId, onDone }) {
  const [state, submit] = useSubmit(() => api.post('/children/' + recordId + '/pairing/end', {}, { direct: true }), r => onDone(r.message));
  return html`<button type="button" class="btn" disabled=${state.busy} onClick=${submit}>结束结对</button>
    ${state.error && html`<span class="error-text">${state.error.message}</span>`}`;
}
