// 督导检查 (issue 17) on a phone (375 px): the township finds the demo inspection's overdue item
// on its 待办, opens it and submits its evidence; the supervisor finds it among the inspection's
// items, accepts the one awaiting acceptance and returns the other, records a new inspection
// with a finding; the school sees only its own item; nothing is wider than the phone.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PHONE, run, settled, shoot, signedIn, startAll, stopAll } from './harness.mjs';

let server, browser;
const itemCard = (page, id) => page.getByRole('article', { name: `整改事项 ${id}`, exact: true });
before(async () => ({ server, browser } = await startAll()));
after(() => stopAll(server, browser));

async function narrow(page) {
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= PHONE.width, `page is ${width}px wide`);
}

describe('督导检查', () => {
  test('the township submits the evidence of its overdue item from 待办', async () => {
    const page = await signedIn(browser, server.url, 'township', PHONE);
    // the township's list (its own 待办 is its cadre's): the inspection's overdue item
    await page.goto(server.url + '/#/tasks?scope=area&overdue=1');
    await settled(page);
    const link = page.getByRole('link', { name: /限期整改：控辍保学联席会议/ }).first();
    await link.waitFor();
    await link.click();
    await page.waitForURL(/#\/inspections\/1/);
    await settled(page);
    const card = itemCard(page, 3);
    await card.waitFor();
    assert.match(await card.textContent(), /已逾期/);
    // the township reads its own items only: not the school's (item 1)
    assert.equal(await itemCard(page, 1).count(), 0);
    await narrow(page);
    await shoot(page, 'inspection-township');
    await card.getByRole('button', { name: '提交整改材料' }).click();
    await card.locator('textarea').fill('已于本月召开控辍保学联席会议，会议纪要已归档');
    await card.getByRole('button', { name: '提交验收' }).click();
    await card.locator('.badge', { hasText: '已提交整改' }).waitFor();
    await page.context().close();
  });

  test('the supervisor accepts one, returns another and records an inspection', async () => {
    const page = await signedIn(browser, server.url, 'supervisor', PHONE);
    await settled(page);
    await page.getByRole('button', { name: /菜单/ }).click();
    await page.locator('#main-nav').getByRole('link', { name: '督导检查' }).click();
    await page.waitForURL(/#\/inspections/);
    await settled(page);
    await page.getByRole('link', { name: /督导检查/ }).first().click();
    await page.waitForURL(/#\/inspections\/1/);
    await settled(page);
    await narrow(page);
    const two = itemCard(page, 2);
    await two.getByRole('button', { name: '验收通过' }).click();
    await two.locator('textarea').fill('经查阅走访记录，已整改到位');
    await two.getByRole('button', { name: '确认验收' }).click();
    await two.locator('.badge', { hasText: '已验收' }).waitFor();
    const three = itemCard(page, 3);
    await three.getByRole('button', { name: '退回重改' }).click();
    await three.locator('textarea').fill('缺少会议签到表');
    await three.getByRole('button', { name: '确认退回' }).click();
    await three.locator('.badge', { hasText: '退回重改' }).waitFor();
    await shoot(page, 'inspection-supervisor');
    // a new inspection, then a finding with its deadline
    await page.goto(server.url + '/#/inspections');
    await settled(page);
    await page.getByRole('button', { name: '记录督导检查' }).click();
    await page.getByRole('textbox', { name: '检查人员' }).fill('王督学');
    await page.getByLabel(/检查单位/).fill('140521101');
    await page.getByRole('button', { name: '保存检查' }).click();
    await page.waitForURL(/#\/inspections\/2/);
    await settled(page);
    await page.getByRole('button', { name: '记录发现的问题' }).click();
    await page.getByRole('textbox', { name: '发现的问题' }).fill('疑似辍学学生核查超过期限');
    await page.getByRole('textbox', { name: '责任人' }).fill('中村镇分管领导');
    await page.getByLabel('整改期限').fill('2026-12-31');
    await page.getByRole('button', { name: '保存问题' }).click();
    await page.getByRole('article', { name: /整改事项 \d+/ }).waitFor();
    await narrow(page);
    await shoot(page, 'inspection-new');
    await page.context().close();
    const rows = JSON.parse(run(['inspections', '--db', server.db, '--format', 'json'])).inspections;
    assert.equal(rows.length, 2);
  });

  test('the school reads its own item and nothing to decide', async () => {
    const page = await signedIn(browser, server.url, 'school', PHONE);
    await page.goto(server.url + '/#/inspections/1');
    await settled(page);
    const card = itemCard(page, 1);
    await card.waitFor();
    assert.match(await card.textContent(), /已验收/);
    assert.equal(await page.getByRole('article').count(), 1);
    assert.equal(await page.getByRole('button', { name: '验收通过' }).count(), 0);
    assert.equal(await page.getByRole('button', { name: '记录发现的问题' }).count(), 0);
    await narrow(page);
    await page.context().close();
  });
});
