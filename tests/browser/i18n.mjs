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

// QA Q32: a word only English pages have. The Spanish search page does not say "check the
// spelling": it says the word is on pages in another language and lists them, marked English.
test('Spanish search offers the English pages when no Spanish page has the word', async () => {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${origin}/lmp/es/search/?q=perspectives`);
  await page.waitForFunction(() => document.documentElement.dataset.searchState === 'done');
  const status = await page.textContent('#search-status');
  assert.doesNotMatch(status, /ortografía/, status);
  assert.match(status, /^No hay páginas en español con “perspectives”, pero sí en otro idioma/, status);
  assert.equal(await page.isVisible('#search-others'), true);
  assert.equal(await page.getAttribute('#search-others ol', 'lang'), 'en');
  assert.match(await page.textContent('#search-others h2'), /^Resultados en otro idioma \(English\):$/);
  assert.equal(await page.getAttribute('#search-others h2 span', 'lang'), 'en');
  const english = await page.$$eval('#search-others a', (as) => as.map((a) => [a.getAttribute('href'), a.getAttribute('hreflang')]));
  assert.ok(english.some(([u]) => u === '/lmp/stories/moanalua-medical-center-team/'), JSON.stringify(english));
  for (const [u, l] of english) assert.ok(!u.startsWith('/lmp/es/') && l === 'en', JSON.stringify(english));
  // The box "search in other languages" stays unticked: the English results came on their own.
  assert.equal(await page.isChecked('#search-all'), false);
  assert.equal(new URL(page.url()).searchParams.get('all'), null);
  // A word with enough Spanish results shows only those.
  await page.fill('#search-q', 'sindicatos');
  await page.waitForFunction(() => new URL(location.href).searchParams.get('q') === 'sindicatos');
  await page.waitForFunction(() => document.documentElement.dataset.searchState === 'done'
    && /sindicatos/.test(document.getElementById('search-status').textContent));
  const n = await page.$$eval('#search-results .search-hit', (l) => l.length);
  assert.ok(n > 0, 'Spanish results');
  assert.equal(await page.isVisible('#search-others'), false, 'no English results when there are Spanish ones');
  // QA Q30: a typo says which word it matched as the pages write it, accents included.
  await page.fill('#search-q', 'reunon');
  await page.waitForFunction(() => new URL(location.href).searchParams.get('q') === 'reunon');
  await page.waitForFunction(() => document.documentElement.dataset.searchState === 'done'
    && /reunon/.test(document.getElementById('search-status').textContent));
  assert.match(await page.textContent('#search-status'), /“reunión” para “reunon”/);
  // QA Q79: the language switcher leads to the same search in English.
  assert.equal(await (await switcher(page, 'en')).getAttribute('href'), '/lmp/search/?q=reunon');
  // QA Q50: a word typed without ñ finds the ñ word, and says so.
  await page.fill('#search-q', 'ano');
  await page.waitForFunction(() => new URL(location.href).searchParams.get('q') === 'ano');
  await page.waitForFunction(() => document.documentElement.dataset.searchState === 'done'
    && /ano/.test(document.getElementById('search-status').textContent));
  assert.match(await page.textContent('#search-status'), /“años” para “ano”/);
  const first = await page.$eval('#search-results .search-hit h2 a', (a) => a.getAttribute('href'));
  assert.match(first, /^\/lmp\/es\/stories\/lmp-celebrates-20th-year\//, first);
  // QA Q91: every page with "reunión" says "UBT": the minus is why, not the spelling.
  await page.fill('#search-q', 'reunión -ubt');
  await page.waitForFunction(() => new URL(location.href).searchParams.get('q') === 'reunión -ubt');
  await page.waitForFunction(() => document.documentElement.dataset.searchState === 'done'
    && /-ubt/.test(document.getElementById('search-status').textContent));
  const excluded = await page.textContent('#search-status');
  assert.match(excluded, /excluyó con el signo menos/, excluded);
  assert.doesNotMatch(excluded, /ortografía/, excluded);
  // Only common words (QA s8): said so, and no English pages offered for "de la".
  await page.fill('#search-q', 'de la');
  await page.waitForFunction(() => new URL(location.href).searchParams.get('q') === 'de la');
  await page.waitForFunction(() => document.documentElement.dataset.searchState === 'done'
    && /de la/.test(document.getElementById('search-status').textContent));
  const common = await page.textContent('#search-status');
  assert.match(common, /palabras comunes/, common);
  assert.equal(await page.isVisible('#search-others'), false, 'no English results for "de la"');
  // QA s15: only words to leave out: not "common words" (as `lmp search "-huddle"` says).
  await page.fill('#search-q', '-reunión');
  await page.waitForFunction(() => new URL(location.href).searchParams.get('q') === '-reunión');
  await page.waitForFunction(() => document.documentElement.dataset.searchState === 'done'
    && /-reunión/.test(document.getElementById('search-status').textContent));
  const minus = await page.textContent('#search-status');
  assert.match(minus, /después del signo menos es una palabra que se excluye; añada una palabra que buscar/, minus);
  assert.doesNotMatch(minus, /palabras comunes/, minus);
  await page.goto(`${origin}/lmp/search/?q=-huddle`);
  await page.waitForFunction(() => document.documentElement.dataset.searchState === 'done'
    && /-huddle/.test(document.getElementById('search-status').textContent));
  const minusEn = await page.textContent('#search-status');
  assert.match(minusEn, /A word after a minus sign is a word to leave out; add a word to look for/, minusEn);
  assert.doesNotMatch(minusEn, /common words/, minusEn);
  // QA s16: no words at all (`""`): said so, not "common words".
  await page.goto(`${origin}/lmp/search/?q=${encodeURIComponent('"" ?!')}`);
  await page.waitForFunction(() => document.documentElement.dataset.searchState === 'done'
    && /No results/.test(document.getElementById('search-status').textContent));
  const none = await page.textContent('#search-status');
  assert.match(none, /There are no words to look for; type a word or a phrase/, none);
  assert.doesNotMatch(none, /common words/, none);
  assert.deepEqual(errors, []);
  await page.close();
});

// Issue 16: a Spanish word typed on the English search page. No "check the spelling": the status
// says other languages' pages have it, the Spanish results are listed (marked Spanish), and a link
// in Spanish leads to the same search on the Spanish search page; and the other way round.
test('the English search page leads a Spanish word to the Spanish results, and back', async () => {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${origin}/lmp/search/?q=sindicatos`);
  await page.waitForFunction(() => document.documentElement.dataset.searchState === 'done');
  const status = await page.textContent('#search-status');
  assert.doesNotMatch(status, /spelling/, status);
  assert.match(status, /^No pages in English have “sindicatos”, but some in another language do/, status);
  assert.equal(await page.getAttribute('#search-others ol', 'lang'), 'es');
  assert.match(await page.textContent('#search-others h2'), /^Results in another language \(Español\):$/);
  const spanish = await page.$$eval('#search-others ol a', (as) => as.map((a) => [a.getAttribute('href'), a.getAttribute('hreflang')]));
  assert.ok(spanish.length > 0, 'Spanish results listed');
  for (const [u, l] of spanish) assert.ok(u.startsWith('/lmp/es/') && l === 'es', JSON.stringify(spanish));
  const link = page.locator('#search-others .search-elsewhere a');
  assert.equal(await link.getAttribute('href'), '/lmp/es/search/?q=sindicatos');
  assert.equal(await link.getAttribute('hreflang'), 'es');
  assert.equal(await page.getAttribute('#search-others .search-elsewhere', 'lang'), 'es');
  assert.equal((await link.textContent()).trim(), 'Buscar “sindicatos” en las páginas en español');
  await Promise.all([page.waitForNavigation(), link.click()]);
  await page.waitForFunction(() => document.documentElement.dataset.searchState === 'done');
  assert.equal(await lang(page), 'es');
  const found = await results(page);
  assert.ok(found.length > 0 && found.every((u) => u.startsWith('/lmp/es/')), JSON.stringify(found));
  // The other way: an English-only word on the Spanish page links to the English search.
  await page.goto(`${origin}/lmp/es/search/?q=perspectives&region=hawaii`);
  await page.waitForFunction(() => document.documentElement.dataset.searchState === 'done');
  const back = page.locator('#search-others .search-elsewhere a');
  assert.equal(await back.getAttribute('href'), '/lmp/search/?q=perspectives&region=hawaii', 'words and filters kept');
  assert.equal(await back.getAttribute('hreflang'), 'en');
  assert.equal((await back.textContent()).trim(), 'Search the English pages for “perspectives”');
  // Gibberish is still a spelling question, in English.
  await page.goto(`${origin}/lmp/search/?q=qzxvbq`);
  await page.waitForFunction(() => document.documentElement.dataset.searchState === 'done');
  assert.match(await page.textContent('#search-status'), /Check the spelling/);
  assert.equal(await page.isVisible('#search-others'), false);
  assert.deepEqual(errors, []);
  await page.close();
});

// QA Q93: a shared address with a region filter that has no result in this language names the
// region (not its slug) and lists the filter, checked, so that one click removes it.
test('a region filter with no result is named and can be removed', async () => {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  for (const [path, q, slug, name, count] of [
    // The region has no Spanish page: its name in config.yaml's `terms: regions:`.
    ['es/search/', 'reunión', 'northwest', 'Noroeste', /^No hay resultados para “reunión” en Noroeste\./],
    ['search/', 'huddle', 'colorado', 'Colorado', /^No results for “huddle” in Colorado\./],
  ]) {
    await page.goto(`${origin}/lmp/${path}?q=${encodeURIComponent(q)}&region=${slug}`);
    await settled(page);
    const status = await page.textContent('#search-status');
    assert.match(status, count, status);
    const box = `#f-region-${slug}`;
    assert.equal(await page.isChecked(box), true, `${box} is listed and checked`);
    assert.match(await page.textContent(`label[for="f-region-${slug}"]`), new RegExp(`^${name} \\(0\\)`));
    await page.click(box);
    await page.waitForFunction(() => !new URL(location.href).searchParams.has('region'));
    await settled(page);
    assert.ok((await results(page)).length > 0, `${q}: results once the filter is removed`);
  }
  assert.deepEqual(errors, []);
  await page.close();
});

// QA Q102: the search page's own examples (the <kbd>s of its help) find pages, in each language,
// and the status line does not double the quote marks of a phrase.
test('the search help examples find pages in both languages', async () => {
  const page = await browser.newPage();
  for (const path of ['search/', 'es/search/']) {
    await page.goto(`${origin}/lmp/${path}`);
    const examples = await page.$$eval('#search-help kbd', (ks) => ks.map((k) => k.textContent));
    assert.ok(examples.length >= 2, `${path}: ${JSON.stringify(examples)}`);
    for (const q of examples) {
      await page.goto(`${origin}/lmp/${path}?q=${encodeURIComponent(q)}`);
      await settled(page);
      const status = await page.textContent('#search-status');
      assert.ok((await results(page)).length > 0, `${path} ${q}: ${status}`);
      assert.doesNotMatch(status, /“"|"”/, status);
    }
  }
  await page.close();
});

// QA Q109 (WCAG 1.4.10 Reflow): a title with a long unbroken word (an e-mail address, a product
// code) fits a 320 px screen: the breadcrumb's last item breaks instead of widening the page.
test('a long word in a title does not make the page scroll sideways at 320 px', async () => {
  const context = await browser.newContext({ viewport: { width: 320, height: 800 } });
  const page = await context.newPage();
  for (const path of [STORY, `es/${STORY}`]) {
    await page.goto(`${origin}/lmp/${path}`);
    await page.$eval('.breadcrumb [aria-current="page"]', (a) => { a.textContent = 'partnershipquestions@kaiserpermanente.org-Supercalifragilistico'; });
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 320, `${path}: the page is ${width} px wide at 320 px`);
  }
  await context.close();
});

// With JavaScript off, a Spanish story reads whole and its switcher works; the Spanish search page
// says, in Spanish, where to find pages without the search box.
test('Spanish pages are readable with JavaScript off', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`${origin}/lmp/es/${STORY}`);
  assert.equal(await lang(page), 'es');
  assert.equal((await page.textContent('h1')).trim(), STORY_TITLE_ES);
  const text = await page.innerText('main');
  assert.ok(text.length > 800, `the story's text is shown: ${text.length} characters`);
  const toEn = await switcher(page, 'en');
  assert.ok(toEn && await toEn.isVisible(), 'the switcher is there without JavaScript');
  await page.goto(`${origin}/lmp/es/search/`);
  assert.equal(await lang(page), 'es');
  const nojs = await page.innerText('main');
  assert.match(nojs, /historias/, nojs);
  assert.doesNotMatch(nojs, /aparecen mientras escribe/, 'no help for a search box that cannot search');
  assert.ok(await page.isVisible(`a[href="/lmp/es/stories/"]`), 'the Spanish list of stories is linked');
  await context.close();
});
