// htm bound to preact: html`<div class=${x}>…</div>` instead of JSX, so there is no compile step
// beyond bundling.
import { h } from 'preact';
import htm from 'htm';

export const html = htm.bind(h);
