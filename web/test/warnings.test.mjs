// 预警处置 (issue 16): a school's account on a phone finds 预警处置 in its nav, sees its pupils'
// attendance warnings, records the contact with a family and passes another warning to the
// township; the township's account sees that one among the warnings passed to it and resolves it;
// the child record shows the warning with its history.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PHONE, addUser, run, settled, shoot, signedIn, startAll, stopAll } from './harness.mjs';

let server, browser, warn;
const cardOf = (page, id) => page.getByRole('article', { name: `考勤预警 ${id}`, exact: true });
before(async () => {
  ({ server, browser } = await startAll());
  // a school with two new warnings (the demo's pupils drifting away), and its township
  const list = JSON.parse(run(['warnings', '--db', server.db, '--format', 'json', '--state', '新预警']));
  const bySchool = {};
  // (a school's pupils may live in several townships: the pair is of one)
  for (const w of list.warnings) if (w.township) (bySchool[w.school_code + '/' + w.township] ||= []).push(w);
  const mine = Object.values(bySchool).find(ws => ws.length >= 2) || Object.values(bySchool)[0];
  assert.ok(mine && mine.length >= 1, 'the demo county has new attendance warnings');
  warn = mine;
  addUser(server.db, 'warn-school', ['--role', 'school', '--school', mine[0].school_code]);
  addUser(server.db, 'warn-town', ['--role', 'township', '--township', mine[0].township]);
});
after(() => stopAll(server, browser));

describe('预警处置', () => {
  test('a school on a phone records a contact and passes a warning to the township', async () => {
    const page = await signedIn(browser, server.url, 'warn-school', PHONE);
    await settled(page);
    await page.getByRole('button', { name: /菜单/ }).click();
    await page.locator('#main-nav').getByRole('link', { name: '预警处置' }).click();
    await page.waitForURL(/#\/warnings/);
    await settled(page);
    const cards = page.locator('article.warning-card');
    assert.ok(await cards.count() >= 1);
    const schools = await cards.locator('p.muted').first().textContent();
    assert.ok(schools.startsWith(warn[0].school), schools);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= PHONE.width, `page is ${width}px wide`);
    await shoot(page, 'warnings-school');
    // the first warning: the class teacher reached the family
    const first = cardOf(page, warn[0].id);
    await first.getByRole('button', { name: '已联系家长' }).click();
    await first.locator('textarea').fill('家长说孩子在亲戚家，周一送回学校');
    await first.getByRole('button', { name: '记录联系' }).click();
    await first.locator('.badge', { hasText: '已联系家长' }).waitFor();
    // another (or the same school's only one): passed to the township
    const other = warn[1] || warn[0];
    const card = cardOf(page, other.id);
    await card.getByRole('button', { name: '上报乡镇' }).click();
    await card.locator('textarea').fill('家长拒不送学，多次联系无果');
    await card.getByRole('button', { name: '确认上报' }).click();
    await card.locator('.badge', { hasText: '已上报乡镇' }).waitFor();
    await page.context().close();
  });

  test('the township sees what was passed to it and resolves it; the child record shows it', async () => {
    const other = warn[1] || warn[0];
    const page = await signedIn(browser, server.url, 'warn-town', PHONE);
    await page.goto(server.url + '/#/warnings');
    await settled(page);
    assert.match(await page.locator('h1').textContent(), /上报乡镇/);
    const card = cardOf(page, other.id);
    await card.waitFor();
    assert.match(await card.textContent(), /家长拒不送学/);
    // no 上报 for a township: it answers
    assert.equal(await card.getByRole('button', { name: '上报乡镇' }).count(), 0);
    await shoot(page, 'warnings-township');
    await card.getByRole('button', { name: '解除预警' }).click();
    await card.locator('textarea').fill('乡镇干部入户，学生已返校');
    await card.getByRole('button', { name: '确认解除' }).click();
    // it leaves the list of what was passed up; the page says what was done
    await page.getByRole('status').filter({ hasText: /预警 \d+（.*）已解除/ }).first().waitFor();
    await page.context().close();
    // the county opens the child record: the warning with its history
    const county = await signedIn(browser, server.url, 'county', PHONE);
    const rows = JSON.parse(run(['warnings', '--db', server.db, '--format', 'json', '--state', '全部']));
    const w = rows.warnings.find(x => x.id === other.id);
    if (w.child_record) {
      await county.goto(server.url + '/#/children/' + w.child_record);
      await settled(county);
      const sec = county.getByRole('region', { name: '考勤预警' });
      await sec.waitFor();
      assert.match(await sec.textContent(), /乡镇干部入户，学生已返校/);
      await sec.getByText(/^经过/).click();
      assert.match(await sec.textContent(), /上报乡镇：家长拒不送学/);
    }
    await county.context().close();
  });
});
