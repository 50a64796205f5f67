// Shared setup of the browser tests (tests/browser/*.mjs, tests/a11y/axe.mjs): where the project
// is, which lmp binary to run, building a site, a static server with a request log, headless
// Chromium, and page weight. The suites keep their assertions; this file keeps their plumbing.
//
// Environment read here:
//   LMP_BIN   an lmp binary to run as it is (scripts/test-all.sh points every suite at the one
//             `cargo test` built); without it `cargo run --release --quiet --` builds and runs one.
//   CHROMIUM  the browser (default /usr/bin/chromium, Debian's package).
import { createServer } from 'node:http';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

/** The project folder (the one with Cargo.toml). */
export const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));

/** Content types the static server sends, by extension. */
export const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.json': 'application/json',
  '.css': 'text/css', '.xml': 'application/xml', '.txt': 'text/plain', '.svg': 'image/svg+xml',
  '.jpg': 'image/jpeg', '.png': 'image/png', '.webp': 'image/webp', '.mp4': 'video/mp4',
  '.vtt': 'text/vtt', '.woff2': 'font/woff2',
};
/** Extensions a static host compresses (gzip) when the browser accepts it. */
export const TEXT = new Set(['.html', '.js', '.json', '.css', '.xml', '.txt', '.svg', '.vtt']);

/** The lmp binary the suites run: `LMP_BIN`, or null (then `cargo run --release` is used). */
export const lmpBin = process.env.LMP_BIN ? resolve(process.env.LMP_BIN) : null;

/**
 * Run `lmp ARGS…` in the project folder and return its stdout. `LMP_BIN` when set, else
 * `cargo run --release --quiet --` (which builds the release binary first if needed).
 */
export function lmp(args, opts = {}) {
  const o = { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], ...opts };
  return lmpBin ? execFileSync(lmpBin, args, o) : execFileSync('cargo', ['run', '--release', '--quiet', '--', ...args], o);
}

/** Start `lmp ARGS…` as a child process (for `lmp serve`); same binary choice as [`lmp`]. */
export function spawnLmp(args, opts = {}) {
  const bin = lmpBin || join(root, 'target', 'release', 'lmp');
  if (!lmpBin && !existsSync(bin)) execFileSync('cargo', ['build', '--release', '--quiet'], { cwd: root, stdio: 'inherit' });
  return spawn(bin, args, opts);
}

/**
 * The output to test: `LMP_PUBLIC` when set (an already built output, which must have been built
 * with the same options), else build `site` (default the sample site/) into
 * target/NAME/public with `lmp build --quiet` and `extra` arguments (e.g. a `--base-url`).
 */
export function buildSite(name, { site = join(root, 'site'), extra = [] } = {}) {
  if (process.env.LMP_PUBLIC) return resolve(process.env.LMP_PUBLIC);
  const out = join(root, 'target', name, 'public');
  lmp(['build', '--quiet', '--site', site, '--out', out, ...extra], { stdio: ['ignore', 'inherit', 'inherit'] });
  return out;
}

/**
 * Serve `dir` on 127.0.0.1 (a free port) like a static host: `prefix` is the base path the site
 * was built for (`/lmp/`: other paths answer 404), folders answer with their index.html, text
 * files are gzipped when the browser accepts it (`gzip: false` to send them as they are).
 * Every request is logged as `{ path, bytes, status }` (bytes as sent) in `server.log`.
 * Resolves to `{ origin, log, close() }`.
 */
export function serveStatic(dir, { prefix = '/', gzip = true } = {}) {
  const base = resolve(dir);
  const log = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    if (!url.pathname.startsWith(prefix)) { res.writeHead(404); res.end(`not under ${prefix}`); return; }
    let rel;
    try { rel = decodeURIComponent(url.pathname.slice(prefix.length)); } catch { res.writeHead(400); res.end(); return; }
    let file = normalize(join(base, rel));
    if (file !== base && !file.startsWith(base + '/')) { res.writeHead(403); res.end(); return; }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!existsSync(file)) { res.writeHead(404); res.end('missing'); log.push({ path: url.pathname, bytes: 7, status: 404 }); return; }
    let body = readFileSync(file);
    const ext = extname(file);
    const headers = { 'content-type': TYPES[ext] || 'application/octet-stream', 'cache-control': 'no-cache' };
    if (gzip && TEXT.has(ext) && /gzip/.test(req.headers['accept-encoding'] || '')) {
      body = gzipSync(body, { level: 9 });
      headers['content-encoding'] = 'gzip';
    }
    log.push({ path: url.pathname, bytes: body.length, status: 200 });
    res.writeHead(200, headers);
    res.end(body);
  });
  return new Promise((ok) => {
    server.listen(0, '127.0.0.1', () => {
      ok({ origin: `http://127.0.0.1:${server.address().port}`, log, close: () => server.close() });
    });
  });
}

/** Bytes sent for the requests logged since `mark` (an index into `log`) whose path passes `filter`. */
export function bytesSince(log, mark, filter = () => true) {
  return log.slice(mark).filter((r) => filter(r.path)).reduce((s, r) => s + r.bytes, 0);
}

/** Headless Chromium (`CHROMIUM`, default Debian's /usr/bin/chromium) with nothing phoning home. */
export function launchChromium(opts = {}) {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
    ...opts,
  });
}

/**
 * Page weight: open `url` in `page`, scroll to the end so lazy images load, wait for the network
 * to settle, and return `{ bytes, requests }` (bytes as sent, from the server's `log`) with the
 * list of requests.
 */
export async function pageWeight(page, url, log) {
  const mark = log.length;
  await page.goto(url, { waitUntil: 'load' });
  for (let y = 0; y < 20; y++) {
    await page.mouse.wheel(0, 600);
    await page.waitForTimeout(50);
  }
  await page.waitForLoadState('networkidle');
  const requests = log.slice(mark);
  return { bytes: requests.reduce((s, r) => s + r.bytes, 0), requests };
}
