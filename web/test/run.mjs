// ctest's entry point (web.ui.1 … web.ui.3, one shard each): skip (exit 77) only when chromium is absent; otherwise run every
// test file here with node's test runner, one at a time (each starts its own server).
import { existsSync, readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

if (!existsSync(CHROMIUM)) {
  console.log(`SKIP: ${CHROMIUM} not found — the browser tests need Debian's chromium (scripts/install-deps installs it)`);
  process.exit(77);
}
const here = dirname(fileURLToPath(import.meta.url));
// `run.mjs K N` runs the K-th of N shards (files by name, dealt round-robin), so that ctest can
// run the shards side by side, each under its own timeout; no arguments runs them all
const [k, n] = process.argv.slice(2).map(Number);
const files = readdirSync(here).filter(f => f.endsWith('.test.mjs')).sort()
  .filter((f, i) => !n || i % n === k - 1).map(f => join(here, f));
const r = spawnSync(process.execPath, ['--test', '--test-concurrency=1', '--test-reporter=spec', ...files], { stdio: 'inherit' });
process.exit(r.status ?? 1);
