// 通报 (issue 17): the county's account on a phone finds 通报 in its nav, previews the month's
// 通报 (the ranking of the townships in it, no 文号 taken), issues it and sees it listed with its
// 文号 beside the demo's; the PDF downloads. A township's account reads the issued ones and is
// offered no form.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PHONE, settled, shoot, signedIn, startAll, stopAll } from './harness.mjs';

let server, browser;
before(async () => {
  ({ server, browser } = await startAll());
});
after(() => stopAll(server, browser));

describe('通报', () => {
  test('the county previews and issues a 通报 on a phone', async () => {
    const page = await signedIn(browser, server.url, 'county', PHONE);
    await settled(page);
    await page.getByRole('button', { name: /菜单/ }).click();
    await page.locator('#main-nav').getByRole('link', { name: '通报' }).click();
    await page.waitForURL(/#\/bulletins/);
    await settled(page);
    const rows = page.getByRole('region', { name: '已印发的通报' }).locator('tbody tr');
    const before = await rows.count();
    assert.ok(before >= 1, 'the demo county has an issued 通报');

    const form = page.getByRole('form', { name: '印发通报' });
    await form.getByLabel('月份').fill('2026-10');
    await form.getByRole('button', { name: '预览' }).click();
    const preview = page.getByRole('region', { name: '通报预览' });
    await preview.waitFor();
    assert.match(await preview.textContent(), /关于2026年10月控辍保学工作情况的通报/);
    assert.match(await preview.textContent(), /尚未印发/);
    // the ranking: one row per township, ranked from 1
    const ranks = await preview.locator('td[data-label="名次"]').allTextContents();
    assert.ok(ranks.length >= 2, 'the preview ranks the townships');
    assert.deepEqual(ranks.map(r => r.trim()), ranks.map((_, i) => String(i + 1)));
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= PHONE.width, `page is ${width}px wide`);
    await shoot(page, 'bulletins-preview');
    assert.equal(await rows.count(), before, 'a preview issues nothing');

    await form.getByRole('button', { name: '印发（占用文号）' }).click();
    await page.locator('p.notice', { hasText: '已印发' }).waitFor();
    await rows.nth(before).waitFor();
    const first = rows.first();
    assert.match(await first.locator('td[data-label="文号"]').textContent(), /〔2026〕\d+号/);
    const href = await first.getByRole('link', { name: 'PDF' }).getAttribute('href');
    const pdf = await page.request.get(server.url + href);
    assert.equal(pdf.status(), 200);
    assert.equal(pdf.headers()['content-type'], 'application/pdf');
    assert.ok((await pdf.body()).subarray(0, 4).toString() === '%PDF');
    await page.context().close();
  });

  test('a township reads the issued ones and issues none', async () => {
    const page = await signedIn(browser, server.url, 'township', PHONE);
    await page.goto(server.url + '/#/bulletins');
    await settled(page);
    assert.ok(await page.getByRole('region', { name: '已印发的通报' }).locator('tbody tr').count() >= 1);
    assert.equal(await page.getByRole('form', { name: '印发通报' }).count(), 0);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= PHONE.width, `page is ${width}px wide`);
    await page.context().close();
  });
});
