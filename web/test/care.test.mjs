// Left-behind children on a phone (375 px), issue 15: the school's 留守儿童 screen lists its
// left-behind pupils with this month's contact state; a teacher opens one, sees the 受委托监护人
// and the parents' work places (the school stands for the 结对教师), logs a care contact by
// video, and the child is then 已联系 on the list, the contact stored.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PHONE, addUser, settled, shoot, signedIn, sql, startAll, stopAll } from './harness.mjs';

let server, browser;
before(async () => ({ server, browser } = await startAll()));
after(() => stopAll(server, browser));

describe('留守儿童关爱联系', () => {
  test('a school logs a care contact on a phone', async () => {
    // a left-behind pupil in school here, and its school's code
    const row = sql(server.db, `SELECT r.id || '|' || e.school_code FROM group_member gm
      JOIN match_run m ON m.id = gm.run_id JOIN record r ON r.id = gm.record_id
      JOIN record e ON e.batch_id = m.enrollment_batch AND e.id_number = r.id_number
      WHERE gm.grp = 'left_behind' AND e.enroll_status = 'active' AND e.school_code IS NOT NULL
      ORDER BY gm.run_id DESC, r.id LIMIT 1`);
    assert.ok(row, 'the demo county has a left-behind pupil');
    const [id, code] = row.split('|');
    addUser(server.db, 'care-school', ['--role', 'school', '--school', code]);
    const page = await signedIn(browser, server.url, 'care-school', PHONE);
    await page.goto(server.url + '/#/left-behind');
    await settled(page);
    await page.getByText(/本月未联系 \d+ 人/).first().waitFor();
    const link = page.locator(`a[href="#/children/${id}"]`).first();
    await link.waitFor();
    await shoot(page, 'left-behind');
    await link.click();
    await settled(page);
    const care = page.getByRole('region', { name: '留守儿童关爱' });
    await care.getByText('受委托监护人').waitFor();
    await care.getByText(/学校账号代结对教师/).waitFor();
    await care.getByLabel('联系方式').selectOption('video');
    await care.getByLabel('联系人').fill('班主任李老师与奶奶');
    await care.getByLabel('联系内容').fill('视频谈心，孩子想念父母，学习正常');
    await care.getByRole('button', { name: '记录关爱联系' }).click();
    await care.getByText(/已记录 .* 的关爱联系（视频）/).waitFor();
    await care.getByText(/班主任李老师与奶奶：视频谈心/).waitFor();
    await shoot(page, 'care-contact');
    assert.equal(sql(server.db, `SELECT way FROM care_contact WHERE record_id = ${id}`), 'video');
    await page.goto(server.url + '/#/left-behind');
    await settled(page);
    const r = page.locator('tr', { has: page.locator(`a[href="#/children/${id}"]`) });
    await r.getByText('已联系').waitFor();
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 375, `no sideways scrolling at 375 px (${width})`);
  });
});
