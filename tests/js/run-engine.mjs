// Runs queries through the browser engine in Node, for the Rust/JS parity test.
// Usage: node tests/js/run-engine.mjs <public dir>  (queries as JSON on stdin:
// [{"q": "...", "filters": [["region", "hawaii"]]}]); prints one result per query as JSON.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SearchIndex } from '../../themes/lmp/static/search/engine.js';

export function fileLoader(publicDir) {
  return async (p) => JSON.parse(await readFile(join(publicDir, 'search', 'index', p), 'utf8'));
}

export async function run(index, q, filters = []) {
  const out = await index.search(q, filters);
  const urls = [];
  for (const h of out.hits) urls.push(SearchIndex.link(await index.record(h.doc), h.section));
  // The first results as the search page shows them first (tiered postings: heads and as few
  // tiers as prove them).
  // With the number of results it says (exact or about), and again for "Show more" (15).
  const tops = {};
  let estimates = null;
  for (const k of [5, 15]) {
    const top = await index.searchTop(q, filters, k);
    // The counts next to the filter values before the whole search (the page asks with no filter).
    if (k === 5 && filters.length === 0) estimates = await index.facetEstimates(q, top);
    const topUrls = [];
    for (const h of top.hits) topUrls.push(SearchIndex.link(await index.record(h.doc), h.section));
    tops[k] = {
      urls: topUrls, scores: top.hits.map((h) => h.score), complete: top.complete, reads: top.reads,
      count: top.count.n, exact: top.count.exact, unread: top.unread,
    };
  }
  return {
    urls, scores: out.hits.map((h) => h.score), allWords: out.allWords, counts: out.counts,
    top: tops[5], more: tops[15], estimates,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const index = await SearchIndex.open(fileLoader(process.argv[2]));
  let input = '';
  for await (const chunk of process.stdin) input += chunk;
  const results = [];
  for (const { q, filters } of JSON.parse(input)) results.push(await run(index, q, filters || []));
  process.stdout.write(JSON.stringify(results));
}
