// Accessibility check of the built site: axe-core in headless Chromium (playwright-core).
//
//   node tests/a11y/axe.mjs [DIR]        (default: public)
//
// Serves DIR on 127.0.0.1 (free port) under the site's base path (read from data-base on the home
// page), opens one page of every template at 375 px and 1280 px wide (and 1280 px in dark mode, and
// in dark mode with forced colours: a Windows contrast theme), runs axe with the WCAG 2.0/2.1
// A and AA rules, prints every violation, saves full-page screenshots beside the output it
// checks, in DIR-screenshots/<name>-<width>[-dark][-forced].png (target/public-test-screenshots/, or
// /tmp/x/public-screenshots/ for /tmp/x/public: never into the project's target/ when the output
// is elsewhere, nor mixed with another output's) and exits 1 on any violation.
// Environment: CHROMIUM (default /usr/bin/chromium), AXE_PAGES=name,name (only those pages),
// AXE_ALL=1 (every page at 375 px), AXE_FILL_AS_REPORTED=1 (forced colours: axe reads the text
// colour Chromium reports, not the one it paints: see fillAsPainted), AXE_SCREENSHOTS=DIR (the screenshots there instead:
// tests/a11y/axe-hostile.sh keeps the fixture's apart), AXE_EVERY_LAYOUT=1
// (fail when a language has no page of a document layout the default language has).
import { createServer } from 'node:http';
import { readFileSync, existsSync, readdirSync, statSync, mkdirSync } from 'node:fs';
import { join, resolve, extname, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium } from '../browser/lib.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const dir = resolve(process.argv[2] || join(root, 'public'));
const shots = process.env.AXE_SCREENSHOTS ? resolve(process.env.AXE_SCREENSHOTS) : `${dir}-screenshots`;
const axeSource = readFileSync(join(root, 'node_modules/axe-core/axe.min.js'), 'utf8');
// [width, colour scheme, forced colours]: phones and desktops, the optional dark mode on a desktop,
// and a dark Windows contrast theme (forced colours: the theme's colours replaced by the system's).
const VIEWS = process.env.AXE_ALL ? [[375, 'light', 'none']]
  : [[375, 'light', 'none'], [1280, 'light', 'none'], [1280, 'dark', 'none'], [1280, 'dark', 'active']];
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

if (!existsSync(join(dir, 'index.html'))) {
  console.error(`axe: ${dir}/index.html is missing: run lmp build first`);
  process.exit(2);
}
const home = readFileSync(join(dir, 'index.html'), 'utf8');
const base = (home.match(/data-base="([^"]*)"/) || [, '/'])[1] || '/';

// --- pick one page of every template from the output -------------------------------------------
const isDir = (p) => existsSync(p) && statSync(p).isDirectory();
// Other languages: top-level folders whose pages declare another `<html lang>` (e.g. `es/`).
// Every template is checked again under each of them, so translated pages are covered too.
const langOf = (html) => (html.match(/<html[^>]*\slang="([^"]+)"/) || [, ''])[1];
const homeLang = langOf(home);
// The first page (not a redirect) found under a folder, depth first.
function firstPage(rel) {
  for (const f of readdirSync(join(dir, rel)).sort()) {
    const r = `${rel}/${f}`;
    if (f === 'index.html') {
      const html = readFileSync(join(dir, r), 'utf8');
      if (!/http-equiv="refresh"/i.test(html)) return html;
    } else if (isDir(join(dir, r))) {
      const html = firstPage(r);
      if (html) return html;
    }
  }
  return null;
}
const languages = readdirSync(dir).filter((d) => isDir(join(dir, d)))
  .filter((d) => { const html = firstPage(d); return html !== null && langOf(html) !== homeLang; }).sort();
function templatePages(prefix) {
  const at = (rel) => `${prefix}${rel}`;
  const subdirs = (rel) => isDir(join(dir, at(rel)))
    ? readdirSync(join(dir, at(rel))).filter((d) => d !== 'page' && existsSync(join(dir, at(rel), d, 'index.html'))).sort()
    : [];
  const first = (rel) => { const d = subdirs(rel)[0]; return d ? at(`${rel}/${d}/`) : null; };
  const has = (rel) => existsSync(join(dir, at(rel), 'index.html')) ? at(`${rel}/`) : null;
  const collections = ['stories', 'guides', 'practices', 'tools', 'videos', 'research', 'regions'];
  const taxonomies = ['topics', 'audiences', 'series'];
  const reserved = new Set([...collections, ...taxonomies, ...languages, 'search', 'css', 'files', 'static', 'page', 'tags', 'categories']);
  const list2 = collections.map((c) => has(`${c}/page/2`)).find(Boolean) || null;
  const taxonomy = taxonomies.map(has).find(Boolean) || null;
  const term = taxonomies.map(first).find(Boolean) || null;
  const plainPage = readdirSync(join(dir, prefix || '.')).filter((d) => !reserved.has(d) && existsSync(join(dir, at(d), 'index.html'))
    && !/http-equiv="refresh"/i.test(readFileSync(join(dir, at(d), 'index.html'), 'utf8'))).sort()[0];
  // a region with team figures says more than one without
  const regions = subdirs('regions');
  const region = regions.find((r) => /share-|unit-based teams|equipos de unidad/i.test(readFileSync(join(dir, at(`regions/${r}/index.html`)), 'utf8')));
  const name = (n) => prefix ? `${prefix.replace(/\/$/, '')}-${n}` : n;
  return [
    [name('home'), prefix],
    [name('story'), first('stories')],
    [name('guide'), first('guides')],
    [name('practice'), first('practices')],
    [name('tool'), first('tools')],
    [name('video'), first('videos')],
    [name('research'), first('research')],
    [name('region'), region ? at(`regions/${region}/`) : first('regions')],
    [name('regions'), has('regions')],
    [name('list-1'), has('stories')],
    [name('list-2'), list2],
    [name('taxonomy'), taxonomy],
    [name('term'), term],
    [name('search'), has('search')],
    // With results, the number of results, a filter chosen (its group open, with counts) and
    // the other groups closed.
    [name('search-results'), has('search') ? `${has('search')}?q=partnership&collection=guides` : null],
    [name('page'), plainPage ? at(`${plainPage}/`) : null],
  ];
}
function componentPages() {
  const kinds = ['callout callout-', 'component-figure', 'component-video', 'component-details', 'component-quote',
    'component-download', 'component-figures'];
  const found = new Map();
  const walk = (rel) => {
    for (const f of readdirSync(join(dir, rel)).sort()) {
      const r = rel ? `${rel}/${f}` : f;
      if (isDir(join(dir, r))) walk(r);
      else if (f === 'index.html') {
        const html = readFileSync(join(dir, r), 'utf8');
        for (const k of kinds) if (!found.has(k) && html.includes(`class="${k}`)) found.set(k, r.replace(/index\.html$/, ''));
      }
    }
  };
  walk('');
  const urls = [...new Set(found.values())];
  return urls.map((u) => [`component-${u.replace(/\/$/, '').replace(/\//g, '_') || 'home'}`, u]);
}
const pages = [
  ...templatePages(''),
  ['404', existsSync(join(dir, '404.html')) ? 'no-such-page/' : null],
  ...languages.flatMap((l) => templatePages(`${l}/`)),
  // Markdown components and alerts (docs/authoring.md): the first page that uses each one.
  ...componentPages(),
].filter(([name]) => !process.env.AXE_PAGES || process.env.AXE_PAGES.split(',').includes(name));
// AXE_ALL=1: every page of the site (not only one per template), slower; for a full audit.
if (process.env.AXE_ALL) {
  pages.length = 0;
  const walk = (rel) => {
    for (const f of readdirSync(join(dir, rel)).sort()) {
      const r = rel ? `${rel}/${f}` : f;
      if (isDir(join(dir, r))) walk(r);
      else if (f === 'index.html' && !/http-equiv="refresh"/i.test(readFileSync(join(dir, r), 'utf8'))) pages.push([r.replace(/\//g, '_').replace(/_?index\.html$/, '') || 'home', r.replace(/index\.html$/, '')]);
    }
  };
  walk('');
}

// --- a tiny static server ------------------------------------------------------------------------
const types = { '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript', '.mjs': 'text/javascript',
  '.json': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg',
  '.webp': 'image/webp', '.gif': 'image/gif', '.xml': 'application/xml', '.txt': 'text/plain', '.pdf': 'application/pdf',
  '.vtt': 'text/vtt', '.mp4': 'video/mp4', '.woff2': 'font/woff2', '.ico': 'image/x-icon' };
const server = createServer((req, res) => {
  let path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
  const send404 = () => {
    const p = join(dir, '404.html');
    res.writeHead(404, { 'content-type': types['.html'] });
    res.end(existsSync(p) ? readFileSync(p) : 'not found');
  };
  if (!path.startsWith(base)) return send404();
  let file = resolve(dir, '.' + path.slice(base.length - 1));
  if (!file.startsWith(dir)) return send404();
  if (isDir(file)) file = join(file, 'index.html');
  if (!existsSync(file)) return send404();
  res.writeHead(200, { 'content-type': types[extname(file)] || 'application/octet-stream' });
  res.end(readFileSync(file));
});
await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
const origin = `http://127.0.0.1:${server.address().port}`;

// AXE_EVERY_LAYOUT=1 (the sample site, scripts/test-all.sh): every document layout the default
// language has a page of (story, guide, practice, tool, video, research, region, page) must have
// one in each other language too, so that no layout goes unchecked in a language (QA s17: the
// Spanish practice, tool and research layouts were never checked, the sample site having none).
if (process.env.AXE_EVERY_LAYOUT) {
  const layouts = ['story', 'guide', 'practice', 'tool', 'video', 'research', 'region', 'page'];
  const present = new Map(pages.map(([name, rel]) => [name, rel !== null]));
  const missing = languages.flatMap((l) => layouts
    .filter((n) => present.get(n) && present.get(`${l}-${n}`) === false).map((n) => `${l}-${n}`));
  if (missing.length) {
    console.error(`axe: no page to check for ${missing.join(', ')}: the default language has one of each layout, this language none`);
    process.exit(1);
  }
}

// --- run axe -------------------------------------------------------------------------------------
// Forced colours: Chromium paints text in the forced colour (`getComputedStyle(e).color`, white
// in a dark contrast theme) but reports `-webkit-text-fill-color`, which axe's contrast rule reads
// before `color`, as the author's colour that was replaced (QA s23/s24: the header's Search
// button, #0b2233 in dark mode, "1.29:1 on black", and every highlighted code word, where the
// screenshots show white on black). So in a forced-colours view axe is given the colour painted:
// for an element whose colours are forced (not `forced-color-adjust: none`, where the author's
// colours stay and axe reads them as they are) the fill colour reads as `color`. Only while the
// theme sets no fill colour of its own (it would then be what is painted): the run fails if it does.
function fillAsPainted() {
  const rules = (sheet) => { try { return [...sheet.cssRules]; } catch { return []; } };
  const own = [...document.styleSheets].flatMap(rules).some((r) => r.cssText.includes('text-fill-color'))
    || document.querySelector('[style*="text-fill-color"]');
  if (own) throw new Error('the page sets -webkit-text-fill-color: axe.mjs cannot tell its forced-colours contrast');
  const computed = window.getComputedStyle;
  window.getComputedStyle = function (element, pseudo) {
    const style = computed.call(window, element, pseudo);
    if (style.forcedColorAdjust === 'none') return style;
    return new Proxy(style, {
      get(t, k) {
        if (k === 'getPropertyValue') return (p) => t.getPropertyValue(p === '-webkit-text-fill-color' ? 'color' : p);
        if (k === 'webkitTextFillColor') return t.color;
        const v = Reflect.get(t, k, t);
        return typeof v === 'function' ? v.bind(t) : v;
      },
    });
  };
}
// A stuck browser must fail the run, not hang CI.
const LIMIT_MS = Number(process.env.AXE_TIMEOUT_MS || (process.env.AXE_ALL ? 30 : 10) * 60 * 1000);
setTimeout(() => { console.error(`axe: gave up after ${LIMIT_MS / 1000} s`); process.exit(1); }, LIMIT_MS).unref();
const browser = await launchChromium({ timeout: 60000 });
mkdirSync(shots, { recursive: true });
let passed = 0, failed = 0, total = 0;
for (const [name, rel] of pages) {
  if (rel === null) { console.log(`axe: skip ${name}: no such page in ${dir}`); continue; }
  for (const [width, scheme, forcedColors] of VIEWS) {
    const view = `${width}${scheme === 'light' ? '' : `-${scheme}`}${forcedColors === 'active' ? '-forced' : ''}`;
    const context = await browser.newContext({ viewport: { width, height: 900 }, colorScheme: scheme, forcedColors, reducedMotion: 'reduce' });
    // Third-party embeds (video players) are not ours to test and are not reachable offline.
    await context.route(/^https?:\/\/(?!127\.0\.0\.1)/, (route) => route.abort());
    const page = await context.newPage();
    page.setDefaultTimeout(30000);
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    const url = `${origin}${base}${rel}`;
    await page.goto(url, { waitUntil: 'load' });
    if (rel.includes('?q=')) await page.waitForFunction(() => document.documentElement.dataset.searchState === 'done');
    if (forcedColors === 'active' && !process.env.AXE_FILL_AS_REPORTED) {
      const refused = await page.evaluate(fillAsPainted).then(() => null, (e) => e.message.split('\n')[0].replace(/^.*Error: /, ''));
      if (refused) {
        failed++;
        console.log(`FAIL ${name} ${view} ${base}${rel}\n  ${refused}`);
        await context.close();
        continue;
      }
    }
    await page.addScriptTag({ content: axeSource });
    const result = await page.evaluate((tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags } }), TAGS);
    await page.screenshot({ path: join(shots, `${name}-${view}.png`), fullPage: true });
    const v = result.violations;
    if (v.length === 0) {
      passed++;
      console.log(`ok   ${name} ${view} ${base}${rel}`);
    } else {
      failed++;
      console.log(`FAIL ${name} ${view} ${base}${rel}`);
      for (const x of v) {
        total += x.nodes.length;
        console.log(`  ${x.id} (${x.impact}): ${x.help} [${x.tags.filter((t) => t.startsWith('wcag')).join(' ')}]`);
        for (const n of x.nodes.slice(0, 5)) console.log(`    ${n.target.join(' ')}\n      ${n.failureSummary.replace(/\n/g, '\n      ')}`);
        if (x.nodes.length > 5) console.log(`    ... and ${x.nodes.length - 5} more`);
      }
    }
    for (const e of errors) console.log(`  page error: ${e}`);
    await context.close();
  }
}
await browser.close();
server.close();
console.log(`screenshots: ${shots}`);
console.log(`axe: ${passed} passed, ${failed} failed`);
if (failed > 0) console.error(`axe: ${total} violating elements`);
process.exit(failed > 0 ? 1 : 0);
