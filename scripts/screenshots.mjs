// The README's screenshots of the sample site, in English and Spanish, at 1,280 and 320 px:
//   LMP_BIN=target/release/lmp node scripts/screenshots.mjs [OUT_DIR]   (default docs/screenshots)
// Builds site/ (or reads LMP_PUBLIC), serves it at the root, and takes each page's top part in
// headless Chromium after scrolling through it (lazy pictures load), at a device pixel ratio of
// 1. It fails on a page that scrolls sideways, has a broken picture or the wrong `lang`.
import { join } from 'node:path';
import { buildSite, launchChromium, root, serveStatic } from '../tests/browser/lib.mjs';

const outDir = process.argv[2] || join(root, 'docs', 'screenshots');
const pub = buildSite('readme-screenshots');
const shots = [
  // file, path, language, width, height
  ['home.png', '/', 'en', 1280, 1000],
  ['story-320.png', '/stories/interest-based-bargaining/', 'en', 320, 1300],
  ['home-es-320.png', '/es/', 'es', 320, 1300],
  ['story-es.png', '/es/stories/interest-based-bargaining/', 'es', 1280, 1000],
  ['regions.png', '/regions/', 'en', 1280, 1100],
];
const server = await serveStatic(pub, { prefix: '/' });
const browser = await launchChromium();
let failed = false;
for (const [file, path, lang, width, height] of shots) {
  const ctx = await browser.newContext({ viewport: { width, height }, deviceScaleFactor: 1 });
  const page = await ctx.newPage();
  await page.goto(server.origin + path, { waitUntil: 'load' });
  for (let y = 0; y < 8; y++) { await page.mouse.wheel(0, 400); await page.waitForTimeout(60); }
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.waitForLoadState('networkidle');
  await page.waitForTimeout(300);
  const problems = [];
  if (await page.getAttribute('html', 'lang') !== lang) problems.push(`lang is not ${lang}`);
  const wide = await page.evaluate(() => document.documentElement.scrollWidth);
  if (wide > width) problems.push(`${wide} px wide`);
  const broken = await page.$$eval('img', (is) => is.filter((i) => i.complete && i.naturalWidth === 0).map((i) => i.src));
  if (broken.length) problems.push(`broken pictures: ${broken.join(', ')}`);
  await page.screenshot({ path: join(outDir, file), clip: { x: 0, y: 0, width, height } });
  console.log(`${file}: ${path} at ${width} px${problems.length ? ` — ${problems.join('; ')}` : ''}`);
  failed ||= problems.length > 0;
  await ctx.close();
}
await browser.close();
server.close();
process.exit(failed ? 1 : 0);
