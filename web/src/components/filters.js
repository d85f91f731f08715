// FilterBar: the filters of a list, bound to the hash query. Selects apply at once; the search
// box applies on Enter or 搜索. On a phone the bar folds behind a 筛选 button.
import { useEffect, useState } from 'preact/hooks';
import { html } from '../html.js';

/**
 * fields: [{name, label, type: 'select' | 'search' | 'checkbox', options?: [{value, label}],
 *           placeholder?}]
 * values: the current query; onChange({name: value, …}).
 */
export function FilterBar({ fields, values, onChange, children }) {
  const [open, setOpen] = useState(false);
  const active = fields.filter(f => values[f.name]).length;
  return html`<div class="filters">
    <button type="button" class="btn filters-toggle" aria-expanded=${open} onClick=${() => setOpen(!open)}>
      筛选${active ? `（${active}）` : ''}
    </button>
    <form class=${'filters-body' + (open ? ' open' : '')} role="search" onSubmit=${e => e.preventDefault()}>
      ${fields.map(f => html`<${FilterField} key=${f.name} field=${f} value=${values[f.name] || ''} onChange=${onChange} />`)}
      ${active > 0 && html`<button type="button" class="btn btn-link" onClick=${() => onChange(Object.fromEntries(fields.map(f => [f.name, ''])))}>清除筛选</button>`}
      ${children}
    </form>
  </div>`;
}

function FilterField({ field: f, value, onChange }) {
  const id = 'f-' + f.name;
  if (f.type === 'select') {
    return html`<label class="field" for=${id}><span class="field-label">${f.label}</span>
      <select id=${id} value=${value} onChange=${e => onChange({ [f.name]: e.target.value })}>
        <option value="">${f.any || '全部'}</option>
        ${(f.options || []).map(o => html`<option value=${o.value}>${o.label}</option>`)}
      </select></label>`;
  }
  if (f.type === 'checkbox') {
    return html`<label class="field field-check" for=${id}>
      <input id=${id} type="checkbox" checked=${!!value} onChange=${e => onChange({ [f.name]: e.target.checked ? '1' : '' })} />
      <span>${f.label}</span></label>`;
  }
  return html`<${SearchField} id=${id} field=${f} value=${value} onChange=${onChange} />`;
}

function SearchField({ id, field: f, value, onChange }) {
  const [text, setText] = useState(value);
  useEffect(() => setText(value), [value]);
  const submit = () => onChange({ [f.name]: text.trim() });
  return html`<label class="field field-search" for=${id}><span class="field-label">${f.label}</span>
    <span class="search-row">
      <input id=${id} type="search" value=${text} placeholder=${f.placeholder || ''}
        onInput=${e => setText(e.target.value)} onKeyDown=${e => { if (e.key === 'Enter') { e.preventDefault(); submit(); } }} />
      <button type="button" class="btn" onClick=${submit}>搜索</button>
    </span></label>`;
}
