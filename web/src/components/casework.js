// Pieces the casework screens share (核查, 个案, 待办): a due date with its overdue standing, a
// child's timeline (timeline.js), why a task comes first (its child's priority groups), a person
// picker over the registry, the "not found or not in your area" page, and a form's
// submit/feedback row.
import { useState } from 'preact/hooks';
import { html } from '../html.js';
import { api } from '../api.js';
import { fmtDate } from '../format.js';
import { useApi } from '../hooks.js';
import { can, currentUser } from '../session.js';
import { Badge, ErrorBanner } from './feedback.js';
import { label } from '../vocab.js';

import { plain } from './timeline.js';

/** The timeline and `plain` (a server sentence's ISO dates as people read them) have a file of
 * their own; the casework screens import them from here too. */
export { plain, Timeline } from './timeline.js';

/** Why a task or case comes first (issue 15): its child's priority groups from the API
 * ([{key, label}]) as "重点群体：脱贫户、低保"; nothing when it has none. */
export function PriorityTag({ groups }) {
  if (!groups || !groups.length) return null;
  return html`<span class="badge badge-info priority-tag">重点群体：${groups.map(g => g.label).join('、')}</span>`;
}

/** due: {date, days, overdue} from the API (or null). Overdue is red and says by how much. */
export function Due({ due, done }) {
  if (!due) return html`<span class="muted">—</span>`;
  let badge = null;
  if (done) badge = null;
  else if (due.overdue) badge = html`<${Badge} tone="bad">逾期 ${-due.days} 天<//>`;
  else if (due.days === 0) badge = html`<${Badge} tone="warn">今天到期<//>`;
  else if (due.days <= 3) badge = html`<${Badge} tone="warn">还剩 ${due.days} 天<//>`;
  else badge = html`<${Badge} tone="muted">还剩 ${due.days} 天<//>`;
  return html`<span class=${'due' + (due.overdue && !done ? ' due-late' : '')}>${fmtDate(due.date)} ${badge}</span>`;
}

/** A 404 of a task or case: it does not exist, or it is another township's. */
export function NotFound({ error, what, back, backLabel }) {
  const msg = error && error.status === 404
    ? `没有找到这个${what}，或它不在您的管辖范围内。`
    : (error && error.message) || '加载失败';
  return html`<div class="page narrow">
    <div class="banner banner-error" role="alert"><span>${msg}</span></div>
    ${error && error.status === 404 && html`<p class="muted">乡镇账号只能查看本乡镇的${what}。如果编号是别人发给您的，请核对编号或联系县教育局控辍保学办。</p>`}
    <a class="btn" href=${back}>${backLabel}</a>
  </div>`;
}

/** Who records by default (核查人, 回访人): the signed-in account's person of the registry, else
 * the first of `assignees`; "" none. */
export function defaultBy(assignees) {
  const me = (currentUser() || {}).person;
  return me ? String(me.id) : assignees.length ? String(assignees[0].person_id) : '';
}

/**
 * A person of the registry (核查人, 回访人, 审批人, 责任人): the given `first` people on top
 * (e.g. the task's assignees) with the signed-in account's own person, then the active people
 * of `township` (GET /people).
 */
export function PersonSelect({ id, label, value, onChange, township, first = [], required, hint, prefer, preferLabel }) {
  // the registry is the county's and the townships' (PERM_CASEWORK); a school picks among the
  // people assigned to the case
  const people = useApi(can('casework') ? '/people' : null, township ? { township } : {});
  const all = (people.data && people.data.people) || [];
  if (prefer && !first.length) first = all.filter(prefer).map(p => ({ ...p, role_label: `${p.org} ${p.role}` }));
  const me = (currentUser() || {}).person;
  if (me && !first.some(p => String(p.person_id ?? p.id) === String(me.id)) && !all.some(p => String(p.id) === String(me.id)))
    first = [...first, { person_id: me.id, name: me.name, role_label: '本人' }];
  const seen = new Set(first.map(p => String(p.person_id ?? p.id)));
  const rest = all.filter(p => !seen.has(String(p.id)));
  return html`<label class="field" for=${id}><span class="field-label">${label}${required ? html`<span class="req" aria-hidden="true"> *</span>` : ''}</span>
    <select id=${id} value=${value} required=${required} onChange=${e => onChange(e.target.value)}>
      <option value="">请选择</option>
      ${first.length > 0 && html`<optgroup label=${preferLabel || '本项责任人'}>
        ${first.map(p => html`<option value=${String(p.person_id ?? p.id)}>${p.name}（${p.role_label || p.title || ''}）</option>`)}
      </optgroup>`}
      ${rest.length > 0 && html`<optgroup label="人员名册">
        ${rest.map(p => html`<option value=${String(p.id)}>${p.name}（${p.org} ${p.role}）</option>`)}
      </optgroup>`}
    </select>
    ${hint && html`<span class="field-hint">${hint}</span>`}
  </label>`;
}

/**
 * The guardian and how to reach the family, as rows of a `facts` list. The accounts of the
 * people assigned to the child (child.contact: the task's or case's township, the school of its
 * pupil) read the whole phone, a tel: link, and the home address; the server audits each such
 * read. Everyone else reads the masked phone and no address.
 */
export function Contact({ child }) {
  const phone = child.phone;
  return html`<dt>监护人</dt><dd>${child.guardian || '（未填）'}</dd>
    <dt>联系电话</dt><dd>${!phone ? '（未填）' : child.contact
      ? html`<a class="mono tel" href=${'tel:' + phone}>${phone}</a> <span class="muted small">（仅供联系家庭，查看已记入审计）</span>`
      : html`<span class="mono">${phone}</span>${phone.includes('*') ? html` <span class="muted small">（完整号码和住址只向被指派负责此儿童的人员显示）</span>` : null}`}</dd>
    ${child.contact && html`<dt>家庭住址</dt><dd>${child.address || '（未填）'}</dd>`}`;
}

/** A write: busy state, the server's Chinese error, the success message. */
export function useSubmit(fn, onDone) {
  const [state, setState] = useState({ busy: false, error: null, message: null });
  const submit = async e => {
    if (e) e.preventDefault();
    setState({ busy: true, error: null, message: null });
    try {
      const r = await fn();
      setState({ busy: false, error: null, message: plain((r && r.message) || '已保存') });
      if (onDone) onDone(r && r.message ? { ...r, message: plain(r.message) } : r);
    } catch (err) {
      setState({ busy: false, error: err, message: null });
    }
  };
  return [state, submit, () => setState({ busy: false, error: null, message: null })];
}

export function SubmitRow({ state, label, onCancel }) {
  return html`<div class="form-actions">
    <${ErrorBanner} error=${state.error && plain(state.error.message)} />
    <div class="form-buttons">
      <button type="submit" class="btn btn-primary" disabled=${state.busy}>${state.busy ? '正在保存…' : label}</button>
      ${onCancel && html`<button type="button" class="btn" onClick=${onCancel}>取消</button>`}
    </div>
  </div>`;
}

/** A choice among a few options as large tap targets (radio buttons). */
export function Choices({ name, legend, options, value, onChange, required, columns }) {
  return html`<fieldset class=${'choices' + (columns ? ' choices-' + columns : '')}>
    <legend class="field-label">${legend}${required ? html`<span class="req" aria-hidden="true"> *</span>` : ''}</legend>
    ${options.map(o => html`<label class=${'choice' + (value === o.key ? ' checked' : '')}>
      <input type="radio" name=${name} value=${o.key} checked=${value === o.key} required=${required}
        onChange=${() => onChange(o.key)} />
      <span>${o.label}</span>
    </label>`)}
  </fieldset>`;
}

/** The screen of a task or case a list row names by its kind and id (object: task | case). */
export function objectLink(object, id) {
  return object === 'case' ? '#/cases/' + id : object === 'task' ? '#/verify/' + id
    : object === 'record' ? '#/children/' + id
    : object === 'candidate' ? '#/review?id=' + id
    : object === 'warning' ? '#/warnings?state=all&id=' + id
    : object === 'monthly' ? '#/monthly?month=' + String(id).slice(0, 4) + '-' + String(id).slice(4)
    : object === 'rectify' ? '#/inspections?item=' + id
    : object === 'decision' ? '#/meetings' : object === 'commitment' ? '#/interviews' : null;
}

/** Whom each assignee role is picked among: people of that kind of organisation (org_kinds). */
const ROLE_ORG = { township: 'township', village: 'village', teacher: 'school' };

/** 调整责任人 of a task or case (POST path {township, village, teacher, reason}): only the roles
 * that change are sent; earlier assignments stay in the history. */
export function AssignForm({ path, assignees, township, roles, onDone }) {
  const [open, setOpen] = useState(false);
  const cur = role => { const a = assignees.find(x => x.role === role); return a ? String(a.person_id) : ''; };
  const [f, setF] = useState(() => Object.fromEntries([...roles.map(r => [r, cur(r)]), ['reason', '']]));
  const set = k => v => setF(x => ({ ...x, [k]: v }));
  const [state, submit] = useSubmit(() => api.post(path, {
    ...Object.fromEntries(roles.map(r => [r, f[r] && f[r] !== cur(r) ? f[r] : null])),
    reason: f.reason || null,
  }), r => { setOpen(false); onDone(r.message); });
  if (!open) return html`<p><button type="button" class="btn" onClick=${() => setOpen(true)}>调整责任人</button></p>`;
  return html`<section class="card">
    <h2>调整责任人</h2>
    <form class="form" onSubmit=${submit} aria-label="调整责任人">
      <div class="grid grid-2">
        ${roles.map(r => html`<${PersonSelect} id=${'as-' + r} label=${label('assignee_roles', r)} value=${f[r]} onChange=${set(r)} township=${township}
          prefer=${p => p.org_kind_key === ROLE_ORG[r]} preferLabel=${label('org_kinds', ROLE_ORG[r])} />`)}
      </div>
      <div class="field"><label class="field-label" for="as-reason">调整原因</label>
        <input id="as-reason" value=${f.reason} onInput=${e => set('reason')(e.target.value)} placeholder="如 原责任人调岗、结对帮扶" /></div>
      <${SubmitRow} state=${state} label="保存指派" onCancel=${() => setOpen(false)} />
    </form>
  </section>`;
}
