// Index bytes a query downloads, for the benchmark: runs queries through the browser engine in
// Node with a loader that counts every index file it reads (gzip -9 size, manifest included), in
// the order the search page reads them:
//   first    the first 5 results and their records (from the heads of tiered postings and the
//            tiers that prove them; `proved`: not the whole search);
//   settled  what the page has read once it is settled: first results and the number of results.
//            The page reads nothing more than `first` unless the first results needed the whole
//            search; an engine without `count` in searchTop's answer (before issue 15's second
//            part, ENGINE=…) ran the whole search at once and counted collection and region: its
//            `settled` includes them;
//   opened   after the reader opens the Region filter group once settled: the page reads the
//            facet counts files of the words' terms (engines with `facetEstimates`, when the
//            first results did not need the whole search), or, before, ran the whole search and
//            read the region file (`f-region.json`);
//   more     after one "Show more" (15 results and their records);
//   gzip     after the whole search and the counts of collection and region (what opening those
//            filter groups reads; topic and audience too with ALL_FACETS=1).
//
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
  // The number of results: from what was read (this page), or from the whole search with the
  // collection and region counts (the page before, which ran it at once).
  const counted = tiered && top.count !== undefined;
  const whole = async () => {
    const out = tiered ? await index.search(q, [], ['collection']) : top;
    if (staged) await index.facetCounts(out.candidates, [], shown);
    return out;
  };
  let out = counted ? null : await whole();
  const [, settled] = sum();
  const settledFiles = seen.size;
  // The Region group opened: its counts from the facet counts files (estimates, or exact for
  // one common word), or from the whole search and the region file.
  let estimated = null;
  if (typeof index.facetEstimates === 'function' && counted && !top.complete) {
    const est = await index.facetEstimates(q, top);
    estimated = Object.values(est.region ?? {}).every((x) => x.exact) ? 'exact' : 'about';
  } else if (staged) {
    out ??= tiered ? await index.search(q, [], []) : top;
    await index.facetCounts(out.candidates, [], ['region']);
    estimated = 'whole';
  }
  const [, opened] = sum();
  // "Show more": 15 results.
  if (tiered) {
    const next = await index.searchTop(q, [], 15);
    for (const h of next.hits) await index.record(h.doc);
  }
  const [, more] = sum();
  out ??= await whole();
  const [raw, gz] = sum();
  const count = counted ? top.count : { n: out.hits.length, exact: true };
  console.log(JSON.stringify({
    lang: index.m.lang, q, results: out.hits.length, count: count.n, exact: count.exact,
    proved: tiered ? !top.complete : null, regionCounts: estimated, firstFiles, settledFiles, files: seen.size,
    first, settled, opened, more, raw, gzip: gz,
  }));
}
