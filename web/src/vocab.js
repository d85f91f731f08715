// The vocabularies (GET /api/v1/vocab): every label and badge colour a screen shows for a key —
// child statuses, task and case states, stages, outcomes, reasons, methods, ladder steps, kinds
// of list, roles, departments, the reports … — from the server's one registry (src/verb/vocab.c).
// Loaded once after sign-in (main.js waits for it before it renders a screen) and kept in memory;
// the screens copy no table and parse no label.
import { api } from './api.js';

let index = null;     // name → Map(key → word)
let loading = null;

/** Load the vocabularies unless they are loaded; resolves when they are. */
export function loadVocab() {
  if (index) return Promise.resolve();
  loading ||= api.get('/vocab').then(v => {
    index = Object.fromEntries(Object.entries(v).map(([name, ws]) => [name, new Map(ws.map(w => [w.key, w]))]));
  }).finally(() => { loading = null; });
  return loading;
}

export function vocabLoaded() { return index !== null; }

/** The words of a vocabulary in their order: [{key, label, tone, …}]. */
export function words(name) {
  return index && index[name] ? [...index[name].values()] : [];
}

/** The word `key` of vocabulary `name`, or undefined. */
export function word(name, key) {
  return index && index[name] ? index[name].get(key) : undefined;
}

/** Its label; `fallback` (else the key) when the vocabulary has no such word. */
export function label(name, key, fallback) {
  const w = word(name, key);
  return w ? w.label : (fallback ?? key ?? '—');
}

/** Its badge colour: ok | warn | bad | muted | info (`dflt` when it has none). */
export function tone(name, key, dflt = 'muted') {
  const w = word(name, key);
  return (w && w.tone) || dflt;
}

/** The words as options of a select or a filter: [{value, label}]. */
export function options(name, keep = () => true) {
  return words(name).filter(keep).map(w => ({ value: w.key, label: w.label }));
}
