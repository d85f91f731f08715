// 首页: the user's scope at a glance — the three ledgers, verification and cases (overdue
// first), children by status per township (bar chart and table), the trend across cross-check
// runs (line chart) and the newest changes. Every number links to the list behind it.
import { useMemo } from 'preact/hooks';
import { html } from '../html.js';
import { navigate, setQuery } from '../router.js';
import { useApi, useTitle } from '../hooks.js';
import { can, useUser } from '../session.js';
import { fmtDate, fmtDateTime, fmtNumber, fmtPercent } from '../format.js';
import { label } from '../vocab.js';
import { ErrorBanner, EmptyState, Loading, PageHeader } from '../components/feedback.js';
import { Chart, STATUS_COLORS } from '../components/chart.js';
import { ScreenLink } from '../components/link.js';

const BAR_STATUSES = ['not_enrolled', 'dropped_out', 'pending_review', 'suspended', 'enrolled_elsewhere', 'enrolled', 'completed', 'enrolled_nonlocal'];
/** Not of the register's school-age children: the younger, the older, the inactive, and the
 * pupils in no register here (在读，非本县户籍, counted in the school population apart). */
const NOT_SCHOOL_AGE = ['not_yet_school_age', 'beyond_age', 'inactive', 'enrolled_nonlocal'];
const ENROLLED = ['enrolled', 'enrolled_elsewhere', 'suspended', 'completed'];

function n(counts, key) { return (counts && counts[key]) || 0; }

function Num({ value, path, query, tone, label }) {
  return html`<${ScreenLink} path=${path} query=${query} class=${'num-link' + (tone ? ' tone-' + tone : '')} label=${label}>${fmtNumber(value)}<//>`;
}

export default function Dashboard({ query }) {
  useTitle('首页');
  const user = useUser();
  const township = query.township || '';
  const dash = useApi('/dashboard', { township });
  const filters = useApi(user.township ? null : '/children/filters');
  const d = dash.data;
  const scope = township ? { township } : {};

  const barOption = useMemo(() => d && townshipBars(d), [d]);
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
  const scopeName = d.township ? (d.townships[0] ? d.townships[0].township : d.township) : '全县';
  const towns = filters.data ? filters.data.townships : [];
  const cs = d.cases.states;

  return html`<div class="page dashboard">
    <${PageHeader} title=${'首页 · ' + scopeName} subtitle=${`比对截至 ${fmtDate(d.as_of)}（第 ${d.run_id} 次比对）· 今天 ${fmtDate(d.today)}`}>
      ${towns.length > 1 && html`<label class="field inline-field" for="dash-township"><span class="field-label">查看</span>
        <select id="dash-township" value=${township} onChange=${e => setQuery({ township: e.target.value })}>
          <option value="">全县</option>
          ${towns.map(t => html`<option value=${t.code}>${t.name}</option>`)}
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

    <section class="grid grid-2">
      <div class="card">
        <h2>核查任务</h2>
        <ul class="kv">
          <li><span>${label('task_states', 'open')}</span><${Num} value=${d.verify.open} path="/verify" query=${{ ...scope, state: 'open' }} /></li>
          <li><span>${label('task_states', 'outreach')}（随父母外出）</span><${Num} value=${d.verify.outreach} path="/verify" query=${{ ...scope, state: 'outreach' }} /></li>
          <li><span>${label('task_states', 'closed')}</span><${Num} value=${d.verify.closed} path="/verify" query=${{ ...scope, state: 'closed' }} /></li>
          <li class=${d.verify.overdue ? 'overdue' : ''}><span>逾期未核查</span><${Num} value=${d.verify.overdue} path="/tasks" query=${{ ...scope, overdue: 1 }} tone=${d.verify.overdue ? 'bad' : ''} /></li>
        </ul>
      </div>
      <div class="card">
        <h2>案件（依法控辍）</h2>
        <ul class="kv">
          ${d.cases.ladder.map(s => html`<li><span>第${s.step}步 ${s.label}</span><${Num} value=${s.n} path="/cases" query=${{ ...scope, state: 'open' }} /></li>`)}
          <li class=${d.cases.overdue ? 'overdue' : ''}><span>首次走访逾期</span><${Num} value=${d.cases.overdue} path="/tasks" query=${{ ...scope, overdue: 1 }} tone=${d.cases.overdue ? 'bad' : ''} /></li>
        </ul>
      </div>
    </section>

    <section class="card">
      <h2>${d.township ? scopeName + '儿童状态' : '各乡镇儿童状态'}</h2>
      <p class="muted small">点击柱条打开该状态的名单；点击图例显示或隐藏一种状态（“${label('statuses', 'enrolled')}”默认隐藏）。</p>
      <${Chart} option=${barOption} height=${Math.max(220, d.townships.length * 34 + 90)} label="各乡镇各状态儿童人数条形图"
        onClick=${p => navigate('/children', { township: p.data && p.data.code, status: p.seriesId })} />
      <${TownshipTable} d=${d} />
    </section>

    <section class="grid grid-2">
      <div class="card">
        <h2>历次比对趋势</h2>
        ${d.trend.length < 2 && html`<p class="muted small">目前只有 ${d.trend.length} 次比对；再次导入名单并比对后，这里显示变化趋势。</p>`}
        <${Chart} option=${trendOption} height=${260} label="历次比对的疑似失学辍学人数折线图"
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
  </div>`;
}

function TownshipTable({ d }) {
  const cols = ['not_enrolled', 'dropped_out', 'pending_review', 'suspended', 'enrolled_nonlocal'];
  return html`<div class="table-scroll"><table class="table compact">
    <caption class="visually-hidden">各乡镇儿童状态人数</caption>
    <thead><tr><th scope="col">乡镇</th><th scope="col" class="num">适龄儿童</th>
      ${cols.map(c => html`<th scope="col" class="num">${label('statuses', c)}</th>`)}</tr></thead>
    <tbody>${d.townships.map(t => {
      const sa = Object.entries(t.counts).filter(([k]) => !NOT_SCHOOL_AGE.includes(k)).reduce((a, [, v]) => a + v, 0);
      return html`<tr key=${t.township_code}>
        <td class="primary" data-label="乡镇">${t.township}</td>
        <td class="num" data-label="适龄儿童"><${Num} value=${sa} path="/children" query=${{ township: t.township_code, status: 'school_age' }} /></td>
        ${cols.map(c => html`<td class="num" data-label=${label('statuses', c)}>
          <${Num} value=${n(t.counts, c)} path="/children" query=${{ township: t.township_code, status: c }} tone=${n(t.counts, c) && (c === 'not_enrolled' || c === 'dropped_out') ? 'bad' : ''} /></td>`)}
      </tr>`;
    })}</tbody>
  </table></div>`;
}

function townshipBars(d) {
  const towns = d.townships.slice().reverse();   // the first township on top
  return {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { top: 0, type: 'scroll', selected: { [label('statuses', 'enrolled')]: false, [label('statuses', 'completed')]: false } },
    grid: { left: 8, right: 24, top: 36, bottom: 8, containLabel: true },
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: { type: 'category', data: towns.map(t => t.township) },
    series: BAR_STATUSES.map(k => ({
      id: k, name: label('statuses', k), type: 'bar', stack: 'all', barMaxWidth: 22,
      itemStyle: { color: STATUS_COLORS[k] },
      emphasis: { focus: 'series' },
      data: towns.map(t => ({ value: n(t.counts, k), code: t.township_code })),
    })),
  };
}

function trendLines(d) {
  const x = d.trend.map(r => `第${r.run_id}次\n${fmtDate(r.as_of).replace(/^\d+年/, '')}`);
  const line = (name, key, color) => ({
    name, type: 'line', smooth: false, symbolSize: 8, itemStyle: { color }, lineStyle: { color },
    data: d.trend.map(r => (key === 'suspected' ? n(r.counts, 'not_enrolled') + n(r.counts, 'dropped_out') : n(r.counts, key))),
  });
  return {
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: x, boundaryGap: d.trend.length < 2 },
    yAxis: { type: 'value', minInterval: 1 },
    series: [
      line('疑似失学辍学', 'suspected', '#b42318'),
      line(label('statuses', 'not_enrolled'), 'not_enrolled', '#e8590c'),
      line(label('statuses', 'dropped_out'), 'dropped_out', '#9a5b00'),
      line(label('statuses', 'pending_review'), 'pending_review', '#1d5fa8'),
    ],
  };
}
