// An ECharts chart. Only the chart types and components used are imported (echarts/core), and
// only when the first chart is drawn: a screen's numbers do not wait for ECharts' ~180 KiB.
// The option is the plain ECharts option; onClick(params) receives ECharts' click event
// (params.name = the category, params.seriesId = the series id). A chart is never the only
// way to a number: screens put the same numbers in a table or links beside it. ECharts speaks
// Chinese (its ZH locale: the tooltips' and toolbox's words) and its aria description is the
// chart's label. The element keeps its chart as `el.chart` (the browser tests read the option).
import { useEffect, useRef } from 'preact/hooks';
import { html } from '../html.js';

let loading = null;
function echartsLib() {
  loading ||= import('./echarts.js').then(m => m.default);
  return loading;
}

const FONT = '"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif';

/** label: what the chart shows, for screen readers; height in px. */
export function Chart({ option, onClick, height = 320, label }) {
  const el = useRef(null);
  const chart = useRef(null);
  const click = useRef(onClick);
  click.current = onClick;
  const latest = useRef(option);
  latest.current = option;
  const labelRef = useRef(label);
  labelRef.current = label;
  const apply = () => chart.current && latest.current && chart.current.setOption(
    { textStyle: { fontFamily: FONT }, aria: { enabled: true, label: { description: labelRef.current } }, animationDuration: 300, ...latest.current }, true);
  useEffect(() => {
    let gone = false, ro = null;
    echartsLib().then(echarts => {
      if (gone) return;
      chart.current = echarts.init(el.current, null, { renderer: 'canvas', locale: 'ZH' });
      el.current.chart = chart.current;
      chart.current.on('click', p => click.current && click.current(p));
      ro = new ResizeObserver(() => chart.current && chart.current.resize());
      ro.observe(el.current);
      apply();
    });
    return () => { gone = true; if (ro) ro.disconnect(); if (chart.current) chart.current.dispose(); chart.current = null; };
  }, []);
  useEffect(apply, [option, label]);
  return html`<div class="chart" ref=${el} style=${{ height: height + 'px' }} role="img" aria-label=${label}></div>`;
}

/** The status colours of the charts, matching the badges. */
export const STATUS_COLORS = {
  not_enrolled: '#b42318',
  dropped_out: '#e8590c',
  pending_review: '#f0b429',
  suspended: '#c99a2e',
  enrolled_elsewhere: '#4c9a6a',
  enrolled: '#1e7d4f',
  completed: '#8da4bf',
  enrolled_nonlocal: '#6a9fb5',
};
