// Index bytes a query downloads, for the benchmark: runs queries through the browser engine in
// Node with a loader that counts every index file it reads (gzip -9 size, manifest included) and
// fetches the records of the first 10 results, as the search page does.
//
//   node tests/js/query-bytes.mjs <public dir> "query" ["query" …]
// ENGINE=path/to/engine.js measures another engine (e.g. an older version on its own index).
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { pathToFileURL } from 'node:url';

const engine = process.env.ENGINE ? pathToFileURL(resolve(process.env.ENGINE)).href : '../../themes/lmp/static/search/engine.js';
const { SearchIndex } = await import(engine);
const [pub, ...queries] = process.argv.slice(2);
const sub = process.env.INDEX_DIR || 'search/index';
for (const q of queries) {
  const seen = new Map();
  const load = async (p) => {
    const b = readFileSync(join(pub, sub, p));
    if (!seen.has(p)) seen.set(p, [b.length, gzipSync(b, { level: 9 }).length]);
    return JSON.parse(b.toString('utf8'));
  };
  const index = await SearchIndex.open(load);
  const out = await index.search(q, []);
  for (const h of out.hits.slice(0, 10)) await index.record(h.doc);
  let raw = 0, gz = 0;
  for (const [r, g] of seen.values()) { raw += r; gz += g; }
  console.log(JSON.stringify({ q, results: out.hits.length, files: seen.size, raw, gzip: gz }));
}
