// On paper and on a phone (issue 14): a township cadre downloads the village visit sheet from
// the task list (the PDF's text holds the village's children and the blank outcome boxes),
// finds a child by the initials of its name, and a printed list carries no nav, no buttons and a
// table across the page.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PHONE, TOWNSHIP, settled, shoot, signedIn, sql, startAll, stopAll } from './harness.mjs';

let server, browser;
before(async () => ({ server, browser } = await startAll()));
after(() => stopAll(server, browser));

function pdfText(path) {
  const p = spawnSync('pdftotext', ['-layout', path, '-'], { encoding: 'utf8' });
  assert.equal(p.status, 0, p.stderr);
  return p.stdout;
}

describe('走访清单, search, print', () => {
  test('a township cadre downloads one village\'s visit sheet from the task list', async () => {
    const [village, name, phone] = sql(server.db, `SELECT r.village, r.name, r.phone FROM verify_task v
      JOIN record r ON r.id = v.record_id WHERE v.state = 'open' AND v.township_code = '${TOWNSHIP}'
      AND (SELECT a.person_id FROM assignment a WHERE a.task_id = v.id AND a.role = 'township' ORDER BY a.id DESC LIMIT 1) = (SELECT person_id FROM app_user WHERE name = 'township') ORDER BY v.id LIMIT 1`).split('|');
    const page = await signedIn(browser, server.url, 'township', PHONE);
    await page.goto(server.url + '/#/verify');
    await settled(page);
    await page.getByRole('button', { name: '打印走访清单' }).click();
    await settled(page);
    await page.getByLabel('村（社区）').selectOption(village);
    await shoot(page, 'visit-sheet');
    const [dl] = await Promise.all([page.waitForEvent('download'),
      page.getByRole('link', { name: '下载走访清单（PDF）' }).click()]);
    assert.match(dl.suggestedFilename(), /走访清单\.pdf$/);
    const path = await dl.path();
    assert.equal(readFileSync(path).subarray(0, 4).toString(), '%PDF');
    const text = pdfText(path);
    assert.match(text, new RegExp(`走访清单（${village}`));
    assert.ok(text.includes(name), text);
    assert.ok(text.includes(phone), 'the cadre assigned to the child reads the phone whole');
    for (const w of ['走访结果', '走访日期', '走访人签名', '截止日期']) assert.ok(text.includes(w), w);
    // only that village
    const others = sql(server.db, `SELECT r.name FROM verify_task v JOIN record r ON r.id = v.record_id
      WHERE v.state = 'open' AND v.township_code = '${TOWNSHIP}' AND r.village <> '${village}'`).split('\n').filter(Boolean);
    for (const o of others) assert.ok(!text.includes(o), o);
    await page.context().close();
  });

  test('search by the initials of the name finds the child', async () => {
    const rid = sql(server.db, `SELECT v.record_id FROM verify_task v WHERE v.township_code = '${TOWNSHIP}' ORDER BY v.id LIMIT 1`);
    sql(server.db, `UPDATE record SET name = '闵宁佳' WHERE id = ${rid}`);
    const page = await signedIn(browser, server.url, 'township', PHONE);
    await page.goto(server.url + '/#/children');
    await settled(page);
    await page.getByRole('button', { name: '筛选' }).click();
    await page.getByRole('searchbox').fill('mnj');
    await page.getByRole('searchbox').press('Enter');
    await page.waitForURL(/q=mnj/);
    await settled(page);
    await page.getByRole('link', { name: '闵宁佳' }).waitFor();
    await shoot(page, 'search-initials');
    await page.context().close();
  });

  test('a printed list has no nav or buttons, and its table spans the page', async () => {
    const page = await signedIn(browser, server.url, 'township', PHONE);
    await page.goto(server.url + '/#/children?status=suspected');
    await settled(page);
    assert.ok(await page.locator('header.topbar').isVisible());
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.locator('header.topbar').isVisible(), false);
    assert.equal(await page.locator('#main-nav').isVisible(), false);
    const buttons = await page.locator('main button, main .btn, .filters').evaluateAll(
      els => els.filter(e => e.getClientRects().length > 0).map(e => e.textContent.trim()));
    assert.deepEqual(buttons, []);
    // a table with its header row, as wide as the page's text
    assert.ok(await page.locator('table.table thead').isVisible());
    const [table, main] = await Promise.all([page.locator('table.table').boundingBox(), page.locator('main').boundingBox()]);
    assert.ok(table.width >= main.width - 2, `${table.width} of ${main.width}`);
    const display = await page.locator('table.table tbody tr').first().evaluate(e => getComputedStyle(e).display);
    assert.equal(display, 'table-row');
    // links print as their text, no address after them
    const after = await page.locator('table.table a').first().evaluate(e => getComputedStyle(e, '::after').content);
    assert.ok(after === 'none' || after === 'normal', after);
    await page.emulateMedia({ media: 'screen' });
    assert.ok(await page.locator('header.topbar').isVisible());
    await page.context().close();
  });

  test('a printed case page reads as a document: the child, no menu, no forms', async () => {
    const [caseId, name] = sql(server.db, `SELECT c.id, r.name FROM case_file c JOIN record r ON r.id = c.record_id
      WHERE c.township_code = '${TOWNSHIP}' ORDER BY c.id LIMIT 1`).split('|');
    const page = await signedIn(browser, server.url, 'township', PHONE);
    await page.goto(server.url + '/#/cases/' + caseId);
    await settled(page);
    assert.ok(await page.locator('main form, main button').count() > 0, 'the screen has forms and buttons');
    await page.emulateMedia({ media: 'print' });
    const visible = await page.locator('main form, main button, main select, main textarea, main input').evaluateAll(
      els => els.filter(e => e.getClientRects().length > 0).length);
    assert.equal(visible, 0);
    // what the printer gets (chromium's own print to PDF)
    const dir = mkdtempSync(join(tmpdir(), 'baoxue-print-'));
    const path = join(dir, 'case.pdf');
    let text;
    try {
      await page.pdf({ path, format: 'A4' });
      text = pdfText(path);
    } finally {
      rmSync(dir, { recursive: true, force: true });  // a child's printed page: nothing left behind
    }
    assert.ok(text.includes(name), text);
    for (const w of ['菜单', '退出', '记录一次劝返']) assert.ok(!text.includes(w), w);
    await page.context().close();
  });
});
