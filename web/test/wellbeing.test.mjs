// The wellbeing ledgers on a phone (375 px), issue 16: the school's 疾病台帐 lists its pupils'
// illnesses; a teacher opens the chronic one (certified, keeping the pupil at home: 送教上门 to
// consider) and logs a follow-up. The 心理健康台帐: a school account without the permission has
// no such screen, no card on the child record and asks the server nothing of it; the school's
// counsellor, granted it by the admin, sees the entries with the review due and records an
// intervention. The county picks the month of the 传染病缺课登记表 (报卫健) on the 疾病台帐 screen.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PHONE, SCHOOL, addUser, run, settled, shoot, signedIn, sql, startAll, stopAll } from './harness.mjs';

let server, browser;
before(async () => ({ server, browser } = await startAll()));
after(() => stopAll(server, browser));

const width = page => page.evaluate(() => document.documentElement.scrollWidth);

describe('疾病台帐和心理健康台帐', () => {
  test('a school keeps its illness ledger on a phone and sees nothing of the mental-health one', async () => {
    const chronic = sql(server.db, "SELECT record_id FROM illness WHERE category = 'chronic' LIMIT 1");
    const mh = sql(server.db, 'SELECT record_id FROM mental_health ORDER BY id LIMIT 1');
    assert.ok(chronic && mh, 'the demo county has the ledgers');
    const page = await signedIn(browser, server.url, 'school', PHONE);
    const asked = [];
    page.on('request', r => { if (r.url().includes('mental-health')) asked.push(r.url()); });
    await page.goto(server.url + '/#/illness');
    await settled(page);
    await page.getByText(/共 3 条，未痊愈 \d+ 条/).waitFor();
    await page.getByText('流行性腮腺炎').first().waitFor();
    await shoot(page, 'illness-ledger');
    assert.ok(await width(page) <= 375, 'no sideways scrolling on the ledger');
    await page.locator(`a[href="#/children/${chronic}"]`).first().click();
    await settled(page);
    const card = page.getByRole('region', { name: '疾病台帐' });
    await card.getByText(/慢性肾病/).waitFor();
    await card.getByText(/可考虑送教上门或缓学/).waitFor();
    await card.getByText('安置方式由乡镇或县教育局登记。').waitFor();
    await card.getByRole('button', { name: '记录随访' }).click();
    await card.getByLabel('随访人').fill('班主任李老师');
    await card.getByLabel('随访情况').fill('电话随访：精神好，在家按时完成作业');
    await card.getByRole('button', { name: '记录随访' }).last().click();
    await card.getByText(/已记录 .* 的疾病随访/).waitFor();
    await card.getByText(/班主任李老师：电话随访：精神好/).waitFor();
    await shoot(page, 'illness-child');
    assert.ok(await width(page) <= 375, 'no sideways scrolling on the child record');
    assert.equal(sql(server.db, `SELECT count(*) FROM illness_follow f JOIN illness i ON i.id = f.illness_id
      WHERE i.record_id = ${chronic} AND f.content LIKE '%按时完成作业%'`), '1');
    // the mental-health ledger does not exist for this account: no nav entry, no card, no request
    await page.goto(server.url + `/#/children/${mh}`);
    await settled(page);
    await page.getByRole('heading', { name: '学生档案' }).first().waitFor().catch(() => {});
    const text = await page.locator('body').innerText();
    assert.ok(!text.includes('心理健康'), 'no trace of the mental-health ledger for a non-holder');
    assert.deepEqual(asked, [], 'a non-holder asks the server nothing of the mental-health ledger');
    await shoot(page, 'mental-nonholder');
  });

  test('the county picks the month of the infectious-disease report for 卫健', async () => {
    const page = await signedIn(browser, server.url, 'county', PHONE);
    await page.goto(server.url + '/#/illness');
    await settled(page);
    const sec = page.getByRole('region', { name: '传染病缺课登记表' });
    // this month by default: the demo's 流行性腮腺炎 (from 12 days ago)
    assert.equal(await sec.locator('#inf-month').inputValue(), '2026-11');
    await sec.getByText('流行性腮腺炎').waitFor();
    await sec.getByText(/2026年11月1日至2026年11月30日/).waitFor();
    // October: none of it, the period and the download follow the month
    await sec.locator('#inf-month').fill('2026-10');
    await page.waitForURL(/month=2026-10/);
    await settled(page);
    await sec.getByText(/2026年10月1日至2026年10月31日/).waitFor();
    await sec.getByText('这个月没有因传染病缺课的学生').waitFor();
    assert.match(await sec.getByRole('link', { name: '导出Excel' }).getAttribute('href'), /month=2026-10/);
    assert.ok(await width(page) <= 375, 'no sideways scrolling on the report');
    await shoot(page, 'infectious-month');
    // a month typed into the address: the server's Chinese refusal
    await page.goto(server.url + '/#/illness?month=2026-13');
    await settled(page);
    await sec.getByText(/月份“2026-13”无效/).waitFor();
    await page.context().close();
  });

  test('the school counsellor granted the permission sees the due review and records an intervention', async () => {
    addUser(server.db, 'xinli', ['--role', 'school', '--school', SCHOOL]);
    run(['user', '--db', server.db, 'mental-health', 'xinli', '--grant', '是']);
    const mh = sql(server.db, 'SELECT record_id FROM mental_health ORDER BY id LIMIT 1');
    const page = await signedIn(browser, server.url, 'xinli', PHONE);
    await page.goto(server.url + '/#/mental-health');
    await settled(page);
    await page.getByText(/共 2 人，复查到期 1 人/).waitFor();
    await page.getByRole('region', { name: '心理健康复查到期' }).waitFor();
    await shoot(page, 'mental-ledger');
    assert.ok(await width(page) <= 375, 'no sideways scrolling on the mental-health ledger');
    await page.locator(`a[href="#/children/${mh}"]`).first().click();
    await settled(page);
    const card = page.getByRole('region', { name: '心理健康台帐' });
    await card.getByText('复查已到期').waitFor();
    await card.getByRole('button', { name: '记录干预或复查' }).click();
    await card.getByLabel('经办人').fill('心理辅导室张老师');
    await card.getByLabel('内容').fill('第三次个别辅导，愿意谈及家庭');
    await card.getByRole('button', { name: '保存' }).click();
    await card.getByText(/已记录 .* 的干预/).waitFor();
    await shoot(page, 'mental-child');
    assert.ok(await width(page) <= 375, 'no sideways scrolling on the child record');
    assert.ok(Number(sql(server.db, "SELECT count(*) FROM audit WHERE action = 'mental_read' AND actor = 'xinli'")) >= 2, 'the reads are audited');
  });
});
