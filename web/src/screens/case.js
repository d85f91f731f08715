// 个案（一人一案）: one case (GET /api/v1/cases/{id}) and everything done on it: who is
// responsible, the reasons, the first visit (made only in person: 入户走访 or a face-to-face
// interview; a phone call does not count), each persuasion attempt (劝返复学书面报告, add one,
// 更正 one with its reason: the original stays, marked 已更正, its correction beside it),
// the legal ladder with its deadlines and the notices to print, the outcome, the follow-ups
// (巩固), closing (销号: offered to the accounts that may approve, the signed-in account being the
// approver) and reopening; the child's timeline. Overdue is red.
import { useState } from 'preact/hooks';
import { html } from '../html.js';
import { api, downloadPost } from '../api.js';
import { useApi, useTitle } from '../hooks.js';
import { currentUser } from '../session.js';
import { fmtBirthOrAge, fmtDate } from '../format.js';
import { Badge, ErrorBanner, Loading, Notice, PageHeader, WordBadge } from '../components/feedback.js';
import { words } from '../vocab.js';
import { AssignForm, Choices, Contact, Due, NotFound, PersonSelect, PriorityTag, SubmitRow, Timeline, defaultBy, useSubmit } from '../components/casework.js';
import { PhotoStrip, usePhotos } from '../components/photos.js';

/* The notices to print: issuing one records it in the case's timeline, so it is a POST whose
 * answer is the PDF. */
function Notices({ c, onIssued, photos, canAdd }) {
  const [busy, setBusy] = useState(null);
  const [error, setError] = useState(null);
  const issue = async (kind, title) => {
    setBusy(kind);
    setError(null);
    try {
      await downloadPost(`/cases/${c.id}/notice`, { kind }, `${title}-案件${c.id}.pdf`);
      onIssued();
      if (photos) photos.reload();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  };
  const button = (kind, title) => html`<button type="button" class="btn btn-small" disabled=${busy !== null}
    onClick=${() => issue(kind, title)}>${busy === kind ? '正在生成…' : title}</button>`;
  return html`<div class="notices">
    <span class="field-label">通知书（PDF，打印后送达监护人）：</span>
    ${button('return', '劝返复学通知书')}
    ${c.ladder.step >= 2 ? button('order', '责令限期改正通知书')
      : html`<span class="muted small">责令限期改正通知书在第 2 步“书面通知/责令限期改正”记录后可打印</span>`}
    ${error && html`<${ErrorBanner} error=${error} />`}
    ${photos && photos.data && photos.data.notices.map(n => html`<div class="notice-issued"><span class="small">${fmtDate(n.date)} ${n.text}</span>
      <${PhotoStrip} photos=${photos} base=${`/cases/${c.id}`} field="notice" id=${n.id} canAdd=${canAdd} label="添加签收回执" /></div>`)}
  </div>`;
}

export default function Case({ params }) {
  const res = useApi('/cases/' + params.id);
  const photos = usePhotos('/cases/' + params.id);
  const c = res.data;
  useTitle(c ? `个案 ${c.child.name}` : '个案');
  const [done, setDone] = useState(null);
  const [form, setForm] = useState(null);  // which form is open
  if (res.error) return html`<${NotFound} error=${res.error} what="案件" back="#/cases" backLabel="返回个案列表" />`;
  if (!c) return html`<${Loading} />`;
  const ch = c.child;
  // what this account may do to this case: the server's own checks (permission, reach), per
  // action row; a school's 结对教师 records 劝返, its returners' 回访, and nothing else
  const may = c.may || {};
  const finished = m => { setDone(m); setForm(null); res.reload(); window.scrollTo(0, 0); };
  const open = (name, label) => html`<button type="button" class="btn btn-small" aria-expanded=${form === name} onClick=${() => setForm(form === name ? null : name)}>${label}</button>`;
  const props = { c, onDone: finished, onCancel: () => setForm(null) };
  return html`<div class="page case-page">
    <p class="crumbs"><a href="#/cases">个案</a> › 案件 ${c.id}</p>
    <${PageHeader} title=${ch.name || '（无姓名）'} subtitle=${`案件 ${c.id} · 一人一案 · 立案 ${fmtDate(c.opened_on)} · ${c.township}`}>
      <span class="badges"><${WordBadge} vocab="case_states" value=${c.state} />${c.reopened > 0 && html`<${Badge} tone="warn">重新打开 ${c.reopened} 次<//>`}</span>
    <//>
    ${done && html`<${Notice} tone="ok">${done}<//>`}
    ${c.groups && c.groups.length > 0 && html`<p class="priority-line"><${PriorityTag} groups=${c.groups} /><span class="muted small">重点群体儿童，优先劝返</span></p>`}
    ${c.first_visit && !c.first_visit.done && html`<div class=${'banner ' + (c.first_visit.due.overdue ? 'banner-error' : 'banner-warn')} role="status">
      <span>立案后首次走访${c.first_visit.due.overdue ? '已逾期' : '尚未完成'}：截止 ${fmtDate(c.first_visit.due.date)}${c.first_visit.due.overdue ? `，逾期 ${-c.first_visit.due.days} 天` : ''}。${c.first_visit.distant > 0 ? `已有 ${c.first_visit.distant} 次电话、微信等非当面联系，不算走访。` : ''}请尽快入户走访（或当面约谈）并记录劝返。</span></div>`}
    ${c.ladder.deadline && c.ladder.deadline.overdue && html`<div class="banner banner-error" role="status">
      <span>依法控辍第 ${c.ladder.step} 步“${c.ladder.label}”的限期 ${fmtDate(c.ladder.deadline.date)} 已过 ${-c.ladder.deadline.days} 天：请记录结果或进入下一步。</span></div>`}
    <div class="case-grid">
      <div class="case-main">
        <section class="card">
          <h2>儿童和责任人</h2>
          <dl class="facts">
            <dt>儿童</dt><dd>${ch.name}，${ch.gender}，${fmtBirthOrAge(ch)}</dd>
            <dt>身份证号</dt><dd class="mono">${ch.id_number || '—'}</dd>
            <dt>户籍地</dt><dd>${ch.township} ${ch.village || ''}</dd>
            <${Contact} child=${ch} />
            <dt>辍学原因</dt><dd>${c.reasons.map(r => html`<${Badge} tone=${r.primary ? 'bad' : 'muted'}>${r.label}${r.primary ? '（主要）' : ''}<//> `)}</dd>
            <dt>责任人</dt><dd>${c.assignees.length ? c.assignees.map(a => html`<div>${a.name}<span class="muted">（${a.role_label}，${a.org}）</span></div>`) : html`<span class="late">未指派</span>`}</dd>
            ${c.first_visit && html`<dt>首次走访</dt><dd class="first-visit">${c.first_visit.done
              ? html`<${Badge} tone="ok">已完成<//> <span class="small">${c.first_visit.by.method_label}，${fmtDate(c.first_visit.by.date)}（劝返记录 #${c.first_visit.by.id}）</span>`
              : html`<${Due} due=${c.first_visit.due} /> <span class="muted small">须入户走访或当面约谈${c.first_visit.distant > 0 ? `；已有 ${c.first_visit.distant} 次非当面联系，不算` : ''}</span>`}</dd>`}
            <dt>来源</dt><dd><a href=${'#/verify/' + c.task_id}>核查任务 ${c.task_id}</a>（第 ${c.run_id} 次比对）</dd>
          </dl>
        </section>
        ${may.assign && c.state !== 'closed' && html`<${AssignForm} path=${`/cases/${c.id}/assign`} assignees=${c.assignees} township=${c.township_code}
          roles=${['township', 'village', 'teacher']} onDone=${m => finished(m)} />`}

        <section class="card">
          <div class="section-head"><h2>劝返复学记录（${c.attempts.filter(a => !a.corrects).length}）</h2>
            ${may.attempt && c.state === 'open' && open('attempt', '记录一次劝返')}</div>
          ${form === 'attempt' && html`<${AttemptForm} ...${props} />`}
          ${c.attempts.length === 0 ? html`<p class="muted">尚无劝返记录。</p>` : html`<${Attempts} c=${c} may=${may} form=${form} setForm=${setForm} props=${props} photos=${photos} />`}
        </section>

        <section class="card">
          <div class="section-head"><h2>依法控辍</h2>
            ${may.escalate && c.state === 'open' && open('ladder', c.ladder.step ? '记录下一步或结果' : '启动依法控辍')}</div>
          <${Ladder} c=${c} />
          ${form === 'ladder' && html`<${LadderForm} ...${props} />`}
          ${may.notice && c.state !== 'closed' && html`<${Notices} c=${c} onIssued=${() => res.reload()} photos=${photos} canAdd=${may.attach} />`}
        </section>

        <section class="card">
          <div class="section-head"><h2>劝返结果和巩固回访</h2>
            ${may.resolve && c.state === 'open' && open('resolve', '记录劝返结果')}
            ${c.state === 'returned' && (may['follow-up'] || may.close) && html`<span class="form-buttons">${may['follow-up'] && open('followup', '记录回访')}
              ${c.follow_up_progress && c.follow_up_progress.may_close && may.close && open('close', '销号')}</span>`}</div>
          ${form === 'resolve' && html`<${ResolveForm} ...${props} />`}
          ${!c.outcome && c.state === 'open' && form !== 'resolve' && html`<p class="muted">尚未记录劝返结果（须先有劝返记录）。</p>`}
          ${c.outcome && html`<dl class="facts">
            <dt>劝返结果</dt><dd><strong>${c.outcome.label}</strong>（${fmtDate(c.outcome.date)}）</dd>
            ${c.outcome.school && html`<dt>学校</dt><dd>${c.outcome.school} ${c.outcome.grade || ''}</dd>`}
            ${c.outcome.detail && html`<dt>说明</dt><dd>${c.outcome.detail}</dd>`}
          </dl>`}
          ${c.follow_up_progress && html`<p class="progress-line">巩固回访：须 ${c.follow_up_progress.required} 次，已完成 <strong>${c.follow_up_progress.done}</strong> 次
            ${c.follow_up_progress.next_due ? html`，下次应在 <${Due} due=${c.follow_up_progress.next_due} />` : html` <${Badge} tone="ok">回访已满，可申请销号<//>`}</p>`}
          ${c.follow_up_progress && c.follow_up_progress.may_close && c.state === 'returned' && !may.close && html`<p class="muted small">销号由县教育局的账号审批：请联系县教育局控辍保学办。</p>`}
          ${form === 'followup' && html`<${FollowUpForm} ...${props} />`}
          ${form === 'close' && html`<${CloseForm} ...${props} />`}
          ${c.follow_ups.length > 0 && html`<h3 class="sub">巩固回访记录</h3><ul class="followups">${c.follow_ups.map(f => html`<li>
            ${fmtDate(f.date)} <${Badge} tone=${f.in_school ? 'ok' : 'bad'}>${f.in_school ? '在校' : '不在校'}<//>
            ${f.by && html`<span class="muted">回访人 ${f.by.name}</span>`} ${f.note || ''}</li>`)}</ul>`}
          ${c.closing && html`<h3 class="sub">销号</h3><dl class="facts">
            <dt>销号日期</dt><dd>${fmtDate(c.closing.date)}</dd>
            <dt>审批人</dt><dd>${!c.closing.approver ? '—' : c.closing.approver.account ? `账号 ${c.closing.approver.account}（${c.closing.approver.org}）`
              : `${c.closing.approver.name}（${c.closing.approver.org} ${c.closing.approver.title}）`}</dd>
            <dt>理由</dt><dd>${c.closing.reason}</dd></dl>`}
          ${may.reopen && c.state !== 'open' && html`<p>${open('reopen', '重新打开案件')}</p>`}
          ${form === 'reopen' && html`<${ReopenForm} ...${props} />`}
        </section>
      </div>
      <section class="card case-side">
        <h2>经办时间线</h2>
        <${Timeline} items=${c.timeline} />
      </section>
    </div>
  </div>`;
}

function Ladder({ c }) {
  const steps = c.choices.ladder_steps;
  return html`<div>
    <ol class="ladder" aria-label="依法控辍步骤">
      ${steps.map((s, i) => {
        const n = i + 1;
        const st = n < c.ladder.step ? 'done' : n === c.ladder.step ? 'current' : n === c.ladder.step + 1 ? 'next' : 'later';
        return html`<li class=${'ladder-step ' + st} aria-current=${st === 'current' ? 'step' : null}>
          <span class="ladder-n">${n}</span><span>${s.label}</span>
          ${st === 'current' && c.ladder.deadline && html`<span class="small">限期 <${Due} due=${c.ladder.deadline} /></span>`}
        </li>`;
      })}
    </ol>
    ${c.ladder_steps.length > 0 && html`<ul class="ladder-log">${c.ladder_steps.map(s => html`<li>
      <strong>第 ${s.step} 步 ${s.label}</strong> ${fmtDate(s.date)} · ${s.authority}${s.deadline ? ` · 限期 ${fmtDate(s.deadline)}` : ''}${s.result ? ` · 结果：${s.result}` : ''}</li>`)}</ul>`}
  </div>`;
}

const text = (id, label, value, onInput, opts = {}) => html`<div class="field">
  <label class="field-label" for=${id}>${label}${opts.required ? html`<span class="req" aria-hidden="true"> *</span>` : ''}</label>
  ${opts.area ? html`<textarea id=${id} required=${opts.required} value=${value} placeholder=${opts.placeholder || ''} onInput=${e => onInput(e.target.value)}></textarea>`
    : html`<input id=${id} type=${opts.type || 'text'} required=${opts.required} value=${value} placeholder=${opts.placeholder || ''}
        aria-describedby=${opts.hint ? id + '-hint' : null} onInput=${e => onInput(e.target.value)} />`}
  ${opts.hint && html`<span class="field-hint" id=${id + '-hint'}>${opts.hint}</span>`}
</div>`;

function useForm(init) {
  const [f, setF] = useState(init);
  return [f, k => v => setF(x => ({ ...x, [k]: v }))];
}
const orNull = v => (v === '' ? null : v);

/* One attempt's own record: when, how (in person or not), who was there, what was said. */
function AttemptBody({ a }) {
  return html`<div class="tl-head"><strong>#${a.id} ${fmtDate(a.date)}</strong>
      <${Badge} tone=${a.in_person ? 'ok' : 'info'}>${a.method_label}${a.in_person ? '（当面）' : ''}<//>
      ${a.corrected_by && html`<${Badge} tone="muted">已更正<//>`}</div>
    <dl class="facts">
      <dt>参加人员</dt><dd>${a.people}</dd>
      ${a.said && html`<dt>谈话内容</dt><dd>${a.said}</dd>`}
      ${a.response && html`<dt>家庭回应</dt><dd>${a.response}</dd>`}
      <dt>结果</dt><dd>${a.result}</dd>
      ${a.next_step && html`<dt>下一步</dt><dd>${a.next_step}</dd>`}
    </dl>`;
}

/* The attempts in order, each original with its correction beside it (a correction of the
 * correction beside that): the original stays as it was recorded, marked 已更正; the correction
 * says who made it, when and why. 更正 on the record in force, for those who may record attempts
 * on this case (any state: the record must be right). */
function Attempts({ c, may, form, setForm, props, photos }) {
  const byId = new Map(c.attempts.map(a => [a.id, a]));
  const one = a => {
    const fix = a.corrected_by && byId.get(a.corrected_by);
    const key = 'correct-' + a.id;
    return html`<div class=${'attempt-pair' + (fix ? ' corrected' : '')}>
      <div class="attempt-own">
        <${AttemptBody} a=${a} />
        <${PhotoStrip} photos=${photos} base=${`/cases/${c.id}`} field="attempt" id=${a.id} canAdd=${may.attach && c.state !== 'closed'} />
        ${!a.corrected_by && may.attempt && html`<button type="button" class="btn btn-small" aria-expanded=${form === key}
          onClick=${() => setForm(form === key ? null : key)}>更正 #${a.id}</button>`}
        ${form === key && html`<${AttemptForm} ...${props} original=${a} />`}
      </div>
      ${fix && html`<div class="attempt-fix" aria-label=${`#${a.id} 的更正`}>
        <p class="correction-note"><${Badge} tone="warn">更正 #${a.id}<//> ${fix.recorded_by_name || fix.recorded_by} 于 ${fix.recorded_at.slice(0, 16).replace('T', ' ')} 更正；原因：${fix.reason || '（未记录）'}</p>
        ${one(fix)}
      </div>`}
    </div>`;
  };
  return html`<ol class="attempts">${c.attempts.filter(a => !a.corrects).map(a => html`<li class="attempt">${one(a)}</li>`)}</ol>`;
}

/* 记录一次劝返, or with `original` 更正 it: the form prefilled from the original, and the reason
 * required (the server refuses a correction without one). The methods and their labels are the
 * vocabulary's (GET /api/v1/vocab); those in person say so, since only they make the first
 * visit. */
function AttemptForm({ c, original, onDone, onCancel }) {
  const o = original || {};
  const [f, set] = useForm({
    method: o.method || '', date: o.date || '', people: o.people || '', said: o.said || '', response: o.response || '',
    result: o.result || '', next_step: o.next_step || '', reason: '',
  });
  const [state, submit] = useSubmit(() => api.post(`/cases/${c.id}/attempts`, {
    method: f.method, date: orNull(f.date), people: f.people, said: orNull(f.said), response: orNull(f.response),
    result: f.result, next_step: orNull(f.next_step), ...(original ? { corrects: original.id, reason: f.reason } : {}),
  }), r => onDone(r.message));
  const id = original ? `fix${original.id}-` : 'at-';
  const methods = words('methods').map(w => ({ key: w.key, label: w.label + (w.in_person ? '（当面）' : '') }));
  return html`<form class="form inline-form" onSubmit=${submit} aria-label=${original ? `更正劝返记录 #${original.id}` : '记录一次劝返'}>
    ${original && html`<p class="hint">更正后原记录 #${original.id} 仍保留，标为“已更正”，更正记录列在旁边。</p>`}
    <${Choices} name=${id + 'method'} legend="劝返方式" options=${methods} value=${f.method} onChange=${set('method')} required columns="2" />
    <p class="field-hint">立案后首次走访须入户走访或当面约谈；电话、微信等联系不算走访。</p>
    <div class="grid grid-2">
      ${text(id + 'date', '日期', f.date, set('date'), { type: 'date', hint: '不填为今天' })}
      ${text(id + 'people', '参加人员', f.people, set('people'), { required: true, placeholder: '如 包保干部李某、村干部、家长' })}
    </div>
    ${text(id + 'said', '谈话内容', f.said, set('said'), { area: true, placeholder: '宣讲的政策、讲明的义务等' })}
    ${text(id + 'response', '家庭回应', f.response, set('response'), { area: true })}
    ${text(id + 'result', '结果', f.result, set('result'), { required: true, placeholder: '如 家长同意下周一送孩子返校' })}
    ${text(id + 'next', '下一步', f.next_step, set('next_step'))}
    ${original && text(id + 'reason', '更正原因', f.reason, set('reason'), { area: true, required: true, placeholder: '如 走访方式记错，实为电话联系' })}
    <${SubmitRow} state=${state} label=${original ? '保存更正' : '保存劝返记录'} onCancel=${onCancel} />
  </form>`;
}

function LadderForm({ c, onDone, onCancel }) {
  const cur = c.ladder.step;
  const options = c.choices.ladder_steps.map((s, i) => ({ ...s, n: i + 1 })).filter(s => s.n === cur || s.n === cur + 1);
  const [f, set] = useForm({ step: String(Math.min(cur + 1, 4)), date: '', authority: `${c.township}人民政府`, deadline: '', result: '' });
  const [state, submit] = useSubmit(() => api.post(`/cases/${c.id}/escalate`, {
    step: f.step, date: orNull(f.date), authority: f.authority, deadline: orNull(f.deadline), result: orNull(f.result),
  }), r => onDone(r.message));
  return html`<form class="form inline-form" onSubmit=${submit} aria-label="依法控辍步骤">
    <${Choices} name="step" legend="步骤" options=${options.map(s => ({ key: String(s.n), label: `第 ${s.n} 步 ${s.label}${s.n === cur ? '（补记结果）' : ''}` }))} value=${f.step} onChange=${set('step')} required />
    <div class="grid grid-2">
      ${text('ld-authority', '实施机关', f.authority, set('authority'), { required: true })}
      ${text('ld-date', '日期', f.date, set('date'), { type: 'date', hint: '不填为今天' })}
      ${f.step !== '1' && text('ld-deadline', '限期', f.deadline, set('deadline'), { type: 'date', hint: `不填为 ${c.ladder_days} 天后` })}
    </div>
    ${text('ld-result', '结果', f.result, set('result'), { area: true })}
    <${SubmitRow} state=${state} label="保存" onCancel=${onCancel} />
  </form>`;
}

function ResolveForm({ c, onDone, onCancel }) {
  const [f, set] = useForm({ outcome: '', date: '', school: '', grade: '', visits_per_week: '', hours: '', note: '' });
  const o = c.choices.outcomes.find(x => x.key === f.outcome);
  const [state, submit] = useSubmit(() => api.post(`/cases/${c.id}/resolve`, {
    outcome: f.outcome, date: orNull(f.date),
    school: o && o.needs_school ? f.school : null, grade: o && o.needs_grade ? f.grade : null,
    visits_per_week: o && o.needs_visits ? f.visits_per_week : null, hours: o && o.needs_visits ? f.hours : null,
    note: orNull(f.note),
  }), r => onDone(r.message));
  return html`<form class="form inline-form" onSubmit=${submit} aria-label="记录劝返结果">
    <${Choices} name="case-outcome" legend="劝返结果" options=${c.choices.outcomes} value=${f.outcome} onChange=${set('outcome')} required columns="2" />
    ${o && html`<div class="grid grid-2">
      ${o.needs_school && text('rs-school', '学校', f.school, set('school'), { required: true })}
      ${o.needs_grade && text('rs-grade', '年级', f.grade, set('grade'), { required: true, placeholder: '如 五年级' })}
      ${o.needs_visits && text('rs-visits', '每周送教次数', f.visits_per_week, set('visits_per_week'), { required: true, type: 'number' })}
      ${o.needs_visits && text('rs-hours', '每次课时', f.hours, set('hours'), { required: true, type: 'number' })}
      ${text('rs-date', '日期', f.date, set('date'), { type: 'date', hint: '不填为今天' })}
    </div>
    ${text('rs-note', '说明', f.note, set('note'), { area: true, required: o.needs_note })}
    <${SubmitRow} state=${state} label="保存劝返结果" onCancel=${onCancel} />`}
  </form>`;
}

function FollowUpForm({ c, onDone, onCancel }) {
  const [f, set] = useForm({ in_school: '', date: '', by: defaultBy(c.assignees), note: '' });
  const [state, submit] = useSubmit(() => api.post(`/cases/${c.id}/follow-ups`, {
    in_school: f.in_school === 'yes', date: orNull(f.date), by: f.by, note: orNull(f.note),
  }), r => onDone(r.message));
  return html`<form class="form inline-form" onSubmit=${submit} aria-label="记录回访">
    <${Choices} name="in-school" legend="回访结果" options=${[{ key: 'yes', label: '在校' }, { key: 'no', label: '不在校（案件重新打开）' }]} value=${f.in_school} onChange=${set('in_school')} required columns="2" />
    <div class="grid grid-2">
      <${PersonSelect} id="fu-by" label="回访人" value=${f.by} onChange=${set('by')} township=${c.township_code} first=${c.assignees} required />
      ${text('fu-date', '回访日期', f.date, set('date'), { type: 'date', hint: '不填为今天' })}
    </div>
    ${text('fu-note', '说明', f.note, set('note'))}
    <${SubmitRow} state=${state} label="保存回访" onCancel=${onCancel} />
  </form>`;
}

function CloseForm({ c, onDone, onCancel }) {
  const [f, set] = useForm({ reason: '', date: '' });
  const me = currentUser() || {};
  const [state, submit] = useSubmit(() => api.post(`/cases/${c.id}/close`, {
    reason: f.reason, date: orNull(f.date),
  }), r => onDone(r.message));
  return html`<form class="form inline-form" onSubmit=${submit} aria-label="销号">
    <p class="hint">销号须经审批：回访已满 ${c.follow_up_progress.required} 次、确认儿童在校后，由未经办此案的县教育局账号批准。
      审批人记为您的账号 <strong class="mono">${me.name}</strong>；录入过此案核查、劝返、回访等记录的账号不能审批。</p>
    <div class="grid grid-2">
      ${text('cl-date', '销号日期', f.date, set('date'), { type: 'date', hint: '不填为今天' })}
    </div>
    ${text('cl-reason', '销号理由', f.reason, set('reason'), { required: true, placeholder: '如 返校后三次回访均在校' })}
    <${SubmitRow} state=${state} label="批准销号" onCancel=${onCancel} />
  </form>`;
}

function ReopenForm({ c, onDone, onCancel }) {
  const [f, set] = useForm({ reason: '' });
  const [state, submit] = useSubmit(() => api.post(`/cases/${c.id}/reopen`, { reason: f.reason }), r => onDone(r.message));
  return html`<form class="form inline-form" onSubmit=${submit} aria-label="重新打开案件">
    ${text('ro-reason', '重新打开的原因', f.reason, set('reason'), { required: true, placeholder: '如 回访发现儿童再次离校' })}
    <${SubmitRow} state=${state} label="重新打开" onCancel=${onCancel} />
  </form>`;
}
