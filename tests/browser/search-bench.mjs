// Search benchmark: lmp's index against Pagefind on the same built site of N documents.
//
//   node tests/browser/search-bench.mjs --run [--docs 10000] [--corpus DIR] [--out DIR] [--no-pagefind]
//     [--once] [--one WORD] [--three "THREE WORDS"] [--typo "THREE WORDS WITH A TYPO"]
//
// Corpus: DIR if given (e.g. target/corpus from `cargo run --release --example gen-corpus`),
// else a deterministic LMP-like corpus generated here (Zipf-distributed English words, headings,
// regions, topics, audiences). Builds it with `lmp build -v` under base path /lmp/ (twice; the
// second run counts), indexes the same HTML with `npx pagefind`, then measures in headless
// Chromium, with a cold cache, the compressed bytes a first one-word and a first three-word query
// download: lmp through its search page (10 results with excerpts, facet counts for collection and
// region), Pagefind through its JS API as its default UI uses it (init, filters, search, data of the
// first 5 results). Prints a Markdown table and writes target/search-bench/report.json.
// The issue-15 rows: "index" bytes count only the manifest and index files (not the page's
// JavaScript); files per 20 documents; `--once` builds once (no timing rounds), for big corpora.
import { execFileSync, spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync, readdirSync } from 'node:fs';
import { join, normalize, resolve, extname } from 'node:path';
import { gzipSync, brotliCompressSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const arg = (name, dflt) => { const i = process.argv.indexOf(`--${name}`); return i > 0 ? process.argv[i + 1] : dflt; };
const N = Number(arg('docs', '10000'));
const work = join(root, 'target', 'search-bench');
const ONE = arg('one', 'partnership');
const THREE = arg('three', 'union team scheduling');
const TYPO = arg('typo', 'patient safty huddle');

// ------------------------------------------------------------------------------------ corpus
function rng(seed) { let s = seed >>> 0; return () => { s ^= s << 13; s >>>= 0; s ^= s >> 17; s ^= s << 5; s >>>= 0; return s / 4294967296; }; }

function generate(dir, n) {
  rmSync(dir, { recursive: true, force: true });
  const r = rng(42);
  const pick = (a) => a[Math.floor(r() * a.length)];
  const fixture = JSON.parse(readFileSync(join(root, 'tests/js/fixtures/stems.json'), 'utf8'));
  const vocab = Object.keys(fixture).filter((w) => /^[a-z]{3,12}$/.test(w));
  const domain = ('partnership union management labor team teams unit-based patient patients care nurse nurses ' +
    'physician physicians hospital clinic member members leader leaders leadership bargaining contract ' +
    'negotiation negotiations agreement staffing schedule scheduling safety quality service huddle board ' +
    'measure measures results improvement workers worker manager managers steward delegate training ' +
    'pharmacy radiology laboratory emergency department wellness performance council coalition').split(' ');
  const stop = 'the of and to a in that is was for on with as by at from it this be are have an they which or we their'.split(' ');
  // Zipf weights over the general vocabulary.
  const cum = []; let tot = 0;
  for (let i = 0; i < vocab.length; i++) { tot += 1 / (i + 10); cum.push(tot); }
  const zipf = () => { const x = r() * tot; let lo = 0, hi = cum.length - 1; while (lo < hi) { const m = (lo + hi) >> 1; if (cum[m] < x) lo = m + 1; else hi = m; } return vocab[lo]; };
  const word = () => { const x = r(); return x < 0.42 ? pick(stop) : x < 0.52 ? pick(domain) : zipf(); };
  const sentence = (k) => { const w = []; for (let i = 0; i < k; i++) w.push(word()); const s = w.join(' '); return s[0].toUpperCase() + s.slice(1) + '.'; };
  const para = (words) => { const out = []; let left = words; while (left > 0) { const k = 8 + Math.floor(r() * 14); out.push(sentence(Math.min(k, left))); left -= k; } return out.join(' '); };
  const title = () => { const t = `${pick(domain)} ${zipf()} ${pick(domain)} ${zipf()}`; return t[0].toUpperCase() + t.slice(1); };
  const regions = ['colorado', 'georgia', 'hawaii', 'mid-atlantic', 'northern-california', 'northwest', 'southern-california', 'washington', 'national'];
  const topics = ['ubt-basics', 'bargaining', 'leadership', 'safety', 'quality', 'service', 'staffing', 'wellness', 'training', 'technology', 'performance', 'communication', 'cost', 'equity', 'union-members'];
  const audiences = ['managers', 'union-members', 'physicians', 'sponsors', 'consultants'];
  const w = (p, s) => { mkdirSync(join(dir, p, '..'), { recursive: true }); writeFileSync(join(dir, p), s); };
  const label = (s) => s.split('-').map((x) => x[0].toUpperCase() + x.slice(1)).join(' ');
  w('config.yaml', `title: Bench Partnership\nbase_url: https://example.org/\ndescription: Benchmark corpus.\nlanguage: en\npaginate: 10\nmenu:\n  - {name: Stories, url: /stories/}\ntaxonomies:\n  topics:\n${topics.map((t) => `    - {slug: ${t}, name: ${label(t)}}`).join('\n')}\n  audiences:\n${audiences.map((t) => `    - {slug: ${t}, name: ${label(t)}}`).join('\n')}\n  series:\n    - {slug: peer-advice, name: Peer Advice}\n`);
  for (const g of regions) w(`regions/${g}.md`, `---\ntitle: ${label(g)}\n---\n${para(60)}\n`);
  const some = (a, k) => { const s = new Set(); const m = 1 + Math.floor(r() * k); while (s.size < m) s.add(pick(a)); return `[${[...s].join(', ')}]`; };
  const body = () => { const parts = [para(120)]; const secs = 3 + Math.floor(r() * 4); for (let i = 0; i < secs; i++) parts.push(`## ${title()}\n\n${para(100 + Math.floor(r() * 120))}`); return parts.join('\n\n') + '\n'; };
  const date = () => `${2005 + Math.floor(r() * 19)}-${String(1 + Math.floor(r() * 12)).padStart(2, '0')}-${String(1 + Math.floor(r() * 28)).padStart(2, '0')}`;
  const counts = { stories: Math.round(n * 0.6), guides: Math.round(n * 0.15), practices: Math.round(n * 0.15), videos: Math.round(n * 0.05) };
  counts.research = n - regions.length - counts.stories - counts.guides - counts.practices - counts.videos;
  for (let i = 0; i < counts.stories; i++) w(`stories/story-${i}.md`, `---\ntitle: ${title()}\ndate: ${date()}\nsummary: ${sentence(18)}\nregions: ${some(regions, 2)}\ntopics: ${some(topics, 3)}\naudiences: ${some(audiences, 2)}\n---\n${body()}`);
  for (let i = 0; i < counts.guides; i++) w(`guides/guide-${i}.md`, `---\ntitle: ${title()}\nsummary: ${sentence(18)}\naudiences: ${some(audiences, 2)}\ntopics: ${some(topics, 2)}\n---\n${body()}`);
  for (let i = 0; i < counts.practices; i++) w(`practices/practice-${i}.md`, `---\ntitle: ${title()}\nsummary: ${sentence(18)}\nregion: ${pick(regions)}\ntopics: ${some(topics, 2)}\n---\n${body()}`);
  for (let i = 0; i < counts.videos; i++) w(`videos/video-${i}.md`, `---\ntitle: ${title()}\ndate: ${date()}\nsummary: ${sentence(18)}\ntranscript: |\n  ${para(200)}\n---\n${para(50)}\n`);
  for (let i = 0; i < counts.research; i++) w(`research/research-${i}.md`, `---\ntitle: ${title()}\nyear: ${2000 + Math.floor(r() * 24)}\npublisher: ${title()}\nsummary: ${sentence(18)}\n---\n${body()}`);
}

// ------------------------------------------------------------------------------------ helpers
function walk(dir, out = []) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p, out); else out.push(p);
  }
  return out;
}
function sizes(dir) {
  const files = walk(dir);
  let raw = 0, gz = 0, br = 0;
  for (const f of files) {
    const b = readFileSync(f);
    raw += b.length;
    if (/\.(json|js|css|html)$/.test(f)) { gz += gzipSync(b, { level: 9 }).length; br += brotliCompressSync(b).length; } else { gz += b.length; br += b.length; }
  }
  return { files: files.length, raw, gzip: gz, brotli: br };
}

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript', '.json': 'application/json', '.css': 'text/css' };
function serve(publicDir, log) {
  return new Promise((ok) => {
    const gzCache = new Map();
    const server = createServer((req, res) => {
      const url = new URL(req.url, 'http://x');
      if (!url.pathname.startsWith('/lmp/')) { res.writeHead(404); res.end(); return; }
      let file = normalize(join(publicDir, decodeURIComponent(url.pathname.slice(5))));
      if (!file.startsWith(publicDir)) { res.writeHead(403); res.end(); return; }
      if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
      if (!existsSync(file)) { res.writeHead(404); res.end(); return; }
      let body = readFileSync(file);
      const headers = { 'content-type': TYPES[extname(file)] || 'application/octet-stream', 'cache-control': 'no-store' };
      if (TYPES[extname(file)] && /gzip/.test(req.headers['accept-encoding'] || '')) {
        if (!gzCache.has(file)) gzCache.set(file, gzipSync(body, { level: 9 }));
        body = gzCache.get(file);
        headers['content-encoding'] = 'gzip';
      }
      log.push([url.pathname, body.length]);
      res.writeHead(200, headers);
      res.end(body);
    });
    server.listen(0, '127.0.0.1', () => ok(server));
  });
}

// ------------------------------------------------------------------------------------ main
if (!process.argv.includes('--run') && !process.env.LMP_SEARCH_BENCH) {
  // scripts/test-all.sh runs every tests/browser/*.mjs; the benchmark takes minutes, so it only
  // runs when asked for.
  console.log('search benchmark skipped (run: node tests/browser/search-bench.mjs --run [--docs N] [--corpus DIR])');
  process.exit(0);
}
mkdirSync(work, { recursive: true });
const corpus = arg('corpus') ? resolve(arg('corpus')) : join(work, `corpus-${N}`);
if (!arg('corpus') && !existsSync(join(corpus, 'config.yaml'))) {
  console.error(`generating ${N} documents into ${corpus}`);
  generate(corpus, N);
}
// --measure-only: reuse the last output (and its Pagefind index) and only measure queries.
const measureOnly = process.argv.includes('--measure-only');
// LMP_BIN: an lmp binary to use as it is (default: `cargo build --release` and target/release/lmp).
if (!measureOnly && !process.env.LMP_BIN) execFileSync('cargo', ['build', '--release', '--quiet'], { cwd: root, stdio: 'inherit' });
const lmp = process.env.LMP_BIN ? resolve(process.env.LMP_BIN) : join(root, 'target', 'release', 'lmp');
// --out: where lmp builds (default target/search-bench/public); bench/run.sh gives a new folder
// each time, so that the build is cold and not slowed by the discards of a deleted one.
const out = arg('out') ? resolve(arg('out')) : join(work, 'public');
const buildOnce = () => {
  const t = process.hrtime.bigint();
  const p = spawnSync(lmp, ['-v', 'build', '--site', corpus, '--out', out, '--base-url', 'https://example.org/lmp/'], { encoding: 'utf8', maxBuffer: 1 << 30 });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (p.status !== 0) { console.error(p.stderr); process.exit(1); }
  const stage = /search index\s+([\d.]+) ms/.exec(p.stderr);
  return { ms, searchMs: stage ? Number(stage[1]) : null, log: p.stderr };
};
let build = { ms: NaN, searchMs: null };
if (!measureOnly && process.argv.includes('--once')) build = buildOnce();
else if (!measureOnly) {
  buildOnce();
  const builds = [buildOnce(), buildOnce(), buildOnce()].sort((a, b) => a.ms - b.ms);
  build = builds[1];
}
const lmpIndex = sizes(join(out, 'search', 'index'));
const docs = walk(out).filter((f) => f.endsWith('.html')).length;

let pagefind = null;
if (measureOnly && existsSync(join(out, 'pagefind'))) pagefind = { ms: NaN, ...sizes(join(out, 'pagefind')) };
else if (!process.argv.includes('--no-pagefind')) {
  const pfOut = join(out, 'pagefind');
  rmSync(pfOut, { recursive: true, force: true });
  const t = process.hrtime.bigint();
  const p = spawnSync('npx', ['--yes', 'pagefind@1.3.0', '--site', out, '--output-path', pfOut], { encoding: 'utf8', cwd: work, maxBuffer: 1 << 30 });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (p.status === 0) {
    pagefind = { ms, ...sizes(pfOut) };
    writeFileSync(join(out, 'pf.html'), `<!doctype html><html><head><meta charset="utf-8"><title>pf</title></head><body><script type="module">
const pf = await import('/lmp/pagefind/pagefind.js');
await pf.options({ baseUrl: '/lmp/' });
await pf.init();
await pf.filters();
const q = new URL(location.href).searchParams.get('q');
const r = await pf.search(q);
const data = await Promise.all(r.results.slice(0, 5).map((x) => x.data()));
window.pfDone = { total: r.results.length, first: data.map((d) => d.url) };
</script></body></html>`);
  } else {
    console.error(`pagefind failed: ${p.stderr.slice(-2000)}`);
  }
}

const log = [];
const server = await serve(out, log);
const origin = `http://127.0.0.1:${server.address().port}`;
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });

async function lmpQuery(q) {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await page.goto(`${origin}/lmp/search/`);
  await page.waitForLoadState('networkidle');
  const mark = log.length;
  const t = Date.now();
  await page.fill('#search-q', q);
  await page.waitForFunction(() => document.documentElement.dataset.searchState === 'done');
  await page.waitForLoadState('networkidle');
  const ms = Date.now() - t;
  const hits = await page.$$eval('#search-results .search-hit', (x) => x.length);
  const all = log.filter(([p]) => p.includes('/search/') && /\.(js|json)$/.test(p));
  const bytes = all.reduce((s, [, b]) => s + b, 0);
  const indexBytes = all.filter(([p]) => p.includes('/search/index/')).reduce((s, [, b]) => s + b, 0);
  const after = log.slice(mark).reduce((s, [, b]) => s + b, 0);
  const files = log.slice(mark).length;
  const status = await page.textContent('#search-status');
  await ctx.close();
  log.length = 0;
  return { q, bytes, indexBytes, afterTyping: after, files, hits, ms, status };
}

async function pfQuery(q) {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  const t = Date.now();
  await page.goto(`${origin}/lmp/pf.html?q=${encodeURIComponent(q)}`);
  await page.waitForFunction(() => window.pfDone, null, { timeout: 60000 });
  await page.waitForLoadState('networkidle');
  const ms = Date.now() - t;
  const all = log.filter(([p]) => p.includes('/pagefind/'));
  const bytes = all.reduce((s, [, b]) => s + b, 0);
  const res = await page.evaluate(() => window.pfDone);
  await ctx.close();
  log.length = 0;
  return { q, bytes, files: all.length, hits: res.total, ms };
}

const report = { docs: N, htmlPages: docs, build: { totalMs: build.ms, searchStageMs: build.searchMs }, lmp: { index: lmpIndex, one: await lmpQuery(ONE), three: await lmpQuery(THREE), typo: await lmpQuery(TYPO) } };
if (pagefind) report.pagefind = { index: pagefind, one: await pfQuery(ONE), three: await pfQuery(THREE), typo: await pfQuery(TYPO) };
await browser.close();
server.close();
writeFileSync(join(work, 'report.json'), JSON.stringify(report, null, 2));

const kb = (b) => `${(b / 1024).toFixed(1)} kB`;
const rows = [
  ['index build time', `${build.searchMs ?? '?'} ms of ${build.ms.toFixed(0)} ms lmp build (${build.searchMs ? ((100 * build.searchMs) / (build.ms - build.searchMs)).toFixed(1) : '?'}% added)`, pagefind ? `${pagefind.ms.toFixed(0)} ms (separate step)` : '–'],
  ['index files', String(lmpIndex.files), pagefind ? String(pagefind.files) : '–'],
  ['index bytes (raw / gzip / brotli)', `${kb(lmpIndex.raw)} / ${kb(lmpIndex.gzip)} / ${kb(lmpIndex.brotli)}`, pagefind ? `${kb(pagefind.raw)} / ${kb(pagefind.gzip)} / ${kb(pagefind.brotli)}` : '–'],
  [`first query "${ONE}" (gzip, incl. JS)`, `${kb(report.lmp.one.bytes)} in ${report.lmp.one.files} requests after typing`, pagefind ? kb(report.pagefind.one.bytes) + ` (${report.pagefind.one.files} files)` : '–'],
  [`first query "${THREE}" (gzip, incl. JS)`, `${kb(report.lmp.three.bytes)}`, pagefind ? kb(report.pagefind.three.bytes) + ` (${report.pagefind.three.files} files)` : '–'],
  [`index bytes only (gzip): "${ONE}" / "${TYPO}" (a typo)`, `${kb(report.lmp.one.indexBytes)} / ${kb(report.lmp.typo.indexBytes)}`, pagefind ? `${kb(report.pagefind.one.bytes)} / ${kb(report.pagefind.typo.bytes)}` : '–'],
  ['index files per 20 documents', (lmpIndex.files / (N / 20)).toFixed(2), pagefind ? (pagefind.files / (N / 20)).toFixed(2) : '–'],
  ['results', `${report.lmp.one.hits} shown / ${report.lmp.three.hits} shown`, pagefind ? `${report.pagefind.one.hits} / ${report.pagefind.three.hits} total` : '–'],
];
console.log(`\n${N} documents (${docs} HTML pages)\n\n| | lmp | Pagefind |\n| --- | --- | --- |`);
for (const r of rows) console.log(`| ${r.join(' | ')} |`);
console.log(`\n${JSON.stringify(report)}`);
// One row for bench/run.sh: docs, index files, files per 20 documents, first one-word query and
// three-word query with a typo (index bytes, gzip), Pagefind's two queries and index time.
const pf = report.pagefind;
console.log(`| row | ${N} | ${lmpIndex.files} | ${(lmpIndex.files / (N / 20)).toFixed(2)} | ${kb(report.lmp.one.indexBytes)} ("${ONE}") | ${kb(report.lmp.typo.indexBytes)} ("${TYPO}") | ${pf ? `${kb(pf.one.bytes)} / ${kb(pf.typo.bytes)}` : '–'} | ${pf ? `${(pf.index.ms / 1000).toFixed(0)} s` : '–'} |`);
