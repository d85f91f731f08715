// 控辍保学排名 (issue 17): the townships (or schools) ranked on the indicators — each rate with
// its rank, the combined order (mean of the ranks) and the units flagged 辍学高发 by the county's
// rule (GET /api/v1/reports/ranking). The county and the supervisors read every unit; a township
// account its own row. Linked from the dashboard's indicators card.
import { html } from '../html.js';
import { useApi, useTitle } from '../hooks.js';
import { fmtDate, fmtNumber } from '../format.js';
import { downloadUrl } from '../api.js';
import { setQuery } from '../router.js';
import { Badge, ErrorBanner, PageHeader } from '../components/feedback.js';
import { DataTable } from '../components/table.js';
import { rankText, rateColumns } from '../components/indicators.js';

export default function Ranking({ query }) {
  useTitle('控辍保学排名');
  const by = query.by === 'school' ? 'school' : 'township';
  const month = query.month || '';
  const q = { format: 'json', by, ...(month ? { month } : {}) };
  const rep = useApi('/reports/ranking', q);
  const d = rep.data;
  const rows = d ? (by === 'school' ? d.schools : d.townships) : null;
  const columns = [
    { key: 'order', label: '综合排名', align: 'right' },
    { key: 'name', label: by === 'school' ? '学校' : '乡镇', primary: true,
      render: r => html`${r.name}${r.high_dropout ? html` <${Badge} tone="bad">辍学高发<//>` : ''}` },
    { key: 'mean_rank', label: '平均名次', align: 'right', render: r => (r.mean_rank === null ? '—' : r.mean_rank.toFixed(2)) },
    ...rateColumns(),
    { key: 'overdue', label: '逾期任务和案件', align: 'right',
      render: r => html`${fmtNumber(r.overdue)}${rankText(r.overdue_rank)}` },
    { key: 'dropped', label: '本学年辍学', align: 'right', render: r => `${fmtNumber(r.dropped)}/${fmtNumber(r.year_start)}` },
  ];
  const flagged = rows ? rows.filter(r => r.high_dropout).length : 0;
  const subtitle = d ? `截至 ${fmtDate(d.as_of)} · 辍学高发 ${fmtNumber(flagged)} 个（辍学率达到 ${d.high_dropout_rate}% 且至少 ${d.high_dropout_min} 人）` : '各项指标排名';
  return html`<div class="page">
    <${PageHeader} title="控辍保学排名" subtitle=${subtitle}>
      <label class="field inline-field" for="rank-by"><span class="field-label">排名对象</span>
        <select id="rank-by" value=${by} onChange=${e => setQuery({ by: e.target.value })}>
          <option value="township">乡镇</option>
          <option value="school">学校</option>
        </select></label>
      <label class="field inline-field" for="rank-month"><span class="field-label">月份</span>
        <input id="rank-month" type="month" value=${month} onChange=${e => setQuery({ month: e.target.value })} /></label>
    <//>
    <p class="muted">各项指标分别排名（入学率、巩固率、按时核查率、劝返复学率高者在前，辍学率和逾期少者在前），按各项名次的平均数排出综合排名。</p>
    <div class="page-actions"><a class="btn" download href=${downloadUrl('/reports/ranking', { ...q, format: 'xlsx' })}>导出Excel</a></div>
    <${ErrorBanner} error=${rep.error} onRetry=${rep.reload} />
    <${DataTable} columns=${columns} rows=${rows} rowKey=${r => r.code} loading=${rep.loading} caption="控辍保学排名"
      rowClass=${r => (r.high_dropout ? 'overdue' : null)} />
  </div>`;
}
