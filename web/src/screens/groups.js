// 重点群体: the priority groups' school-age children by township — in school here, elsewhere,
// 送教上门, suspected, confirmed out (GET /api/v1/reports/groups-status, the table an inspector
// asks for), with its xlsx to download. The server decides the reach: the county every group,
// a township its own children, a school its pupils, a department (乡村振兴, 民政, 残联, 妇联) its
// own groups only. A group's suspected children open the 台账 filtered by group and township.
import { html } from '../html.js';
import { setQuery } from '../router.js';
import { useApi, useTitle } from '../hooks.js';
import { can } from '../session.js';
import { fmtDate, fmtNumber } from '../format.js';
import { downloadUrl } from '../api.js';
import { FilterBar } from '../components/filters.js';
import { DataTable } from '../components/table.js';
import { EmptyState, ErrorBanner, PageHeader } from '../components/feedback.js';

const COUNTS = [
  ['school_age', '适龄儿童'],
  ['in_school', '本县在校'],
  ['elsewhere', '县外就读'],
  ['home_teaching', '送教上门'],
  ['suspected', '疑似失学辍学'],
  ['confirmed', '确认失学辍学'],
  ['other', '其他'],
];

export default function Groups({ query }) {
  useTitle('重点群体在校情况');
  const args = { township: query.township, group: query.group };
  const report = useApi('/reports/groups-status', { ...args, format: 'json' });
  const choices = useApi('/children/filters');
  const towns = choices.data ? choices.data.townships : [];
  const groups = choices.data ? choices.data.groups : [];
  const fields = [
    ...(groups.length > 1 ? [{ name: 'group', label: '重点群体', type: 'select', options: groups.map(g => ({ value: g.key, label: g.label })) }] : []),
    ...(towns.length > 1 ? [{ name: 'township', label: '乡镇', type: 'select', options: towns.map(t => ({ value: t.code, label: t.name })) }] : []),
  ];
  const d = report.data;
  // the children behind a count of suspected or confirmed: the 台账 of that group and township
  const listLink = (r, n) => n > 0 && can('children') && r.group_key
    ? html`<a href=${'#/children?' + new URLSearchParams({ status: 'suspected', group: r.group_key, ...(r.township_code ? { township: r.township_code } : {}) })}>${fmtNumber(n)}</a>`
    : fmtNumber(n);
  const columns = [
    { key: 'group', label: '重点群体', primary: true, render: r => r.township === '全县' || !r.group_key ? html`<strong>${r.group}</strong>` : r.group },
    { key: 'township', label: '乡镇' },
    ...COUNTS.map(([key, label]) => ({
      key, label, align: 'right',
      render: r => key === 'suspected' || key === 'confirmed' ? listLink(r, r[key]) : fmtNumber(r[key]),
    })),
  ];
  const rows = d ? [...d.rows, { ...d.totals, group_key: '' }] : null;
  const exportArgs = Object.fromEntries(Object.entries(args).filter(([, v]) => v));
  return html`<div class="page">
    <${PageHeader} title="重点群体在校情况"
      subtitle=${d ? `截至 ${fmtDate(d.as_of)} 的比对结果，重点群体适龄儿童共 ${fmtNumber(d.total)} 名` : '每个重点群体的适龄儿童在校情况'}>
      ${d && html`<a class="btn" download href=${downloadUrl('/reports/groups-status', { ...exportArgs, format: 'xlsx' })}>下载Excel</a>`}
    <//>
    <${FilterBar} fields=${fields} values=${query} onChange=${c => setQuery(c)} />
    ${report.error && report.error.code === 'no_run'
      ? html`<${EmptyState} title="还没有比对结果">导入重点群体名单并运行比对后，这里按群体和乡镇统计在校情况。<//>`
      : html`<${ErrorBanner} error=${report.error} onRetry=${report.reload} />`}
    <${DataTable} columns=${columns} rows=${rows} loading=${report.loading} caption="重点群体在校情况"
      rowKey=${r => (r.group_key || '合计') + (r.township_code || r.township)}
      empty=${html`<div class="empty"><p class="empty-title">没有重点群体儿童</p><p class="empty-text">导入脱贫户、低保、残疾等名单并比对后，这里列出各群体的适龄儿童。</p></div>`} />
    ${d && html`<ul class="muted small notes">${d.notes.map(n => html`<li key=${n}>${n}</li>`)}</ul>`}
  </div>`;
}
