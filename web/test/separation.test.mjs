// 人籍分离 (issue 16): the county on a phone finds 人籍分离 in its nav, reads the three kinds of
// rows per school with their evidence and what the school must do, narrows them to one kind and
// one school; a school's account reads only the rows it acts on or is named in.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PHONE, addUser, run, settled, shoot, signedIn, startAll, stopAll } from './harness.mjs';

let server, browser, report, mismatch;
before(async () => {
  ({ server, browser } = await startAll());
  report = JSON.parse(run(['report', 'separation', '--db', server.db, '--format', 'json']));
  mismatch = report.pupils.find(r => r.kind_key === 'mismatch');
  addUser(server.db, 'sep-school', ['--role', 'school', '--school', mismatch.school_code]);
});
after(() => stopAll(server, browser));

describe('人籍分离', () => {
  test('the county on a phone reads every kind, per school, and narrows them', async () => {
    const page = await signedIn(browser, server.url, 'county', PHONE);
    await settled(page);
    await page.getByRole('button', { name: /菜单/ }).click();
    await page.locator('#main-nav').getByRole('link', { name: '人籍分离' }).click();
    await page.waitForURL(/#\/separation/);
    await settled(page);
    const kinds = await page.locator('td[data-label="类型"]').allTextContents();
    for (const k of ['长期旷课未到校', '在他校就读', '学籍变动与考勤不符'])
      assert.ok(kinds.includes(k), `${k} missing from ${kinds.join()}`);
    assert.equal(kinds.length, report.pupils.length);
    const evidence = await page.locator('td[data-label="情况"]').allTextContents();
    assert.ok(evidence.some(e => /连续 \d+ 个上课日旷课/.test(e)), evidence.join());
    assert.ok(evidence.some(e => /借读/.test(e)), evidence.join());
    assert.ok(evidence.some(e => /学籍已转出至/.test(e)), evidence.join());
    const ids = await page.locator('td[data-label="身份证号"]').allTextContents();
    assert.ok(ids.filter(Boolean).every(i => i.includes('*')), ids.join());
    assert.match(await page.locator('.subtitle').textContent(), /长期旷课 \d+ 人，在他校就读 \d+ 人，学籍变动与考勤不符 \d+ 人/);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= PHONE.width, `page is ${width}px wide`);
    await shoot(page, 'separation-county');
    // one kind
    await page.locator('#sep-kind').selectOption('mismatch');
    await page.waitForURL(/kind=mismatch/);
    await settled(page);
    const only = await page.locator('td[data-label="类型"]').allTextContents();
    assert.ok(only.length > 0 && only.every(k => k === '学籍变动与考勤不符'), only.join());
    // one school: asked of the server
    await page.locator('#sep-kind').selectOption('');
    await page.locator('#sep-school').selectOption(mismatch.school_code);
    await page.waitForURL(/school=/);
    await settled(page);
    const names = await page.locator('td.primary').allTextContents();
    assert.ok(names.some(n => n.includes(mismatch.name)), names.join());
    assert.ok(names.length < report.pupils.length);
    const href = await page.getByRole('link', { name: '导出Excel' }).getAttribute('href');
    assert.match(href, /separation\?format=xlsx&school=/);
    await page.context().close();
  });

  test('a school reads its own rows', async () => {
    const page = await signedIn(browser, server.url, 'sep-school', PHONE);
    await settled(page);
    await page.goto(server.url + '/#/separation');
    await settled(page);
    const names = await page.locator('td.primary').allTextContents();
    const mine = report.pupils.filter(r => r.school_code === mismatch.school_code || r.other_school === mismatch.school);
    assert.equal(names.length, mine.length);
    assert.ok(names.some(n => n.includes(mismatch.name)));
    assert.equal(await page.locator('#sep-school').count(), 0);
    await shoot(page, 'separation-school');
    await page.context().close();
  });
});
