// Relevance of the search engine on the real sample site (site/), and agreement of the browser
// engine with `lmp search` (the Rust engine) on the same index.
//
//   node --test tests/js/
// Builds site/ with `cargo run --release` into target/search-relevance/public unless LMP_PUBLIC names an
// already built output, and uses LMP_BIN (default: `cargo run --release --quiet --`) for `lmp search`.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SearchIndex } from '../../themes/lmp/static/search/engine.js';
import { fileLoader, run } from './run-engine.mjs';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const hasSite = existsSync(join(root, 'site', 'config.yaml'));
let publicDir;
let index;

function lmp(args, opts = {}) {
  if (process.env.LMP_BIN) return execFileSync(process.env.LMP_BIN, args, { cwd: root, encoding: 'utf8', ...opts });
  return execFileSync('cargo', ['run', '--release', '--quiet', '--', ...args], { cwd: root, encoding: 'utf8', ...opts });
}

before(async () => {
  if (!hasSite) return;
  publicDir = process.env.LMP_PUBLIC ? resolve(process.env.LMP_PUBLIC) : join(root, 'target', 'search-relevance', 'public');
  if (!process.env.LMP_PUBLIC) lmp(['build', '--quiet', '--site', join(root, 'site'), '--out', publicDir], { stdio: ['ignore', 'ignore', 'inherit'] });
  index = await SearchIndex.open(fileLoader(publicDir));
});

// [query, filters, URL (without fragment) that must be in the top 3, why], shared with the Rust
// engine's test (tests/testsuite/search_relevance.rs).
const CASES = JSON.parse(readFileSync(join(root, 'tests', 'js', 'fixtures', 'relevance.json'), 'utf8'));

const strip = (u) => u.replace(/#.*$/, '');

test(`at least 25 relevance cases, each with its document in the top 3`, { skip: !hasSite && 'site/ is not here' }, async () => {
  assert.ok(CASES.length >= 25);
  const failures = [];
  for (const [q, filters, want, why] of CASES) {
    const { urls, top: first } = await run(index, q, filters);
    const top = urls.slice(0, 3).map(strip);
    if (!top.includes(want)) failures.push(`${JSON.stringify(q)} ${JSON.stringify(filters)} (${why}): want ${want}, got ${JSON.stringify(top)}`);
    // What the search page shows first (tiered postings) is the whole search's first 5.
    if (JSON.stringify(first.urls) !== JSON.stringify(urls.slice(0, 5))) failures.push(`${JSON.stringify(q)}: first results ${JSON.stringify(first.urls)}, whole search ${JSON.stringify(urls.slice(0, 5))}`);
  }
  assert.deepEqual(failures, []);
});

test('filtered results all carry the filter', { skip: !hasSite && 'site/ is not here' }, async () => {
  const out = await index.search('partnership', [['collection', 'stories']]);
  const stories = index.m.collections.find((c) => c.slug === 'stories');
  assert.ok(out.hits.length > 0);
  for (const h of out.hits) assert.ok(h.doc >= stories.start && h.doc < stories.end);
  // Counts of the collection facet ignore the collection filter itself.
  assert.ok(Object.keys(out.counts.collection).length > 1);
  assert.equal(out.counts.collection.stories, out.hits.length);
});

test('deep links point at the best heading', { skip: !hasSite && 'site/ is not here' }, async () => {
  const { urls } = await run(index, 'legacy statement');
  assert.match(urls[0], /^\/stories\/union-members-page\/#/);
  const html = readFileSync(join(publicDir, 'stories', 'union-members-page', 'index.html'), 'utf8');
  assert.ok(html.includes(`id="${urls[0].split('#')[1]}"`), 'the anchor exists on the page');
});

test('no results for gibberish, nothing for stop words alone', { skip: !hasSite && 'site/ is not here' }, async () => {
  assert.equal((await run(index, 'xqzvwk')).urls.length, 0);
  assert.equal((await run(index, 'the of and')).urls.length, 0);
});

// The words of a page's main text, lowercased (the menu and footer left out).
function mainText(url) {
  const html = readFileSync(join(publicDir, url.replace(/#.*$/, ''), 'index.html'), 'utf8');
  const main = /<main[^>]*>([\s\S]*)<\/main>/.exec(html)[1];
  return main.replace(/<[^>]+>/g, ' ').replace(/&[a-z]+;|&#\d+;/g, ' ').replace(/\s+/g, ' ').toLowerCase();
}

test('a quoted phrase finds its words together, in order', { skip: !hasSite && 'site/ is not here' }, async () => {
  const loose = (await run(index, 'team members')).urls;
  const phrase = (await run(index, '"team members"')).urls;
  assert.ok(phrase.length > 0 && phrase.length < loose.length, `${phrase.length} of ${loose.length}`);
  for (const u of phrase) assert.match(mainText(u), /\bteam members?\b/, u);
  // Each page the loose query finds but the phrase does not lacks the phrase.
  for (const u of loose.map(strip).filter((u) => !phrase.map(strip).includes(u))) assert.doesNotMatch(mainText(u), /\bteam members?\b/, u);
  assert.equal((await run(index, '"safety patient"')).urls.length, 0, 'words in the other order');
  assert.ok((await run(index, 'safety patient')).urls.length > 0);
});

test('-word leaves out the pages with that word', { skip: !hasSite && 'site/ is not here' }, async () => {
  const all = (await run(index, 'huddle')).urls;
  const withVideo = new Set((await run(index, 'huddle video')).urls.map(strip));
  const without = (await run(index, 'huddle -video')).urls;
  assert.ok(withVideo.size > 0 && without.length > 0);
  assert.equal(without.length, all.length - [...new Set(all.map(strip))].filter((u) => withVideo.has(u)).length);
  for (const u of without) assert.ok(!withVideo.has(strip(u)), `${u} mentions video`);
  // -videos is the same word (stemmed).
  assert.deepEqual((await run(index, 'huddle -videos')).urls, without);
});

test('synonyms from config.yaml: an acronym finds the words and the words find the acronym', { skip: !hasSite && 'site/ is not here' }, async () => {
  assert.ok(index.m.synonyms.length >= 5, 'search.synonyms of site/config.yaml are in the manifest');
  for (const [short, long] of [['lvn', 'licensed vocational nurse'], ['kp', 'kaiser permanente'], ['ubt', 'unit-based team']]) {
    const a = await run(index, `${short} `);
    const b = await run(index, `${long} `);
    assert.ok(a.urls.length > 0, short);
    assert.deepEqual(a.urls, b.urls, `${short} and ${long} find the same pages`);
  }
  // A page that says "Kaiser Permanente" but never "KP" is found by "kp".
  const kp = (await run(index, 'kp ')).urls.map(strip);
  const onlyLong = kp.filter((u) => !/\bkp\b/.test(mainText(u)) && /kaiser permanente/.test(mainText(u)));
  assert.ok(onlyLong.length > 0, 'some page is found through the synonym alone');
});

test('`lmp search --json` ranks exactly as the browser engine', { skip: !hasSite && 'site/ is not here' }, async () => {
  const queries = [...CASES.map(([q, f]) => [q, f]), ['partnership', []], ['union', []], ['unio', []], ['team', []],
    ['kaiser permanente', []], ['the partnership', []], ['ubt', [['topic', 'ubt-basics']]],
    ['"team members"', []], ['"safety patient"', []], ['huddle -video', []], ['"labor management" -research', []],
    ['kp ', []], ['lvn', []], ['unit-based teams ', []], ['"unit-based team"', []]];
  const diffs = [];
  for (const [q, filters] of queries) {
    const args = ['search', q, '--json', '--out', publicDir];
    for (const [f, v] of filters) args.push(`--${f}`, v);
    const rust = JSON.parse(lmp(args));
    const js = await run(index, q, filters);
    const rustUrls = rust.results.map((r) => r.link);
    const jsUrls = js.urls.slice(0, rustUrls.length);
    if (JSON.stringify(rustUrls) !== JSON.stringify(jsUrls) || rust.total !== js.urls.length) {
      diffs.push(`${q} ${JSON.stringify(filters)}: rust ${JSON.stringify(rustUrls)} (${rust.total}) js ${JSON.stringify(jsUrls)} (${js.urls.length})`);
    }
    assert.deepEqual(rust.counts, js.counts, `counts for ${q}`);
  }
  assert.deepEqual(diffs, []);
});
