// 招生入学 (issue 17) on a phone (375 px): the county finds 招生入学 in its nav, reads next year's
// entrants with the counts per school, the September check, and draws the 学区 of the village the
// demo left 未划学区; a school records an application (入学登记) that joins its list, and sees no
// 学区 editing.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PHONE, run, settled, shoot, signedIn, startAll, stopAll } from './harness.mjs';

let server, browser, report, catchment;
before(async () => {
  ({ server, browser } = await startAll());
  report = JSON.parse(run(['report', 'entrants', '--db', server.db, '--format', 'json']));
  catchment = JSON.parse(run(['report', 'catchment', '--db', server.db, '--format', 'json']));
});
after(() => stopAll(server, browser));

async function narrow(page) {
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= PHONE.width, `page is ${width}px wide`);
}

describe('招生入学', () => {
  test('the county reads the entrants per school and draws the 学区', async () => {
    const page = await signedIn(browser, server.url, 'county', PHONE);
    await settled(page);
    await page.getByRole('button', { name: /菜单/ }).click();
    await page.locator('#main-nav').getByRole('link', { name: '招生入学' }).click();
    await page.waitForURL(/#\/entrants/);
    await settled(page);
    const names = await page.locator('td.primary').allTextContents();
    assert.equal(names.length, report.entrants.length);
    assert.ok(report.entrants.some(r => r.source === '学校登记'), 'the demo records applications');
    const cards = await page.locator('.entrants-counts li').allTextContents();
    assert.ok(cards.length > 1, cards.join());
    assert.ok(cards.some(c => /学校登记 [1-9]/.test(c)), cards.join());
    assert.match(await page.locator('.subtitle').textContent(), /2027 年秋季入学/);
    await narrow(page);
    await shoot(page, 'entrants-county');
    // the September check
    await page.getByRole('link', { name: '九月核对' }).click();
    await page.waitForURL(/tab=check/);
    await settled(page);
    const known = await page.locator('td[data-label="情况"]').allTextContents();
    assert.ok(known.length > 0 && known.some(k => /适龄未入学|登记的学校/.test(k)), known.join());
    await narrow(page);
    // the 学区: the village left out is 未划学区; drawn here
    await page.getByRole('link', { name: '学区' }).click();
    await page.waitForURL(/tab=catchment/);
    await settled(page);
    const open = catchment.villages.find(v => v.state === '未划学区');
    assert.ok(open, 'the demo leaves a village 未划学区');
    const school = catchment.villages.find(v => v.school_code).school;
    assert.ok(await page.locator('.badge', { hasText: '未划学区' }).count() >= 1);
    await page.getByLabel('乡镇').fill(open.township);
    await page.getByLabel('村（社区）').fill(open.village);
    await page.getByLabel('学校').fill(school);
    await page.getByRole('button', { name: '保存' }).click();
    await page.getByText(/学区已设置/).waitFor();
    await settled(page);
    const after = JSON.parse(run(['report', 'catchment', '--db', server.db, '--format', 'json']));
    assert.equal(after.villages.find(v => v.township_code === open.township_code && v.village === open.village).school, school);
    await narrow(page);
    await shoot(page, 'entrants-catchment');
    await page.context().close();
  });

  test('a school records an application that joins its list', async () => {
    const page = await signedIn(browser, server.url, 'school', PHONE);
    await settled(page);
    await page.getByRole('button', { name: /菜单/ }).click();
    await page.locator('#main-nav').getByRole('link', { name: '招生入学' }).click();
    await page.waitForURL(/#\/entrants/);
    await settled(page);
    const before = await page.locator('td.primary').count();
    await page.getByLabel('儿童姓名').fill('随迁测试');
    await page.getByLabel('出生日期').fill('2021-05-05');
    await page.getByLabel('监护人').fill('随迁家长');
    await page.getByLabel('户籍所在地').fill('河南省信阳市光山县');
    await page.getByRole('button', { name: '登记' }).click();
    await page.getByText(/已登记入学申请/).waitFor();
    await settled(page);
    const names = await page.locator('td.primary').allTextContents();
    assert.equal(names.length, before + 1);
    assert.ok(names.some(n => n.includes('随迁测试')), names.join());
    await narrow(page);
    await shoot(page, 'entrants-school');
    // the school reads its 学区 but does not draw it
    await page.getByRole('link', { name: '学区' }).click();
    await page.waitForURL(/tab=catchment/);
    await settled(page);
    assert.equal(await page.getByRole('form', { name: '划定学区' }).count(), 0);
    await page.context().close();
  });
});
