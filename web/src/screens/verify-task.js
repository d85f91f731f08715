// 核查任务: one suspected child (GET /api/v1/verify/{id}) and the outcome of the door-to-door
// check (POST …/outcome) in a few taps: pick one of the eleven outcomes and the form asks for
// exactly what that outcome needs (school and evidence for a claim of schooling, the kind of
// 户籍问题, the reasons of 确认失学辍学, which opens a case). Also 调整责任人 (POST …/assign).
import { useState } from 'preact/hooks';
import { html } from '../html.js';
import { api } from '../api.js';
import { useApi, useTitle } from '../hooks.js';
import { fmtBirthOrAge, fmtDate } from '../format.js';
import { Badge, Loading, Notice, PageHeader, WordBadge } from '../components/feedback.js';
import { AssignForm, Choices, Contact, defaultBy, Due, NotFound, PersonSelect, PriorityTag, SubmitRow, Timeline, useSubmit } from '../components/casework.js';
import { PhotoStrip, usePhotos } from '../components/photos.js';

export default function VerifyTask({ params }) {
  const task = useApi('/verify/' + params.id);
  const photos = usePhotos('/verify/' + params.id);
  const t = task.data;
  useTitle(t ? `核查 ${t.child.name}` : '核查任务');
  const [done, setDone] = useState(null);
  if (task.error) return html`<${NotFound} error=${task.error} what="核查任务" back="#/verify" backLabel="返回核查任务" />`;
  if (!t) return html`<${Loading} />`;
  const c = t.child;
  const may = t.may || {};  // what this account may do to this task (the server's checks)
  return html`<div class="page case-page">
    <p class="crumbs"><a href="#/verify">核查</a> › 核查任务 ${t.id}</p>
    <${PageHeader} title=${c.name || '（无姓名）'} subtitle=${`${c.gender} · ${fmtBirthOrAge(c)} · ${t.suspected_label}`}>
      <${WordBadge} vocab="task_states" value=${t.state} />
    <//>
    ${done && html`<${Notice} tone="ok">${done}<//>`}
    ${t.groups && t.groups.length > 0 && html`<p class="priority-line"><${PriorityTag} groups=${t.groups} /><span class="muted small">重点群体儿童，优先核查</span></p>`}
    ${t.flagged_run && html`<${Notice} tone="warn">第 ${t.flagged_run} 次比对显示该儿童仍不在校，原结论待复核：请再次核查并记录结论。<//>`}
    ${t.case_id && html`<${Notice} tone="info"><span>已确认失学辍学并立案：<a href=${'#/cases/' + t.case_id}>查看案件 ${t.case_id}（一人一案）</a></span><//>`}
    <div class="case-grid"><div class="case-main">
    <section class="card">
      <dl class="facts">
        <dt>身份证号</dt><dd class="mono">${c.id_number || '—'}</dd>
        <dt>户籍地</dt><dd>${c.township} ${c.village || ''}</dd>
        <${Contact} child=${c} />
        <dt>核查截止</dt><dd><${Due} due=${t.deadline} done=${!t.open} /></dd>
        <dt>责任人</dt><dd>${t.assignees.length ? t.assignees.map(a => html`<div>${a.name}<span class="muted">（${a.role_label}）</span>${!a.active && html` <${Badge} tone="warn">已停用<//>`}</div>`) : html`<span class="late">未指派</span>`}</dd>
      </dl>
    </section>
    ${t.outcome && html`<section class="card">
      <h2>核查结论</h2>
      <dl class="facts">
        <dt>结论</dt><dd><strong>${t.outcome.label}${t.outcome.subkind_label ? '：' + t.outcome.subkind_label : ''}</strong></dd>
        <dt>核查日期</dt><dd>${fmtDate(t.outcome.date)}</dd>
        <dt>核查人</dt><dd>${t.outcome.verified_by ? `${t.outcome.verified_by.name}（${t.outcome.verified_by.org} ${t.outcome.verified_by.title}）` : '系统（比对）'}</dd>
        ${t.outcome.school && html`<dt>就读学校</dt><dd>${t.outcome.school}</dd>`}
        ${t.outcome.evidence && html`<dt>证明材料</dt><dd>${t.outcome.evidence}</dd>`}
        ${t.outcome.note && html`<dt>说明</dt><dd>${t.outcome.note}</dd>`}
      </dl>
      <${PhotoStrip} photos=${photos} base=${`/verify/${t.id}`} canAdd=${may.attach} />
    </section>`}
    ${t.can_record && may.record && html`<${OutcomeForm} task=${t} photos=${!t.outcome && html`<${PhotoStrip} photos=${photos} base=${`/verify/${t.id}`} canAdd=${may.attach} />`} onDone=${m => { setDone(m); task.reload(); window.scrollTo(0, 0); }} />`}
    ${t.open && may.assign && html`<${AssignForm} path=${`/verify/${t.id}/assign`} assignees=${t.assignees} township=${t.township_code} roles=${['township', 'village']} onDone=${m => { setDone(m); task.reload(); }} />`}
    </div>
    <section class="card case-side">
      <h2>经办时间线</h2>
      <${Timeline} items=${t.timeline} />
    </section></div>
  </div>`;
}

function OutcomeForm({ task, onDone, photos }) {
  const ch = task.choices;
  const [f, setF] = useState({ outcome: '', subkind: '', school: '', evidence: '', reason: '', other: [], date: '', by: defaultBy(task.assignees), note: '' });
  const set = k => v => setF(x => ({ ...x, [k]: v }));
  const o = ch.outcomes.find(x => x.key === f.outcome);
  const [state, submit] = useSubmit(() => api.post(`/verify/${task.id}/outcome`, {
    outcome: f.outcome, by: f.by, date: f.date || null, note: f.note || null,
    subkind: o && o.needs_subkind ? f.subkind : null,
    school: o && o.needs_school ? f.school : null,
    evidence: o && o.needs_evidence ? f.evidence : null,
    reason: o && o.opens_case ? f.reason : null,
    other_reasons: o && o.opens_case && f.other.length ? f.other.join(',') : null,
  }), r => onDone(r.message));
  const toggle = k => setF(x => ({ ...x, other: x.other.includes(k) ? x.other.filter(y => y !== k) : [...x.other, k] }));
  return html`<section class="card">
    <h2>${task.flagged_run ? '重新核查：记录结论' : task.state === 'outreach' ? '再次联系后记录结论' : '记录核查结论'}</h2>
    ${task.state === 'outreach' && html`<p class="hint">上次结论为“随父母外出无法联系”。联系上后记录实际情况；仍无法联系可再次记录，期限顺延。</p>`}
    <form class="form" onSubmit=${submit}>
      <${Choices} name="outcome" legend="核查结论" options=${ch.outcomes} value=${f.outcome} onChange=${set('outcome')} required columns="2" />
      ${o && o.keeps_open && html`<p class="hint">记录后任务转为“外联保学”，仍保持未办结，须在期限内再次联系。</p>`}
      ${o && o.opens_case && html`<p class="hint">确认失学辍学将立案（一人一案），并在 3 日内首次走访。</p>`}
      ${o && o.needs_subkind && html`<${Choices} name="subkind" legend="户籍问题类型" options=${ch.subkinds} value=${f.subkind} onChange=${set('subkind')} required columns="2" />`}
      ${o && o.needs_school && html`<label class="field" for="v-school"><span class="field-label">就读学校<span class="req" aria-hidden="true"> *</span></span>
        <input id="v-school" required value=${f.school} onInput=${e => set('school')(e.target.value)} placeholder="如 太原市第五中学 七年级" /></label>`}
      ${o && o.needs_evidence && html`<label class="field" for="v-evidence"><span class="field-label">证明材料<span class="req" aria-hidden="true"> *</span></span>
        <input id="v-evidence" required value=${f.evidence} onInput=${e => set('evidence')(e.target.value)} placeholder="学籍号、在读证明、批准文号等" /></label>`}
      ${o && o.opens_case && html`
        <label class="field" for="v-reason"><span class="field-label">主要原因<span class="req" aria-hidden="true"> *</span></span>
          <select id="v-reason" required value=${f.reason} onChange=${e => set('reason')(e.target.value)}>
            <option value="">请选择</option>
            ${ch.reasons.map(r => html`<option value=${r.key}>${r.label}</option>`)}
          </select></label>
        <fieldset class="checks"><legend class="field-label">其他原因（可多选）</legend>
          ${ch.reasons.filter(r => r.key !== f.reason).map(r => html`<label class="field-check"><input type="checkbox" checked=${f.other.includes(r.key)} onChange=${() => toggle(r.key)} /><span>${r.label}</span></label>`)}
        </fieldset>`}
      ${o && html`
        <div class="grid grid-2">
          <${PersonSelect} id="v-by" label="核查人" value=${f.by} onChange=${set('by')} township=${task.township_code} first=${task.assignees} required />
          <div class="field"><label class="field-label" for="v-date">核查日期</label>
            <input id="v-date" type="date" value=${f.date} aria-describedby="v-date-hint" onInput=${e => set('date')(e.target.value)} />
            <span class="field-hint" id="v-date-hint">不填为今天</span></div>
        </div>
        <label class="field" for="v-note"><span class="field-label">情况说明</span>
          <textarea id="v-note" value=${f.note} onInput=${e => set('note')(e.target.value)} placeholder="入户看到的情况、家长说法等"></textarea></label>
        ${photos}
        <${SubmitRow} state=${state} label="保存核查结论" />`}
    </form>
  </section>`;
}
