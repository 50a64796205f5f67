// Incremental benchmark of `lmp serve`: how long from saving a file to the live-reload signal.
//
//   node bench/incremental.mjs [--site target/corpus-10000] [--runs 10] [options]
//
// Generates the corpus when the site folder is missing (the gen-corpus example, release build),
// starts `lmp -v serve --site SITE --port 0` (its output goes to target/bench/incremental-serve.log,
// not to the terminal), waits for the first build, then measures two kinds of edit, `--runs` of
// each, taking turns, each kind alternating between two stories of its own:
//
//   body   append a new sentence to the story's body;
//   title  change the story's title in its front matter (which changes list pages, term pages,
//          related lists, the feed and the search index as well as the story's own page).
//
// One run: read the current generation from /__lmp/status, open the live-reload long-poll
// (/__lmp/poll?gen=N, what the browser's live.js waits on), take the time, write the file, and
// stop the clock when the long-poll answers with a new *page* generation (`page_gen`), which is
// when live.js reloads the page. Then fetch the story's page (and, for a title, the stories list
// page that shows it) and check the edited text is there; a run whose page does not show the edit
// fails the benchmark. The server's own "Rebuilt in N ms" line for each run is reported beside it.
// The stories edited are the four newest ones (so they are on the first page of /stories/); their
// original text is restored at the end, on Ctrl-C, on failure, and at the next start if this
// script was killed before it could (a copy is kept in target/bench/incremental-originals.json).
//
// Options:
//   --site DIR        the lmp site (default target/corpus-10000)
//   --docs N          documents when generating the corpus (default: the number in the folder name,
//                     else 10000); --seed S (default 42)
//   --runs N          runs of each kind (default 10)
//   --kinds LIST      body,title (default both)
//   --bin PATH        the lmp binary (default target/release/lmp; LMP_BIN works too). It is not
//                     rebuilt: run `cargo build --release` first.
//   --timeout S       seconds one run may take before the benchmark fails (default 120)
//   --settle MS       quiet time required between runs (default 500)
//   --json FILE       also write every measurement as JSON
//   --verbose         echo the server's output
// Exits 1 when a run fails or times out, 2 on bad usage.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const benchDir = join(root, 'target/bench');
const ORIGINALS = join(benchDir, 'incremental-originals.json');
const SERVE_LOG = join(benchDir, 'incremental-serve.log');

// --- arguments -----------------------------------------------------------------------------------
function usage(msg) {
  if (msg) console.error(`incremental.mjs: ${msg}`);
  console.error('usage: node bench/incremental.mjs [--site DIR] [--docs N] [--seed S] [--runs N] '
    + '[--kinds body,title] [--bin PATH] [--timeout S] [--settle MS] [--json FILE] [--verbose]');
  process.exit(2);
}
const opt = {
  site: 'target/corpus-10000', docs: null, seed: 42, runs: 10, kinds: ['body', 'title'],
  bin: process.env.LMP_BIN || 'target/release/lmp', timeout: 120, settle: 500, json: null, verbose: false,
};
{
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => { if (i + 1 >= argv.length) usage(`${a} needs a value`); return argv[++i]; };
    const num = () => { const v = Number(val()); if (!Number.isFinite(v) || v < 0) usage(`${a}: not a number`); return v; };
    switch (a) {
      case '--site': opt.site = val(); break;
      case '--docs': opt.docs = num(); break;
      case '--seed': opt.seed = num(); break;
      case '--runs': opt.runs = Math.max(1, Math.floor(num())); break;
      case '--kinds': opt.kinds = val().split(',').map((s) => s.trim()).filter(Boolean); break;
      case '--bin': opt.bin = val(); break;
      case '--timeout': opt.timeout = num(); break;
      case '--settle': opt.settle = num(); break;
      case '--json': opt.json = val(); break;
      case '--verbose': opt.verbose = true; break;
      case '-h': case '--help': usage(); break;
      default: usage(`unknown argument ${a}`);
    }
  }
  for (const k of opt.kinds) if (k !== 'body' && k !== 'title') usage(`unknown kind ${k}`);
}
const site = resolve(root, opt.site);
const bin = resolve(root, opt.bin);
mkdirSync(benchDir, { recursive: true });

// --- restoring the edited files, whatever happens ------------------------------------------------
const originals = new Map(); // absolute path -> original text

function saveOriginals() {
  writeFileSync(ORIGINALS, JSON.stringify(Object.fromEntries(originals)));
}

function restore() {
  for (const [path, text] of originals) {
    try {
      if (!existsSync(path) || readFileSync(path, 'utf8') !== text) writeFileSync(path, text);
    } catch (e) {
      console.error(`incremental.mjs: could not restore ${path}: ${e.message}`);
      return;
    }
  }
  originals.clear();
  rmSync(ORIGINALS, { force: true });
}

// A previous run killed before it could restore its edits: put the files back first.
if (existsSync(ORIGINALS)) {
  const left = JSON.parse(readFileSync(ORIGINALS, 'utf8'));
  for (const [p, t] of Object.entries(left)) originals.set(p, t);
  console.error(`incremental.mjs: restoring ${originals.size} file(s) a previous run left edited`);
  restore();
}

let server = null;
let serverLog = '';
let stopping = false;

function stopServer() {
  if (!server || server.exitCode !== null || server.signalCode !== null) return Promise.resolve();
  const child = server;
  return new Promise((done) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => { clearTimeout(kill); done(); });
    child.kill('SIGINT'); // what Ctrl-C does: lmp serve stops cleanly
  });
}

async function shutdown(code) {
  if (stopping) return;
  stopping = true;
  restore();
  await stopServer();
  try { writeFileSync(SERVE_LOG, serverLog); } catch { /* best effort */ }
  process.exit(code);
}

for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => { console.error(`\nincremental.mjs: ${sig}, restoring files and stopping`); shutdown(130); });
}
// (Once stopping, requests to the stopped server fail: that is not news.)
process.on('uncaughtException', (e) => { if (stopping) return; console.error(`incremental.mjs: ${e.stack || e}`); shutdown(1); });
process.on('unhandledRejection', (e) => { if (stopping) return; console.error(`incremental.mjs: ${e?.stack || e}`); shutdown(1); });
// Last resort (process.exit elsewhere): synchronous restore and kill.
process.on('exit', () => { restore(); if (server && server.exitCode === null) server.kill('SIGKILL'); });

// --- helpers -------------------------------------------------------------------------------------
const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));
const fmt = (ms) => (ms >= 10000 ? `${(ms / 1000).toFixed(1)} s` : `${ms.toFixed(ms < 100 ? 1 : 0)} ms`);
function stats(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  const median = n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  return { n, median, min: s[0], max: s[n - 1] };
}

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status ?? r.signal})`);
}

async function getJson(url, ms) {
  const r = await fetch(url, { signal: AbortSignal.timeout(ms), cache: 'no-store' });
  if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
  return r.json();
}

async function getText(url, ms) {
  const r = await fetch(url, { signal: AbortSignal.timeout(ms), cache: 'no-store' });
  if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
  return r.text();
}

// --- the corpus ----------------------------------------------------------------------------------
if (!existsSync(join(site, 'config.yaml'))) {
  const docs = opt.docs ?? Number(site.match(/(\d+)\/?$/)?.[1] ?? 10000);
  console.error(`incremental.mjs: ${site} is missing; generating ${docs} documents`);
  run('cargo', ['build', '--release', '--quiet', '--example', 'gen-corpus']);
  run(join(root, 'target/release/examples/gen-corpus'), ['--docs', String(docs), '--seed', String(opt.seed), '--out', site]);
}
if (!existsSync(bin)) {
  console.error(`incremental.mjs: ${bin} is missing: run cargo build --release first`);
  process.exit(2);
}

// The two newest published stories: their titles are on the first page of /stories/.
function frontMatter(text) {
  const m = text.match(/^---\n([\s\S]*?)\n---\n/);
  return m ? m[1] : '';
}
const storiesDir = join(site, 'stories');
const candidates = [];
for (const f of readdirSync(storiesDir)) {
  if (!f.endsWith('.md')) continue;
  const text = readFileSync(join(storiesDir, f), 'utf8');
  const fm = frontMatter(text);
  if (/^draft:\s*true/m.test(fm) || /^(publish_date|expiry_date):/m.test(fm)) continue;
  const date = fm.match(/^date:\s*"?([0-9-]+)/m)?.[1];
  const title = fm.match(/^title:\s*"(.*)"\s*$/m)?.[1];
  if (date && title && !title.includes('\\')) candidates.push({ file: join(storiesDir, f), slug: f.slice(0, -3), date, title });
}
candidates.sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : a.slug.localeCompare(b.slug)));
// Two stories per kind of edit, so that each story only ever gets one kind of edit.
const stories = candidates.slice(0, 2 * opt.kinds.length);
if (stories.length < 2 * opt.kinds.length) {
  console.error(`incremental.mjs: found fewer than ${2 * opt.kinds.length} editable stories in ${storiesDir}`);
  process.exit(2);
}
for (const s of stories) {
  s.original = readFileSync(s.file, 'utf8');
  originals.set(s.file, s.original);
}
saveOriginals();
const countDocs = () => {
  let n = 0;
  for (const d of readdirSync(site, { withFileTypes: true })) {
    if (!d.isDirectory() || d.name === 'static') continue;
    n += readdirSync(join(site, d.name)).filter((f) => f.endsWith('.md')).length;
  }
  return n;
};
const nDocs = countDocs();

// --- the server ----------------------------------------------------------------------------------
console.error(`incremental.mjs: ${nDocs} documents in ${site}; starting ${bin} -v serve`);
const startedAt = performance.now();
server = spawn(bin, ['-v', 'serve', '--site', site, '--port', '0'], {
  cwd: root, stdio: ['ignore', 'pipe', 'pipe'],
});
let logWaiters = [];
const onLog = (d) => {
  const s = String(d);
  serverLog += s;
  if (opt.verbose) process.stderr.write(s);
  for (const w of logWaiters) w();
};
server.stderr.on('data', onLog);
const base = await new Promise((ok, fail) => {
  let out = '';
  const limit = opt.timeout * 1000 + 60000;
  const timer = setTimeout(() => fail(new Error(`lmp serve did not start within ${limit / 1000} s:\n${serverLog}`)), limit);
  server.stdout.on('data', (d) => {
    out += d;
    onLog(d);
    const m = out.match(/http:\/\/\S+/);
    if (m) { clearTimeout(timer); ok(m[0].endsWith('/') ? m[0] : `${m[0]}/`); }
  });
  server.on('exit', (code, sig) => {
    clearTimeout(timer);
    if (!stopping) fail(new Error(`lmp serve exited (${code ?? sig}):\n${serverLog}`));
  });
});
const firstBuildMs = performance.now() - startedAt;
const firstLine = serverLog.match(/^Built .* in (\d+) ms$/m);
{
  const st = await getJson(new URL('__lmp/status', base), 10000);
  if (st.errors?.length) throw new Error(`the first build failed:\n${serverLog}`);
}
console.error(`incremental.mjs: serving at ${base}; first build ${firstLine ? `${firstLine[1]} ms` : '?'} `
  + `(${fmt(firstBuildMs)} to the first request)`);

// Rebuilds the server has started but not finished: it prints "Changed: ..." when a batch of
// changes starts a rebuild and "Rebuilt in ..." or "Build failed" when it is over.
function pending() {
  const started = serverLog.match(/^Changed: /gm)?.length ?? 0;
  const ended = serverLog.match(/^(Rebuilt in |Build failed)/gm)?.length ?? 0;
  return started - ended;
}

// Wait until no rebuild is running and no new generation appears for `opt.settle` ms (a previous
// write's rebuild is over; the watcher reports a write within its 20-500 ms debounce).
async function settle() {
  const end = performance.now() + opt.timeout * 1000;
  let st = await getJson(new URL('__lmp/status', base), 10000);
  for (;;) {
    await sleep(opt.settle);
    if (pending() > 0) {
      await waitLog(() => pending() <= 0, Math.max(0, end - performance.now()));
    } else {
      const now = await getJson(new URL('__lmp/status', base), 10000);
      if (now.gen === st.gen) return now;
      st = now;
    }
    if (performance.now() > end) throw new Error('the server never settled');
  }
}

// The server's output since `from`: the "Rebuilt in N ms" lines and per-stage timings.
function rebuiltSince(from) {
  const text = serverLog.slice(from);
  // Whole lines only: a line may arrive in two pieces.
  return [...text.matchAll(/^Rebuilt in (\d+) ms(?::[ \t]*([^\n]*))?\n/gm)].map((m) => ({ ms: Number(m[1]), what: m[2] ?? '' }));
}
function stagesSince(from) {
  const out = {};
  for (const m of serverLog.slice(from).matchAll(/^ +(\S[^\n]*?) +([\d.]+) ms$/gm)) {
    out[m[1]] = (out[m[1]] ?? 0) + Number(m[2]);
  }
  return out;
}
async function waitLog(pred, ms) {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) return false;
    await new Promise((ok) => { logWaiters.push(ok); setTimeout(ok, 50); });
    logWaiters = [];
  }
  return true;
}

// --- one measured edit ---------------------------------------------------------------------------
let counter = 0;
async function measure(kind, story, i) {
  const st = await settle();
  const marker = `${Date.now().toString(36)}${++counter}`;
  let text;
  let expect;
  if (kind === 'body') {
    expect = `Incremental benchmark sentence ${marker}.`;
    text = `${story.original.trimEnd()}\n\n${expect}\n`;
  } else {
    expect = `${story.title} (edit ${marker})`;
    text = story.original.replace(/^title:\s*".*"\s*$/m, `title: ${JSON.stringify(expect)}`);
    if (text === story.original) throw new Error(`could not change the title of ${story.file}`);
  }
  const logFrom = serverLog.length;
  const deadline = performance.now() + opt.timeout * 1000;
  // Open the long-poll before the write, as a browser tab would have it open.
  let gen = st.gen;
  let poll = getJson(new URL(`__lmp/poll?gen=${gen}`, base), opt.timeout * 1000);
  await sleep(20); // let the request reach the server
  const t0 = performance.now();
  writeFileSync(story.file, text);
  let ans;
  for (;;) {
    ans = await poll;
    if (ans.errors?.length) throw new Error(`${kind} edit of ${story.slug}: the rebuild failed: ${JSON.stringify(ans.errors[0])}`);
    if (ans.page_gen > st.page_gen) break;
    if (performance.now() > deadline) throw new Error(`${kind} edit of ${story.slug}: no page reload within ${opt.timeout} s`);
    gen = ans.gen; // a rebuild that changed no page (or only CSS): keep waiting
    poll = getJson(new URL(`__lmp/poll?gen=${gen}`, base), Math.ceil(Math.max(1000, deadline - performance.now())));
  }
  const signal = performance.now() - t0;
  // What the browser would load next: the page with the edit.
  const page = await getText(new URL(`stories/${story.slug}/`, base), 30000);
  const pageMs = performance.now() - t0;
  // (The marker alone: the rest of a title may come out HTML-escaped.)
  if (!page.includes(marker)) throw new Error(`${kind} edit of ${story.slug}: the reload signal came but /stories/${story.slug}/ does not show "${expect}"`);
  if (kind === 'title') {
    const list = await getText(new URL('stories/', base), 30000);
    if (!list.includes(marker)) throw new Error(`title edit of ${story.slug}: /stories/ does not show the new title "${expect}"`);
  }
  await waitLog(() => rebuiltSince(logFrom).length > 0, 5000);
  const rebuilt = rebuiltSince(logFrom);
  const r = {
    kind, run: i + 1, story: story.slug, signal_ms: signal, page_ms: pageMs,
    server_ms: rebuilt.length ? rebuilt[rebuilt.length - 1].ms : null,
    rebuilds: rebuilt.length, server_says: rebuilt.map((x) => x.what).join(' | '),
    stages: stagesSince(logFrom),
  };
  console.error(`  ${kind.padEnd(5)} #${String(i + 1).padEnd(2)} ${story.slug}: reload signal ${fmt(signal)}, page fetched ${fmt(pageMs)}`
    + `; server: ${rebuilt.map((x) => `Rebuilt in ${x.ms} ms: ${x.what}`).join('; ') || 'no "Rebuilt" line'}`);
  return r;
}

// --- the benchmark -------------------------------------------------------------------------------
const results = [];
// The kinds take turns (body, title, body, title...), so that a change in the machine's load
// during the run affects them alike. Each kind alternates between its own two stories; each edit
// of a story replaces that story's previous edit (a changed sentence, a changed title).
const storiesOf = Object.fromEntries(opt.kinds.map((k, j) => [k, stories.slice(2 * j, 2 * j + 2)]));
for (const kind of opt.kinds) {
  console.error(`incremental.mjs: ${opt.runs} ${kind} edit(s), alternating ${storiesOf[kind].map((s) => s.slug).join(' and ')}`);
}
for (let i = 0; i < opt.runs; i++) {
  for (const kind of opt.kinds) results.push(await measure(kind, storiesOf[kind][i % 2], i));
}

// Restore the stories and let the server see it before it stops.
restore();
await settle().catch(() => {});
const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const rev = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).stdout.trim() || '?';

// --- the report ----------------------------------------------------------------------------------
const targets = { body: 100, title: 300 };
console.log(`\nlmp serve, ${nDocs} documents (${opt.site}), lmp ${rev}, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, load average ${load}`);
console.log(`first build: ${firstLine ? `${firstLine[1]} ms` : 'n/a'}\n`);
console.log('| edit | runs | write → reload signal: median | min | max | page fetched: median | server "Rebuilt in": median | target |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
const summary = {};
for (const kind of opt.kinds) {
  const rs = results.filter((r) => r.kind === kind);
  const s = stats(rs.map((r) => r.signal_ms));
  const p = stats(rs.map((r) => r.page_ms));
  const sv = rs.map((r) => r.server_ms).filter((x) => x != null);
  const svs = sv.length ? stats(sv) : null;
  summary[kind] = { signal: s, page: p, server: svs };
  const met = s.median < targets[kind] ? 'met' : 'not met';
  console.log(`| ${kind} | ${s.n} | ${fmt(s.median)} | ${fmt(s.min)} | ${fmt(s.max)} | ${fmt(p.median)} | ${svs ? fmt(svs.median) : 'n/a'} | < ${targets[kind]} ms (${met}) |`);
}
// Per-stage timings of the rebuilds (lmp -v), median per kind.
const stageNames = [...new Set(results.flatMap((r) => Object.keys(r.stages)))];
if (stageNames.length) {
  console.log('\nRebuild stages (lmp -v serve), median per edit:\n');
  console.log(`| stage | ${opt.kinds.join(' | ')} |`);
  console.log(`| --- | ${opt.kinds.map(() => '---:').join(' | ')} |`);
  for (const name of stageNames) {
    const cells = opt.kinds.map((kind) => {
      const xs = results.filter((r) => r.kind === kind && r.stages[name] != null).map((r) => r.stages[name]);
      return xs.length ? fmt(stats(xs).median) : '';
    });
    console.log(`| ${name} | ${cells.join(' | ')} |`);
  }
}
if (opt.json) {
  writeFileSync(resolve(root, opt.json), JSON.stringify({
    site: opt.site, docs: nDocs, rev, load, first_build_ms: firstLine ? Number(firstLine[1]) : null, summary, results,
  }, null, 2));
}
console.error(`\nincremental.mjs: server output in ${SERVE_LOG}`);
await shutdown(0);
