// 台账: the children of the latest cross-check, filtered, searched, sorted and paged by the
// server (GET /api/v1/children). Filters, sort and page live in the hash query. This file is
// the model for every list screen: FilterBar → useApi → DataTable → Pager.
import { html } from '../html.js';
import { setQuery } from '../router.js';
import { useApi, useTitle } from '../hooks.js';
import { can } from '../session.js';
import { STATUSES, fmtDate, fmtNumber } from '../format.js';
import { api } from '../api.js';
import { FilterBar } from '../components/filters.js';
import { DataTable, Pager } from '../components/table.js';
import { ErrorBanner, PageHeader, StatusBadge } from '../components/feedback.js';
import { Masked } from '../components/masked.js';

const PER_PAGE = 50;

export default function Children({ query }) {
  useTitle('台账');
  const page = Number(query.page) || 1;
  const list = useApi('/children', {
    township: query.township, status: query.status, q: query.q, page, per_page: PER_PAGE,
  });
  const summary = useApi(can('summary') ? '/summary' : null);
  const townships = summary.data ? summary.data.townships.map(t => ({ value: t.township_code, label: t.township })) : [];
  const fields = [
    ...(townships.length > 1 ? [{ name: 'township', label: '乡镇', type: 'select', options: townships }] : []),
    { name: 'status', label: '状态', type: 'select', options: Object.entries(STATUSES).map(([value, s]) => ({ value, label: s.label })) },
    { name: 'q', label: '姓名或身份证号', type: 'search', placeholder: '输入姓名或完整身份证号' },
  ];
  const columns = [
    { key: 'name', label: '姓名', primary: true, render: r => html`<a href=${'#/children/' + r.id}>${r.name || '（无姓名）'}</a>` },
    { key: 'id_number', label: '身份证号', wide: true, render: r => html`<${Masked} value=${r.id_number}
        loadFull=${() => api.get('/children/' + r.id, { full: 1 }).then(j => j.person.id_number)} />` },
    { key: 'gender', label: '性别' },
    { key: 'birth_date', label: '出生日期', render: r => fmtDate(r.birth_date) },
    { key: 'age', label: '年龄', align: 'right' },
    { key: 'township', label: '乡镇' },
    { key: 'village', label: '村（社区）' },
    { key: 'status', label: '状态', render: r => html`<${StatusBadge} status=${r.status} label=${r.status_label} />` },
  ];
  const d = list.data;
  return html`<div class="page">
    <${PageHeader} title="台账" subtitle=${d ? `截至 ${fmtDate(d.as_of)} 的比对结果，共 ${fmtNumber(d.total)} 名` : ''} />
    <${FilterBar} fields=${fields} values=${query} onChange=${setQuery} />
    <${ErrorBanner} error=${list.error} onRetry=${list.reload} />
    <${DataTable} columns=${columns} rows=${d && d.items} loading=${list.loading} caption="儿童名单" />
    ${d && html`<${Pager} total=${d.total} page=${page} perPage=${PER_PAGE} onPage=${p => setQuery({ page: p })} />`}
  </div>`;
}
