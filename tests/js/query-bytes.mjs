// Index bytes a query downloads, for the benchmark: runs queries through the browser engine in
// Node with a loader that counts every index file it reads (gzip -9 size, manifest included), in
// the order the search page reads them: the first 5 results and their records (`first`: what the
// page needs to show results; `proved`: from the heads of tiered postings and some tiers, not the
// whole search), then the whole search and the counts of the filters it shows open (collection
// and region; topic and audience load when their group is opened: `gzip` counts those too when
// `ALL_FACETS=1`).
//
//   node tests/js/query-bytes.mjs <public dir> "query" ["query" …]
// ENGINE=path/to/engine.js measures another engine (e.g. an older version on its own index; an
// engine without `facetCounts` is measured as it searches, counts included).
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { pathToFileURL } from 'node:url';

const engine = process.env.ENGINE ? pathToFileURL(resolve(process.env.ENGINE)).href : '../../themes/lmp/static/search/engine.js';
const { SearchIndex, FACETS } = await import(engine);
const [pub, ...queries] = process.argv.slice(2);
const sub = process.env.INDEX_DIR || 'search/index';
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
  console.log(JSON.stringify({ q, results: out.hits.length, proved: tiered ? !top.complete : null, firstFiles, files: seen.size, first, raw, gzip: gz }));
}
