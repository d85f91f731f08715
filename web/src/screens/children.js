// 台账: the children of the latest cross-check, filtered, searched, sorted and paged by the
// server (GET /api/v1/children). Filters, sort and page live in the hash query; 导出Excel
// downloads exactly this list (all pages) with the same query (reports/children-list).
// This file is the model for every list screen: FilterBar → useApi → DataTable → Pager.
import { html } from '../html.js';
import { setQuery } from '../router.js';
import { useApi, useTitle } from '../hooks.js';
import { can } from '../session.js';
import { fmtDate, fmtNumber } from '../format.js';
import { options, word, words } from '../vocab.js';
import { api, downloadUrl } from '../api.js';
import { FilterBar } from '../components/filters.js';
import { DataTable, Pager } from '../components/table.js';
import { ErrorBanner, EmptyState, PageHeader, StatusBadge } from '../components/feedback.js';
import { Masked } from '../components/masked.js';
import { VisitSheet } from '../components/visitsheet.js';

const PER_PAGE = 50;

/** The lists whose children have verification tasks and cases: they filter on those too. */
const CASEWORK_LISTS = ['suspected', 'not_enrolled', 'dropped_out'];

/** The two ledgers first, then every single status (from the vocabulary). */
const statusOptions = () => [
  { value: 'school_age', label: '适龄儿童' },
  { value: 'suspected', label: '疑似失学辍学' },
  ...options('statuses'),
];

/** Tabs over the list: everyone, and the two ledgers that are lists of children. */
const TABS = [
  { status: '', label: '全部儿童' },
  { status: 'school_age', label: '适龄儿童台账' },
  { status: 'suspected', label: '疑似失学辍学' },
];

/** The official forms (docs/reports.md) to send upward, as xlsx: the reports of the catalog that
 * are forms and take a township. */
const forms = () => words('reports').filter(r => r.form && r.takes.includes('township'));
/** The download of the list on screen: the report that takes the list's own filters. */
const listReport = () => (words('reports').find(r => r.takes.includes('list')) || {}).key;

const LEDGER_TITLES = {
  school_age: '适龄儿童台账',
  suspected: '疑似失学辍学名单',
};

export default function Children({ query }) {
  const page = Number(query.page) || 1;
  const casework = CASEWORK_LISTS.includes(query.status);
  const listQuery = {
    township: query.township, village: query.village, school: query.school, status: query.status,
    group: query.group, q: query.q, sort: query.sort,
    ...(casework ? { stage: query.stage, reason: query.reason, overdue: query.overdue } : {}),
  };
  const list = useApi('/children', { ...listQuery, page, per_page: PER_PAGE });
  const choices = useApi('/children/filters');
  const towns = choices.data ? choices.data.townships : [];
  const schools = choices.data ? choices.data.schools : [];
  const groups = choices.data && choices.data.groups ? choices.data.groups : [];
  const groupName = query.group ? (groups.find(g => g.key === query.group) || {}).label || '' : '';
  const town = towns.find(t => t.code === query.township) || (towns.length === 1 ? towns[0] : null);
  const fields = [
    ...(towns.length > 1 ? [{ name: 'township', label: '乡镇', type: 'select', options: towns.map(t => ({ value: t.code, label: t.name })) }] : []),
    ...(town ? [{ name: 'village', label: '村（社区）', type: 'select', options: town.villages.map(v => ({ value: v, label: v })) }] : []),
    ...(schools.length > 1 ? [{ name: 'school', label: '学校', type: 'select', options: schools.map(s => ({ value: s.code, label: s.name || s.code })) }] : []),
    { name: 'status', label: '状态', type: 'select', options: statusOptions() },
    ...(groups.length > 1 ? [{ name: 'group', label: '重点群体', type: 'select', options: groups.map(g => ({ value: g.key, label: g.label })) }] : []),
    ...(casework ? [
      { name: 'stage', label: '核查和劝返', type: 'select', options: options('stages') },
      { name: 'reason', label: '辍学原因', type: 'select', options: options('reasons') },
      { name: 'overdue', label: '只看逾期', type: 'checkbox' },
    ] : []),
    // a whole ID only for who may see full IDs: with the first 6 and last 4 shown, a search by
    // the whole number would try the birth dates the check digit allows (the server refuses it)
    // also the name's pinyin or initials (the linker's readings) and the guardian's name
    { name: 'q', label: '姓名或身份证号后 4 位、拼音、监护人', type: 'search', placeholder: can('full_id') ? '姓名或其拼音、首字母，监护人姓名，身份证号后 4 位或完整身份证号' : '姓名或其拼音、首字母，监护人姓名，或身份证号后 4 位' },
  ];
  const d = list.data;
  const sortable = d ? d.sortable : false;
  const st = query.status && word('statuses', query.status);
  const title = LEDGER_TITLES[query.status] || (st ? st.label + '名单' : '台账');
  useTitle(title);
  const columns = [
    { key: 'name', label: '姓名', primary: true, sort: sortable && 'name', render: r => html`<a href=${'#/children/' + r.id}>${r.name || '（无姓名）'}</a>` },
    { key: 'id_number', label: '身份证号', wide: true, render: r => html`<${Masked} value=${r.id_number}
        loadFull=${() => api.get('/children/' + r.id, { full: 1 }).then(j => j.person.id_number)} />` },
    { key: 'gender', label: '性别' },
    // no birth date on a list: the age on the school year's cutoff (31 August) stands for it
    { key: 'age', label: '年龄', align: 'right', sort: sortable && 'age', render: r => r.age ?? '—' },
    { key: 'expected_grade', label: '应读年级', render: r => r.expected_grade || '—' },
    { key: 'township', label: '乡镇' },
    { key: 'village', label: '村（社区）', sort: sortable && 'village' },
    { key: 'status', label: '状态', sort: sortable && 'status', render: r => html`<${StatusBadge} status=${r.status} />` },
    // the priority groups the child belongs to (the suspected list puts them first)
    { key: 'groups', label: '重点群体', render: r => r.groups && r.groups.length ? r.groups.map(g => g.label).join('、') : '—' },
  ];
  const onChange = changes => {
    // a village belongs to its township; a sort applies only where the server can sort
    if ('township' in changes) changes = { ...changes, village: '' };
    if ('status' in changes) changes = { ...changes, sort: '', ...(CASEWORK_LISTS.includes(changes.status) ? {} : { stage: '', reason: '', overdue: '' }) };
    setQuery(changes);
  };
  const exportQuery = Object.fromEntries(Object.entries(listQuery).filter(([, v]) => v));
  const tooMany = d && d.total > 100000;
  return html`<div class="page">
    <${PageHeader} title=${title} subtitle=${d ? `截至 ${fmtDate(d.as_of)} 的比对结果，共 ${fmtNumber(d.total)} 名${sortable ? '' : '（按户籍登记顺序）'}` : ''}>
      ${can('summary') && d && d.total > 0 && (tooMany
        ? html`<span class="muted small">超过 10 万名，请缩小范围后导出</span>`
        : html`<a class="btn" href=${downloadUrl('/reports/' + listReport(), { ...exportQuery, format: 'xlsx' })} download>导出Excel</a>`)}
      <${VisitSheet} township=${query.township} />
    <//>
    <nav class="tabs" aria-label="台账">
      ${TABS.map(t => html`<a key=${t.status} href=${'#/children' + (t.status ? '?status=' + t.status : '')}
        class=${(query.status || '') === t.status ? 'active' : ''} aria-current=${(query.status || '') === t.status ? 'page' : null}>${t.label}</a>`)}
    </nav>
    <${FilterBar} fields=${fields} values=${query} onChange=${onChange} />
    ${choices.error && choices.error.code !== 'no_run' && html`<${ErrorBanner} error=${choices.error} />`}
    ${list.error && list.error.code === 'no_run'
      ? html`<${EmptyState} title="还没有比对结果">导入名单并运行比对后，这里列出每名儿童的状态。<//>`
      : html`<${ErrorBanner} error=${list.error} onRetry=${list.reload} />`}
    <${DataTable} columns=${columns} rows=${d && d.items} loading=${list.loading} caption=${title}
      sort=${query.sort} onSort=${s => setQuery({ sort: s })} />
    ${d && html`<${Pager} total=${d.total} page=${page} perPage=${PER_PAGE} onPage=${p => setQuery({ page: p })} />`}
    ${can('summary') && html`<section class="card forms">
      <h2>上报用台账（Excel）</h2>
      <p class="muted small">带标题、填报单位、合计和签字栏的正式表格${query.township ? '（本乡镇）' : ''}${groupName ? '，只列' + groupName + '的儿童' : ''}；身份证号已遮盖。</p>
      <div class="page-actions">${forms().map(f => html`<a key=${f.key} class="btn" download
        href=${downloadUrl('/reports/' + f.key, { format: 'xlsx', township: query.township, ...(query.group && f.takes.includes('group') ? { group: query.group } : {}) })}>${f.label}</a>`)}</div>
    </section>`}
  </div>`;
}
