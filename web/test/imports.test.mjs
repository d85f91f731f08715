// 数据导入: a file whose name column the server does not recognise goes through the wizard —
// upload with progress, the detected header, the mapping fixed by hand, the validation summary
// with the flagged and rejected rows, the confirmation a much smaller list needs, confirm, the
// import job's result and the history. A department's upload waits for the county, which
// accepts it beside the current list (or rejects it with a reason the department reads).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { settled, shoot, signedIn, sql, startAll, stopAll } from './harness.mjs';

let server, browser;
before(async () => ({ server, browser } = await startAll()));
after(() => stopAll(server, browser));

const W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
function id(birth, seq) {
  const body = '140521' + birth + String(seq).padStart(3, '0');
  const sum = [...body].reduce((a, c, i) => a + Number(c) * W[i], 0);
  return body + '10X98765432'[sum % 11];
}

describe('import wizard', () => {
  test('map an unknown column, see flagged and rejected rows, confirm, see the history', async () => {
    const good = id('20150304', 11), bad = id('20160405', 22).slice(0, 17) + (id('20160405', 22)[17] === '0' ? '1' : '0');
    const csv = [
      '沁水县2026年适龄儿童花名册（补充）,,,,,,,,',
      '序号,小孩名字,性别,民族,公民身份号码,出生日期,乡镇（街道）,村（社区）,户籍状态',
      `1,测试甲,男,汉族,${good},2015-03-04,龙港镇,梅杏社区,正常`,
      `2,测试乙,女,汉族,${bad},2016-04-05,龙港镇,梅杏社区,正常`,
      '3,,男,汉族,,2015-01-01,龙港镇,梅杏社区,正常',
      '制表人：王五,,,,,,,,',
    ].join('\r\n') + '\r\n';
    const path = join(server.dir, '补充名单.csv');
    writeFileSync(path, '\ufeff' + csv);

    const page = await signedIn(browser, server.url, 'county');
    await page.goto(server.url + '/#/imports');
    await settled(page);
    await shoot(page, 'imports');
    await page.getByLabel('户籍适龄儿童').check();
    await page.getByLabel('文件').setInputFiles(path);
    await page.getByRole('button', { name: '上传并检查' }).click();
    // the header is found (row 2) but its name column is unknown: map it by hand
    await page.getByText('缺少必需的列：姓名', { exact: true }).waitFor({ timeout: 30000 });
    await page.getByText('第 2 行（上方的标题行已跳过）').waitFor();
    await page.getByLabel('“小孩名字”对应的字段').selectOption('name');
    await page.getByRole('button', { name: '按新的列对应重新检查' }).click();
    await page.getByRole('heading', { name: '校验结果', exact: true }).waitFor({ timeout: 30000 });
    const counts = Object.fromEntries(await page.locator('.count').evaluateAll(els => els.map(e => [
      e.querySelector('.count-label').textContent, e.querySelector('.count-value').textContent])));
    assert.equal(counts['将导入'], '2');
    assert.equal(counts['有问题标记'], '1');
    assert.equal(counts['拒绝'], '1');
    const problems = await page.locator('.problems tbody tr').allTextContents();
    assert.equal(problems.length, 2, problems.join('|'));
    assert.ok(problems.some(p => p.includes('拒绝')) && problems.some(p => p.includes('标记')), problems.join('|'));
    // ID numbers in the preview are masked
    assert.ok(!(await page.locator('.sheet').textContent()).includes(good));
    // 2 children after a register of 2,000: both numbers, and a tick before the import
    const shrink = page.locator('.banner.shrink');
    await shrink.getByText('本次名单 2 人，只有当前名单（第 1 批，2,000 人）的 0.1%，低于 80%').waitFor();
    assert.ok(await page.getByRole('button', { name: /确认导入 2 行/ }).isDisabled());
    await shoot(page, 'imports-preview');
    await shrink.getByLabel('我已核对，人数确实减少，仍然导入').check();
    await page.getByRole('button', { name: /确认导入 2 行/ }).click();
    await page.waitForURL(/job=\d+/);
    // (the demo county's lists are batches 1 to 9: 户籍, 学籍, 外出就读 and the six group lists)
    const done = page.getByText(/已导入 补充名单\.csv（户籍适龄儿童，第 \d+ 批）：2 行/);
    await done.waitFor({ timeout: 30000 });
    const batch = /第 (\d+) 批/.exec(await done.textContent())[1];
    await settled(page);
    const first = await page.locator('.card', { hasText: '导入记录' }).locator('tbody tr').first().textContent();
    assert.match(first, new RegExp(`第 ${batch} 批`));
    assert.match(first, /补充名单\.csv/);
    assert.match(first, /county/);
    await shoot(page, 'imports-done');
    await page.context().close();
  });

  test('a 户籍 file offered as 学籍 is refused in the check, with the missing columns named', async () => {
    const csv = '姓名,身份证号,性别,户籍状态\r\n' + `测试丙,${id('20150607', 33)},男,正常\r\n`;
    const path = join(server.dir, '户籍当学籍.csv');
    writeFileSync(path, csv);
    const page = await signedIn(browser, server.url, 'county');
    await page.goto(server.url + '/#/imports');
    await settled(page);
    await page.getByLabel('学籍系统导出').check();
    await page.getByLabel('文件').setInputFiles(path);
    await page.getByRole('button', { name: '上传并检查' }).click();
    await page.getByText('缺少必需的列：学校名称（或学校标识码）、学籍状态', { exact: true }).waitFor({ timeout: 30000 });
    await page.getByText(/这不像学籍名单/).waitFor();
    // nothing to confirm until the columns are there; the mapping marks what is required
    assert.equal(await page.getByRole('button', { name: /确认导入/ }).count(), 0);
    assert.ok((await page.getByLabel('“户籍状态”对应的字段').textContent()).includes('学籍状态（必需）'));
    await shoot(page, 'imports-wrong-kind');
    await page.context().close();
  });

  test("the police's uploads wait for the county, which accepts one and rejects the other", async () => {
    const rows = n => ['姓名,性别,公民身份号码,出生日期,乡镇（街道）,户籍状态',
      ...Array.from({ length: n }, (_, i) => `公安${n}-${i},男,${id('20150601', 101 + 2 * i)},2015-06-01,龙港镇,正常`)].join('\r\n') + '\r\n';
    // one list to reject, and one half the size of the current register, to accept
    const cur = Number(sql(server.db, "SELECT rows_imported FROM batch WHERE kind = 'population' AND state = 'live' ORDER BY live_seq DESC LIMIT 1"));
    const small = Math.max(1, Math.floor(cur / 2));
    const police = await signedIn(browser, server.url, 'department');
    for (const n of [small + 1, small]) {
      const path = join(server.dir, `公安名单${n}.csv`);
      writeFileSync(path, '\ufeff' + rows(n));
      await police.goto(server.url + '/#/imports');
      await settled(police);
      // the police upload the household register only
      assert.deepEqual(await police.locator('.kinds .kind-label').allTextContents(), ['户籍适龄儿童']);
      await police.getByLabel('文件').setInputFiles(path);
      await police.getByRole('button', { name: '上传并检查' }).click();
      await police.getByText('部门上传的名单须县教育局确认后才生效').waitFor({ timeout: 30000 });
      await police.getByRole('button', { name: `提交 ${n} 行` }).click();
      await police.getByText('须县教育局确认后才生效', { exact: false }).first().waitFor({ timeout: 30000 });
    }
    await settled(police);
    await shoot(police, 'imports-department-pending');
    const [three, four] = [small + 1, small].map(n => sql(server.db, `SELECT id FROM batch WHERE file_name = '公安名单${n}.csv'`));
    assert.equal(sql(server.db, `SELECT group_concat(state) FROM batch WHERE id IN (${three}, ${four})`), 'pending,pending');

    const county = await signedIn(browser, server.url, 'county');
    await county.goto(server.url + '/#/imports');
    await settled(county);
    const pending = county.getByRole('region', { name: '待确认的部门名单' });
    await pending.getByRole('heading', { name: '待确认的部门名单（2）' }).waitFor();
    const item = pending.getByRole('article', { name: `第 ${four} 批` });
    await item.getByText(new RegExp(`本次名单 ${small.toLocaleString('en-US')} 人，只有当前名单（第 \\d+ 批，${cur.toLocaleString('en-US')} 人）的 \\d+%，低于 80%`)).waitFor();
    await shoot(county, 'imports-county-pending');
    // reject one, with a reason
    const other = pending.getByRole('article', { name: `第 ${three} 批` });
    await other.getByRole('button', { name: '退回' }).click();
    await other.getByLabel('退回理由').fill('缺少乡镇一列，请重新导出');
    await other.getByRole('button', { name: '退回' }).click();
    await pending.getByRole('heading', { name: '待确认的部门名单（1）' }).waitFor();
    // accept the other: a list this small is accepted only once ticked
    const accept = item.getByRole('button', { name: '确认生效' });
    assert.ok(await accept.isDisabled());
    await item.getByLabel('我已核对，人数确实减少，仍然确认').check();
    await accept.click();
    await county.getByText('待确认的部门名单').waitFor({ state: 'detached' });
    assert.equal(sql(server.db, `SELECT state FROM batch WHERE id = ${four}`), 'live');
    assert.equal(sql(server.db, `SELECT state || ':' || decision_note FROM batch WHERE id = ${three}`), 'rejected:缺少乡镇一列，请重新导出');
    const row = await county.locator('.card', { hasText: '导入记录' }).locator('tbody tr').first().textContent();
    assert.match(row, new RegExp(`第 ${four} 批`));
    assert.match(row, /当前名单/);

    // the police read the decision and the reason
    await police.reload();
    await settled(police);
    const history = await police.locator('.card', { hasText: '导入记录' }).locator('tbody').textContent();
    assert.match(history, /已退回/);
    assert.match(history, /退回理由：缺少乡镇一列，请重新导出/);
    assert.match(history, /已生效/);
    await shoot(police, 'imports-department-decided');
    await police.context().close();
    await county.context().close();
  });
});
