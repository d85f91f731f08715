// A link to another screen that renders as plain text when that screen does not exist (yet) or
// the user's role may not use it: numbers on the dashboard link to "the list behind them"
// wherever such a list is a screen.
import { html } from '../html.js';
import { routes } from '../routes.js';
import { href, match } from '../router.js';
import { can } from '../session.js';

export function screenFor(path) {
  return routes.find(r => match(r.path, path) && (r.public || can(r.perm)));
}

export function ScreenLink({ path, query, children, class: cls, label }) {
  if (!screenFor(path)) return html`<span class=${cls}>${children}</span>`;
  return html`<a class=${cls} href=${href(path, query)} aria-label=${label}>${children}</a>`;
}
