// 送教上门 on a phone (375 px), issue 15: the teacher of the school that sends the teachers
// opens 送教上门, sees the demo's disabled child short of this month's minimum (1 visit of 2;
// due 2026-11-30), logs a visit from the list, and the child meets it; on the child record the
// placement, the month's check and the log, where a visit is corrected with its reason (the
// original kept, marked 已更正) and the month falls short again. The township sets a placement.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PHONE, TOWNSHIP, addUser, settled, shoot, signedIn, sql, startAll, stopAll } from './harness.mjs';

let server, browser;
before(async () => ({ server, browser } = await startAll()));
after(() => stopAll(server, browser));

async function saved(page, re) {
  await page.locator('.banner-ok').getByText(re).waitFor();
  await settled(page);
}

describe('送教上门', () => {
  test('a teacher logs and corrects a visit on a phone; the month is checked against the minimum', async () => {
    const school = sql(server.db, "SELECT school FROM placement WHERE kind = 'home_teaching'");
    assert.ok(school, 'the demo county places its disabled child 送教上门');
    addUser(server.db, 'songjiao', ['--role', 'school', '--school', school]);
    const page = await signedIn(browser, server.url, 'songjiao', PHONE);
    await settled(page);
    await page.getByRole('button', { name: '菜单' }).click();
    await page.locator('#main-nav').getByRole('link', { name: '送教上门' }).click();
    await settled(page);
    const row = page.locator('tbody tr').first();
    await row.getByText('1 次、2 课时').waitFor();
    await row.getByText('未达标').waitFor();
    await row.getByText('截止 2026年11月30日').waitFor();
    assert.equal(await page.locator('tbody tr').count(), 1);
    // no wider than the phone
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 375));

    // 记录送教 from the list
    await row.getByRole('button', { name: '记录送教' }).click();
    const form = page.getByRole('form', { name: '记录一次送教' });
    await form.getByLabel('送教日期').fill('2026-11-19');
    await form.getByLabel('课时').fill('2');
    await form.getByLabel('送教教师').fill('李老师、王老师');
    await form.getByLabel('送教内容').fill('语文识字、生活自理训练');
    await shoot(page, 'send-teaching-visit-form');
    await form.getByRole('button', { name: '保存送教记录' }).click();
    await saved(page, /已记录\S+的送教记录 #\d+（2026年11月19日，2 课时）/);
    await page.locator('tbody tr').first().getByText('2 次、4 课时').waitFor();
    await page.locator('tbody tr').first().getByText('已达标').waitFor();
    const visit = sql(server.db, 'SELECT max(id) FROM send_visit');
    assert.equal(sql(server.db, `SELECT teachers || '|' || tenths FROM send_visit WHERE id = ${visit}`), '李老师、王老师|20');

    // the child record: the placement, the month, the log; 更正 with its reason
    await page.locator('tbody tr').first().getByRole('link').click();
    await settled(page);
    const card = page.locator('section.placement');
    await card.getByText('送教上门', { exact: true }).waitFor();
    await card.getByText(/2026 年 11 月：送教 2 次、4 课时/).waitFor();
    await card.getByText('已达标').waitFor();
    assert.equal(await card.getByRole('button', { name: '更改安置方式' }).count(), 0);  // the school sets none
    await card.getByRole('button', { name: `更正 #${visit}` }).click();
    const fix = page.getByRole('form', { name: `更正送教记录 #${visit}` });
    assert.equal(await fix.getByLabel('送教教师').inputValue(), '李老师、王老师');
    await fix.getByLabel('课时').fill('1.5');
    await fix.getByRole('button', { name: '保存更正' }).click();  // no reason: not sent
    assert.equal(sql(server.db, `SELECT count(*) FROM send_visit WHERE corrects = ${visit}`), '0');
    await fix.getByLabel('更正原因').fill('课时记错，实为 1.5 课时');
    await fix.getByRole('button', { name: '保存更正' }).click();
    await saved(page, /更正记录，原记录保留/);
    await card.getByText(/送教 2 次、3.5 课时/).waitFor();
    await card.getByText(/未达标，2026年11月30日 前补足/).waitFor();
    const pair = card.locator('.attempt-pair.corrected').first();
    await pair.locator('.attempt-own').getByText('已更正').waitFor();
    await pair.locator('.correction-note').getByText(/原因：课时记错，实为 1.5 课时/).waitFor();
    assert.equal(sql(server.db, `SELECT tenths FROM send_visit WHERE id = ${visit}`), '20');
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 375));
    await shoot(page, 'child-send-teaching-log');
    await page.context().close();
  });

  test('the township sets a placement of its child', async () => {
    const rid = sql(server.db, `SELECT min(r.id) FROM record r WHERE r.batch_id = (SELECT population_batch
      FROM match_run ORDER BY id DESC LIMIT 1) AND r.township_code = '${TOWNSHIP}' AND r.birth_date > '2015-01-01'
      AND NOT EXISTS (SELECT 1 FROM placement p WHERE p.record_id = r.id)`);
    const page = await signedIn(browser, server.url, 'township', PHONE);
    await page.goto(server.url + `/#/children/${rid}`);
    await settled(page);
    const card = page.locator('section.placement');
    await card.getByRole('button', { name: '登记安置方式' }).click();
    const form = page.getByRole('form', { name: '安置方式' });
    await form.getByLabel('免学').check();
    await form.getByLabel('批准机关').fill('龙港镇人民政府');
    await form.getByLabel('批准文号').fill('龙政教〔2026〕7号');
    await form.getByLabel('批准日期').fill('2026-11-02');
    await form.getByLabel('截止日期').fill('2027-08-31');
    await form.getByRole('button', { name: '保存安置方式' }).click();
    await saved(page, /已设置\S+的安置方式：免学（龙港镇人民政府批准/);
    await card.locator('dd').getByText(/2027年8月31日/).waitFor();
    assert.equal(sql(server.db, `SELECT kind || '|' || ends_on FROM placement WHERE record_id = ${rid}`), 'exempt|2027-08-31');
    await page.context().close();
  });
});
