// Browser test of media in headless Chromium (playwright-core), at 375 px like a phone:
// - the page weight of a photo story (a lead photo and body images): every byte the page
//   downloads once scrolled to the end (HTML, CSS, JS, fonts, images; gzip for text, as a
//   static host sends it) is at most 200 kB, and the candidates the browser picked from srcset;
// - the YouTube facade of a video page: no request leaves the site before the click, the link
//   became a button, and after the click the youtube-nocookie.com player appears in a titled
//   iframe (the third-party request is answered locally: the test needs no network).
//
//   node tests/browser/media.mjs
// Env: LMP_PUBLIC (an already built output of site/ to serve instead of building),
// CHROMIUM (default /usr/bin/chromium).
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, normalize, resolve, extname } from 'node:path';
import { gzipSync } from 'node:zlib';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const STORY = '/stories/moanalua-medical-center-team/';
const VIDEO = '/videos/union-delegates-conference-2013/';
const BUDGET = 200 * 1024;

let server, browser, origin;
let log = []; // [path, bytes sent]

function build() {
  if (process.env.LMP_PUBLIC) return resolve(process.env.LMP_PUBLIC);
  const out = join(root, 'target', 'media-browser', 'public');
  execFileSync('cargo', ['run', '--release', '--quiet', '--', 'build', '--quiet', '--site', join(root, 'site'), '--out', out],
    { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  return out;
}

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.json': 'application/json',
  '.css': 'text/css', '.xml': 'application/xml', '.svg': 'image/svg+xml', '.jpg': 'image/jpeg',
  '.png': 'image/png', '.webp': 'image/webp', '.mp4': 'video/mp4', '.vtt': 'text/vtt', '.woff2': 'font/woff2' };
const TEXT = new Set(['.html', '.js', '.json', '.css', '.xml', '.svg', '.vtt']);

function serve(publicDir) {
  return new Promise((ok) => {
    server = createServer((req, res) => {
      const url = new URL(req.url, 'http://x');
      let file = normalize(join(publicDir, decodeURIComponent(url.pathname)));
      if (!file.startsWith(publicDir)) { res.writeHead(403); res.end(); return; }
      if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
      if (!existsSync(file)) { res.writeHead(404); res.end(); log.push([url.pathname, 0]); return; }
      let body = readFileSync(file);
      const ext = extname(file);
      const headers = { 'content-type': TYPES[ext] || 'application/octet-stream', 'cache-control': 'no-cache' };
      if (TEXT.has(ext) && /gzip/.test(req.headers['accept-encoding'] || '')) {
        body = gzipSync(body, { level: 9 });
        headers['content-encoding'] = 'gzip';
      }
      log.push([url.pathname, body.length]);
      res.writeHead(200, headers);
      res.end(body);
    });
    server.listen(0, '127.0.0.1', () => { origin = `http://127.0.0.1:${server.address().port}`; ok(); });
  });
}

before(async () => {
  await serve(build());
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox'] });
});
after(async () => { await browser?.close(); server?.close(); });

async function phone() {
  const context = await browser.newContext({ viewport: { width: 375, height: 740 }, deviceScaleFactor: 2 });
  return [context, await context.newPage()];
}

test(`a photo story at 375 px downloads at most ${BUDGET / 1024} kB`, async () => {
  const [context, page] = await phone();
  log = [];
  await page.goto(origin + STORY, { waitUntil: 'load' });
  // Scroll to the end so that every lazy image loads too.
  for (let y = 0; y < 20; y++) {
    await page.mouse.wheel(0, 600);
    await page.waitForTimeout(50);
  }
  await page.waitForLoadState('networkidle');
  const picked = await page.$$eval('main img', (imgs) => imgs.filter((i) => i.complete && i.currentSrc)
    .map((i) => `${i.currentSrc.replace(/^https?:\/\/[^/]+/, '')} (${i.clientWidth} css px)`));
  const total = log.reduce((s, [, b]) => s + b, 0);
  const lines = log.map(([p, b]) => `  ${(b / 1024).toFixed(1).padStart(7)} kB  ${p}`).join('\n');
  console.log(`# ${STORY} at 375 px (2x): ${(total / 1024).toFixed(1)} kB in ${log.length} requests\n${lines}\n# picked from srcset:\n  ${picked.join('\n  ')}`);
  assert.ok(picked.length >= 2, `the story shows a lead photo and body images: ${picked}`);
  assert.ok(picked.every((p) => !/-1600x/.test(p)), `no 1600 px candidate on a phone: ${picked}`);
  assert.ok(total <= BUDGET, `${(total / 1024).toFixed(1)} kB is over the ${BUDGET / 1024} kB budget`);
  await context.close();
});

test('the YouTube facade loads nothing from YouTube before the click, then the player', async () => {
  const [context, page] = await phone();
  const outside = [];
  page.on('request', (r) => { if (!r.url().startsWith(origin) && !r.url().startsWith('data:')) outside.push(r.url()); });
  // Answer the player's request locally, so the test needs no network.
  await context.route(/youtube-nocookie\.com|youtube\.com|ytimg\.com|vimeo/, (route) =>
    route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><title>player</title><p>player</p>' }));
  await page.goto(origin + VIDEO, { waitUntil: 'networkidle' });
  await page.mouse.wheel(0, 2000);
  await page.waitForTimeout(200);
  assert.deepEqual(outside, [], 'no request to another host before the click');
  assert.equal(await page.locator('.player-facade iframe').count(), 0);
  const button = page.getByRole('button', { name: /Play “Learning to lead/ });
  assert.equal(await button.count(), 1, 'the link became a button named after the video');
  await button.click();
  const frame = page.locator('.player-facade iframe');
  await frame.waitFor();
  assert.match(await frame.getAttribute('src'), /^https:\/\/www\.youtube-nocookie\.com\/embed\/[\w-]+\?autoplay=1/);
  assert.match(await frame.getAttribute('title'), /^Video: Learning to lead/);
  assert.ok(outside.every((u) => u.startsWith('https://www.youtube-nocookie.com/')), `only the nocookie player: ${outside}`);
  await context.close();
});

test('with JavaScript off the facade is a link to the video', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 375, height: 740 } });
  const page = await context.newPage();
  await page.goto(origin + VIDEO);
  const link = page.getByRole('link', { name: /Play “Learning to lead/ });
  assert.match(await link.getAttribute('href'), /^https:\/\/www\.youtube\.com\/watch\?v=/);
  await context.close();
});
