// Browser test of the search page of a right-to-left language (session 23): on an Arabic search
// page, the results from another language (English, when no Arabic page has the words) are a
// list in that language's direction, `lang="en" dir="ltr"`, as the language's name in the heading
// (they had `lang` only, so their punctuation was laid out right to left). Builds the `basic`
// fixture with an Arabic translation under target/rtl-search/.
//
//   node tests/browser/rtl-search.mjs
// Env: LMP_BIN (the lmp binary; default `cargo run --release`), CHROMIUM (default /usr/bin/chromium).
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { root, lmp, launchChromium, serveStatic } from './lib.mjs';

let server, browser;

before(async () => {
  const dir = join(root, 'target', 'rtl-search');
  rmSync(dir, { recursive: true, force: true });
  const site = join(dir, 'site');
  cpSync(join(root, 'tests', 'fixtures', 'basic'), site, { recursive: true });
  appendFileSync(join(site, 'config.yaml'),
    'languages:\n  en: {name: English}\n  ar:\n    name: العربية\n    title: شراكة\n    menu:\n      - {name: قصص, url: /stories/}\n');
  writeFileSync(join(site, 'stories', 'first-story.ar.md'),
    '---\ntitle: القصة الأولى\nsummary: قصة عن فريق.\n---\nتعلم فريق في هاواي كيف يجتمع.\n');
  mkdirSync(join(site, 'i18n'), { recursive: true });
  cpSync(join(root, 'themes', 'lmp', 'i18n', 'en.yaml'), join(site, 'i18n', 'ar.yaml'));
  const out = join(dir, 'public');
  lmp(['build', '--quiet', '--site', site, '--out', out], { stdio: ['ignore', 'inherit', 'inherit'] });
  server = await serveStatic(out, { gzip: false });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  server?.close();
});

test('English results on an Arabic search page read left to right', async () => {
  const page = await browser.newPage();
  await page.goto(`${server.origin}/ar/search/?q=huddle`);
  await page.waitForSelector('#search-others:not([hidden]) ol li');
  assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
  assert.equal(await page.getAttribute('#search-others ol', 'lang'), 'en');
  assert.equal(await page.getAttribute('#search-others ol', 'dir'), 'ltr');
  assert.equal(await page.getAttribute('#search-others h2 span', 'dir'), 'ltr');
  const direction = await page.$eval('#search-others ol', (e) => getComputedStyle(e).direction);
  assert.equal(direction, 'ltr');
  await page.close();
});
