// 预警名单 and 结对 (issue 16): a school's account on a phone finds 预警名单 in its nav, sees its own
// pupils with each one's factors, opens one, and pairs a teacher (a name not yet in the registry),
// which the list then shows; the county's list shows the days of 旷课 this term of the demo
// county's drifting pupils, and the factor on their record; a township reads the list and the
// score but gets no pairing form.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PHONE, addUser, run, settled, shoot, signedIn, startAll, stopAll } from './harness.mjs';

let server, browser, school;
before(async () => {
  ({ server, browser } = await startAll());
  // a school with a pupil on the list, and that pupil's township
  const list = JSON.parse(run(['report', 'at-risk', '--db', server.db, '--format', 'json']));
  const first = list.children[0];
  school = { code: first.school_code, name: first.school };
  addUser(server.db, 'risk-school', ['--role', 'school', '--school', school.code]);
  addUser(server.db, 'risk-town', ['--role', 'township', '--township', first.township_code]);
});
after(() => stopAll(server, browser));

describe('预警名单', () => {
  test('a school on a phone pairs a teacher with a pupil of its list', async () => {
    const page = await signedIn(browser, server.url, 'risk-school', PHONE);
    await settled(page);
    // on a phone the nav is behind 菜单
    await page.getByRole('button', { name: /菜单/ }).click();
    await page.locator('#main-nav').getByRole('link', { name: '预警名单' }).click();
    await page.waitForURL(/#\/at-risk/);
    await settled(page);
    const names = page.locator('td.primary a');
    assert.ok(await names.count() > 0);
    const factors = await page.locator('td[data-label="预警因素"]').allTextContents();
    assert.ok(factors.every(f => /分/.test(f)), factors.join());
    const schools = await page.locator('td[data-label="学校"]').allTextContents();
    assert.ok(schools.every(s => s.startsWith(school.name)), schools.join());
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= PHONE.width, `page is ${width}px wide`);
    await shoot(page, 'at-risk-school');
    const name = (await names.first().textContent()).trim();
    await names.first().click();
    await page.waitForURL(/#\/children\/\d+$/);
    await settled(page);
    const card = page.getByRole('region', { name: '辍学预警' });
    await card.waitFor();
    assert.match(await card.textContent(), /列入预警名单/);
    await card.getByRole('button', { name: '安排结对教师' }).click();
    await page.locator('#pair-teacher').fill('王晓燕');
    await page.locator('#pair-note').fill('每周谈心一次');
    await card.getByRole('button', { name: '保存结对' }).click();
    await card.getByText(/^结对教师 王晓燕，自/).waitFor();
    assert.match(await card.textContent(), /已登记为本校结对教师/);
    await shoot(page, 'at-risk-paired');
    await page.goto(server.url + '/#/at-risk');
    await settled(page);
    const row = page.locator('tr', { hasText: name });
    assert.match(await row.first().textContent(), /王晓燕/);
    await page.context().close();
  });

  test('the county sees the days of 旷课 of the pupils drifting away, explained on the record', async () => {
    const page = await signedIn(browser, server.url, 'county', PHONE);
    await page.goto(server.url + '/#/at-risk');
    await settled(page);
    // the rows with days of 旷课 name the factor; the others do not
    const rows = page.locator('tbody tr');
    const absent = rows.filter({ has: page.locator('td[data-label="本学期旷课"]', { hasText: /\d+ 天/ }) });
    assert.ok(await absent.count() > 0, 'the demo county has pupils listed for 旷课');
    for (const t of await absent.locator('td[data-label="预警因素"]').allTextContents())
      assert.match(t, /旷课（本学期旷课 \d+ 天/);
    for (const t of await rows.filter({ hasNot: page.locator('td[data-label="本学期旷课"]', { hasText: /\d+ 天/ }) }).locator('td[data-label="预警因素"]').allTextContents())
      assert.doesNotMatch(t, /旷课/);
    const n = Number(/(\d+) 天/.exec(await absent.first().locator('td[data-label="本学期旷课"]').textContent())[1]);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= PHONE.width, `page is ${width}px wide`);
    await shoot(page, 'at-risk-absence');
    await absent.first().locator('td.primary a').click();
    await page.waitForURL(/#\/children\/\d+$/);
    await settled(page);
    const card = page.getByRole('region', { name: '辍学预警' });
    await card.waitFor();
    const item = card.locator('.factor-list li', { hasText: '旷课' });
    assert.match(await item.textContent(), new RegExp(`旷课：本学期旷课 ${n} 天.*${Math.min(5 * n, 40)} 分`));
    await page.context().close();
  });

  test('a township reads the score, no pairing form', async () => {
    const page = await signedIn(browser, server.url, 'risk-town', PHONE);
    await settled(page);
    await page.goto(server.url + '/#/at-risk');
    await settled(page);
    const link = page.locator('td.primary a').first();
    await link.click();
    await page.waitForURL(/#\/children\/\d+$/);
    await settled(page);
    const card = page.getByRole('region', { name: '辍学预警' });
    await card.waitFor();
    assert.match(await card.textContent(), /预警分 \d+/);
    assert.equal(await card.getByRole('button', { name: /结对/ }).count(), 0);
    await page.context().close();
  });
});
