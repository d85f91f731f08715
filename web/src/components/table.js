// DataTable: one page of rows the server chose (filters, sort, page live in the hash query, see
// router.setQuery). Sorting and paging call back; nothing is sorted or sliced in the browser.
// Below 720 px each row becomes a card whose cells carry their column label (data-label).
import { html } from '../html.js';
import { fmtNumber } from '../format.js';
import { EmptyState, Loading } from './feedback.js';

/**
 * columns: [{key, label, sort?: 'server sort key', render?: row => vnode, align?: 'right',
 *            primary?: the card's title on a phone, wide?: a whole card row on a phone}]
 * sort: "key" or "-key" (descending); onSort(nextSort). rowKey(row) → key; rowClass(row) → a
 * class of its row (or nothing).
 */
export function DataTable({ columns, rows, sort, onSort, loading, empty, rowKey = r => r.id, rowClass = () => null, caption }) {
  const sorted = sort ? sort.replace(/^-/, '') : '';
  const desc = sort && sort.startsWith('-');
  const head = c => {
    if (!c.sort || !onSort) return html`<th scope="col" class=${c.align === 'right' ? 'num' : ''}>${c.label}</th>`;
    const active = sorted === c.sort;
    const aria = active ? (desc ? 'descending' : 'ascending') : 'none';
    const next = active && !desc ? '-' + c.sort : c.sort;
    return html`<th scope="col" aria-sort=${aria} class=${c.align === 'right' ? 'num' : ''}>
      <button type="button" class="sort" onClick=${() => onSort(next)} title=${'按' + c.label + '排序'}>
        ${c.label}<span class="sort-mark" aria-hidden="true">${active ? (desc ? '▼' : '▲') : '↕'}</span>
      </button></th>`;
  };
  return html`<div class=${'table-wrap' + (loading && rows ? ' is-stale' : '')}>
    ${loading && !rows ? html`<${Loading} />` : null}
    ${rows && rows.length === 0 && !loading ? (empty || html`<${EmptyState} title="没有符合条件的记录" />`) : null}
    ${rows && rows.length > 0 && html`<table class="table">
      ${caption && html`<caption class="visually-hidden">${caption}</caption>`}
      <thead><tr>${columns.map(head)}</tr></thead>
      <tbody>${rows.map(r => html`<tr key=${rowKey(r)} class=${rowClass(r)}>
        ${columns.map(c => html`<td data-label=${c.label} class=${[c.align === 'right' && 'num', c.primary && 'primary', c.wide && 'wide'].filter(Boolean).join(' ')}>
          ${c.render ? c.render(r) : (r[c.key] ?? '—')}</td>`)}
      </tr>`)}</tbody>
    </table>`}
  </div>`;
}

/** Page n of ceil(total/perPage); onPage(n). */
export function Pager({ total, page, perPage, onPage }) {
  const pages = Math.max(1, Math.ceil((total || 0) / perPage));
  if (!total) return null;
  const from = (page - 1) * perPage + 1, to = Math.min(total, page * perPage);
  return html`<nav class="pager" aria-label="分页">
    <span class="pager-info">第 ${fmtNumber(from)}–${fmtNumber(to)} 条，共 ${fmtNumber(total)} 条</span>
    <span class="pager-buttons">
      <button type="button" class="btn btn-small" disabled=${page <= 1} onClick=${() => onPage(1)} aria-label="第一页">«</button>
      <button type="button" class="btn btn-small" disabled=${page <= 1} onClick=${() => onPage(page - 1)}>上一页</button>
      <span class="pager-page" aria-current="page">${page} / ${pages}</span>
      <button type="button" class="btn btn-small" disabled=${page >= pages} onClick=${() => onPage(page + 1)}>下一页</button>
      <button type="button" class="btn btn-small" disabled=${page >= pages} onClick=${() => onPage(pages)} aria-label="最后一页">»</button>
    </span>
  </nav>`;
}
