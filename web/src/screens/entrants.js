// 招生入学 (issue 17): next year's entrants by catchment school (GET /api/v1/reports/entrants),
// the September check of this year's entrants the 学籍 does not list (reports/entrants-check),
// the 学区 (reports/catchment; the county sets, removes and imports it: POST /catchment,
// /catchment/removals, /catchment/imports) and a school's 入学登记 form (POST
// /entrants/applications). A township sees its own, a school its own catchment; the server
// checks every write again.
import { useState } from 'preact/hooks';
import { html } from '../html.js';
import { api, downloadUrl, upload } from '../api.js';
import { useApi, useTitle } from '../hooks.js';
import { fmtNumber } from '../format.js';
import { setQuery } from '../router.js';
import { can, useUser } from '../session.js';
import { Badge, ErrorBanner, Notice, PageHeader } from '../components/feedback.js';
import { DataTable } from '../components/table.js';
import { Choices, SubmitRow, useSubmit } from '../components/casework.js';

const TABS = [
  { key: 'list', label: '入学名单' },
  { key: 'check', label: '九月核对' },
  { key: 'catchment', label: '学区' },
];

const orNull = v => (v === '' ? null : v);

const field = (id, label, value, onInput, opts = {}) => html`<div class="field">
  <label class="field-label" for=${id}>${label}${opts.required ? html`<span class="req" aria-hidden="true"> *</span>` : ''}</label>
  <input id=${id} type=${opts.type || 'text'} required=${opts.required} value=${value} placeholder=${opts.placeholder || ''}
    list=${opts.list || null} inputmode=${opts.inputmode || null} onInput=${e => onInput(e.target.value)} />
  ${opts.hint && html`<span class="field-hint">${opts.hint}</span>`}
</div>`;

function useForm(init) {
  const [f, setF] = useState(init);
  return [f, k => v => setF(x => ({ ...x, [k]: v })), () => setF(init)];
}

/** Each catchment school's entrants: all, from the register, recorded by schools, 随迁. */
function bySchool(rows) {
  const m = new Map();
  for (const r of rows || []) {
    const k = r.school;
    const c = m.get(k) || { school: k, n: 0, reg: 0, app: 0, migrant: 0 };
    c.n++;
    if (r.source_key !== 'application') c.reg++;
    else c.app++;
    if (r.migrant === '是') c.migrant++;
    m.set(k, c);
  }
  return [...m.values()];
}

const entrantColumns = [
  { key: 'name', label: '姓名', primary: true },
  { key: 'school', label: '学区学校', render: r => (r.school === '未划学区' ? html`<${Badge} tone="warn">未划学区<//>` : r.school) },
  { key: 'village', label: '村（社区）', render: r => `${r.township || ''}${r.village || ''}` || '—' },
  { key: 'birth_month', label: '出生年月' },
  { key: 'id_number', label: '身份证号' },
  { key: 'guardian', label: '监护人', render: r => `${r.guardian || ''} ${r.phone || ''}`.trim() || '—' },
  { key: 'migrant', label: '随迁子女', render: r => (r.migrant === '是' ? html`<${Badge} tone="info">随迁<//>` : '否') },
  { key: 'source', label: '来源' },
];

function Counts({ rows }) {
  const list = bySchool(rows);
  if (!list.length) return null;
  return html`<details class="entrants-counts" open=${list.length <= 6}>
    <summary>各学校人数（${list.length} 所）</summary>
    <ul class="plain-list">
      ${list.map(c => html`<li><strong>${c.school}</strong> ${fmtNumber(c.n)} 人
        <span class="muted">（户籍 ${c.reg}，学校登记 ${c.app}，随迁 ${c.migrant}）</span></li>`)}
    </ul>
  </details>`;
}

function ApplyForm({ onDone }) {
  const user = useUser();
  const [f, set, reset] = useForm({ name: '', id_number: '', birth: '', guardian: '', phone: '', address: '', migrant: 'yes', hukou: '', school: '' });
  const [state, submit] = useSubmit(() => api.post('/entrants/applications', {
    name: f.name, id_number: orNull(f.id_number), birth: orNull(f.birth), guardian: orNull(f.guardian),
    phone: orNull(f.phone), address: orNull(f.address), migrant: f.migrant === 'yes', hukou: orNull(f.hukou),
    ...(user.role === 'school' ? {} : { school: f.school }),
  }), r => { reset(); onDone(r.message); });
  return html`<form class="form" onSubmit=${submit} aria-label="入学登记">
    <h2>入学登记</h2>
    <p class="muted">户籍名单中没有的儿童（随迁子女等）由学校登记，列入本校的入学名单。有身份证号可不填出生日期。</p>
    ${user.role !== 'school' && field('ap-school', '学校', f.school, set('school'), { required: true, placeholder: '学籍中的学校名称或代码' })}
    <div class="grid grid-2">
      ${field('ap-name', '儿童姓名', f.name, set('name'), { required: true })}
      ${field('ap-id', '身份证号', f.id_number, set('id_number'), { inputmode: 'numeric' })}
      ${field('ap-birth', '出生日期', f.birth, set('birth'), { type: 'date' })}
      ${field('ap-guardian', '监护人', f.guardian, set('guardian'))}
      ${field('ap-phone', '联系电话', f.phone, set('phone'), { type: 'tel', inputmode: 'tel' })}
      ${field('ap-address', '现住址', f.address, set('address'))}
      ${field('ap-hukou', '户籍所在地', f.hukou, set('hukou'), { placeholder: '如 河南省信阳市光山县' })}
    </div>
    <${Choices} name="ap-migrant" legend="随迁子女" options=${[{ key: 'yes', label: '是' }, { key: 'no', label: '否' }]}
      value=${f.migrant} onChange=${set('migrant')} columns="2" />
    <${SubmitRow} state=${state} label="登记" />
  </form>`;
}

function CatchmentForm({ onDone }) {
  const [f, set, reset] = useForm({ township: '', village: '', school: '' });
  const [state, submit] = useSubmit(() => api.post('/catchment', f), r => { reset(); onDone(r.message); });
  const [file, setFile] = useState(null);
  const [imp, doImport] = useSubmit(async () => {
    const fd = new FormData();
    fd.append('file', file, file.name);
    return upload('/catchment/imports', fd);
  }, r => onDone(r.message));
  return html`<div class="grid grid-2">
    <form class="form" onSubmit=${submit} aria-label="划定学区">
      <h2>划定学区</h2>
      ${field('ct-township', '乡镇', f.township, set('township'), { required: true })}
      ${field('ct-village', '村（社区）', f.village, set('village'), { required: true, hint: '按户籍名单的写法' })}
      ${field('ct-school', '学校', f.school, set('school'), { required: true, placeholder: '学籍中的学校名称或代码' })}
      <${SubmitRow} state=${state} label="保存" />
    </form>
    <form class="form" onSubmit=${doImport} aria-label="导入学区表">
      <h2>导入学区表</h2>
      <p class="muted">xlsx、xls 或 csv，须有“乡镇”“村（社区）”“学校”三列；有一行不对则整表不导入。</p>
      <input id="ct-file" type="file" required accept=".xlsx,.xls,.csv" onChange=${e => setFile(e.target.files[0] || null)} />
      <${SubmitRow} state=${imp} label="导入" />
    </form>
  </div>`;
}

function CatchmentTab({ township, school }) {
  const rep = useApi('/reports/catchment', { format: 'json', township, school });
  const [msg, setMsg] = useState(null);
  const edit = can('catchment_edit');
  const done = m => { setMsg(m); rep.reload(); };
  const remove = async r => {
    try {
      const j = await api.post('/catchment/removals', { township: r.township_code, village: r.village });
      done(j.message);
    } catch (e) { setMsg(e.message); }
  };
  const d = rep.data;
  const columns = [
    { key: 'village', label: '村（社区）', primary: true, render: r => `${r.township}${r.village}` },
    { key: 'school', label: '学区学校', render: r => (r.state === '已划定' ? r.school : html`<${Badge} tone="warn">${r.state}<//>`) },
    { key: 'children', label: '户籍儿童', num: true },
    ...(edit ? [{ key: 'act', label: '操作', render: r => (r.school_code ? html`<button type="button" class="btn btn-small" onClick=${() => remove(r)}>取消学区</button>` : '—') }] : []),
  ];
  return html`<div>
    ${d && html`<p class="muted">${d.subtitle}</p>`}
    ${msg && html`<${Notice}>${msg}<//>`}
    ${edit && html`<${CatchmentForm} onDone=${done} />`}
    <${ErrorBanner} error=${rep.error} onRetry=${rep.reload} />
    <${DataTable} columns=${columns} rows=${d ? d.villages : null} rowKey=${r => r.township_code + '/' + r.village} loading=${rep.loading} caption="学区划分" />
  </div>`;
}

export default function Entrants({ query }) {
  useTitle('招生入学');
  const user = useUser();
  const tab = query.tab || 'list';
  const township = query.township || '';
  const school = query.school || '';
  const filters = useApi(user.township || user.role === 'school' ? null : '/children/filters');
  const towns = filters.data ? filters.data.townships : [];
  const name = tab === 'check' ? 'entrants-check' : 'entrants';
  const rep = useApi(tab === 'catchment' ? null : '/reports/' + name, { format: 'json', township, school });
  const [msg, setMsg] = useState(null);
  const d = rep.data;
  const rows = d ? d.entrants : null;
  return html`<div class="page">
    <${PageHeader} title="招生入学" subtitle=${d ? d.subtitle : '免试就近入学：学区、入学名单和九月核对'}>
      ${towns.length > 1 && html`<label class="field inline-field" for="ent-township"><span class="field-label">查看</span>
        <select id="ent-township" value=${township} onChange=${e => setQuery({ township: e.target.value })}>
          <option value="">全县</option>
          ${towns.map(t => html`<option value=${t.code}>${t.name}</option>`)}
        </select></label>`}
    <//>
    <nav class="tabs" aria-label="招生入学">
      ${TABS.map(t => html`<a class=${'tab' + (t.key === tab ? ' active' : '')} aria-current=${t.key === tab ? 'page' : null}
        href="#/entrants" onClick=${e => { e.preventDefault(); setQuery({ tab: t.key === 'list' ? undefined : t.key }); }}>${t.label}</a>`)}
    </nav>
    ${tab === 'catchment' ? html`<${CatchmentTab} township=${township} school=${school} />` : html`<div>
      ${msg && html`<${Notice}>${msg}<//>`}
      ${tab === 'check' && d && !d.ready && html`<${Notice} tone="warn">${(d.notes || [])[0] || '还不到核对的时候'}<//>`}
      ${tab === 'check' && d && d.ready && html`<p class="muted">本学年应入学而学籍中没有的儿童：户籍中的已在比对时列入核查；学校登记的由登记学校联系监护人。</p>`}
      <${Counts} rows=${rows} />
      <div class="page-actions"><a class="btn" download href=${downloadUrl('/reports/' + name, { format: 'xlsx', township: township || undefined, school: school || undefined })}>导出Excel</a></div>
      <${ErrorBanner} error=${rep.error} onRetry=${rep.reload} />
      <${DataTable} columns=${tab === 'check' ? [...entrantColumns, { key: 'known', label: '情况' }] : entrantColumns}
        rows=${rows} rowKey=${r => r.source_key + (r.record_id || r.application_id)} loading=${rep.loading}
        caption=${tab === 'check' ? '新生未注册学籍核对' : '招生入学名单'}
        empty=${html`<div class="empty"><p class="empty-title">${tab === 'check' ? '没有应入学而未注册学籍的儿童' : '没有明年入学的儿童'}</p></div>`} />
      ${tab === 'list' && can('entrants_record') && html`<${ApplyForm} onDone=${m => { setMsg(m); rep.reload(); }} />`}
    </div>`}
  </div>`;
}
