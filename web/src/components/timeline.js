// A child's timeline (核查, 劝返, 依法控辍, 回访: every step, newest last), as the case, the task
// and the child screens show it. An entry is one row where its list is wide enough (a container
// query, so that a side column and a phone both get the stacked form): the date, the kind, and
// the sentence with who recorded it and when, inline, so that an entry reads on one or two lines
// at a desk. Items come as the case and task screens get them ({date, kind, kind_label, text,
// actor, recorded_at}) or as the child screen does ({on_date, kind, text, actor, at}).
import { html } from '../html.js';
import { fmtDate, fmtDateTime } from '../format.js';
import { label, tone } from '../vocab.js';
import { Badge } from './feedback.js';

/**
 * A server sentence as people read it: ISO dates as 2026年11月20日. (The server's messages name
 * fields by their labels and carry no command-line syntax: nothing else to take out.)
 */
export function plain(text) {
  return String(text || '')
    .replace(/\b(\d{4})-(\d{2})-(\d{2})\b/g, (m, y, mo, d) => `${Number(y)}年${Number(mo)}月${Number(d)}日`);
}

/** items: the events, oldest first; empty: what to show when there are none. */
export function Timeline({ items, empty }) {
  if (!items || !items.length) return empty || html`<p class="muted">暂无记录</p>`;
  return html`<ol class="timeline">
    ${items.map((e, i) => html`<li key=${i}>
      <span class="tl-date">${fmtDate(e.date || e.on_date)}</span>
      <span class="tl-kind"><${Badge} tone=${tone('event_kinds', e.kind, 'info')}>${label('event_kinds', e.kind, e.kind_label)}<//></span>
      <p class="tl-text">${plain(e.text)}<span class="tl-meta"> · ${e.actor_name || e.actor || '系统'} 录入于 <span class="tl-when">${fmtDateTime(e.recorded_at || e.at)}</span></span></p>
    </li>`)}
  </ol>`;
}
