// 首页: the user's scope at a glance — the three ledgers, verification and cases (overdue
// first), the townships' rates (a bar chart of one rate at a time: which township is behind),
// children by status per township (table), the change since last month (one point a month)
// and the newest changes. Every number links to the list behind it. The charts have no paged
// legend: the rate chart needs none (its title is the rate), the trend's two entries fit 375 px.
import { useMemo, useState } from 'preact/hooks';
import { html } from '../html.js';
import { navigate, setQuery } from '../router.js';
import { useApi, useTitle } from '../hooks.js';
import { can, useUser } from '../session.js';
import { fmtDate, fmtDateTime, fmtNumber, fmtPercent } from '../format.js';
import { label } from '../vocab.js';
import { ErrorBanner, EmptyState, Loading, PageHeader } from '../components/feedback.js';
import { Chart } from '../components/chart.js';
import { ScreenLink } from '../components/link.js';
import { IndicatorsCard } from '../components/indicators.js';

/** Not of the register's school-age children: the younger, the older, the inactive, and the
 * pupils in no register here (在读，非本县户籍, counted in the school population apart). */
const NOT_SCHOOL_AGE = ['not_yet_school_age', 'beyond_age', 'inactive', 'enrolled_nonlocal'];
const ENROLLED = ['enrolled', 'enrolled_elsewhere', 'suspended', 'completed'];

function n(counts, key) { return (counts && counts[key]) || 0; }

/** A township's school-age children (the register's; not the pupils of no register here). */
function schoolAge(t) {
  return Object.entries(t.counts).filter(([k]) => !NOT_SCHOOL_AGE.includes(k)).reduce((a, [, v]) => a + v, 0);
}

/**
 * The rates a township is compared by: [part, whole] of a township, the tooltip's sentence,
 * whether more is worse, and the list behind the bar.
 */
const W = (t, k) => (t.work && t.work[k]) || 0;
export const RATES = [
  { key: 'verified', label: '核查完成率', of: t => [W(t, 'verified'), W(t, 'tasks')],
    says: (a, b) => `已核查 ${fmtNumber(a)} 项，共 ${fmtNumber(b)} 项核查任务`,
    list: t => ['/verify', { township: t.township_code, state: 'open' }] },
  { key: 'returned', label: '劝返率', of: t => [W(t, 'returned'), W(t, 'cases')],
    says: (a, b) => `已有劝返结果 ${fmtNumber(a)} 件，共 ${fmtNumber(b)} 件案件`,
    list: t => ['/cases', { township: t.township_code, state: 'open' }] },
  { key: 'overdue', label: '逾期率', bad: true,
    of: t => [W(t, 'tasks_overdue') + W(t, 'cases_overdue'), W(t, 'tasks_open') + W(t, 'cases_open')],
    says: (a, b) => `逾期 ${fmtNumber(a)} 项，在办 ${fmtNumber(b)} 项（核查任务和案件）`,
    list: t => ['/tasks', { township: t.township_code, overdue: 1 }] },
  { key: 'suspected', label: '疑似失学辍学率', bad: true,
    of: t => [n(t.counts, 'not_enrolled') + n(t.counts, 'dropped_out'), schoolAge(t)],
    says: (a, b) => `疑似失学辍学 ${fmtNumber(a)} 人，共 ${fmtNumber(b)} 名适龄儿童`,
    list: t => ['/children', { township: t.township_code, status: 'suspected' }] },
];

function rateOf(rate, t) {
  const [a, b] = rate.of(t);
  return { part: a, whole: b, value: b ? a / b : null };
}

/** 2026-11 → 2026年11月 */
function fmtMonth(m) {
  const x = /^(\d{4})-(\d{2})/.exec(m || '');
  return x ? `${x[1]}年${Number(x[2])}月` : '—';
}

function Num({ value, path, query, tone, label }) {
  return html`<${ScreenLink} path=${path} query=${query} class=${'num-link' + (tone ? ' tone-' + tone : '')} label=${label}>${fmtNumber(value)}<//>`;
}

export default function Dashboard({ query }) {
  useTitle('首页');
  const user = useUser();
  const township = query.township || '';
  const group = query.group || '';
  const dash = useApi('/dashboard', { township, group });
  const filters = useApi(user.township ? null : '/children/filters');
  const d = dash.data;
  // the township and the priority group looked at: every number links to its list so narrowed
  const scope = { ...(township ? { township } : {}), ...(group ? { group } : {}) };
  // 待办 is the worklist of every item due, not narrowed by group (its items are listed first)
  const townScope = township ? { township } : {};

  const [rateKey, setRateKey] = useState('verified');
  const rate = RATES.find(r => r.key === rateKey);
  const rateOption = useMemo(() => d && (d.townships.length > 1 ? townshipRates(d, rate) : oneTownshipRates(d)), [d, rate]);
  const trendOption = useMemo(() => d && trendLines(d), [d]);

  if (dash.error) {
    return html`<div class="page"><${PageHeader} title="首页" />
      ${dash.error.code === 'no_run'
        ? html`<${EmptyState} title="还没有比对结果">导入户籍、学籍和外出就读名单并运行一次比对后，这里会显示三个台账的人数和趋势。
            ${can('import') && html`<p><a class="btn btn-primary" href="#/runs">去比对</a></p>`}<//>`
        : html`<${ErrorBanner} error=${dash.error} onRetry=${dash.reload} />`}
    </div>`;
  }
  if (!d) return html`<${Loading} />`;

  const totals = d.status_totals;
  const enrolled = ENROLLED.reduce((a, k) => a + n(totals, k), 0);
  const groupLabel = group && d.groups ? (d.groups.find(g => g.key === d.group) || {}).label : '';
  const scopeName = (d.township ? (d.townships[0] ? d.townships[0].township : d.township) : '全县')
    + (groupLabel ? ' · ' + groupLabel : '');
  const towns = filters.data ? filters.data.townships : [];
  const cs = d.cases.states;

  // while another township or group loads, the numbers shown are the last ones: dimmed, and
  // marked so that nobody (and no test) reads them as the new scope's
  return html`<div class=${'page dashboard' + (dash.loading ? ' is-stale' : '')}>
    <${PageHeader} title=${'首页 · ' + scopeName} subtitle=${`比对截至 ${fmtDate(d.as_of)}（第 ${d.run_id} 次比对）· 今天 ${fmtDate(d.today)}`}>
      ${towns.length > 1 && html`<label class="field inline-field" for="dash-township"><span class="field-label">查看</span>
        <select id="dash-township" value=${township} onChange=${e => setQuery({ township: e.target.value })}>
          <option value="">全县</option>
          ${towns.map(t => html`<option value=${t.code}>${t.name}</option>`)}
        </select></label>`}
      ${d.groups && d.groups.length > 0 && html`<label class="field inline-field" for="dash-group"><span class="field-label">重点群体</span>
        <select id="dash-group" value=${group} onChange=${e => setQuery({ group: e.target.value })}>
          <option value="">全部儿童</option>
          ${d.groups.map(g => html`<option value=${g.key}>${g.label}</option>`)}
        </select></label>`}
    <//>

    <section class="grid grid-3 ledgers" aria-label="三个台账">
      <div class="card stat">
        <h2>适龄儿童</h2>
        <p class="stat-value"><${Num} value=${d.ledgers.school_age} path="/children" query=${{ ...scope, status: 'school_age' }} label="适龄儿童名单" /></p>
        <p class="stat-sub">入学率 ${fmtPercent(d.ledgers.school_age ? enrolled / d.ledgers.school_age : null)}
          · ${label('statuses', 'pending_review')} <${Num} value=${n(totals, 'pending_review')} path="/children" query=${{ ...scope, status: 'pending_review' }} />
          · ${label('statuses', 'enrolled_nonlocal')} <${Num} value=${n(totals, 'enrolled_nonlocal')} path="/children" query=${{ ...scope, status: 'enrolled_nonlocal' }} /></p>
      </div>
      <div class="card stat stat-warn">
        <h2>疑似失学辍学</h2>
        <p class="stat-value"><${Num} value=${d.ledgers.suspected} path="/children" query=${{ ...scope, status: 'suspected' }} tone="bad" label="疑似失学辍学名单" /></p>
        <p class="stat-sub">${label('statuses', 'not_enrolled')} <${Num} value=${n(totals, 'not_enrolled')} path="/children" query=${{ ...scope, status: 'not_enrolled' }} />
          · ${label('statuses', 'dropped_out')} <${Num} value=${n(totals, 'dropped_out')} path="/children" query=${{ ...scope, status: 'dropped_out' }} /></p>
      </div>
      <div class="card stat stat-bad">
        <h2>失学辍学（一人一案）</h2>
        <p class="stat-value"><${Num} value=${d.ledgers.dropout} path="/cases" query=${scope} tone="bad" label="案件列表" /></p>
        <p class="stat-sub">${label('case_states', 'open')} <${Num} value=${cs.open} path="/cases" query=${{ ...scope, state: 'open' }} />
          · 巩固回访 <${Num} value=${cs.returned} path="/cases" query=${{ ...scope, state: 'returned' }} />
          · ${label('case_states', 'closed')} <${Num} value=${cs.closed} path="/cases" query=${{ ...scope, state: 'closed' }} /></p>
      </div>
    </section>

    ${d.groups && html`<section class="card" aria-label="重点群体疑似失学辍学">
      <h2>重点群体疑似失学辍学</h2>
      <ul class="kv">
        ${d.groups.map(g => html`<li key=${g.key}><span>${g.label}</span><${Num} value=${g.suspected} path="/children"
          query=${{ ...scope, status: 'suspected', group: g.key }} tone=${g.suspected ? 'bad' : ''} label=${g.label + '疑似失学辍学名单'} /></li>`)}
      </ul>
      <p class="muted small"><a href="#/groups">各重点群体在校情况</a></p>
    </section>`}

    <section class="grid grid-2">
      <div class="card">
        <h2>核查任务</h2>
        <ul class="kv">
          <li><span>${label('task_states', 'open')}</span><${Num} value=${d.verify.open} path="/verify" query=${{ ...scope, state: 'open' }} /></li>
          <li><span>${label('task_states', 'outreach')}（随父母外出）</span><${Num} value=${d.verify.outreach} path="/verify" query=${{ ...scope, state: 'outreach' }} /></li>
          <li><span>${label('task_states', 'closed')}</span><${Num} value=${d.verify.closed} path="/verify" query=${{ ...scope, state: 'closed' }} /></li>
          <li class=${d.verify.overdue ? 'overdue' : ''}><span>逾期未核查</span><${Num} value=${d.verify.overdue} path="/tasks" query=${{ ...townScope, overdue: 1 }} tone=${d.verify.overdue ? 'bad' : ''} /></li>
        </ul>
      </div>
      <div class="card">
        <h2>案件（依法控辍）</h2>
        <ul class="kv">
          ${d.cases.ladder.map(s => html`<li><span>第${s.step}步 ${s.label}</span><${Num} value=${s.n} path="/cases" query=${{ ...scope, state: 'open' }} /></li>`)}
          <li class=${d.cases.overdue ? 'overdue' : ''}><span>首次走访逾期</span><${Num} value=${d.cases.overdue} path="/tasks" query=${{ ...townScope, overdue: 1 }} tone=${d.cases.overdue ? 'bad' : ''} /></li>
        </ul>
      </div>
    </section>

    <section class="card rates">
      ${d.townships.length > 1 ? html`<h2>各乡镇工作进度</h2>
        <div class="segmented rate-choice" role="group" aria-label="比较哪一项">
          ${RATES.map(r => html`<button type="button" class=${'btn' + (r.key === rateKey ? ' btn-primary' : '')} aria-pressed=${r.key === rateKey}
            onClick=${() => setRateKey(r.key)}>${r.label}</button>`)}
        </div>
        <p class="muted small">${rate.bad ? '越高越需要关注，最高的排在最上面' : '越低越需要关注，最低的排在最上面'}；点击条形打开该乡镇的名单。</p>
        <${Chart} option=${rateOption} height=${Math.max(160, d.townships.length * 30 + 50)} label=${'各乡镇' + rate.label + '条形图'}
          onClick=${p => p.data && p.data.to && navigate(...p.data.to)} />`
      : html`<h2>${scopeName}工作进度</h2>
        <${Chart} option=${rateOption} height=${200} label=${scopeName + '的核查完成率、劝返率、逾期率和疑似失学辍学率条形图'}
          onClick=${p => p.data && p.data.to && navigate(...p.data.to)} />`}
      <${TownshipTable} d=${d} />
    </section>

    <section class="grid grid-2">
      <div class="card">
        <h2>较上月变化</h2>
        <${MonthChange} trend=${d.trend} />
        <${Chart} option=${trendOption} height=${240} label="每月疑似失学辍学和待复核人数折线图"
          onClick=${p => can('import') && navigate('/runs', { run: d.trend[p.dataIndex].run_id })} />
      </div>
      <div class="card">
        <h2>最新动态</h2>
        ${d.events.length === 0 ? html`<p class="muted">还没有核查或劝返记录。</p>` : html`<ol class="events">
          ${d.events.map(e => html`<li>
            <div class="event-head"><a href=${'#/children/' + e.record_id}>${e.name || '（无姓名）'}</a>
              <span class="muted">${e.township} · ${fmtDate(e.on_date)}</span></div>
            <p class="event-text">${e.text}</p>
            <p class="muted small">${e.actor_name || e.actor} 记录于 ${fmtDateTime(e.at)}</p>
          </li>`)}
        </ol>`}
      </div>
    </section>

    <${IndicatorsCard} township=${township} ranking=${!user.township} />
  </div>`;
}

/** The change of the suspected count since the month before (the trend's last two points). */
function MonthChange({ trend }) {
  const suspected = r => n(r.counts, 'not_enrolled') + n(r.counts, 'dropped_out');
  if (!trend.length) return html`<p class="muted small">还没有完成的比对。</p>`;
  const now = trend[trend.length - 1];
  if (trend.length < 2) {
    return html`<p class="month-change">${fmtMonth(now.month)}疑似失学辍学 <strong>${fmtNumber(suspected(now))}</strong> 人。
      <span class="muted small">上月没有比对，下月比对后这里显示与上月相比的变化。</span></p>`;
  }
  const before = trend[trend.length - 2];
  const delta = suspected(now) - suspected(before);
  return html`<p class="month-change">${fmtMonth(now.month)}疑似失学辍学 <strong>${fmtNumber(suspected(now))}</strong> 人，
    ${delta === 0 ? html`与${fmtMonth(before.month)}持平` : html`比${fmtMonth(before.month)}<strong class=${delta > 0 ? 'late' : 'good'}>${delta > 0 ? '增加' : '减少'} ${fmtNumber(Math.abs(delta))} 人</strong>`}。
    <span class="muted small">每月取当月最后一次比对。</span></p>`;
}

function TownshipTable({ d }) {
  const cols = ['not_enrolled', 'dropped_out', 'pending_review', 'suspended', 'enrolled_nonlocal'];
  // a phone shows the chart and folds the table (a card per township) away until asked for
  return html`<details class="town-table" open=${window.innerWidth >= 720}>
    <summary>${d.townships.length > 1 ? '各乡镇' : ''}儿童状态人数和工作进度表</summary>
    <div class="table-scroll"><table class="table compact">
    <caption class="visually-hidden">各乡镇儿童状态人数和工作进度</caption>
    <thead><tr><th scope="col">乡镇</th><th scope="col" class="num">适龄儿童</th>
      ${cols.map(c => html`<th scope="col" class="num">${label('statuses', c)}</th>`)}
      ${RATES.slice(0, 3).map(r => html`<th scope="col" class="num">${r.label}</th>`)}</tr></thead>
    <tbody>${d.townships.map(t => {
      const sa = schoolAge(t);
      return html`<tr key=${t.township_code}>
        <td class="primary" data-label="乡镇">${t.township}</td>
        <td class="num" data-label="适龄儿童"><${Num} value=${sa} path="/children" query=${{ township: t.township_code, status: 'school_age', ...byGroup(d) }} /></td>
        ${cols.map(c => html`<td class="num" data-label=${label('statuses', c)}>
          <${Num} value=${n(t.counts, c)} path="/children" query=${{ township: t.township_code, status: c, ...byGroup(d) }} tone=${n(t.counts, c) && (c === 'not_enrolled' || c === 'dropped_out') ? 'bad' : ''} /></td>`)}
        ${RATES.slice(0, 3).map(r => {
          const x = rateOf(r, t);
          return html`<td class="num" data-label=${r.label} title=${r.says(x.part, x.whole)}>${x.value === null ? '—' : fmtPercent(x.value, 0)}<span class="muted small">（${fmtNumber(x.part)}/${fmtNumber(x.whole)}）</span></td>`;
        })}
      </tr>`;
    })}</tbody>
  </table></div></details>`;
}

const GOOD = '#1e7d4f', BAD = '#b42318', NONE = '#8da4bf';
const pct = v => (v === null || v === undefined ? '无' : Math.round(v * 100) + '%');

/** A horizontal bar per row {name, rate, x, to}: the rate as a share, its count in the tooltip. */
function rateBars(rows, tip) {
  return {
    tooltip: { trigger: 'item', formatter: p => `${p.name}<br>${p.data.tip}` },
    grid: { left: 8, right: 48, top: 8, bottom: 8, containLabel: true },
    xAxis: { type: 'value', min: 0, max: 1, interval: 0.25, axisLabel: { formatter: v => Math.round(v * 100) + '%' } },
    yAxis: { type: 'category', data: rows.map(r => r.name), axisTick: { show: false },
      axisLabel: { fontSize: 13, width: 96, overflow: 'truncate' } },
    series: [{
      id: 'rate', name: tip, type: 'bar', barMaxWidth: 20,
      label: { show: true, position: 'right', formatter: p => pct(p.data.rate) },
      data: rows.map(r => ({ value: r.rate === null ? 0 : r.rate, rate: r.rate, tip: r.tip, to: r.to,
        itemStyle: { color: r.rate === null ? NONE : r.color } })),
    }],
  };
}

/** The dashboard's priority group (issue 15) carried to the list a number links to. */
const byGroup = d => (d.group ? { group: d.group } : {});
const narrowed = (d, [path, q]) => [path, path === '/tasks' ? q : { ...q, ...byGroup(d) }];

/** One rate across the townships, the most behind on top. */
function townshipRates(d, rate) {
  const rows = d.townships.map(t => {
    const x = rateOf(rate, t);
    return { name: t.township, rate: x.value, tip: `${rate.label} ${pct(x.value)}：${rate.says(x.part, x.whole)}`,
      to: narrowed(d, rate.list(t)), color: rate.bad ? BAD : GOOD };
  });
  // behind: the highest of a bad rate, the lowest of a good one; none (no work) last
  const key = r => (r.rate === null ? Infinity : rate.bad ? -r.rate : r.rate);
  rows.sort((a, b) => key(a) - key(b));
  return rateBars(rows.reverse(), rate.label);   // ECharts draws the first category at the bottom
}

/** A township's four rates (the township's own dashboard). */
function oneTownshipRates(d) {
  const t = d.townships[0];
  if (!t) return rateBars([], '');
  const rows = RATES.map(rate => {
    const x = rateOf(rate, t);
    return { name: rate.label, rate: x.value, tip: rate.says(x.part, x.whole), to: narrowed(d, rate.list(t)), color: rate.bad ? BAD : GOOD };
  });
  return rateBars(rows.reverse(), t.township);
}

/** One point a month (the month's last run): the suspected and the pending-review counts. */
function trendLines(d) {
  const x = d.trend.map(r => fmtMonth(r.month).replace(/^(\d+)年/, '$1年\n'));
  const line = (name, of, color) => ({
    name, type: 'line', smooth: false, symbolSize: 8, itemStyle: { color }, lineStyle: { color },
    label: { show: d.trend.length <= 6, position: 'top' },
    data: d.trend.map(of),
  });
  return {
    tooltip: { trigger: 'axis' },
    legend: { top: 0, type: 'plain', itemGap: 16 },
    grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: x, boundaryGap: d.trend.length < 2 },
    yAxis: { type: 'value', minInterval: 1 },
    series: [
      line('疑似失学辍学', r => n(r.counts, 'not_enrolled') + n(r.counts, 'dropped_out'), BAD),
      line(label('statuses', 'pending_review'), r => n(r.counts, 'pending_review'), '#1d5fa8'),
    ],
  };
}
