// Photos and scanned signed receipts (issue 14) of a verification's outcome, a 劝返 attempt or a
// notice: thumbnails (tap to open the image) and 添加照片, which opens the phone's camera
// (capture=environment) or the file picker. The server keeps only JPEG, PNG or WebP within its
// size limit and takes out where the photo was taken; its Chinese refusal is shown as it is.
// Each image read is a full read the server audits; photos need the network (offline.js keeps
// records, not photos).
import { useState } from 'preact/hooks';
import { html } from '../html.js';
import { downloadUrl, upload } from '../api.js';
import { useApi } from '../hooks.js';
import { ErrorBanner } from './feedback.js';

/** The photos of a task ('/verify/12') or case ('/cases/3'): {data: {items, notices}, reload}. */
export function usePhotos(base) {
  return useApi(base + '/attachments');
}

/**
 * The photos of one record: of `photos` (usePhotos), those whose `field` ('attempt', 'notice')
 * is `id` (all of them without a field); `canAdd`: the 添加照片 button, which sends the field.
 */
export function PhotoStrip({ photos, base, field, id, canAdd, label = '添加照片' }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const items = ((photos.data && photos.data.items) || []).filter(p => !field || p[field] === id);
  const pick = async e => {
    const file = e.target.files && e.target.files[0];
    e.target.value = '';
    if (!file) return;
    setError(null);
    if (!navigator.onLine) { setError('当前离线，照片不能保存在本机：请联网后再添加'); return; }
    const form = new FormData();
    if (field) form.append(field, String(id));
    form.append('file', file, file.name || 'photo.jpg');
    setBusy(true);
    try {
      await upload(base + '/attachments', form);
      photos.reload();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  if (!items.length && !canAdd) return null;
  const inputId = `photo-${base.replace(/\W/g, '')}-${field || 'all'}-${id || 0}`;
  return html`<div class="photos">
    ${items.length > 0 && html`<ul class="photo-strip" aria-label="照片">${items.map(p => {
      const url = downloadUrl(`${base}/attachments/${p.id}`);
      return html`<li><a href=${url} target="_blank" rel="noopener" title=${p.note || `照片 ${p.id}`}>
        <img class="photo-thumb" src=${url} alt=${p.note || `照片 ${p.id}`} loading="lazy" /></a></li>`;
    })}</ul>`}
    ${canAdd && html`<label class=${'btn btn-small photo-add' + (busy ? ' disabled' : '')} for=${inputId}>${busy ? '正在上传…' : label}
      <input id=${inputId} class="visually-hidden" type="file" accept="image/*" capture="environment" disabled=${busy} onChange=${pick} /></label>`}
    ${error && html`<${ErrorBanner} error=${error} />`}
  </div>`;
}
