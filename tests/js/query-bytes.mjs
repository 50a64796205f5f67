// Index bytes a query downloads, for the benchmark: runs queries through the browser engine in
// Node with a loader that counts every index file it reads (gzip -9 size, manifest included), in
// the order the search page reads them: the first 5 results and their records (`first`: what the
// page needs to show results; `proved`: from the heads of tiered postings and some tiers, not the
// whole search), then the whole search and the counts of the filters it shows open (collection
// and region; topic and audience load when their group is opened: `gzip` counts those too when
// `ALL_FACETS=1`).
//
//   node tests/js/query-bytes.mjs <public dir> [--lang CODE] "query" ["query" …]
// --lang CODE: the index of that language (`CODE/search/index`, the language's URL prefix being
// `/CODE/`, or `search/index` for the default language); it exits 1 if the index it opens is not
// in that language (its manifest's `lang`). Without it: the default language's index.
// ENGINE=path/to/engine.js measures another engine (e.g. an older version on its own index; an
// engine without `facetCounts` is measured as it searches, counts included).
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { pathToFileURL } from 'node:url';

const engine = process.env.ENGINE ? pathToFileURL(resolve(process.env.ENGINE)).href : '../../themes/lmp/static/search/engine.js';
const { SearchIndex, FACETS } = await import(engine);
const args = process.argv.slice(2);
const langAt = args.indexOf('--lang');
const lang = langAt >= 0 ? args.splice(langAt, 2)[1] : null;
if (langAt >= 0 && !lang) {
  console.error('query-bytes: --lang needs a language code (e.g. --lang es)');
  process.exit(2);
}
const [pub, ...queries] = args;
const sub = process.env.INDEX_DIR
  || (lang && existsSync(join(pub, lang, 'search/index/manifest.json')) ? join(lang, 'search/index') : 'search/index');
if (lang) {
  const m = JSON.parse(readFileSync(join(pub, sub, 'manifest.json'), 'utf8'));
  if (m.lang !== lang) {
    console.error(`query-bytes: ${join(pub, sub)} is the ${m.lang} index, not ${lang}: is ${lang} declared in config.yaml, with the prefix /${lang}/?`);
    process.exit(1);
  }
}
const shown = process.env.ALL_FACETS === '1' ? FACETS : ['collection', 'region'];
for (const q of queries) {
  const seen = new Map();
  const load = async (p) => {
    const b = readFileSync(join(pub, sub, p));
    if (!seen.has(p)) seen.set(p, [b.length, gzipSync(b, { level: 9 }).length]);
    return JSON.parse(b.toString('utf8'));
  };
  const sum = () => [...seen.values()].reduce(([r, g], [a, b]) => [r + a, g + b], [0, 0]);
  const index = await SearchIndex.open(load);
  const staged = typeof index.facetCounts === 'function';
  // The first 5 results as the page shows them first (tiered postings: heads and as few tiers as
  // prove them), or with an engine without tiers, from its whole search.
  const tiered = typeof index.searchTop === 'function';
  const top = tiered ? await index.searchTop(q, [], 5) : await index.search(q, [], staged ? ['collection'] : shown);
  for (const h of top.hits.slice(0, 5)) await index.record(h.doc);
  const [, first] = sum();
  const firstFiles = seen.size;
  const out = tiered ? await index.search(q, [], ['collection']) : top;
  if (staged) await index.facetCounts(out.candidates, [], shown);
  const [raw, gz] = sum();
  console.log(JSON.stringify({ lang: index.m.lang, q, results: out.hits.length, proved: tiered ? !top.complete : null, firstFiles, files: seen.size, first, raw, gzip: gz }));
}
