// Load test of `lmp serve` with wrk: 10 s at 50 connections on loopback, against a copy of the
// sample site, while a few live-reload long-polls are waiting. Fails on any socket error, any
// non-2xx/3xx response, or fewer than 100 requests/s; prints the figures.
//
//   node tests/browser/serve-load.mjs       (needs target/release/lmp and Debian's wrk)
//
// Environment: LMP_BIN (default target/release/lmp), LOAD_SECONDS (default 10). Without wrk on
// PATH it says so and exits 0 (scripts/install-test-deps.sh can install it: apt-get install wrk).
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const bin = process.env.LMP_BIN || join(root, 'target/release/lmp');
const seconds = Number(process.env.LOAD_SECONDS || 10);

if (spawnSync('wrk', ['--version']).error) {
  console.log('skip - wrk is not installed (apt-get install wrk)');
  process.exit(0);
}
if (!existsSync(bin)) {
  console.error(`serve-load.mjs: ${bin} is missing: run cargo build --release first`);
  process.exit(2);
}

const tmp = mkdtempSync(join(tmpdir(), 'lmp-serve-load-'));
cpSync(join(root, 'site'), join(tmp, 'site'), { recursive: true });
if (existsSync(join(root, 'themes'))) cpSync(join(root, 'themes'), join(tmp, 'themes'), { recursive: true });
const child = spawn(bin, ['serve', '--port', '0', '--quiet'], { cwd: tmp, stdio: ['ignore', 'pipe', 'inherit'] });
let code = 1;
try {
  const url = await new Promise((ok, fail) => {
    let out = '';
    const timer = setTimeout(() => fail(new Error('lmp serve did not start')), 60000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/http:\/\/\S+/);
      if (m) { clearTimeout(timer); ok(m[0]); }
    });
    child.on('exit', (c) => fail(new Error(`lmp serve exited with ${c}`)));
  });
  // Long-polls held open during the run must not starve the workers.
  const status = await (await fetch(new URL('/__lmp/status', url))).json();
  const polls = Array.from({ length: 8 }, () => fetch(new URL(`/__lmp/poll?gen=${status.gen}`, url)).catch(() => {}));

  // Rotate over pages of several kinds.
  const story = readdirSync(join(tmp, 'site/stories')).filter((f) => f.endsWith('.md')).sort()[0].replace(/\.md$/, '');
  const paths = ['/', '/stories/', `/stories/${story}/`, '/css/lmp.css', '/sitemap.xml', '/stories/atom.xml'];
  const lua = join(tmp, 'paths.lua');
  writeFileSync(lua, `local paths = {${paths.map((p) => JSON.stringify(p)).join(', ')}}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1])
end
`);
  const base = url.replace(/\/$/, '');
  const r = spawnSync('wrk', ['-t2', '-c50', `-d${seconds}s`, '--latency', '-s', lua, base], { encoding: 'utf8' });
  console.log(r.stdout);
  if (r.status !== 0) throw new Error(`wrk failed: ${r.stderr}`);
  const rps = Number((r.stdout.match(/Requests\/sec:\s+([\d.]+)/) || [])[1]);
  const socketErrors = r.stdout.match(/Socket errors:.*/);
  const non2xx = Number((r.stdout.match(/Non-2xx or 3xx responses:\s+(\d+)/) || [, 0])[1]);
  const total = Number((r.stdout.match(/(\d+) requests in/) || [])[1]);
  console.log(`serve load: ${rps} requests/s, ${total} requests, socket errors: ${socketErrors ? socketErrors[0] : 'none'}, non-2xx/3xx: ${non2xx}`);
  if (socketErrors) throw new Error(socketErrors[0]);
  if (non2xx > 0) throw new Error(`${non2xx} responses were not 2xx or 3xx`);
  if (!(rps >= 100)) throw new Error(`only ${rps} requests/s`);
  void polls;
  console.log('ok - serve load test');
  code = 0;
} catch (e) {
  console.error(`not ok - serve load test: ${e.stack || e}`);
} finally {
  child.kill();
  rmSync(tmp, { recursive: true, force: true });
}
process.exit(code);
