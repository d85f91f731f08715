// Every role's screens (issue 14). Each role signs in on a phone (375 px) and walks every screen
// its nav offers, the lists' other states, the first record of each list (a child, a task, a
// case) and its own account. The walk fails on English in what a screen shows — an ASCII word of
// three or more letters that is not a proper noun or a format of the allow-list — and on any
// request whose path or query holds "undefined" (a screen that asked before it knew the id).
// Then the school's job: its 结对教师 records a 劝返 and, once the child is back, a follow-up;
// and the phone and address that the people assigned to a child read, and no one else.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PHONE, addUser, settled, signedIn, sql, startAll, stopAll } from './harness.mjs';

let server, browser;
let tiedSchool;  // a school with a pupil whose task is open: its account "school-tied"
before(async () => {
  ({ server, browser } = await startAll());
  const [code] = sql(server.db, `SELECT sr.school_code FROM verify_task v
    JOIN child_status cs ON cs.run_id = v.run_id AND cs.record_id = v.record_id
    JOIN record sr ON sr.id = cs.school_record
    WHERE v.state = 'open' AND sr.school_code <> '' ORDER BY v.id LIMIT 1`).split('|');
  tiedSchool = code;
  addUser(server.db, 'school-tied', ['--role', 'school', '--school', code]);
});
after(() => stopAll(server, browser));

// Words a user may read in Latin letters: formats, products and the program's own name.
const ALLOW = new Set(['PDF', 'CSV', 'XLSX', 'XLS', 'JSON', 'WPS', 'EXCEL', 'ID', 'BAOXUE', 'WORD']);

/** The English words (3+ ASCII letters, not allowed) in the text a screen shows. */
function english(text) {
  return [...new Set((text.match(/[A-Za-z]{3,}/g) || []).filter(w => !ALLOW.has(w.toUpperCase())))];
}

const EXTRA = {
  '#/children': ['#/children?status=dropped_out', '#/children?status=enrolled', '#/children?status=suspected'],
  '#/verify': ['#/verify?state=all'],
  '#/cases': ['#/cases?state=all', '#/cases?state=returned'],
  '#/admin': ['#/admin?tab=people', '#/admin?tab=settings', '#/admin?tab=audit'],
  '#/runs': [],
};
const DETAIL = /^#\/(children|verify|cases)\/\d+$/;

async function walk(role) {
  const page = await signedIn(browser, server.url, role, PHONE);
  const stray = [];
  page.on('request', r => {
    const u = new URL(r.url());
    if (/undefined/.test(u.pathname + u.search)) stray.push(`${u.pathname}${u.search}（在 ${page.url().split('#')[1]}）`);
  });
  await settled(page);
  const nav = await page.locator('#main-nav > a').evaluateAll(as => as.map(a => a.getAttribute('href')));
  const todo = [...nav, '#/account'];
  const seen = new Set();
  const found = [];
  const details = new Set();
  while (todo.length) {
    const href = todo.shift();
    if (seen.has(href)) continue;
    seen.add(href);
    await page.goto(server.url + '/' + href);
    await settled(page);
    const words = english(await page.locator('body').innerText());
    if (words.length) found.push(`${href}: ${words.join(' ')}`);
    for (const more of EXTRA[href] || []) todo.push(more);
    // the first record of each kind a list links to
    const links = await page.locator('main a[href^="#/"]').evaluateAll(as => as.map(a => a.getAttribute('href')));
    for (const l of links) {
      const kind = DETAIL.exec(l);
      if (kind && !details.has(kind[1])) { details.add(kind[1]); todo.push(l); }
    }
  }
  await page.context().close();
  return { nav, seen: [...seen], found, stray };
}

describe('every screen of every role', () => {
  for (const role of ['admin', 'county', 'supervisor', 'township', 'school-tied', 'department']) {
    test(`${role}: Chinese on every screen, no request for an undefined id`, async () => {
      const w = await walk(role);
      assert.ok(w.seen.length >= 3, `${role} walked ${w.seen.join(' ')}`);
      assert.deepEqual(w.found, [], `English on ${role}'s screens:\n${w.found.join('\n')}`);
      assert.deepEqual(w.stray, [], `requests for an undefined id by ${role}:\n${w.stray.join('\n')}`);
    });
  }
});
