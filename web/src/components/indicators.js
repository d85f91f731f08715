// 控辍保学指标 (issue 17): the rates of the account's scope (a township its own, the county
// all) with their numerators and denominators, and their trend month by month (GET
// /reports/indicators and /reports/indicators-trend). The chart's legend sits below it and wraps,
// so that it stays readable on a 375 px phone; the same numbers are in the tiles beside it.
import { useMemo } from 'preact/hooks';
import { html } from '../html.js';
import { useApi } from '../hooks.js';
import { fmtNumber } from '../format.js';
import { ErrorBanner, Loading } from './feedback.js';
import { Chart } from './chart.js';

/** 98.5 → "98.50%"; null → "—" */
export function fmtRate(v) {
  return v === null || v === undefined ? '—' : `${Number(v).toFixed(2)}%`;
}

/** A unit's place on one measure of a ranking: "（第3名）", or nothing when it has none. */
export const rankText = n => (n ? html`<span class="muted small">（第${n}名）</span>` : '');

/** A ranking table's column of a rate and its place (控辍保学排名, 各县指标). */
export const rateColumn = (key, rankKey, label) => ({
  key, label, align: 'right', render: r => html`${fmtRate(r[key])}${rankText(r[rankKey])}`,
});

/** The five rates of a ranking, each with its place, in the report's order. */
export const rateColumns = () => [
  rateColumn('enrollment_rate', 'enrollment_rank', '入学率'),
  rateColumn('retention_rate', 'retention_rank', '巩固率'),
  rateColumn('dropout_rate', 'dropout_rank', '辍学率'),
  rateColumn('verified_on_time', 'verified_rank', '按时核查率'),
  rateColumn('returned_rate', 'returned_rank', '劝返复学率'),
];

/** The tiles: each rate with the counts it is made of. */
export const TILES = [
  { key: 'enrollment_rate', label: '入学率', of: c => [c.enrolled, c.school_age], says: '在校（含外出就读、送教上门）/适龄儿童' },
  { key: 'retention_rate', label: '巩固率', of: c => [c.cohort_kept, c.cohort_base], says: '巩固人数/巩固率基数' },
  { key: 'dropout_rate', label: '辍学率', bad: true, of: c => [c.dropped, c.year_start], says: '本学年辍学/学年初在校生' },
  { key: 'verified_on_time', label: '按时核查率', of: c => [c.verified_in_time, c.tasks_due], says: '按期核查/到期核查任务' },
  { key: 'returned_rate', label: '劝返复学率', of: c => [c.returned, c.confirmed], says: '劝返复学/确认失学辍学' },
];

const LINES = [
  { key: 'enrollment_rate', label: '入学率', color: '#1e7d4f' },
  { key: 'retention_rate', label: '巩固率', color: '#1d5fa8' },
  { key: 'verified_on_time', label: '按时核查率', color: '#8a5cc2' },
  { key: 'returned_rate', label: '劝返复学率', color: '#c99a2e' },
  { key: 'dropout_rate', label: '辍学率（右轴）', color: '#b42318', right: true },
];

/** The trend's option: rates in percent, 辍学率 on its own axis (it is a hundredth of the
 * others); the legend below the plot, wrapping onto a second line on a phone. */
export function trendOption(months) {
  const x = months.map(m => m.month.replace(/^(\d{4})-0?(\d+)$/, '$1年\n$2月'));
  return {
    tooltip: { trigger: 'axis', valueFormatter: v => (v === null || v === undefined ? '无' : v.toFixed(2) + '%') },
    legend: { bottom: 0, left: 'center', type: 'plain', width: '92%', itemGap: 12, itemWidth: 18, textStyle: { fontSize: 13 } },
    grid: { left: 8, right: 8, top: 16, bottom: 72, containLabel: true },
    xAxis: { type: 'category', data: x, boundaryGap: months.length < 2 },
    yAxis: [
      { type: 'value', scale: true, max: 100, axisLabel: { formatter: '{value}%' } },
      { type: 'value', min: 0, axisLabel: { formatter: '{value}%' }, splitLine: { show: false } },
    ],
    series: LINES.map(l => ({
      name: l.label, type: 'line', yAxisIndex: l.right ? 1 : 0, connectNulls: false, symbolSize: 7,
      itemStyle: { color: l.color }, lineStyle: { color: l.color },
      data: months.map(m => (m[l.key] === null || m[l.key] === undefined ? null : m[l.key])),
    })),
  };
}

/** township: narrow to one township (a county account's choice); a township account gets its
 * own from the server whatever it asks. */
export function IndicatorsCard({ township, ranking }) {
  const q = { format: 'json', ...(township ? { township } : {}) };
  const now = useApi('/reports/indicators', q);
  const trend = useApi('/reports/indicators-trend', q);
  const option = useMemo(() => trend.data && trendOption(trend.data.months), [trend.data]);
  if (now.error) return html`<section class="card indicators"><h2>控辍保学指标</h2><${ErrorBanner} error=${now.error} onRetry=${now.reload} /></section>`;
  if (!now.data) return html`<section class="card indicators"><h2>控辍保学指标</h2><${Loading} /></section>`;
  const c = now.data.county;
  const name = now.data.townships.length === 1 ? now.data.townships[0].name : '全县';
  return html`<section class="card indicators" aria-label="控辍保学指标">
    <h2>${name}控辍保学指标</h2>
    <ul class="indicator-tiles">
      ${TILES.map(t => {
        const [a, b] = t.of(c);
        return html`<li key=${t.key} class=${'indicator' + (t.bad && c[t.key] ? ' tone-bad' : '')} data-key=${t.key} title=${t.says}>
          <span class="indicator-label">${t.label}</span>
          <strong class="indicator-value">${fmtRate(c[t.key])}</strong>
          <span class="muted small">${fmtNumber(a || 0)}/${fmtNumber(b || 0)}</span></li>`;
      })}
      <li class="indicator" data-key="avg_return_days"><span class="indicator-label">平均劝返天数</span>
        <strong class="indicator-value">${c.avg_return_days === null ? '—' : c.avg_return_days.toFixed(1) + ' 天'}</strong>
        <span class="muted small">劝返复学 ${fmtNumber(c.returned)} 人</span></li>
      <li class=${'indicator' + (c.overdue_tasks + c.overdue_cases ? ' tone-bad' : '')} data-key="overdue">
        <span class="indicator-label">逾期任务和案件</span>
        <strong class="indicator-value"><a href=${'#/tasks?overdue=1' + (township ? '&township=' + township : '')}>${fmtNumber(c.overdue_tasks + c.overdue_cases)}</a></strong>
        <span class="muted small">核查 ${fmtNumber(c.overdue_tasks)} · 案件 ${fmtNumber(c.overdue_cases)}</span></li>
      <li class=${'indicator' + (c.group_out ? ' tone-bad' : '')} data-key="group_out">
        <span class="indicator-label">重点群体失学辍学</span>
        <strong class="indicator-value">${fmtNumber(c.group_out)} 人</strong>
        <span class="muted small">失学辍学共 ${fmtNumber(c.out_of_school)} 人</span></li>
    </ul>
    ${trend.data && trend.data.months.length > 0 && html`<h3 class="small">逐月趋势</h3>
      <${Chart} option=${option} height=${300} label=${name + '入学率、巩固率、按时核查率、劝返复学率和辍学率逐月折线图'} />`}
    <p class="muted small">截至 ${now.data.as_of}。计算方法见报表《控辍保学指标》的说明；数字为 分子/分母。
      ${ranking && html` <a href="#/ranking">各乡镇、学校排名</a>`}</p>
  </section>`;
}
