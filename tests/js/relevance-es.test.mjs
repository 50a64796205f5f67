// Relevance of Spanish search on the sample site's Spanish pages (site/*.es.md), in the browser
// engine, and its agreement with `lmp search --lang es` (the Rust engine). The cases are shared
// with tests/testsuite/spanish.rs (tests/js/fixtures/relevance-es.json).
//
//   node --test tests/js/
// Builds site/ into target/search-relevance-es/public unless LMP_PUBLIC names an already built
// output; LMP_BIN (default: `cargo run --release --quiet --`) runs `lmp search`.
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
const CASES = JSON.parse(readFileSync(join(root, 'tests/js/fixtures/relevance-es.json'), 'utf8'));
let publicDir;
let es;
let en;

function lmp(args, opts = {}) {
  if (process.env.LMP_BIN) return execFileSync(process.env.LMP_BIN, args, { cwd: root, encoding: 'utf8', ...opts });
  return execFileSync('cargo', ['run', '--release', '--quiet', '--', ...args], { cwd: root, encoding: 'utf8', ...opts });
}

before(async () => {
  if (!hasSite) return;
  publicDir = process.env.LMP_PUBLIC ? resolve(process.env.LMP_PUBLIC) : join(root, 'target', 'search-relevance-es', 'public');
  if (!process.env.LMP_PUBLIC) lmp(['build', '--quiet', '--site', join(root, 'site'), '--out', publicDir], { stdio: ['ignore', 'ignore', 'inherit'] });
  // The Spanish index sits under the Spanish prefix, as the Spanish search page loads it.
  es = await SearchIndex.open(fileLoader(join(publicDir, 'es')));
  assert.equal(es.m.stemmer, 'spanish');
  en = await SearchIndex.open(fileLoader(publicDir));
});

const strip = (u) => u.replace(/#.*$/, '');
const skip = !hasSite && 'site/ is not here';

test('at least 10 Spanish relevance cases, each with its page in the top 3, Spanish pages only', { skip }, async () => {
  assert.ok(CASES.length >= 10);
  const failures = [];
  for (const [q, want, why] of CASES) {
    const { urls } = await run(es, q);
    const top = urls.slice(0, 3).map(strip);
    if (!top.includes(want)) failures.push(`${JSON.stringify(q)} (${why}): want ${want}, got ${JSON.stringify(top)}`);
    const english = urls.find((u) => !u.startsWith('/es/'));
    if (english) failures.push(`${JSON.stringify(q)}: an English page in the Spanish results: ${english}`);
  }
  assert.deepEqual(failures, []);
});

test('stemming: "negociaciones" finds a page that only says "negociación"', { skip }, async () => {
  const story = '/es/stories/lmp-celebrates-20th-year/';
  const html = readFileSync(join(publicDir, story, 'index.html'), 'utf8');
  assert.ok(html.includes('negociación') && !html.includes('negociaciones'));
  assert.ok((await run(es, 'negociaciones')).urls.map(strip).includes(story));
});

test('accents fold both ways: with or without them, the same pages', { skip }, async () => {
  for (const [a, b] of [['región', 'region'], ['negociación', 'negociacion'], ['reunión', 'reunion'], ['sindicatos', 'sindicatós']]) {
    const x = (await run(es, a)).urls;
    assert.ok(x.length > 0, a);
    assert.deepEqual((await run(es, b)).urls, x, `${a} and ${b}`);
  }
});

test('one index per language: the English index has no Spanish page', { skip }, async () => {
  for (const q of ['negociación', 'sindicatos', 'partnership', 'union']) {
    const { urls } = await run(en, q);
    assert.ok(urls.every((u) => !u.startsWith('/es/')), `${q}: ${JSON.stringify(urls)}`);
  }
});

test('nothing found is said as it is: no typo of a 3-letter stem, a miss by exclusion alone (QA Q50, Q91)', { skip }, async () => {
  // No Spanish page has "niños"; `ninos` stems to `nin`, one letter from `vin` ("vinieron").
  const ninos = await es.search('ninos');
  assert.equal(ninos.hits.length, 0);
  assert.deepEqual(ninos.words.flatMap((w) => w.expansions.filter((e) => e.kind.startsWith('typo')).map((e) => e.term)), []);
  // Every Spanish page with "reunión" says "UBT": the minus left them out, in both engines.
  const out = await es.search('reunión -ubt');
  assert.equal(out.hits.length, 0);
  assert.ok(out.excludedOut > 0, `excludedOut ${out.excludedOut}`);
  const rust = JSON.parse(lmp(['search', 'reunión -ubt', '--lang', 'es', '--json', '--out', publicDir]));
  assert.equal(rust.excludedOut, out.excludedOut);
  assert.equal((await es.search('reunión -zzzz')).excludedOut, 0);
});

test('`lmp search --lang es --json` ranks exactly as the browser engine', { skip }, async () => {
  const diffs = [];
  for (const q of [...CASES.map(([q]) => q), 'asociación', 'equipo', 'ubt', 'sindicato -legado', 'ninos', 'reunio', '"equipo de unidad"']) {
    const rust = JSON.parse(lmp(['search', q, '--lang', 'es', '--json', '--out', publicDir]));
    const js = await run(es, q);
    const rustUrls = rust.results.map((r) => r.link);
    const jsUrls = js.urls.slice(0, rustUrls.length);
    if (JSON.stringify(rustUrls) !== JSON.stringify(jsUrls) || rust.total !== js.urls.length) {
      diffs.push(`${q}: rust ${JSON.stringify(rustUrls)} (${rust.total}) js ${JSON.stringify(jsUrls)} (${js.urls.length})`);
    }
  }
  assert.deepEqual(diffs, []);
});
