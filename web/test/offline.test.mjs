// Field work without signal and its evidence (issue 14), on a phone (375 px):
// - a photo taken for a 劝返 attempt (the camera's JPEG: here one drawn by the browser's canvas)
//   appears as a thumbnail under the attempt, is an image the browser can draw, and is on the
//   server; a text file is refused with the server's Chinese reason;
// - the offline queue: the task and the case opened online, the network cut, a case's attempt
//   and a task's outcome recorded, the top bar says 离线 · 待发送 2 条; the app reloads with no
//   network (the service worker's shell and cached answers); the network back, both reach the
//   server (checked through the API) and the queue is empty; signing out clears the cache.
// - a record the server refuses when it is sent (the task closed meanwhile by someone else)
//   stays with the server's reason until the user discards it.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PHONE, TOWNSHIP, launch, settled, shoot, signedIn, sql, startServer } from './harness.mjs';

let server, browser;
before(async () => {
  server = await startServer();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

/** A JPEG as a phone camera makes one (the browser's own encoder). */
async function cameraJpeg(page) {
  const bytes = await page.evaluate(async () => {
    const c = document.createElement('canvas');
    c.width = 96;
    c.height = 64;
    const g = c.getContext('2d');
    g.fillStyle = '#2a6';
    g.fillRect(0, 0, 96, 64);
    g.fillStyle = '#fff';
    g.fillRect(20, 10, 40, 30);
    const blob = await new Promise(r => c.toBlob(r, 'image/jpeg', 0.85));
    return Array.from(new Uint8Array(await blob.arrayBuffer()));
  });
  return Buffer.from(bytes);
}

async function apiGet(page, path) {
  const r = await page.context().request.get(server.url + '/api/v1' + path);
  assert.equal(r.status(), 200, path);
  return r.json();
}

async function recordAttempt(page, result) {
  await page.getByRole('button', { name: '记录一次劝返' }).click();
  await page.locator('input[name="at-method"]').first().check();
  await page.locator('#at-people').fill('包保干部、村干部、家长');
  await page.locator('#at-result').fill(result);
  await page.getByRole('button', { name: '保存劝返记录' }).click();
}

describe('照片和离线', () => {
  test('a photo attached to an attempt appears as a thumbnail', async () => {
    const id = sql(server.db, `SELECT min(c.id) FROM case_file c WHERE c.township_code = '${TOWNSHIP}' AND c.state = 'open'
      AND EXISTS (SELECT 1 FROM attempt a WHERE a.case_id = c.id)`);
    const attempt = sql(server.db, `SELECT min(id) FROM attempt WHERE case_id = ${id}`);
    const page = await signedIn(browser, server.url, 'township', PHONE);
    await page.goto(`${server.url}/#/cases/${id}`);
    await settled(page);
    const item = page.locator('li.attempt').filter({ hasText: `#${attempt}` });
    const input = item.locator('input[type="file"]');
    assert.equal(await input.getAttribute('accept'), 'image/*');
    assert.equal(await input.getAttribute('capture'), 'environment');
    await input.setInputFiles({ name: '家访.jpg', mimeType: 'image/jpeg', buffer: await cameraJpeg(page) });
    const thumb = item.locator('img.photo-thumb');
    await thumb.waitFor();
    await page.waitForFunction(() => { const i = document.querySelector('li.attempt img.photo-thumb'); return i && i.complete && i.naturalWidth === 96; });
    const list = await apiGet(page, `/cases/${id}/attachments`);
    assert.equal(list.items.length, 1);
    assert.equal(String(list.items[0].attempt), attempt);
    assert.equal(list.items[0].mime, 'image/jpeg');
    // tap to open: the image itself
    assert.match(await item.locator('a:has(img.photo-thumb)').getAttribute('href'), new RegExp(`/api/v1/cases/${id}/attachments/\\d+$`));
    await shoot(page, 'case-attempt-photo');
    // not a photo: the server's reason, nothing stored
    await input.setInputFiles({ name: '回执.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('这不是照片，是一段文字') });
    await item.getByText(/不是照片/).waitFor();
    assert.equal((await apiGet(page, `/cases/${id}/attachments`)).items.length, 1);
    await page.context().close();
  });

  test('records made offline wait, survive a reload and reach the server when back online', async () => {
    const caseId = sql(server.db, `SELECT max(id) FROM case_file WHERE township_code = '${TOWNSHIP}' AND state = 'open'`);
    const task = sql(server.db, `SELECT min(id) FROM verify_task WHERE township_code = '${TOWNSHIP}' AND state = 'open'`);
    const attemptsBefore = Number(sql(server.db, `SELECT count(*) FROM attempt WHERE case_id = ${caseId}`));
    const page = await signedIn(browser, server.url, 'township', PHONE);
    const context = page.context();
    // in town: the service worker takes over, the task and the case are opened once
    await page.waitForFunction(() => navigator.serviceWorker && navigator.serviceWorker.controller !== null, null, { timeout: 15000 })
      .catch(async () => { await page.reload(); await page.waitForFunction(() => navigator.serviceWorker.controller !== null); });
    await page.goto(`${server.url}/#/verify/${task}`);
    await settled(page);
    await page.goto(`${server.url}/#/cases/${caseId}`);
    await settled(page);

    // in the village
    await context.setOffline(true);
    await page.locator('.offline-badge').getByText('离线').waitFor();
    await recordAttempt(page, '家长同意下周一送孩子返校');
    await page.locator('.banner-ok').getByText(/已保存在本机，联网后自动发送（待发送 1 条）/).waitFor();
    await page.goto(`${server.url}/#/verify/${task}`);
    await page.getByLabel('出国').check();
    await page.getByLabel('情况说明').fill('邻居说一家人已去国外务工');
    await page.getByRole('button', { name: '保存核查结论' }).click();
    await page.locator('.offline-badge').getByText('离线 · 待发送 2 条').waitFor();
    await shoot(page, 'offline-queue');
    // the phone restarts the app in the village: the shell and the answers come from the cache
    await page.reload();
    await page.locator('.offline-badge').getByText('离线 · 待发送 2 条').waitFor();
    await page.goto(`${server.url}/#/outbox`);
    await page.getByText(`案件 ${caseId}：劝返记录`).waitFor();
    await page.getByText(`核查任务 ${task}：核查结论`).waitFor();
    assert.equal(sql(server.db, `SELECT count(*) FROM attempt WHERE case_id = ${caseId}`), String(attemptsBefore));
    assert.equal(sql(server.db, `SELECT state FROM verify_task WHERE id = ${task}`), 'open');

    // back in town
    await context.setOffline(false);
    await page.getByText('没有待发送的记录').waitFor({ timeout: 20000 });
    const c = await apiGet(page, `/cases/${caseId}`);
    assert.equal(c.attempts.length, attemptsBefore + 1);
    assert.ok(c.attempts.some(a => a.result === '家长同意下周一送孩子返校'));
    const t = await apiGet(page, `/verify/${task}`);
    assert.equal(t.state, 'closed');
    assert.equal(t.outcome.label, '出国');

    // signing out leaves no answer of the session in the browser's cache
    assert.ok(await page.evaluate(async () => (await (await caches.open('baoxue-api')).keys()).length > 0));
    await page.getByRole('button', { name: '菜单' }).click();
    await page.getByRole('button', { name: '退出' }).click();
    await page.getByLabel('用户名').waitFor();
    assert.equal(await page.evaluate(async () => (await caches.keys()).includes('baoxue-api')), false);
    await context.close();
  });

  test('a record the server refuses when sent stays with its reason until discarded', async () => {
    const task = sql(server.db, `SELECT max(id) FROM verify_task WHERE township_code = '${TOWNSHIP}' AND state = 'open'`);
    const page = await signedIn(browser, server.url, 'township', PHONE);
    const context = page.context();
    await page.goto(`${server.url}/#/verify/${task}`);
    await settled(page);
    await context.setOffline(true);
    await page.getByLabel('出国').check();
    await page.getByRole('button', { name: '保存核查结论' }).click();
    await page.locator('.offline-badge').getByText('离线 · 待发送 1 条').waitFor();
    // meanwhile the county closes the task (as the command line would)
    sql(server.db, `UPDATE verify_task SET state = 'closed', outcome = 'deceased', verified_on = '2026-11-19' WHERE id = ${task}`);
    await context.setOffline(false);
    await page.locator('.offline-badge').getByText('1 条未能发送').waitFor({ timeout: 20000 });
    await page.locator('.offline-badge').click();
    const item = page.locator('.outbox-item').filter({ hasText: `核查任务 ${task}：核查结论` });
    await item.getByText('服务器未接受').waitFor();
    assert.match(await item.locator('.banner-error').innerText(), /[\u4e00-\u9fff]/);
    await shoot(page, 'offline-refused');
    page.once('dialog', d => d.accept());
    await item.getByRole('button', { name: '放弃' }).click();
    await page.getByText('没有待发送的记录').waitFor();
    assert.equal(await page.locator('.offline-badge').count(), 0);
    await context.close();
  });
});
