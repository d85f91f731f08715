// Field work on a phone (375 px), issue 14: a township cadre's 劝返 with its visit type — a phone
// call does not make the first visit, a home visit does —, the 更正 of a record with its reason
// (the original kept, marked 已更正, the correction beside it), and 待办 as a worklist: one row
// per item with its people, the most urgent first, the overdue in red.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PHONE, TOWNSHIP, settled, shoot, signedIn, sql, startAll, stopAll } from './harness.mjs';

let server, browser;
before(async () => ({ server, browser } = await startAll()));
after(() => stopAll(server, browser));

async function saved(page, re) {
  await page.locator('.banner-ok').getByText(re).waitFor();
  await settled(page);
}

describe('走访和更正', () => {
  test('a phone call is no first visit, a home visit is; a correction with its reason undoes it', async () => {
    // the demo's case whose only attempt is a phone call
    const id = sql(server.db, `SELECT c.id FROM case_file c WHERE c.township_code = '${TOWNSHIP}' AND c.state = 'open'
      AND EXISTS (SELECT 1 FROM attempt a WHERE a.case_id = c.id)
      AND NOT EXISTS (SELECT 1 FROM attempt a WHERE a.case_id = c.id AND a.method <> 'phone') ORDER BY c.id LIMIT 1`);
    assert.ok(id, 'the demo county has a case whose only attempt is a phone call');
    const page = await signedIn(browser, server.url, 'township', PHONE);
    await page.goto(server.url + `/#/cases/${id}`);
    await settled(page);
    await page.getByText(/立案后首次走访尚未完成.*已有 1 次电话、微信等非当面联系，不算走访/).waitFor();

    // another call, by video: still owed
    await page.getByRole('button', { name: '记录一次劝返' }).click();
    const methods = await page.locator('fieldset.choices label').allTextContents();
    assert.deepEqual(methods.map(t => t.trim()).slice(0, 5),
      ['入户走访（当面）', '当面约谈家长（当面）', '到校约谈（当面）', '电话', '微信/视频通话']);
    await page.getByLabel('微信/视频通话').check();
    await page.getByLabel('参加人员').fill('包保干部、家长');
    await page.locator('#at-result').fill('家长同意周末在家面谈');
    await page.getByRole('button', { name: '保存劝返记录' }).click();
    await saved(page, /已记录案件 \d+ 的劝返记录/);
    await page.getByText(/已有 2 次电话、微信等非当面联系/).first().waitFor();
    assert.equal(sql(server.db, `SELECT method FROM attempt WHERE case_id = ${id} ORDER BY id DESC LIMIT 1`), 'video');

    // a home visit: done
    await page.getByRole('button', { name: '记录一次劝返' }).click();
    await page.getByLabel('入户走访（当面）').check();
    await page.getByLabel('参加人员').fill('包保干部、村干部、家长、孩子');
    await page.locator('#at-result').fill('孩子同意下周一返校');
    await page.getByRole('button', { name: '保存劝返记录' }).click();
    await saved(page, /已记录案件 \d+ 的劝返记录/);
    const visit = sql(server.db, `SELECT max(id) FROM attempt WHERE case_id = ${id}`);
    assert.equal(await page.getByText(/立案后首次走访尚未完成/).count(), 0);
    await page.locator('dd.first-visit').getByText(`入户走访，2026年11月20日（劝返记录 #${visit}）`).waitFor();

    // 更正: the visit was in fact a phone call; the form starts from the original
    await page.getByRole('button', { name: `更正 #${visit}` }).click();
    const form = page.getByRole('form', { name: `更正劝返记录 #${visit}` });
    assert.equal(await form.getByLabel('参加人员').inputValue(), '包保干部、村干部、家长、孩子');
    assert.ok(await form.getByLabel('入户走访（当面）').isChecked());
    await form.getByLabel('电话', { exact: true }).check();
    // no reason: the form does not send it
    await form.getByRole('button', { name: '保存更正' }).click();
    assert.equal(sql(server.db, `SELECT count(*) FROM attempt WHERE corrects = ${visit}`), '0');
    await form.getByLabel('更正原因').fill('记错了：当天没能入户，是电话联系的');
    await shoot(page, 'case-correction-form');
    await form.getByRole('button', { name: '保存更正' }).click();
    await saved(page, /更正记录，原记录保留/);
    const fix = sql(server.db, `SELECT id || '|' || method || '|' || reason FROM attempt WHERE corrects = ${visit}`).split('|');
    assert.deepEqual(fix.slice(1), ['phone', '记错了：当天没能入户，是电话联系的']);
    assert.equal(sql(server.db, `SELECT method FROM attempt WHERE id = ${visit}`), 'home_visit');
    // the original stays, marked 已更正, its correction beside it with who, when and why
    const pair = page.locator('.attempt-pair.corrected').filter({ hasText: `#${visit}` }).first();
    await pair.locator('.attempt-own').getByText('已更正').waitFor();
    await pair.locator('.attempt-own').getByText('入户走访（当面）').waitFor();
    const note = await pair.locator('.correction-note').textContent();
    assert.match(note, /更正 #\d+ \S+ 于 \d{4}-\d\d-\d\d \d\d:\d\d 更正；原因：记错了：当天没能入户，是电话联系的/);
    await pair.locator('.attempt-fix strong').getByText(`#${fix[0]} 2026年11月20日`).waitFor();
    assert.equal(await pair.getByRole('button', { name: `更正 #${visit}` }).count(), 0);
    await pair.getByRole('button', { name: `更正 #${fix[0]}` }).waitFor();
    // the first visit is owed again
    await page.getByText(/立案后首次走访尚未完成/).waitFor();
    await shoot(page, 'case-corrected');
    await page.context().close();
  });
});

describe('待办', () => {
  test('one row per item with its people, the most overdue first, the overdue in red', async () => {
    // two tasks overdue by different amounts, both assigned to a township cadre and a village one
    const [a, b] = sql(server.db, `SELECT v.id FROM verify_task v WHERE v.state = 'open' AND v.township_code = '${TOWNSHIP}'
      AND (SELECT count(DISTINCT role) FROM assignment x WHERE x.task_id = v.id) = 2 ORDER BY v.id LIMIT 2`).split('\n');
    // (older than the demo's overdue 约谈 commitment and 整改 item, issue 17: 20 days)
    sql(server.db, `UPDATE verify_task SET deadline = '2026-10-28' WHERE id = ${a}`);
    sql(server.db, `UPDATE verify_task SET deadline = '2026-10-21' WHERE id = ${b}`);
    const page = await signedIn(browser, server.url, 'township', PHONE);
    await page.goto(server.url + '/#/tasks?scope=area');
    await settled(page);
    const rows = page.locator('table.table tbody tr');
    const n = await rows.count();
    assert.ok(n > 3);
    // one row per item: no task, case or pair twice with the same item
    const keys = [];
    for (let i = 0; i < n; i++) {
      const r = rows.nth(i);
      keys.push((await r.locator('td.primary a').getAttribute('href')) + (await r.locator('td.primary').textContent()));
    }
    assert.equal(new Set(keys).size, n, keys.join('\n'));
    // the most overdue first, then by due date
    assert.match(await rows.nth(0).locator('td[data-label="状态"]').textContent(), /逾期 30 天/);
    assert.equal(await rows.nth(0).locator('td.primary a').getAttribute('href'), `#/verify/${b}`);
    assert.equal(await rows.nth(1).locator('td.primary a').getAttribute('href'), `#/verify/${a}`);
    const due = await page.locator('table.table tbody td[data-label="截止日期"]').allTextContents();
    const ymd = due.map(t => t.replace(/(\d+)年(\d+)月(\d+)日/, (_, y, m, d) => `${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`).trim());
    assert.deepEqual(ymd, [...ymd].sort(), ymd.join());
    // its people together, the township cadre first
    const people = await rows.nth(0).locator('td[data-label="责任人"]').textContent();
    assert.match(people, /^.+（乡镇包保干部）、.+（村干部）$/);
    // overdue in red
    assert.match(await rows.nth(0).getAttribute('class'), /overdue/);
    assert.equal(await rows.nth(0).locator('td[data-label="截止日期"] span.late').count(), 1);
    const color = await rows.nth(0).locator('td[data-label="截止日期"] span.late').evaluate(e => getComputedStyle(e).color);
    assert.equal(color, await page.evaluate(() => {
      const s = document.createElement('span');
      s.style.color = getComputedStyle(document.documentElement).getPropertyValue('--bad');
      document.body.append(s);
      const c = getComputedStyle(s).color;
      s.remove();
      return c;
    }));
    // the case owing its first visit (a phone call only) is among them
    await page.locator('table.table tbody td.primary', { hasText: '立案后首次走访' }).first().waitFor();
    await shoot(page, 'tasks-worklist');
    await page.context().close();
  });
});
