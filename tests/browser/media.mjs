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
import { buildSite, launchChromium, pageWeight, serveStatic } from './lib.mjs';

const STORY = '/stories/moanalua-medical-center-team/';
const VIDEO = '/videos/union-delegates-conference-2013/';
const BUDGET = 200 * 1024;

let server, browser, origin;

before(async () => {
  server = await serveStatic(buildSite('media-browser'));
  origin = server.origin;
  browser = await launchChromium();
});
after(async () => { await browser?.close(); server?.close(); });

async function phone() {
  const context = await browser.newContext({ viewport: { width: 375, height: 740 }, deviceScaleFactor: 2 });
  return [context, await context.newPage()];
}

test(`a photo story at 375 px downloads at most ${BUDGET / 1024} kB`, async () => {
  const [context, page] = await phone();
  // Scrolled to the end, so that every lazy image loads too.
  const { bytes: total, requests } = await pageWeight(page, origin + STORY, server.log);
  const picked = await page.$$eval('main img', (imgs) => imgs.filter((i) => i.complete && i.currentSrc)
    .map((i) => `${i.currentSrc.replace(/^https?:\/\/[^/]+/, '')} (${i.clientWidth} css px)`));
  const lines = requests.map((r) => `  ${(r.bytes / 1024).toFixed(1).padStart(7)} kB  ${r.path}`).join('\n');
  console.log(`# ${STORY} at 375 px (2x): ${(total / 1024).toFixed(1)} kB in ${requests.length} requests\n${lines}\n# picked from srcset:\n  ${picked.join('\n  ')}`);
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
