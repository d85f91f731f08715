// 考勤 (issue 16). A class teacher's roll call on the phone: pick the grade and class once (the
// choice is remembered on this device), the class list of the day comes up, tap the pupils who
// are absent — each tap marks the pupil with the kind chosen above (旷课 by default; 病假, 事假,
// 迟到早退), a second tap clears it — and save: one request per kind (POST /attendance) and one
// for the marks taken back (POST /attendance/removals). What was recorded before shows marked.
// With no signal (a village school) the save waits in this browser's queue (offline.js): the
// marks stay on the screen, survive a reload (shown over the last answer the phone kept), and
// are sent when the network is back; one the server refuses waits in 待发送 with its reason.
// Below, and for the school head, the township and the county: the school's days by class
// (GET /attendance/classes) and the absences themselves (GET /attendance).
import { useEffect, useRef, useState } from 'preact/hooks';
import { html } from '../html.js';
import { api } from '../api.js';
import { setQuery } from '../router.js';
import { useApi, useTitle } from '../hooks.js';
import { can, currentUser } from '../session.js';
import { label, options, tone } from '../vocab.js';
import { fmtDate } from '../format.js';
import { pendingRollCall, useOffline } from '../offline.js';
import { DataTable } from '../components/table.js';
import { Badge, ErrorBanner, Notice, PageHeader } from '../components/feedback.js';

const KEEP = 'baoxue.rollcall';

function remembered() {
  try { return JSON.parse(localStorage.getItem(KEEP) || '{}'); } catch { return {}; }
}

function RollCall({ school }) {
  const kept = remembered();
  const [grade, setGrade] = useState(kept.grade || 0);
  const [klass, setKlass] = useState(kept.klass || '');
  const [date, setDate] = useState('');
  const [kind, setKind] = useState('unexcused');
  const [marks, setMarks] = useState({});
  const [state, setState] = useState({ busy: false, error: null, done: null });
  const day = useApi('/attendance/class-day', { school: school || undefined, grade: grade || undefined, class: klass || undefined, date: date || undefined });
  const d = day.data;
  const offline = useOffline();
  const pending = d ? pendingRollCall(offline.items, d.school, d.date) : [];
  const waiting = pending.filter(i => i.state === 'waiting');
  const refused = pending.length - waiting.length;
  // the day as recorded: the server's answer, then what waits here to be sent, in order
  function recorded() {
    const m = {};
    for (const p of d.pupils) if (p.kind) m[p.ref] = p.kind;
    for (const i of waiting) {
      const refs = String(i.body.pupils || '').split('\n').filter(Boolean);
      for (const ref of refs) if (i.path === '/attendance') m[ref] = i.body.kind; else delete m[ref];
    }
    return m;
  }
  const waitKey = waiting.map(i => i.id).join(',');
  useEffect(() => {
    if (d) setMarks(recorded());
  }, [d, waitKey]);
  // what waited was sent: the server has it now
  const sent = useRef(offline.sent);
  useEffect(() => {
    if (offline.sent !== sent.current) day.reload();
    sent.current = offline.sent;
  }, [offline.sent]);
  const grades = (d && d.grades) || [];
  const classes = (grades.find(g => g.grade === grade) || { classes: [] }).classes;
  function choose(g, k) {
    setGrade(g);
    setKlass(k);
    setState({ busy: false, error: null, done: null });
    try { localStorage.setItem(KEEP, JSON.stringify({ grade: g, klass: k })); } catch { /* private mode */ }
  }
  function tap(ref) {
    setMarks(m => {
      const n = { ...m };
      if (n[ref] === kind) delete n[ref]; else n[ref] = kind;
      return n;
    });
  }
  async function save() {
    setState({ busy: true, error: null, done: null });
    const before = recorded();
    const byKind = {};
    for (const [ref, k] of Object.entries(marks)) if (before[ref] !== k) (byKind[k] = byKind[k] || []).push(ref);
    const cleared = Object.keys(before).filter(ref => !marks[ref]);
    const names = refs => refs.map(ref => (d.pupils.find(p => p.ref === ref) || { name: ref }).name).join('、');
    try {
      let queued = null;
      for (const [k, refs] of Object.entries(byKind)) {
        const r = await api.post('/attendance', { school: d.school, date: d.date, kind: k, pupils: refs.join('\n') },
          { what: `${d.school_name} ${fmtDate(d.date)} ${label('absence_kinds', k)}：${names(refs)}` });
        if (r && r.queued) queued = r;
      }
      if (cleared.length) {
        const r = await api.post('/attendance/removals', { school: d.school, date: d.date, pupils: cleared.join('\n'), reason: '班主任点名时撤销' },
          { what: `${d.school_name} ${fmtDate(d.date)} 撤销缺勤：${names(cleared)}` });
        if (r && r.queued) queued = r;
      }
      const counts = {};
      for (const k of Object.values(marks)) counts[k] = (counts[k] || 0) + 1;
      const parts = Object.entries(counts).map(([k, n]) => `${label('absence_kinds', k)} ${n} 人`);
      const what = parts.length ? '缺勤 ' + Object.keys(marks).length + ' 人（' + parts.join('、') + '）' : '全班出勤';
      if (queued) {
        // kept here: the marks stay as tapped, the answer the phone has is not reloaded
        setState({ busy: false, error: null, done: null, queued: `${fmtDate(d.date)} 的考勤${what}。${queued.message}` });
        return;
      }
      setState({ busy: false, error: null, done: `已保存 ${fmtDate(d.date)} 的考勤：${what}` });
      day.reload();
    } catch (error) {
      setState({ busy: false, error, done: null });
    }
  }
  const absent = Object.keys(marks).length;
  return html`<section class="card rollcall" aria-label="班级点名">
    <h2>点名</h2>
    <form class="filters-inline" onSubmit=${e => e.preventDefault()}>
      <label class="field" for="rc-grade"><span class="field-label">年级</span>
        <select id="rc-grade" value=${grade} onChange=${e => choose(Number(e.target.value), '')}>
          <option value="0">选择年级</option>
          ${grades.map(g => html`<option value=${g.grade}>${g.label}</option>`)}
        </select></label>
      <label class="field" for="rc-class"><span class="field-label">班级</span>
        <select id="rc-class" value=${klass} onChange=${e => choose(grade, e.target.value)} disabled=${!grade}>
          <option value="">${grade ? '全年级' : '先选年级'}</option>
          ${classes.filter(c => c).map(c => html`<option value=${c}>${c}</option>`)}
        </select></label>
      <label class="field" for="rc-date"><span class="field-label">日期</span>
        <input id="rc-date" type="date" value=${date || (d && d.date) || ''} onChange=${e => setDate(e.target.value)} /></label>
    </form>
    <${ErrorBanner} error=${day.error} onRetry=${day.reload} />
    ${d && !d.school_day && html`<${Notice} tone="warn">${fmtDate(d.date)} 不是上课日：${d.reason}<//>`}
    ${d && d.school_day && grade > 0 && html`<div>
      <fieldset class="choices choices-2 rollcall-kinds"><legend>点学生记为</legend>
        ${options('absence_kinds').map(o => html`<label class=${'choice' + (kind === o.value ? ' checked' : '')}>
          <input type="radio" name="rc-kind" value=${o.value} checked=${kind === o.value} onChange=${() => setKind(o.value)} />${o.label}</label>`)}
      </fieldset>
      <p class="muted small">点缺勤的学生；再点一次取消。共 ${d.pupils.length} 人，缺勤 <strong class="rc-absent">${absent}</strong> 人。</p>
      <ul class="rollcall-list" aria-label="学生名单">
        ${d.pupils.map(p => html`<li><button type="button" class=${'rollcall-pupil' + (marks[p.ref] ? ' marked tone-' + tone('absence_kinds', marks[p.ref]) : '')}
          aria-pressed=${marks[p.ref] ? 'true' : 'false'} onClick=${() => tap(p.ref)}>
          <span class="rc-name">${p.name}</span>
          ${marks[p.ref] && html`<${Badge} tone=${tone('absence_kinds', marks[p.ref])}>${label('absence_kinds', marks[p.ref])}<//>`}
        </button></li>`)}
      </ul>
      ${state.error && html`<${ErrorBanner} error=${state.error} />`}
      ${state.done && html`<${Notice} tone="ok">${state.done}<//>`}
      ${state.queued && html`<${Notice} tone="warn">${state.queued}<//>`}
      ${!state.queued && waiting.length > 0 && html`<${Notice} tone="warn">本机有这一天的 ${waiting.length} 条考勤记录待发送，联网后自动发送（已显示在名单上）。<a href="#/outbox">查看待发送</a><//>`}
      ${refused > 0 && html`<${Notice} tone="error">这一天有 ${refused} 条考勤记录服务器未接受，请到<a href="#/outbox">待发送</a>查看原因，重做或放弃。<//>`}
      <div class="form-actions"><button type="button" class="btn btn-primary btn-block" disabled=${state.busy} onClick=${save}>
        ${state.busy ? '正在保存…' : `保存考勤（缺勤 ${absent} 人）`}</button></div>
    </div>`}
  </section>`;
}

function Board({ school, query }) {
  const q = { school: school || undefined, from: query.from, to: query.to };
  const byClass = useApi('/attendance/classes', q);
  const list = useApi('/attendance', { ...q, kind: query.kind });
  const classCols = [
    { key: 'date', label: '日期', primary: true, render: r => fmtDate(r.date) },
    { key: 'class', label: '班级', render: r => `${r.grade ? r.grade + ' 年级' : ''} ${r.class || ''}` },
    { key: 'pupils', label: '学生数', num: true },
    { key: 'unexcused', label: '旷课', num: true, render: r => (r.unexcused > 0 ? html`<${Badge} tone="bad">${r.unexcused}<//>` : r.unexcused) },
    { key: 'sick', label: '病假', num: true },
    { key: 'personal', label: '事假', num: true },
    { key: 'late', label: '迟到早退', num: true },
  ];
  const absCols = [
    { key: 'date', label: '日期', primary: true, render: r => fmtDate(r.date) },
    { key: 'name', label: '姓名', render: r => (r.record_id ? html`<a href=${'#/children/' + r.record_id}>${r.name}</a>` : r.name) },
    { key: 'class', label: '班级', render: r => `${r.grade || ''} 年级 ${r.class || ''}` },
    { key: 'kind_label', label: '类型', render: r => html`<${Badge} tone=${tone('absence_kinds', r.kind)}>${r.kind_label}<//>` },
    { key: 'note', label: '原因' },
    { key: 'source', label: '来源' },
  ];
  return html`<section class="attendance-board" aria-label="各班考勤">
    <h2>各班考勤</h2>
    <${ErrorBanner} error=${byClass.error} onRetry=${byClass.reload} />
    <${DataTable} columns=${classCols} rows=${byClass.data && byClass.data.days} rowKey=${r => r.date + r.grade + r.class} loading=${byClass.loading} caption="各班每天的缺勤人数"
      empty=${html`<div class="empty"><p class="empty-title">这段时间没有上课日</p></div>`} />
    <h2>缺勤记录</h2>
    <${ErrorBanner} error=${list.error} onRetry=${list.reload} />
    <${DataTable} columns=${absCols} rows=${list.data && list.data.absences} rowKey=${r => r.date + r.record_id} loading=${list.loading} caption="缺勤记录"
      empty=${html`<div class="empty"><p class="empty-title">没有缺勤记录</p></div>`} />
  </section>`;
}

export default function Attendance({ query }) {
  useTitle('考勤');
  const user = currentUser();
  const own = user && user.role === 'school';
  const school = own ? '' : (query.school || '');
  const [typed, setTyped] = useState(school);
  return html`<div class="page attendance">
    <${PageHeader} title="考勤" subtitle="学校记录缺勤：事假、病假、旷课、迟到早退；只计上课日" />
    ${!own && html`<form class="filters-inline" onSubmit=${e => { e.preventDefault(); setQuery({ school: typed }); }}>
      <label class="field" for="att-school"><span class="field-label">学校（标识码或名称）</span>
        <input id="att-school" value=${typed} onInput=${e => setTyped(e.target.value)} /></label>
      <button class="btn" type="submit">查看</button></form>`}
    ${can('attendance_record') && (own || school) && html`<${RollCall} school=${school} />`}
    ${(own || school) ? html`<${Board} school=${school} query=${query} />`
      : html`<p class="muted">输入学校的标识码或名称，查看这所学校各班的考勤。</p>`}
  </div>`;
}
