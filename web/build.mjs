// Bundles web/src into web/dist: one hashed JS and one hashed CSS file (cached for a year by
// baoxue serve, see src/http/static.c), an index.html naming them (no-cache, revalidated), and
// a .gz sibling of each that static.c sends to browsers that accept gzip; and the service worker
// dist/sw.js (offline use, issue 14).
import * as esbuild from 'esbuild';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync, readdirSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, 'dist');
const assets = join(dist, 'assets');

async function build() {
  const result = await esbuild.build({
    entryPoints: { app: join(here, 'src/main.js') },
    bundle: true,
    format: 'esm',
    splitting: true,
    minify: true,
    sourcemap: false,
    target: ['chrome90', 'firefox90', 'safari14'],
    outdir: assets,
    entryNames: '[name].[hash]',
    chunkNames: '[name].[hash]',
    assetNames: '[name].[hash]',
    metafile: true,
    legalComments: 'none',
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'warning',
  });
  let js = '', css = '';
  for (const [out, meta] of Object.entries(result.metafile.outputs)) {
    if (meta.entryPoint && meta.entryPoint.endsWith('src/main.js') && out.endsWith('.js')) js = out.split('/').pop();
    if (out.endsWith('.css') && out.split('/').pop().startsWith('app.')) css = out.split('/').pop();
  }
  const html = readFileSync(join(here, 'src/index.html'), 'utf8')
    .replace('%CSS%', css ? `<link rel="stylesheet" href="assets/${css}">` : '')
    .replace('%JS%', `<script type="module" src="assets/${js}"></script>`);
  writeFileSync(join(dist, 'index.html'), html);
  for (const f of readdirSync(assets)) {
    if (/\.(js|css)$/.test(f)) writeFileSync(join(assets, f + '.gz'), gzipSync(readFileSync(join(assets, f)), { level: 9 }));
  }
  writeFileSync(join(dist, 'index.html.gz'), gzipSync(html, { level: 9 }));
  await serviceWorker();
  const sizes = readdirSync(assets).filter(f => f.endsWith('.gz')).map(f => readFileSync(join(assets, f)).length);
  console.log(`web: dist/assets/${js} and ${readdirSync(assets).length} files, ${Math.round(sizes.reduce((a, b) => a + b, 0) / 1024)} KiB gzipped`);
}

// dist/sw.js (src/sw.js): not hashed, the one name the browser registers, served uncached by
// the server; it carries the list of the app's files to keep for offline use and a version made
// from their names, so that a new build replaces the old cache.
async function serviceWorker() {
  const files = readdirSync(assets).filter(f => /\.(js|css)$/.test(f)).sort().map(f => '/assets/' + f);
  const shell = ['/', '/index.html', ...files];
  const version = createHash('sha256').update(shell.join('\n') + readFileSync(join(dist, 'index.html'))).digest('hex').slice(0, 12);
  await esbuild.build({
    entryPoints: [join(here, 'src/sw.js')],
    bundle: true,
    minify: true,
    format: 'iife',
    target: ['chrome90', 'firefox90', 'safari14'],
    outfile: join(dist, 'sw.js'),
    define: { SHELL: JSON.stringify(shell), VERSION: JSON.stringify(version) },
    legalComments: 'none',
    logLevel: 'warning',
  });
  writeFileSync(join(dist, 'sw.js.gz'), gzipSync(readFileSync(join(dist, 'sw.js')), { level: 9 }));
}

rmSync(dist, { recursive: true, force: true });
mkdirSync(assets, { recursive: true });
await build();
