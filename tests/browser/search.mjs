// Browser test of the search page in headless Chromium (playwright-core): builds a site under the
// sub-path /lmp/, serves it from a tiny gzip-capable static server on 127.0.0.1, types a query,
// checks results, filters, the URL, the back button, keyboard navigation, typos, "no results",
// the no-JavaScript message, and records the bytes downloaded (compressed, as sent).
//
//   node tests/browser/search.mjs
// Env: LMP_SITE (default site/ when present, else tests/fixtures/basic), LMP_PUBLIC (an already
// built output to serve instead of building; it must have been built with base path /lmp/),
// LMP_QUERY (default from the site), CHROMIUM (default /usr/bin/chromium).
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSite, bytesSince as bytesIn, launchChromium, lmp, root, serveStatic } from './lib.mjs';

const site = process.env.LMP_SITE || (existsSync(join(root, 'site', 'config.yaml')) ? join(root, 'site') : join(root, 'tests/fixtures/basic'));
const isSample = site.endsWith('/site') || site.endsWith('/site/');
// Query, filter facet and a typo that finds something, per site.
const QUERY = process.env.LMP_QUERY || (isSample ? 'partnership' : 'huddle');
const TYPO = isSample ? 'partnersip' : 'hudle board';
const FILTER_FACET = process.env.LMP_FILTER || 'collection';

let server, browser, origin;
let log = []; // { path, bytes, status }: every request, bytes as sent (see lib.mjs serveStatic)

const bytesSince = (mark, filter = () => true) => log.slice(mark).filter((r) => filter(r.path)).reduce((s, r) => s + r.bytes, 0);
const filesSince = (mark) => log.slice(mark).map((r) => `${r.path} ${r.bytes}`);

before(async () => {
  server = await serveStatic(buildSite('search-browser', { site, extra: ['--base-url', 'https://example.org/lmp/'] }), { prefix: '/lmp/' });
  ({ origin, log } = server);
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  server?.close();
});

async function results(page) {
  return page.$$eval('#search-results .search-hit h2 a', (as) => as.map((a) => a.getAttribute('href')));
}

async function settled(page) {
  await page.waitForFunction(() => document.documentElement.dataset.searchState === 'done'
    && document.getElementById('search-status').textContent.trim() !== '');
}

test('type, see results, filter, share the URL, go back', async () => {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  const m0 = log.length;
  await page.goto(`${origin}/lmp/search/`);
  await page.waitForSelector('#search-q');
  await page.waitForLoadState('networkidle');
  const pageBytes = bytesSince(m0);
  const scriptBytes = bytesSince(m0, (p) => p.endsWith('.js'));
  const manifestBytes = bytesSince(m0, (p) => p.endsWith('manifest.json'));
  const m1 = log.length;
  await page.type('#search-q', QUERY, { delay: 40 });
  await settled(page);
  await page.waitForLoadState('networkidle');
  const queryBytes = bytesSince(m1);
  const queryFiles = filesSince(m1);
  const first = await results(page);
  assert.ok(first.length > 0, 'results appear as you type');
  assert.ok(first.every((h) => h.startsWith('/lmp/')), `result links keep the base path: ${first}`);
  const status = await page.textContent('#search-status');
  assert.match(status, /\d+ results? for/);
  assert.equal(await page.getAttribute('#search-status', 'aria-live'), 'polite');
  assert.ok(await page.$('#search-results mark'), 'matches are highlighted');
  assert.ok(new URL(page.url()).searchParams.get('q') === QUERY, `URL has the query: ${page.url()}`);

  // A filter: the first value of FILTER_FACET, its group opened first (its counts come then).
  assert.equal(await page.isVisible(`#search-filters input[name="${FILTER_FACET}"]`), false, 'filter groups start closed');
  await page.click(`#f-open-${FILTER_FACET}`);
  await page.waitForFunction((f) => document.querySelector(`#search-filters input[name="${f}"] + label .search-count`), FILTER_FACET);
  await settled(page);
  const box = await page.$(`#search-filters input[name="${FILTER_FACET}"]`);
  assert.ok(box, `a ${FILTER_FACET} filter is offered`);
  const value = await box.getAttribute('value');
  const label = await page.textContent(`label[for="f-${FILTER_FACET}-${value}"]`);
  const expected = Number(/\((\d+)\)/.exec(label)[1]);
  await box.click();
  await page.waitForFunction(([f, v]) => new URL(location.href).searchParams.get(f) === v, [FILTER_FACET, value]);
  await settled(page);
  const filtered = await results(page);
  assert.equal(new URL(page.url()).searchParams.get(FILTER_FACET), value);
  assert.equal(filtered.length, Math.min(expected, 5), `the filter count (${expected}) matches the results shown first`);
  assert.match(await page.textContent('#search-status'), new RegExp(`^${expected} results?`));
  assert.ok(await page.isChecked(`#f-${FILTER_FACET}-${value}`));

  // The shared URL reproduces the state in a new page.
  const shared = page.url();
  const page2 = await browser.newPage();
  await page2.goto(shared);
  await settled(page2);
  assert.deepEqual(await results(page2), filtered);
  assert.equal(await page2.inputValue('#search-q'), QUERY);
  await page2.close();

  // Back: the filter is gone, the results are the unfiltered ones again.
  await page.goBack();
  await page.waitForFunction((f) => !new URL(location.href).searchParams.has(f), FILTER_FACET);
  await settled(page);
  assert.deepEqual(await results(page), first);
  assert.equal(await page.isChecked(`#f-${FILTER_FACET}-${value}`), false);

  // Keyboard: ↓ from the box to the first result, ↓ to the next, Esc back to the box.
  await page.focus('#search-q');
  await page.keyboard.press('ArrowDown');
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute('href')), first[0]);
  if (first.length > 1) {
    await page.keyboard.press('ArrowDown');
    assert.equal(await page.evaluate(() => document.activeElement.getAttribute('href')), first[1]);
  }
  await page.keyboard.press('Escape');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'search-q');

  // "Show more results" adds the next results and moves focus to the first new one.
  const total = Number(/^(\d+)/.exec(await page.textContent('#search-status'))[1]);
  if (total > first.length) {
    await page.click('#search-more');
    await page.waitForFunction((n) => document.querySelectorAll('#search-results .search-hit').length > n, first.length);
    const more = await results(page);
    assert.equal(more.length, Math.min(total, first.length + 10));
    assert.deepEqual(more.slice(0, first.length), first);
    assert.equal(await page.evaluate(() => document.activeElement.getAttribute('href')), more[first.length]);
  }

  // A misspelling still finds results; gibberish says so.
  const m2 = log.length;
  await page.fill('#search-q', TYPO);
  await page.waitForFunction(() => document.getElementById('search-status').textContent.includes('Also matching'));
  await settled(page);
  const typoBytes = bytesSince(m2);
  assert.ok((await results(page)).length > 0, 'typo finds results');
  await page.fill('#search-q', 'xqzvwk');
  await page.waitForFunction(() => /No results/.test(document.getElementById('search-status').textContent));
  assert.equal((await results(page)).length, 0);
  assert.deepEqual(errors, []);

  const report = { site, query: QUERY, pageBytes, scriptBytes, manifestBytes, firstQueryIndexBytes: manifestBytes + queryBytes, firstQueryTotalBytes: scriptBytes + manifestBytes + queryBytes, afterTypingBytes: queryBytes, typoQueryBytes: typoBytes, firstQueryFiles: queryFiles };
  console.log(`# bytes ${JSON.stringify(report)}`);
  await page.close();
});

test('without JavaScript the page says search needs it and links to the lists', async () => {
  const ctx = await browser.newContext({ javaScriptEnabled: false });
  const page = await ctx.newPage();
  await page.goto(`${origin}/lmp/search/?q=${encodeURIComponent(QUERY)}`);
  const text = await page.textContent('main');
  assert.match(text, /Search needs JavaScript/);
  assert.ok(await page.$('main a[href="/lmp/stories/"]'));
  assert.ok(await page.isVisible('main a[href="/lmp/topics/"]'), 'the topics are linked');
  // Only the notice: no search box that cannot search, no "Results appear as you type".
  const shown = await page.innerText('main');
  assert.doesNotMatch(shown, /appear as you type/, shown);
  assert.equal(await page.isVisible('#search-q'), false, 'no search box that cannot search');
  assert.equal(await page.isVisible('#search-help'), false);
  assert.equal(await page.getAttribute('form[role="search"]', 'action'), '/lmp/search/');
  assert.equal(await page.getAttribute('#search-q', 'name'), 'q');
  await ctx.close();
});

test('"Show more results" is hidden when there is nothing more and without JavaScript', async () => {
  const ctx = await browser.newContext({ javaScriptEnabled: false });
  const off = await ctx.newPage();
  await off.goto(`${origin}/lmp/search/`);
  assert.equal(await off.isVisible('#search-more'), false, 'no dead button with JavaScript off');
  await ctx.close();
  const page = await browser.newPage();
  await page.goto(`${origin}/lmp/search/`);
  await page.waitForSelector('#search-q');
  assert.ok(await page.isVisible('#search-help'), 'the help shows with JavaScript on');
  assert.equal(await page.isVisible('.search-nojs'), false);
  assert.equal(await page.isVisible('#search-more'), false, 'hidden before a query');
  // A query with a single result: nothing more to show.
  await page.fill('#search-q', 'xqzvwk');
  await page.waitForFunction(() => /No results/.test(document.getElementById('search-status').textContent));
  assert.equal(await page.isVisible('#search-more'), false, 'hidden with no results');
  await page.fill('#search-q', QUERY);
  await settled(page);
  const total = Number(/^(\d+)/.exec(await page.textContent('#search-status'))[1]);
  const shown = (await results(page)).length;
  assert.equal(await page.isVisible('#search-more'), total > shown, `visible only when there is more (${shown} of ${total})`);
  await page.close();
});

test('result dates read like every other page ("November 20, 2026")', async () => {
  const page = await browser.newPage();
  await page.goto(`${origin}/lmp/search/?q=${encodeURIComponent(QUERY)}`);
  await settled(page);
  const metas = await page.$$eval('#search-results .search-meta', (ps) => ps.map((p) => p.textContent));
  const times = await page.$$eval('#search-results .search-meta time', (ts) => ts.map((t) => [t.getAttribute('datetime'), t.textContent]));
  assert.ok(times.length > 0, `some results have dates: ${metas}`);
  for (const m of metas) assert.doesNotMatch(m, /\d{4}-\d\d-\d\d/, 'no ISO date shown');
  const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
  for (const [iso, text] of times) {
    const [y, m, d] = iso.split('-').map(Number);
    assert.equal(text, `${MONTHS[m - 1]} ${d}, ${y}`);
  }
  await page.close();
});

test('at 1,280 px the filters start level with the results', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(`${origin}/lmp/search/?q=${encodeURIComponent(QUERY)}`);
  await settled(page);
  const box = await page.$eval('#search-filters', (e) => e.getBoundingClientRect().toJSON());
  const res = await page.$eval('#search-results', (e) => e.getBoundingClientRect().toJSON());
  assert.ok(box.height > 0 && box.left > res.right - 1 || box.right < res.left + 1, `beside the results: ${JSON.stringify({ box, res })}`);
  assert.ok(Math.abs(box.top - res.top) < 40, `filters top ${box.top} vs results top ${res.top}`);
  // At 375 px they stack, results first.
  await page.setViewportSize({ width: 375, height: 800 });
  const box2 = await page.$eval('#search-filters', (e) => e.getBoundingClientRect().toJSON());
  const res2 = await page.$eval('#search-results', (e) => e.getBoundingClientRect().toJSON());
  assert.ok(box2.top >= res2.bottom - 1, 'below the results on a phone');
  await page.close();
});

test('the Spanish search page searches the Spanish index, in Spanish, and all languages on request', { skip: !isSample && 'the sample site has the Spanish pages' }, async () => {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  const story = 'stories/lmp-celebrates-20th-year/';
  await page.goto(`${origin}/lmp/es/${story}`);
  // The header's search form of a Spanish page leads to the Spanish search page.
  const action = await page.getAttribute('form[role="search"]', 'action');
  assert.equal(action, '/lmp/es/search/');
  await page.goto(`${origin}${action}`);
  assert.equal(await page.getAttribute('html', 'lang'), 'es');
  assert.equal(await page.textContent('label[for="search-q"]'), 'Busque historias, guías, prácticas, herramientas, videos e investigaciones');
  await page.waitForSelector('#search-q');
  const mark = log.length;
  // [query, a page it must find in the top 3, why]
  const cases = [
    ['negociaciones', `/lmp/es/${story}`, 'stem: negociaciones → negociación'],
    ['region', '/lmp/es/regions/northern-california/', 'no accent typed: región'],
    ['reunion breve', '/lmp/es/guides/run-a-ubt-huddle/', 'no accents, two words'],
    ['sindcatos', '/lmp/es/stories/union-members-page/', 'a typo'],
  ];
  for (const [q, want, why] of cases) {
    await page.fill('#search-q', q);
    await page.waitForFunction((v) => new URL(location.href).searchParams.get('q') === v, q);
    await settled(page);
    const urls = await results(page);
    assert.ok(urls.length > 0, `${q}: results (${why})`);
    assert.ok(urls.slice(0, 3).map((u) => u.replace(/#.*$/, '')).includes(want), `${q} (${why}): want ${want} in ${JSON.stringify(urls)}`);
    for (const u of urls) assert.ok(u.startsWith('/lmp/es/'), `${q}: only Spanish pages, got ${u}`);
  }
  // Only the Spanish index was read, and the status line is in Spanish.
  const paths = log.slice(mark).map((r) => r.path).filter((p) => p.includes('/search/index/'));
  assert.ok(paths.length > 0 && paths.every((p) => p.startsWith('/lmp/es/search/index/')), JSON.stringify(paths));
  assert.match(await page.textContent('#search-status'), /resultados? para “sindcatos”/);
  // Dates as on the Spanish pages.
  await page.fill('#search-q', 'negociaciones');
  await settled(page);
  assert.match(await page.textContent('#search-results time'), /^\d{1,2} de [a-z]+ de \d{4}$/);
  // Topic and audience filters are named in Spanish (config's terms:).
  await page.fill('#search-q', 'sindicato');
  await settled(page);
  assert.match(await page.textContent('label[for="f-topic-union-members"]'), /^Miembros del sindicato/);
  assert.match(await page.textContent('label[for="f-audience-managers"]'), /^Gerentes/);
  // "All languages": the English pages come too, in their own list marked as English.
  assert.equal(await page.isVisible('#search-all'), true);
  await page.fill('#search-q', 'ubt');
  await settled(page);
  await page.check('#search-all');
  await page.waitForSelector('#search-others .search-other');
  assert.equal(await page.getAttribute('#search-others ol', 'lang'), 'en');
  const english = await page.$$eval('#search-others a', (as) => as.map((a) => a.getAttribute('href')));
  assert.ok(english.length > 0 && english.every((u) => !u.startsWith('/lmp/es/')), JSON.stringify(english));
  assert.equal(new URL(page.url()).searchParams.get('all'), '1');
  assert.deepEqual(errors, []);
  await page.close();
});

// ---------------------------------------------------------------------------------------------
// Search at scale (issue 15): on a site where common words have tiered postings, the page shows
// its first results and the number of results from the heads and the few tiers that prove them,
// and reads the rest only when the reader asks (Show more, a filter group). A generated site of
// TIER_DOCS stories (the sample site is too small for tiers: a term needs over 256 documents).

const TIER_DOCS = 2000;
/** The fixture site plus TIER_DOCS stories: `huddle` in all, `patient` and `safety` in most, `zebra` in 12. */
function tieredSite() {
  const dir = mkdtempSync(join(tmpdir(), 'lmp-search-tiers-'));
  cpSync(join(root, 'tests/fixtures/basic'), dir, { recursive: true });
  let s = 0x9e3779b9;
  const rnd = (m) => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s % m; };
  const filler = 'team care union manager board morning data goal staff unit partnership training quality service nurse wait time'.split(' ');
  const regions = ['hawaii', 'colorado', 'washington'];
  for (let i = 0; i < TIER_DOCS; i++) {
    const words = [];
    const n = 20 + rnd(120);
    for (let k = 0; k < n; k++) words.push(filler[rnd(filler.length)]);
    // Common words a varying number of times in texts of varying length: impacts spread.
    for (let k = 0; k < 1 + rnd(4); k++) words.splice(rnd(words.length), 0, 'huddle');
    if (rnd(10) < 7) for (let k = 0; k < 1 + rnd(3); k++) words.splice(rnd(words.length), 0, 'patient');
    if (rnd(10) < 6) for (let k = 0; k < 1 + rnd(3); k++) words.splice(rnd(words.length), 0, 'safety');
    if (i % 160 === 7) words.push('zebra');
    const title = `${filler[rnd(filler.length)]} ${filler[rnd(filler.length)]} story ${i}`;
    writeFileSync(join(dir, 'stories', `gen-${i}.md`), `---\ntitle: ${title}\ndate: 2020-0${1 + (i % 9)}-1${i % 10}\nsummary: ${words.slice(0, 8).join(' ')}\nregions: [${regions[i % 3]}]\n---\n${words.join(' ')}.\n`);
  }
  return dir;
}

test('a common word: the first results and their number without reading every posting; Show more; filter counts on opening without the whole search', async () => {
  const src = tieredSite();
  const out = mkdtempSync(join(tmpdir(), 'lmp-search-tiers-out-'));
  try {
    lmp(['build', '--quiet', '--site', src, '--out', out, '--base-url', 'https://example.org/lmp/']);
    const whole = (q, ...args) => JSON.parse(lmp(['search', q, '--json', '--out', out, ...args]));
    const REGIONS = ['colorado', 'hawaii', 'washington'];
    /** The region group's counts as shown: slug → [number, exact]. */
    const regionCounts = (page) => page.$$eval('#search-filters input[name="region"]', (bs) => Object.fromEntries(bs.map((b) => {
      const c = b.nextElementSibling.querySelector('.search-count');
      return [b.value, c ? [Number(c.textContent.replace(/[^\d]/g, '')), c.dataset.exact === 'true', c.textContent] : null];
    })));
    const srv = await serveStatic(out, { prefix: '/lmp/' });
    const page = await browser.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    try {
      await page.goto(`${srv.origin}/lmp/search/`);
      await page.waitForSelector('#search-q');
      await page.waitForLoadState('networkidle');
      const read = (mark, re) => srv.log.slice(mark).filter((r) => re.test(r.path));

      // One word of one term: its number of results is its document count, exact, at once.
      let mark = srv.log.length;
      await page.fill('#search-q', 'huddle');
      await settled(page);
      await page.waitForLoadState('networkidle');
      const huddle = whole('huddle');
      assert.ok(huddle.total > TIER_DOCS / 2, `huddle: ${huddle.total}`);
      assert.match(await page.textContent('#search-status'), new RegExp(`^${huddle.total.toLocaleString('en')} results for “huddle”`));
      assert.equal(read(mark, /\/f-[a-z]+\.json$/).length, 0, 'no facet file before a filter group is opened');

      // Opening the Region group: exact counts at once from the word's facet counts (one small
      // file), not from every posting and the region file.
      mark = srv.log.length;
      await page.click('#f-open-region');
      await page.waitForFunction(() => document.querySelector('#search-filters input[name="region"] + label .search-count'));
      await settled(page);
      await page.waitForLoadState('networkidle');
      assert.equal(read(mark, /\/(f-[a-z]+|r\d+|p\d+)\.json$/).length, 0,
        `no facet, tail or positions file on opening: ${read(mark, /./).map((r) => r.path)}`);
      assert.equal(read(mark, /\/c\d+\.json$/).length, 1, 'one facet counts file');
      const one = await regionCounts(page);
      for (const r of REGIONS) {
        const want = whole('huddle', '--region', r).total;
        assert.deepEqual(one[r]?.slice(0, 2), [want, true], `huddle in ${r}: ${JSON.stringify(one[r])}, in fact ${want}`);
      }
      assert.doesNotMatch(await page.textContent('#search-status'), /estimates/);
      await page.click('#f-open-region');

      // Three words: "About N results", from the heads and the tiers that prove the first five;
      // no facet file, and fewer tail files than the whole search reads.
      const q = 'patient safety huddle';
      const all = whole(q);
      mark = srv.log.length;
      await page.fill('#search-q', q);
      await page.waitForFunction((v) => document.getElementById('search-status').textContent.includes(v), `“${q}”`);
      await settled(page);
      await page.waitForLoadState('networkidle');
      const status = await page.textContent('#search-status');
      const about = /^About ([\d,]+) results for “patient safety huddle”\./.exec(status);
      assert.ok(about, status);
      const estimate = Number(about[1].replace(/,/g, ''));
      assert.ok(estimate >= all.total / 2 && estimate <= all.total * 2, `about ${estimate}, in fact ${all.total}`);
      const firstTails = read(mark, /\/r\d+\.json$/).length;
      const firstBytes = bytesIn(srv.log, mark, (p) => p.includes('/search/index/'));
      assert.equal(read(mark, /\/f-[a-z]+\.json$/).length, 0, 'no facet file for the first results');
      const first = await results(page);
      assert.deepEqual(first, all.results.slice(0, 5).map((r) => `/lmp${r.url}`), 'the first five of the whole search');
      assert.equal(await page.isVisible('#search-more'), true);

      // Show more: the next ten (the whole search's 6th to 15th), focus on the first new one,
      // still without the whole search (no facet file, and not every tail file).
      await page.click('#search-more');
      await page.waitForFunction(() => document.querySelectorAll('#search-results .search-hit').length === 15);
      await settled(page);
      await page.waitForLoadState('networkidle');
      const more = await results(page);
      assert.deepEqual(more, all.results.slice(0, 15).map((r) => `/lmp${r.url}`));
      assert.equal(await page.evaluate(() => document.activeElement.getAttribute('href')), more[5]);
      assert.match(await page.textContent('#search-status'), /^About [\d,]+ results/);
      const moreTails = read(mark, /\/r\d+\.json$/).length;

      // Opening a filter group does not run the whole search (a reader on metered data sees
      // which regions have results for a few kB): its counts are estimates from the words' facet
      // counts files, said in words ("about 430") and in the status line; no tail, positions or
      // facet file is read. (The page before read every posting and the region file here.)
      const m2 = srv.log.length;
      await page.click('#f-open-region');
      await page.waitForFunction(() => document.querySelector('#search-filters input[name="region"] + label .search-count'));
      await settled(page);
      await page.waitForLoadState('networkidle');
      assert.equal(read(m2, /\/(f-[a-z]+|r\d+|p\d+)\.json$/).length, 0,
        `no facet, tail or positions file on opening: ${read(m2, /./).map((r) => r.path)}`);
      const openBytes = bytesIn(srv.log, m2, (p) => p.includes('/search/index/'));
      assert.ok(read(m2, /\/c\d+\.json$/).length <= 3, 'at most one facet counts file per word');
      const st = await page.textContent('#search-status');
      assert.match(st, /^About [\d,]+ results for “patient safety huddle”\. The counts next to the filters are estimates\.$/);
      const est = await regionCounts(page);
      const truth = Object.fromEntries(REGIONS.map((r) => [r, whole(q, '--region', r).total]));
      for (const r of REGIONS) {
        assert.ok(est[r] && !est[r][1] && /^\(about [\d,]+\)$/.test(est[r][2]), `${r}: ${JSON.stringify(est[r])}`);
        assert.ok(est[r][0] >= truth[r] / 1.5 && est[r][0] <= truth[r] * 1.5, `${r}: about ${est[r][0]}, in fact ${truth[r]}`);
      }

      // Choosing a value runs the whole search: the number of results and every count are
      // exact then (the region group's counts ignore the region chosen), and the status line
      // no longer says "estimates".
      const m3 = srv.log.length;
      await page.check('#f-region-hawaii');
      await page.waitForFunction(() => document.getElementById('search-status').textContent.includes('Hawaii'));
      await settled(page);
      await page.waitForLoadState('networkidle');
      assert.match(await page.textContent('#search-status'), new RegExp(`^${truth.hawaii.toLocaleString('en')} results for “${q}” in Hawaii\\.$`));
      const exact = await regionCounts(page);
      for (const r of REGIONS) assert.deepEqual(exact[r]?.slice(0, 2), [truth[r], true], `${r} once chosen`);
      assert.equal(read(m3, /\/f-region\.json$/).length, 1, 'the region file, now');
      const wholeTails = moreTails + read(m3, /\/r\d+\.json$/).length;
      assert.ok(firstTails <= moreTails && moreTails < wholeTails, `tail files: first ${firstTails}, after Show more ${moreTails}, whole ${wholeTails}`);
      const wholeBytes = bytesIn(srv.log, m3, (p) => p.includes('/search/index/'));
      assert.ok(openBytes * 3 < wholeBytes, `opening the group: ${openBytes} bytes; the whole search: ${wholeBytes}`);
      console.log(`# tiers ${JSON.stringify({ q, estimate, total: all.total, firstBytes, openBytes, wholeBytes, firstTails, moreTails, wholeTails })}`);
      await page.uncheck('#f-region-hawaii');
      await settled(page);
      await page.click('#f-open-region');

      // A query with fewer than 15 results of every word: Show more needs the whole search, and
      // then the number of results is exact.
      const z = whole('zebra huddle');
      assert.ok(z.total > 5 && z.total < 15, `zebra huddle: ${z.total}`);
      await page.fill('#search-q', 'zebra huddle');
      await page.waitForFunction(() => document.getElementById('search-status').textContent.includes('“zebra huddle”'));
      await settled(page);
      await page.click('#search-more');
      await page.waitForFunction((n) => document.querySelectorAll('#search-results .search-hit').length === n, z.total);
      await settled(page);
      assert.match(await page.textContent('#search-status'), new RegExp(`^${z.total} results for “zebra huddle”`));
      assert.equal(await page.isVisible('#search-more'), false, 'nothing more to show');
      assert.deepEqual(errors, []);
    } finally {
      await page.close();
      srv.close();
    }
  } finally {
    rmSync(src, { recursive: true, force: true });
    rmSync(out, { recursive: true, force: true });
  }
});

test('the Spanish page says "Unos N resultados" and "unos N" for estimates', { skip: !isSample && 'the sample site has the Spanish pages' }, async () => {
  // The strings of both languages are in the page; the sample site is too small for estimates
  // (every posting list is whole), so the page's own words are checked.
  const page = await browser.newPage();
  await page.goto(`${origin}/lmp/es/search/`);
  assert.equal(await page.getAttribute('#search', 'data-s-result-about'), 'Unos {n} resultados para {q}{where}.');
  // And the estimated filter counts: "(unos 430)", said once in the status line.
  assert.equal(await page.getAttribute('#search', 'data-s-count-about'), 'unos {n}');
  assert.equal(await page.getAttribute('#search', 'data-s-counts-about'), 'Los números junto a los filtros son aproximados.');
  await page.goto(`${origin}/lmp/search/`);
  assert.equal(await page.getAttribute('#search', 'data-s-result-about'), 'About {n} results for {q}{where}.');
  assert.equal(await page.getAttribute('#search', 'data-s-count-about'), 'about {n}');
  assert.equal(await page.getAttribute('#search', 'data-s-counts-about'), 'The counts next to the filters are estimates.');
  await page.close();
});
