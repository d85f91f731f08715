// 系统管理 (admin): accounts and roles (GET/POST /users, …/disabled, …/password, …/person: the
// registry's person an account is; a school account's school picked by name from GET /schools), the people
// registry (GET/POST /people, PATCH /people/{id}), the settings with their labels and valid
// ranges (GET /settings, PUT /settings/{key}), and the audit log searched and paged on the
// server (GET /audit). One screen, a tab per part in the query (?tab=users|people|settings|audit).
import { useState } from 'preact/hooks';
import { html } from '../html.js';
import { api } from '../api.js';
import { setQuery } from '../router.js';
import { useApi, useTitle } from '../hooks.js';
import { can, currentUser } from '../session.js';
import { fmtDateTime, fmtNumber } from '../format.js';
import { label, words } from '../vocab.js';
import { FilterBar } from '../components/filters.js';
import { DataTable, Pager } from '../components/table.js';
import { Badge, ErrorBanner, Notice, PageHeader } from '../components/feedback.js';
import { SubmitRow, useSubmit } from '../components/casework.js';

const TABS = [
  { key: 'users', label: '账号和角色', perm: 'accounts' },
  { key: 'people', label: '人员名册', perm: 'registry' },
  { key: 'settings', label: '系统设置', perm: 'settings' },
  { key: 'audit', label: '审计日志', perm: 'audit' },
];

export default function Admin({ query }) {
  useTitle('系统管理');
  const tabs = TABS.filter(t => can(t.perm));
  const tab = tabs.find(t => t.key === query.tab) || tabs[0];
  const body = { users: Users, people: People, settings: Settings, audit: Audit }[tab.key];
  const Body = body;
  return html`<div class="page">
    <${PageHeader} title="系统管理" />
    <nav class="tabs" aria-label="系统管理">
      ${tabs.map(t => html`<a href=${'#/admin?tab=' + t.key} aria-current=${t === tab ? 'page' : null} class=${t === tab ? 'active' : ''}>${t.label}</a>`)}
    </nav>
    <section aria-label=${tab.label}><${Body} query=${query} /></section>
  </div>`;
}

function useTownships() {
  const s = useApi(can('summary') ? '/summary' : null);
  return s.data ? s.data.townships.map(t => ({ value: t.township_code, label: t.township })) : [];
}

const field = (id, label, input, hint) => html`<div class="field"><label class="field-label" for=${id}>${label}</label>${input}${hint && html`<span class="field-hint">${hint}</span>`}</div>`;

/* ---- accounts ---- */

function Users() {
  const list = useApi('/users');
  const townships = useTownships();
  const townName = code => (townships.find(t => t.value === code) || {}).label || code;
  const [msg, setMsg] = useState(null);
  const [adding, setAdding] = useState(false);
  const done = m => { setMsg(m); list.reload(); };
  const columns = [
    { key: 'name', label: '用户名', primary: true, render: u => html`<span class="mono">${u.name}</span>${u.disabled && html` <${Badge} tone="bad">已停用<//>`}${u.mental_health && html` <${Badge} tone="warn">心理健康台帐<//>`}` },
    { key: 'role', label: '角色', render: u => label('roles', u.role) },
    { key: 'scope', label: '范围', render: u => u.role === 'village' ? `${u.township_name || townName(u.township)} ${(u.villages || []).join('、')}`
      : u.township ? townName(u.township)
      : u.school ? html`${u.school_name || html`<${Badge} tone="warn">不在最新学籍名单中<//>`} <span class="muted small">${u.school}</span>`
      : u.role === 'department' ? html`<${DepartmentCell} user=${u} departments=${departments} onDone=${done} />`
      : u.area ? u.area.name : '全县' },
    { key: 'person', label: '本人', render: u => html`<${PersonCell} user=${u} onDone=${done} />` },
    { key: 'actions', label: '操作', wide: true, render: u => html`<${UserActions} user=${u} onDone=${done} />` },
  ];
  const departments = words('departments');
  return html`<div>
    ${msg && html`<${Notice} tone="ok">${msg}<//>`}
    <div class="section-head"><p class="muted">每个账号只有一个角色；乡镇、村（社区）、学校、部门账号只能看到自己范围内的数据。账号关联人员名册中的本人后，时间线、待办和审计日志显示其姓名。</p>
      <button type="button" class="btn btn-primary" aria-expanded=${adding} onClick=${() => setAdding(!adding)}>新建账号</button></div>
    ${adding && html`<${UserForm} departments=${departments} onDone=${m => { setAdding(false); done(m); }} onCancel=${() => setAdding(false)} />`}
    <${ErrorBanner} error=${list.error} onRetry=${list.reload} />
    <${DataTable} columns=${columns} rows=${list.data && list.data.items} rowKey=${u => u.name} loading=${list.loading} caption="账号" />
  </div>`;
}

/** What the server refuses (domain/password.c), said before the form is sent. */
export const PASSWORD_RULES = '至少 8 个字符；不能是同一字符的重复（如 88888888、8 个空格）、连续字符（如 12345678）、用户名或最常见的密码（如 woaini1314、a1234567）；可以用几个词加数字';

/** A department account: its department from the vocabulary, and what it may upload. An older
 * account whose free-text department names none is marked, with a picker to choose one. */
function DepartmentCell({ user, departments, onDone }) {
  const known = departments.find(d => d.key === user.department);
  const [pick, setPick] = useState(null);
  const [err, setErr] = useState(null);
  const save = async e => {
    e.preventDefault();
    setErr(null);
    try {
      const r = await api.post(`/users/${encodeURIComponent(user.name)}/department`, { department: pick });
      setPick(null);
      onDone(r.message);
    } catch (x) { setErr(x); }
  };
  return html`<span>
    ${known ? html`${known.title} <span class="muted small">可上传：${known.kinds.length ? known.kinds.map(k => label('kinds', k)).join('、') : '（无）'}</span>`
      : html`${user.department || '（未填）'} <${Badge} tone="warn">未指定部门，不能上传<//>`}
    ${pick === null ? html` <button type="button" class="btn btn-small" onClick=${() => setPick(known ? known.key : '')}>${known ? '改部门' : '指定部门'}</button>`
      : html`<form class="inline" onSubmit=${save}>
          <label class="visually-hidden" for=${'dept-' + user.name}>${user.name} 的部门</label>
          <select id=${'dept-' + user.name} required value=${pick} onChange=${e => setPick(e.target.value)}>
            <option value="">请选择</option>${departments.map(d => html`<option value=${d.key}>${d.title}</option>`)}</select>
          <button type="submit" class="btn btn-small btn-primary">保存</button>
          <button type="button" class="btn btn-small" onClick=${() => setPick(null)}>取消</button></form>`}
    ${err && html`<span class="error-text" role="alert">${err.message}</span>`}
  </span>`;
}

/** The active people of the registry as options "name（unit role）", for linking an account. */
function usePeopleOptions() {
  const people = useApi(can('casework') ? '/people' : null);
  return ((people.data && people.data.people) || []).filter(p => p.enabled !== false)
    .map(p => ({ value: String(p.id), label: `${p.name}（${p.org} ${p.role}）` }));
}

/** The account's person of the registry, and a picker to link (or unlink) one. */
function PersonCell({ user, onDone }) {
  const [pick, setPick] = useState(null);
  const [err, setErr] = useState(null);
  const options = usePeopleOptions();
  const save = async e => {
    e.preventDefault();
    setErr(null);
    try {
      const r = await api.post(`/users/${encodeURIComponent(user.name)}/person`, { person: pick || null });
      setPick(null);
      onDone(r.message);
    } catch (x) { setErr(x); }
  };
  return html`<span>
    ${user.person ? html`${user.person.name} <span class="muted small">${user.person.org}</span>` : html`<span class="muted">未关联</span>`}
    ${pick === null ? html` <button type="button" class="btn btn-small" onClick=${() => setPick(user.person ? String(user.person.id) : '')} aria-label=${'关联人员 ' + user.name}>${user.person ? '改' : '关联'}</button>`
      : html`<form class="inline" onSubmit=${save}>
          <label class="visually-hidden" for=${'person-' + user.name}>${user.name} 是人员名册中的</label>
          <select id=${'person-' + user.name} value=${pick} onChange=${e => setPick(e.target.value)}>
            <option value="">（不关联）</option>${options.map(o => html`<option value=${o.value}>${o.label}</option>`)}</select>
          <button type="submit" class="btn btn-small btn-primary">保存</button>
          <button type="button" class="btn btn-small" onClick=${() => setPick(null)}>取消</button></form>`}
    ${err && html`<span class="error-text" role="alert">${err.message}</span>`}
  </span>`;
}

function UserForm({ departments, onDone, onCancel }) {
  const townships = useTownships();
  const schools = useApi('/schools');
  const people = usePeopleOptions();
  const [f, setF] = useState({ username: '', role: 'township', township: '', villages: '', school: '', department: '', area: '', person: '', password: '' });
  const above = f.role === 'province' || f.role === 'city';
  const set = k => e => setF(x => ({ ...x, [k]: e.target.value }));
  const [state, submit] = useSubmit(() => api.post('/users', {
    username: f.username, role: f.role, password: f.password,
    township: f.role === 'township' || f.role === 'village' ? f.township : null,
    villages: f.role === 'village' ? f.villages : null, school: f.role === 'school' ? f.school : null,
    department: f.role === 'department' ? f.department : null, person: f.person || null,
    area: above ? f.area : null,
  }), () => onDone(`已新建账号 ${f.username}`));
  const schoolList = (schools.data && schools.data.schools) || [];
  return html`<form class="card form" onSubmit=${submit} aria-label="新建账号">
    <h2>新建账号</h2>
    <div class="grid grid-3">
      ${field('u-name', '用户名', html`<input id="u-name" required value=${f.username} onInput=${set('username')} autocomplete="off" />`)}
      ${field('u-role', '角色', html`<select id="u-role" value=${f.role} onChange=${set('role')}>${words('roles').map(r => html`<option value=${r.key}>${r.label}</option>`)}</select>`)}
      ${(f.role === 'township' || f.role === 'village') && field('u-township', '乡镇', html`<select id="u-township" required value=${f.township} onChange=${set('township')}><option value="">请选择</option>${townships.map(t => html`<option value=${t.value}>${t.label}</option>`)}</select>`)}
      ${f.role === 'village' && field('u-villages', '村（社区）', html`<input id="u-villages" required value=${f.villages} onInput=${set('villages')} placeholder="如 梅杏社区、沙窑村" />`,
        '名称与户籍名单一致，多个用、分隔；只能看到这些村（社区）儿童的核查任务和案件')}
      ${f.role === 'school' && field('u-school', '学校', html`<select id="u-school" required value=${f.school} onChange=${set('school')}>
          <option value="">${schoolList.length ? '请选择' : '（学籍名单中没有学校：请先导入学籍名单）'}</option>
          ${schoolList.map(s => html`<option value=${s.code}>${s.name || '（未填校名）'}${s.township ? `（${s.township}）` : ''}</option>`)}</select>`,
        f.school ? `学校标识码 ${f.school}` : '最新学籍名单中的学校')}
      ${field('u-person', '本人（人员名册）', html`<select id="u-person" value=${f.person} onChange=${set('person')}><option value="">（不关联）</option>${people.map(o => html`<option value=${o.value}>${o.label}</option>`)}</select>`,
        '账号使用人；时间线、待办和审计日志显示其姓名')}
      ${above && field('u-area', f.role === 'city' ? '市的区划代码' : '省的区划代码', html`<input id="u-area" required inputmode="numeric" value=${f.area} onInput=${set('area')} placeholder=${f.role === 'city' ? '4 位，如晋城市 1405' : '2 位，如山西省 14'} />`)}
      ${f.role === 'department' && field('u-dept', '部门', html`<select id="u-dept" required value=${f.department} onChange=${set('department')}>
          <option value="">请选择</option>${departments.map(d => html`<option value=${d.key}>${d.title}（可上传：${d.kinds.length ? d.kinds.map(k => label('kinds', k)).join('、') : '无'}）</option>`)}</select>`,
        '部门只能上传本部门的名单，上传后须县教育局确认才生效')}
      ${field('u-password', '初始密码', html`<input id="u-password" type="password" required value=${f.password} onInput=${set('password')} autocomplete="new-password" />`, PASSWORD_RULES + '；请当面或电话告知本人')}
    </div>
    <${SubmitRow} state=${state} label="新建" onCancel=${onCancel} />
  </form>`;
}

function UserActions({ user, onDone }) {
  const [pw, setPw] = useState(null);
  const [err, setErr] = useState(null);
  const toggle = async () => {
    setErr(null);
    try {
      await api.post(`/users/${encodeURIComponent(user.name)}/disabled`, { disabled: !user.disabled });
      onDone(`账号 ${user.name} 已${user.disabled ? '启用' : '停用'}`);
    } catch (e) { setErr(e); }
  };
  const reset = async e => {
    e.preventDefault();
    setErr(null);
    try {
      await api.post(`/users/${encodeURIComponent(user.name)}/password`, { password: pw });
      setPw(null);
      onDone(`已重设账号 ${user.name} 的密码`);
    } catch (x) { setErr(x); }
  };
  // issue 16: the mental-health ledger is granted per account (school, county, admin), audited
  const mental = async () => {
    setErr(null);
    try {
      const r = await api.put(`/users/${encodeURIComponent(user.name)}/mental-health`, { grant: user.mental_health ? '否' : '是' });
      onDone(r.message);
    } catch (e) { setErr(e); }
  };
  return html`<span class="row-actions">
    ${['school', 'county', 'admin'].includes(user.role) && html`<button type="button" class="btn btn-small" onClick=${mental}>${user.mental_health ? '撤销心理健康台帐' : '授予心理健康台帐'}</button>`}
    ${user.name === (currentUser() || {}).name ? html`<span class="muted small">当前登录的账号</span>`
      : html`<button type="button" class="btn btn-small" onClick=${toggle}>${user.disabled ? '启用' : '停用'}</button>`}
    ${pw === null ? html`<button type="button" class="btn btn-small" onClick=${() => setPw('')}>重设密码</button>`
      : html`<form class="inline" onSubmit=${reset}>
          <label class="visually-hidden" for=${'pw-' + user.name}>${user.name} 的新密码</label>
          <input id=${'pw-' + user.name} type="password" required value=${pw} placeholder="新密码" title=${PASSWORD_RULES} autocomplete="new-password" onInput=${e => setPw(e.target.value)} />
          <button type="submit" class="btn btn-small btn-primary">保存</button>
          <button type="button" class="btn btn-small" onClick=${() => setPw(null)}>取消</button></form>`}
    ${err && html`<span class="error-text" role="alert">${err.message}</span>`}
  </span>`;
}

/* ---- people ---- */

function People({ query }) {
  const townships = useTownships();
  const list = useApi('/people', { township: query.township, all: query.all });
  const [msg, setMsg] = useState(null);
  const [edit, setEdit] = useState(null);  // {} new, or a person
  const done = m => { setMsg(m); setEdit(null); list.reload(); };
  const columns = [
    { key: 'name', label: '姓名', primary: true, render: p => html`${p.name}${!p.enabled && html` <${Badge} tone="muted">${p.active}<//>`}` },
    { key: 'org', label: '工作单位', wide: true },
    { key: 'role', label: '职务' },
    { key: 'org_kind', label: '单位类别', render: p => label('org_kinds', p.org_kind_key) },
    { key: 'township', label: '乡镇', render: p => p.township || '—' },
    { key: 'phone', label: '联系电话', render: p => html`<span class="mono">${p.phone || '—'}</span>` },
    { key: 'open_work', label: '在办事项', align: 'right' },
    { key: 'edit', label: '操作', render: p => html`<button type="button" class="btn btn-small" onClick=${() => setEdit(p)} aria-label=${'修改 ' + p.name}>修改</button>` },
  ];
  const fields = [
    ...(townships.length > 1 ? [{ name: 'township', label: '乡镇', type: 'select', options: townships }] : []),
    { name: 'all', label: '含已停用', type: 'checkbox' },
  ];
  const items = list.data && list.data.people;
  return html`<div>
    ${msg && html`<${Notice} tone="ok">${msg}<//>`}
    <div class="section-head"><p class="muted">控辍保学责任人：核查、劝返、回访和审批都从名册中选人。${items ? `共 ${fmtNumber(items.length)} 人。` : ''}</p>
      <button type="button" class="btn btn-primary" onClick=${() => setEdit({})}>登记人员</button></div>
    ${edit && html`<${PersonForm} key=${edit.id || 'new'} person=${edit} townships=${townships} onDone=${done} onCancel=${() => setEdit(null)} />`}
    <${FilterBar} fields=${fields} values=${query} onChange=${setQuery} />
    <${ErrorBanner} error=${list.error} onRetry=${list.reload} />
    <${DataTable} columns=${columns} rows=${items} loading=${list.loading} caption="人员名册" />
  </div>`;
}

function PersonForm({ person, townships, onDone, onCancel }) {
  const isNew = !person.id;
  const [f, setF] = useState({ name: person.name || '', phone: '', org: person.org || '', org_kind: person.org_kind_key || 'township', township: person.township_code || '', role: person.role || '' });
  const set = k => e => setF(x => ({ ...x, [k]: e.target.value }));
  const [state, submit] = useSubmit(() => {
    const body = { name: f.name, org: f.org, org_kind: f.org_kind, township: f.township || null, role: f.role };
    if (f.phone) body.phone = f.phone;
    return isNew ? api.post('/people', body) : api.patch('/people/' + person.id, body);
  }, r => onDone(isNew ? `已登记 ${f.name}（编号 ${r.id}）` : (r.message || `已修改 ${f.name}`)));
  return html`<form class="card form" onSubmit=${submit} aria-label=${isNew ? '登记人员' : '修改人员信息'}>
    <h2>${isNew ? '登记人员' : `修改 ${person.name}`}</h2>
    <div class="grid grid-3">
      ${field('p-name', '姓名', html`<input id="p-name" required value=${f.name} onInput=${set('name')} />`)}
      ${field('p-phone', '联系电话', html`<input id="p-phone" type="tel" value=${f.phone} onInput=${set('phone')} placeholder=${isNew ? '' : '不改请留空'} />`)}
      ${field('p-org', '工作单位', html`<input id="p-org" required value=${f.org} onInput=${set('org')} placeholder="如 龙港镇人民政府" />`)}
      ${field('p-kind', '单位类别', html`<select id="p-kind" value=${f.org_kind} onChange=${set('org_kind')}>${words('org_kinds').map(k => html`<option value=${k.key}>${k.label}</option>`)}</select>`)}
      ${field('p-township', '乡镇', html`<select id="p-township" value=${f.township} onChange=${set('township')}><option value="">（县直，不属于乡镇）</option>${townships.map(t => html`<option value=${t.value}>${t.label}</option>`)}</select>`)}
      ${field('p-role', '职务', html`<input id="p-role" required value=${f.role} onInput=${set('role')} placeholder="如 包保干部、村委会主任、班主任" />`)}
    </div>
    <${SubmitRow} state=${state} label=${isNew ? '登记' : '保存修改'} onCancel=${onCancel} />
  </form>`;
}

/* ---- settings ---- */

function Settings() {
  const list = useApi('/settings');
  const [msg, setMsg] = useState(null);
  const done = m => { setMsg(m); list.reload(); };
  const items = list.data && list.data.settings;
  return html`<div>
    ${msg && html`<${Notice} tone="ok">${msg}<//>`}
    <p class="muted">每项设置都有有效范围，超出范围的值会被拒绝；每次修改都记入审计日志。</p>
    <${ErrorBanner} error=${list.error} onRetry=${list.reload} />
    ${items && html`<div class="settings">${items.map(s => html`<${SettingRow} key=${s.key} s=${s} onDone=${done} />`)}</div>`}
  </div>`;
}

function SettingRow({ s, onDone }) {
  const [value, setValue] = useState(s.value === '（无）' ? '' : s.value);
  const readOnly = s.key === 'demo';
  const [state, submit] = useSubmit(() => api.put('/settings/' + s.key, { value }), r => onDone((r && r.message) || `已修改“${s.label}”`));
  const id = 'set-' + s.key;
  return html`<form class="setting card" onSubmit=${submit} aria-label=${s.label}>
    <div class="setting-head">
      <label for=${id}><strong>${s.label}</strong></label>
      <${Badge} tone=${s.source === '默认' ? 'muted' : 'info'}>${s.source}<//>
    </div>
    <div class="setting-edit">
      <input id=${id} value=${value} readOnly=${readOnly} onInput=${e => setValue(e.target.value)} aria-describedby=${id + '-range'} />
      ${!readOnly && html`<button type="submit" class="btn btn-small btn-primary" disabled=${state.busy || value === s.value}>保存</button>`}
    </div>
    <p class="field-hint" id=${id + '-range'}>有效值：${s.range}；默认 ${s.default}</p>
    ${state.error && html`<p class="error-text" role="alert">${state.error.message}</p>`}
  </form>`;
}

/* ---- audit ---- */

const AUDIT_PER_PAGE = 50;
function Audit({ query }) {
  const page = Number(query.page) || 1;
  const list = useApi('/audit', { actor: query.actor, action: query.action, target: query.target, since: query.since, until: query.until, page, per_page: AUDIT_PER_PAGE });
  const fields = [
    { name: 'actor', label: '操作人', type: 'search', placeholder: '用户名' },
    { name: 'action', label: '操作', type: 'search', placeholder: '如 登录、记录核查结论、查看完整身份证号/电话' },
    { name: 'target', label: '对象', type: 'search', placeholder: '如 案件 2、核查任务 12' },
    { name: 'since', label: '起始日期', type: 'search', placeholder: '2026-11-01' },
    { name: 'until', label: '截止日期', type: 'search', placeholder: '2026-11-30' },
  ];
  const columns = [
    { key: 'at', label: '时间', primary: true, render: a => fmtDateTime(a.at) },
    { key: 'actor', label: '操作人', render: a => a.actor_name && a.actor_name !== a.actor ? html`${a.actor_name} <span class="mono muted small">${a.actor}</span>` : html`<span class="mono">${a.actor}</span>` },
    { key: 'action', label: '操作', render: a => label('audit_actions', a.action, a.action_label) },
    { key: 'target', label: '对象', render: a => a.target_label || '—' },
    { key: 'origin', label: '来源', render: a => a.origin_label || a.origin || '—' },
    { key: 'detail', label: '详情', wide: true, render: a => a.detail || '—' },
  ];
  const d = list.data;
  return html`<div>
    <${FilterBar} fields=${fields} values=${query} onChange=${c => setQuery({ ...c, tab: 'audit' })} />
    <${ErrorBanner} error=${list.error} onRetry=${list.reload} />
    ${d && html`<p class="muted">共 ${fmtNumber(d.total)} 条记录，最新的在前。审计日志只能追加，不能修改或删除。</p>`}
    ${d && d.head && d.head.seq > 0 && html`<p class="muted small">最后一条：第 ${fmtNumber(d.head.seq)} 条，校验值 <span class="mono">${d.head.hash.slice(0, 16)}…</span>
      （请定期把序号和校验值记在系统之外；核对时由系统管理员在服务器上运行审计日志的校验命令）</p>`}
    <${DataTable} columns=${columns} rows=${d && d.items} loading=${list.loading} caption="审计日志" />
    ${d && html`<${Pager} total=${d.total} page=${page} perPage=${AUDIT_PER_PAGE} onPage=${p => setQuery({ page: p })} />`}
  </div>`;
}
