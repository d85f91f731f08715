// 安置和送教上门 on the child record (issue 15): the child's placement (随班就读, 特殊教育学校,
// 送教上门 with the school that sends the teachers, 缓学/免学 with its approval and end date),
// this month's 送教上门 against the county's minimum, and the visit log, each correction beside
// the visit it corrects (the original kept, as attempts are). The forms are offered as the
// server says this account may (may_place, may_send_visit in GET /children/{id}/casework);
// the server checks again. The kinds and their labels are the vocabulary's (placement_kinds).
import { useState } from 'preact/hooks';
import { html } from '../html.js';
import { api } from '../api.js';
import { useApi } from '../hooks.js';
import { can } from '../session.js';
import { fmtDate } from '../format.js';
import { words } from '../vocab.js';
import { Badge, Notice } from './feedback.js';
import { Choices, SubmitRow, useSubmit } from './casework.js';

const APPROVED = ['deferred', 'exempt'];
const orNull = v => (v === '' ? null : v);

const field = (id, label, value, onInput, opts = {}) => html`<div class="field">
  <label class="field-label" for=${id}>${label}${opts.required ? html`<span class="req" aria-hidden="true"> *</span>` : ''}</label>
  ${opts.area ? html`<textarea id=${id} required=${opts.required} value=${value} placeholder=${opts.placeholder || ''} onInput=${e => onInput(e.target.value)}></textarea>`
    : html`<input id=${id} type=${opts.type || 'text'} required=${opts.required} value=${value} placeholder=${opts.placeholder || ''}
        list=${opts.list || null} inputmode=${opts.inputmode || null} aria-describedby=${opts.hint ? id + '-hint' : null} onInput=${e => onInput(e.target.value)} />`}
  ${opts.hint && html`<span class="field-hint" id=${id + '-hint'}>${opts.hint}</span>`}
</div>`;

function useForm(init) {
  const [f, setF] = useState(init);
  return [f, k => v => setF(x => ({ ...x, [k]: v }))];
}

/** This month's 送教上门 against the minimum: red when the month ended short. */
export function MonthBadge({ m }) {
  if (!m) return null;
  const tone = !m.short ? 'ok' : m.overdue ? 'bad' : 'warn';
  const text = !m.short ? '已达标' : m.checked === false ? '当月安置，不考核' : m.overdue ? '未达标（逾期）' : `未达标，${fmtDate(m.due)} 前补足`;
  return html`<${Badge} tone=${tone}>${text}<//>`;
}

export function Placement({ work, recordId, onChanged }) {
  const w = work;
  const [form, setForm] = useState(null);
  const [done, setDone] = useState(null);
  const p = w.placement;
  const m = w.send_month;
  const finish = msg => { setForm(null); setDone(msg); onChanged(); };
  const props = { recordId, onDone: finish, onCancel: () => setForm(null) };
  const byId = new Map(w.visits.map(v => [v.id, v]));
  const visit = v => {
    const fix = v.corrected_by && byId.get(v.corrected_by);
    const key = 'fix-' + v.id;
    return html`<div class=${'attempt-pair' + (fix ? ' corrected' : '')}>
      <div class="attempt-own">
        <div class="tl-head"><strong>#${v.id} ${fmtDate(v.on_date)}</strong> <${Badge} tone="info">${v.hours} 课时<//>
          ${v.corrected_by ? html`<${Badge} tone="muted">已更正<//>` : ''}</div>
        <dl class="facts"><dt>送教教师</dt><dd>${v.teachers}</dd><dt>内容</dt><dd>${v.content}</dd></dl>
        ${!v.corrected_by && w.may_send_visit && html`<button type="button" class="btn btn-small" aria-expanded=${form === key}
          onClick=${() => setForm(form === key ? null : key)}>更正 #${v.id}</button>`}
        ${form === key && html`<${VisitForm} ...${props} original=${v} />`}
      </div>
      ${fix && html`<div class="attempt-fix" aria-label=${`#${v.id} 的更正`}>
        <p class="correction-note"><${Badge} tone="warn">更正 #${v.id}<//> ${fix.recorded_by} 于 ${fix.recorded_at.slice(0, 16).replace('T', ' ')} 更正；原因：${fix.reason || '（未记录）'}</p>
        ${visit(fix)}
      </div>`}
    </div>`;
  };
  const home = p && p.kind === 'home_teaching';
  if (!p && !w.may_place && w.visits.length === 0) return null;
  return html`<section class="card placement" aria-labelledby="placement-h">
    <div class="row-between"><h2 id="placement-h">安置和送教上门</h2>
      ${w.may_place && html`<button type="button" class="btn btn-small" aria-expanded=${form === 'place'}
        onClick=${() => setForm(form === 'place' ? null : 'place')}>${p ? '更改安置方式' : '登记安置方式'}</button>`}</div>
    ${done && html`<${Notice} tone="ok">${done}<//>`}
    ${form === 'place' && html`<${PlacementForm} ...${props} current=${p} />`}
    ${!p ? html`<p class="muted">尚未登记安置方式（残疾儿童：随班就读、特殊教育学校、送教上门、缓学或免学）。</p>` : html`<dl class="facts">
      <dt>安置方式</dt><dd><strong>${p.kind_label}</strong> <span class="muted small">自 ${fmtDate(p.since)}</span></dd>
      ${p.school_name && html`<dt>${home ? '送教学校' : '学校'}</dt><dd>${p.school_name}</dd>`}
      ${APPROVED.includes(p.kind) && html`<dt>批准</dt><dd>${p.approved_by}，${p.approval_no}，${fmtDate(p.approved_on)}</dd>
        <dt>截止日期</dt><dd>${fmtDate(p.ends_on)} <span class="muted small">到期复核</span></dd>`}
      ${p.note && html`<dt>说明</dt><dd>${p.note}</dd>`}
    </dl>`}
    ${home && m && html`<div class="send-month">
      <p><strong>${m.month.replace('-', ' 年 ')} 月：</strong>送教 ${m.visits} 次、${m.hours} 课时
        <span class="muted">（每月至少 ${m.min_visits} 次、${m.min_hours} 课时）</span> <${MonthBadge} m=${m} /></p></div>`}
    ${(home || w.visits.length > 0) && html`<div class="row-between"><h3 class="subhead">送教记录</h3>
      ${home && w.may_send_visit && html`<button type="button" class="btn btn-small btn-primary" aria-expanded=${form === 'visit'}
        onClick=${() => setForm(form === 'visit' ? null : 'visit')}>记录一次送教</button>`}</div>`}
    ${form === 'visit' && html`<${VisitForm} ...${props} />`}
    ${w.visits.length === 0 ? (home ? html`<p class="muted">还没有送教记录。</p>` : null)
      : html`<ol class="attempts send-visits">${w.visits.filter(v => !v.corrects).map(v => html`<li class="attempt" key=${v.id}>${visit(v)}</li>`)}</ol>`}
  </section>`;
}

/* 登记/更改安置方式: the school for 随班就读, 特殊教育学校 and 送教上门 (the one that sends the
 * teachers), the approval for 缓学 and 免学. */
export function PlacementForm({ recordId, current, onDone, onCancel }) {
  const c = current || {};
  const [f, set] = useForm({
    kind: c.kind || '', school: c.school_name || '', since: '', approved_by: c.approved_by || '',
    approval_no: c.approval_no || '', approved_on: c.approved_on || '', ends_on: c.ends_on || '', note: c.note || '',
  });
  const filters = useApi(can('children') ? '/children/filters' : null);
  const schools = (filters.data && filters.data.schools) || [];
  const approved = APPROVED.includes(f.kind);
  const [state, submit] = useSubmit(() => api.put(`/children/${recordId}/placement`, {
    kind: f.kind, since: orNull(f.since), note: orNull(f.note),
    ...(approved ? { approved_by: f.approved_by, approval_no: f.approval_no, approved_on: f.approved_on, ends_on: f.ends_on }
      : { school: f.school }),
  }), r => onDone(r.message));
  const kinds = words('placement_kinds').map(w => ({ key: w.key, label: w.label }));
  return html`<form class="form inline-form" onSubmit=${submit} aria-label="安置方式">
    <${Choices} name="pl-kind" legend="安置方式" options=${kinds} value=${f.kind} onChange=${set('kind')} required columns="2" />
    ${approved ? html`<p class="field-hint">缓学、免学由监护人申请，乡镇人民政府或县教育局批准，到期复核（义务教育法第十一条）。</p>
      <div class="grid grid-2">
        ${field('pl-by', '批准机关', f.approved_by, set('approved_by'), { required: true, placeholder: '如 龙港镇人民政府' })}
        ${field('pl-no', '批准文号', f.approval_no, set('approval_no'), { required: true })}
        ${field('pl-on', '批准日期', f.approved_on, set('approved_on'), { type: 'date', required: true })}
        ${field('pl-ends', '截止日期', f.ends_on, set('ends_on'), { type: 'date', required: true })}
      </div>` : f.kind && html`${field('pl-school', f.kind === 'home_teaching' ? '送教学校（派出送教教师的学校）' : '学校', f.school, set('school'),
        { required: true, list: 'pl-schools', placeholder: '学籍名单中的学校名称或代码' })}
      <datalist id="pl-schools">${schools.map(s => html`<option value=${s.name || s.code} />`)}</datalist>`}
    ${field('pl-since', '安置开始日期', f.since, set('since'), { type: 'date', hint: '不填为今天' })}
    ${field('pl-note', '说明', f.note, set('note'), { area: true })}
    <${SubmitRow} state=${state} label="保存安置方式" onCancel=${onCancel} />
  </form>`;
}

/* 记录一次送教, or with `original` 更正 it (the reason required; the original kept). */
export function VisitForm({ recordId, original, onDone, onCancel }) {
  const o = original || {};
  const [f, set] = useForm({ date: o.on_date || '', teachers: o.teachers || '', hours: o.hours || '', content: o.content || '', reason: '' });
  const [state, submit] = useSubmit(() => api.post(`/children/${recordId}/send-visits`, {
    date: orNull(f.date), teachers: f.teachers, hours: f.hours, content: f.content,
    ...(original ? { corrects: original.id, reason: f.reason } : {}),
  }), r => onDone(r.message));
  const id = original ? `sv${original.id}-` : `sv${recordId}-`;
  return html`<form class="form inline-form" onSubmit=${submit} aria-label=${original ? `更正送教记录 #${original.id}` : '记录一次送教'}>
    ${original && html`<p class="hint">更正后原记录 #${original.id} 仍保留，标为“已更正”。</p>`}
    <div class="grid grid-2">
      ${field(id + 'date', '送教日期', f.date, set('date'), { type: 'date', hint: '不填为今天' })}
      ${field(id + 'hours', '课时', f.hours, set('hours'), { required: true, inputmode: 'decimal', placeholder: '如 2 或 1.5' })}
    </div>
    ${field(id + 'teachers', '送教教师', f.teachers, set('teachers'), { required: true, placeholder: '姓名，多人用、分隔' })}
    ${field(id + 'content', '送教内容', f.content, set('content'), { area: true, required: true, placeholder: '如 语文识字、生活自理训练' })}
    ${original && field(id + 'reason', '更正原因', f.reason, set('reason'), { area: true, required: true, placeholder: '如 课时记错，实为 2 课时' })}
    <${SubmitRow} state=${state} label=${original ? '保存更正' : '保存送教记录'} onCancel=${onCancel} />
  </form>`;
}
