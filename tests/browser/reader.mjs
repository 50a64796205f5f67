// Browser test of what a reader meets beyond axe's rules, in headless Chromium (playwright-core):
// the sample site in Windows contrast themes (forced colours), where the theme's colours are
// replaced by the system's and only shapes tell things apart.
//
//   node tests/browser/reader.mjs
// Env: LMP_PUBLIC (an already built output of site/ at the root path to serve instead of
// building), LMP_BIN, CHROMIUM (see lib.mjs).
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { buildSite, launchChromium, serveStatic } from './lib.mjs';

let server, browser, origin;

before(async () => {
  server = await serveStatic(buildSite('reader-browser'), { prefix: '/', gzip: false });
  origin = server.origin;
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  server?.close();
});

// QA s15: forced colours draw a transparent border in the link colour, so every entry of the main
// menu had the bar that marks the current page, in English and in Spanish.
test('in forced colours only the current page has the bar under its menu entry', async () => {
  for (const [path, current] of [['/regions/', 'Regions'], ['/es/stories/', 'Historias'], ['/search/', null]]) {
    for (const forcedColors of ['none', 'active']) {
      const ctx = await browser.newContext({ forcedColors, viewport: { width: 1280, height: 800 } });
      const page = await ctx.newPage();
      await page.goto(origin + path);
      const entries = await page.$$eval('.site-nav a', (as) => as.map((a) => {
        const cs = getComputedStyle(a);
        // The bar shows when its colour differs from what is behind it.
        // (transparent: alpha 0, `rgba(255, 255, 255, 0)` in forced colours)
        const clear = (c) => c === 'transparent' || /^rgba\(.*,\s*0\)$/.test(c);
        let bg = 'transparent';
        for (let e = a; e && clear(bg); e = e.parentElement) bg = getComputedStyle(e).backgroundColor;
        const colour = cs.borderBottomColor;
        const shown = parseFloat(cs.borderBottomWidth) > 0 && colour !== bg && !clear(colour);
        return { text: a.textContent.trim(), shown };
      }));
      const marked = entries.filter((e) => e.shown).map((e) => e.text);
      assert.deepEqual(marked, current ? [current] : [], `${path} forced colours ${forcedColors}: ${JSON.stringify(entries)}`);
      await ctx.close();
    }
  }
});
