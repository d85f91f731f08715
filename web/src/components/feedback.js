// Small shared pieces every screen uses: loading, error banner, empty state, status badge,
// page header.
import { html } from '../html.js';
import { label, tone } from '../vocab.js';

export function Loading({ label = '正在加载…' }) {
  return html`<div class="loading" role="status" aria-live="polite"><span class="spinner" aria-hidden="true"></span>${label}</div>`;
}

/** error: an ApiError or a string. onRetry: shows a 重试 button. */
export function ErrorBanner({ error, onRetry }) {
  if (!error) return null;
  const msg = typeof error === 'string' ? error : error.message;
  return html`<div class="banner banner-error" role="alert">
    <span>${msg}</span>
    ${onRetry && html`<button type="button" class="btn btn-small" onClick=${onRetry}>重试</button>`}
  </div>`;
}

export function Notice({ children, tone = 'info' }) {
  return html`<div class=${'banner banner-' + tone} role="status">${children}</div>`;
}

export function EmptyState({ title = '没有数据', children }) {
  return html`<div class="empty"><p class="empty-title">${title}</p>${children && html`<p class="empty-text">${children}</p>`}</div>`;
}

/** A child's status as a coloured badge: its label and colour from the vocabulary. */
export function StatusBadge({ status }) {
  return html`<span class=${'badge badge-' + tone('statuses', status)}>${label('statuses', status)}</span>`;
}

/** A word of any vocabulary as a badge ("case_states", "open" → 劝返中 in red). */
export function WordBadge({ vocab, value }) {
  return html`<span class=${'badge badge-' + tone(vocab, value)}>${label(vocab, value)}</span>`;
}

/** Any other badge: tone ok | warn | bad | muted | info. */
export function Badge({ tone = 'muted', children }) {
  return html`<span class=${'badge badge-' + tone}>${children}</span>`;
}

export function PageHeader({ title, subtitle, children }) {
  return html`<div class="page-header">
    <div><h1>${title}</h1>${subtitle && html`<p class="subtitle">${subtitle}</p>`}</div>
    ${children && html`<div class="page-actions">${children}</div>`}
  </div>`;
}
