// The top bar's word on the network and the queue (offline.js): 离线, 待发送 N 条, N 条未能发送
// (a link to #/outbox), and for a few seconds 已发送 N 条 after the queue went out.
import { useEffect, useState } from 'preact/hooks';
import { html } from '../html.js';
import { useOffline } from '../offline.js';

export function OfflineBadge() {
  const { online, items, sent } = useOffline();
  const [shown, setShown] = useState(0);
  useEffect(() => {
    if (!sent) return undefined;
    setShown(sent);
    const t = setTimeout(() => setShown(0), 6000);
    return () => clearTimeout(t);
  }, [sent]);
  const waiting = items.filter(i => i.state === 'waiting').length;
  const refused = items.length - waiting;
  const parts = [];
  if (!online) parts.push('离线');
  if (waiting) parts.push(`待发送 ${waiting} 条`);
  if (refused) parts.push(`${refused} 条未能发送`);
  if (!parts.length) {
    return shown ? html`<span class="offline-badge offline-sent" role="status">已发送</span>` : null;
  }
  return html`<a href="#/outbox" class=${'offline-badge' + (refused ? ' offline-refused' : '')} role="status" aria-live="polite">${parts.join(' · ')}</a>`;
}
