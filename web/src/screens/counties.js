// 各县指标 (issue 18): the province's or a city's counties ranked on the indicators each county
// computes for itself (GET /api/v1/province/indicators), with the area's total. A province
// account may narrow it to one city; counts and rates only, no child is named.
import { html } from '../html.js';
import { useApi, useTitle } from '../hooks.js';
import { fmtDate, fmtNumber } from '../format.js';
import { downloadUrl } from '../api.js';
import { setQuery } from '../router.js';
import { currentUser } from '../session.js';
import { Badge, ErrorBanner, PageHeader } from '../components/feedback.js';
import { DataTable } from '../components/table.js';
import { fmtRate, rankText, rateColumns } from '../components/indicators.js';

export default function Counties({ query }) {
  useTitle('各县指标');
  const own = (currentUser() || {}).area || null;
  const area = query.area || '';
  const month = query.month || '';
  const q = { format: 'json', ...(area ? { area } : {}), ...(month ? { month } : {}) };
  const rep = useApi('/province/indicators', q);
  const d = rep.data;
  const rows = d ? d.counties : null;
  // the cities of the counties shown (a province account's filter), by the first 4 digits
  const cities = new Map();
  for (const r of rows || []) if (r.code) cities.set(r.code.slice(0, 4), r.city || r.code.slice(0, 4));
  if (area && !cities.has(area)) cities.set(area, area);
  const columns = [
    { key: 'order', label: '综合排名', align: 'right', render: r => (r.order === null ? '—' : r.order) },
    { key: 'name', label: '县', primary: true,
      render: r => html`${r.name}${r.high_dropout ? html` <${Badge} tone="bad">辍学高发<//>` : ''}${r.city ? html`<div class="muted small">${r.city}</div>` : ''}` },
    ...rateColumns(),
    { key: 'overdue', label: '逾期任务和案件', align: 'right',
      render: r => (r.overdue === null ? '—' : html`${fmtNumber(r.overdue)}${rankText(r.overdue_rank)}`) },
    { key: 'out_of_school', label: '未在校/适龄儿童', align: 'right',
      render: r => (r.school_age === null ? '—' : `${fmtNumber(r.out_of_school)}/${fmtNumber(r.school_age)}`) },
    { key: 'run_date', label: '比对日期', render: r => (r.run_date ? fmtDate(r.run_date) : '—') },
    { key: 'note', label: '说明', render: r => r.note || '' },
  ];
  const t = d && d.totals;
  const place = d && d.caption ? d.caption.replace(/各县控辍保学指标和排名$/, '') : '';
  const subtitle = d ? `${place ? place + ' · ' : ''}截至 ${fmtDate(d.as_of)} · ${fmtNumber(rows.filter(r => r.code).length)} 个县` : '各县的指标和排名';
  return html`<div class="page">
    <${PageHeader} title="各县控辍保学指标" subtitle=${subtitle}>
      ${own && own.code.length === 2 ? html`<label class="field inline-field" for="county-area"><span class="field-label">市</span>
        <select id="county-area" value=${area} onChange=${e => setQuery({ area: e.target.value })}>
          <option value="">${own.name}全部</option>
          ${[...cities].map(([code, name]) => html`<option value=${code}>${name}</option>`)}
        </select></label>` : ''}
      <label class="field inline-field" for="county-month"><span class="field-label">月份</span>
        <input id="county-month" type="month" value=${month} onChange=${e => setQuery({ month: e.target.value })} /></label>
    <//>
    <p class="muted">各县的指标按各县自己的数据计算，方法与县里的《控辍保学指标》相同；各项指标分别排名，按各项名次的平均数排出综合排名。合计的比率由各县人数相加后计算。</p>
    ${t ? html`<p>合计：适龄儿童 ${fmtNumber(t.school_age)} 人，在校 ${fmtNumber(t.enrolled)} 人，未在校 ${fmtNumber(t.out_of_school)} 人（其中重点群体 ${fmtNumber(t.group_out)} 人）；入学率 ${fmtRate(t.enrollment_rate)}，辍学率 ${fmtRate(t.dropout_rate)}，按时核查率 ${fmtRate(t.verified_on_time)}，劝返复学率 ${fmtRate(t.returned_rate)}。</p>` : ''}
    <div class="page-actions"><a class="btn" download href=${downloadUrl('/province/indicators', { ...q, format: 'xlsx' })}>导出Excel</a></div>
    <${ErrorBanner} error=${rep.error} onRetry=${rep.reload} />
    <${DataTable} columns=${columns} rows=${rows} rowKey=${r => r.code} loading=${rep.loading} caption="各县控辍保学指标和排名"
      rowClass=${r => (r.high_dropout ? 'overdue' : null)} />
    ${d && d.notes ? html`<ul class="muted small">${d.notes.map(n => html`<li>${n}</li>`)}</ul>` : ''}
  </div>`;
}
