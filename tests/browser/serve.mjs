// Browser test of `lmp serve`: live reload, the error overlay and the stylesheet swap, in headless
// Chromium (playwright-core), against the real binary.
//
//   node tests/browser/serve.mjs          (needs target/release/lmp: cargo build --release)
//
// For the fixture site (tests/fixtures/basic) and then the sample site (site/, with themes/ beside
// it), each copied to a temporary folder: start `lmp serve --port 0`, open a story, edit its
// markdown and wait for the new text without a manual reload (five times, reporting the
// save → visible latency); on the fixture also break the front matter and check the overlay
// (role=alertdialog, file:line, message, help, a focusable Close button) while the last good page
// stays; fix the file and check the overlay goes away by itself; change only CSS and check the
// style changes without a page reload; check the search page finds a story created while
// serving and stops finding it once deleted. Exits 1 on any failure.
// Environment: LMP_BIN (default target/release/lmp), CHROMIUM (default /usr/bin/chromium).
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium } from './lib.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const bin = process.env.LMP_BIN || join(root, 'target/release/lmp');
const TIMEOUT = 15000;

if (!existsSync(bin)) {
  console.error(`serve.mjs: ${bin} is missing: run cargo build --release first`);
  process.exit(2);
}

function startServe(dir) {
  const child = spawn(bin, ['serve', '--port', '0'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const url = new Promise((ok, fail) => {
    let out = '';
    const timer = setTimeout(() => fail(new Error(`lmp serve did not start:\n${stderr}`)), 60000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/http:\/\/\S+/);
      if (m) { clearTimeout(timer); ok(m[0]); }
    });
    child.on('exit', (code) => fail(new Error(`lmp serve exited with ${code}:\n${stderr}`)));
  });
  return { child, url, stderr: () => stderr };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// Every new document records when its DOM was ready, on the same wall clock as the test.
const INIT = () => {
  document.addEventListener('DOMContentLoaded', () => { window.__readyAt = Date.now(); });
};

/// Edit the story `rounds` times; return the save → new-text-visible latencies in ms.
async function measureEdits(page, file, rounds) {
  const original = readFileSync(file, 'utf8');
  const times = [];
  for (let i = 0; i < rounds; i++) {
    const marker = `Live reload marker ${i} ${Date.now()}`;
    await page.waitForFunction(() => window.__lmpLive === true, null, { timeout: TIMEOUT });
    await page.waitForTimeout(150); // let the long-poll reach the server
    const saved = Date.now();
    writeFileSync(file, `${original.trimEnd()}\n\n${marker}\n`);
    await page.getByText(marker).waitFor({ timeout: TIMEOUT });
    const readyAt = await page.evaluate(() => window.__readyAt);
    times.push(Math.max(0, readyAt - saved));
  }
  writeFileSync(file, original);
  return times;
}

async function withServe(name, prepare, storyRel, fn) {
  const tmp = mkdtempSync(join(tmpdir(), `lmp-serve-${name}-`));
  prepare(tmp);
  const serve = startServe(tmp);
  const browser = await launchChromium();
  try {
    const base = await serve.url;
    const page = await browser.newPage();
    await page.addInitScript(INIT);
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(new URL(storyRel, base).href);
    await fn({ page, base, dir: tmp, serve, browser });
    if (errors.length) throw new Error(`JavaScript errors on the page:\n${errors.join('\n')}`);
  } catch (e) {
    console.error(`--- lmp serve stderr (${name}) ---\n${serve.stderr()}`);
    throw e;
  } finally {
    await browser.close();
    serve.child.kill();
    rmSync(tmp, { recursive: true, force: true });
  }
}

function check(cond, what) {
  if (!cond) throw new Error(`failed: ${what}`);
  console.log(`ok - ${what}`);
}

let failed = false;
const results = {};

// --- the fixture site: reload, overlay, fix, CSS swap ------------------------------------------
try {
  await withServe('fixture', (tmp) => cpSync(join(root, 'tests/fixtures/basic'), join(tmp, 'site'), { recursive: true }),
    'stories/first-story/', async ({ page, dir, base, browser }) => {
      const story = join(dir, 'site/stories/first-story.md');
      const good = readFileSync(story, 'utf8');
      check(await page.getByText('They met every week.').isVisible(), 'the story is shown');

      const times = await measureEdits(page, story, 5);
      results.fixture = times;
      check(true, `edits show without a manual reload (save → visible: ${times.join(', ')} ms)`);

      // Break the front matter: the overlay names file:line, the last good page stays.
      await page.waitForTimeout(150);
      writeFileSync(story, good.replace('title: The first story', 'title: [unclosed'));
      const overlay = page.getByRole('alertdialog');
      await overlay.waitFor({ timeout: TIMEOUT });
      const text = await overlay.innerText();
      check(/site\/stories\/first-story\.md:\d+(:\d+)?/.test(text), `the overlay shows file:line (${text.match(/site\/\S+/)?.[0]})`);
      check(/YAML/.test(text) && /help:/.test(text), 'the overlay shows the message and the help');
      // Its English is said to be English, also inside `<html lang="es">` (QA Q63).
      check(await overlay.getAttribute('lang') === 'en', 'the overlay says lang="en"');
      const close = overlay.getByRole('button', { name: /close/i });
      check(await close.isVisible(), 'the overlay has a Close button');
      check(await close.evaluate((b) => b.getRootNode().activeElement === b), 'the Close button has focus');
      check(await page.getByText('They met every week.').isVisible(), 'the last good page is still shown');
      const axePath = join(root, 'node_modules/axe-core/axe.min.js');
      if (existsSync(axePath)) {
        await page.addScriptTag({ content: readFileSync(axePath, 'utf8') });
        const violations = await page.evaluate(async () => {
          const r = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
          const inOverlay = (v) => v.nodes.some((n) => JSON.stringify(n.target).includes('lmp-error-overlay'));
          return {
            checked: r.passes.filter(inOverlay).map((v) => v.id),
            failed: r.violations.filter(inOverlay).map((v) => `${v.id}: ${v.help}`),
            incomplete: r.incomplete.filter(inOverlay).map((v) => v.id),
          };
        });
        check(violations.checked.length > 5, `axe checked the overlay (passed: ${violations.checked.join(', ')}; incomplete: ${violations.incomplete.join(', ')})`);
        check(violations.failed.length === 0, `axe finds no WCAG 2.1 AA violation in the overlay ${violations.failed.join('; ')}`);
      }

      // Fix it: the overlay goes away by itself.
      writeFileSync(story, good);
      await overlay.waitFor({ state: 'detached', timeout: TIMEOUT });
      check(true, 'fixing the file removes the overlay');

      // Break it again, close the overlay by hand, fix with new text: the page reloads.
      await page.waitForTimeout(150);
      writeFileSync(story, good.replace('date: 2016-01-28', 'date: 2016-13-45'));
      await overlay.waitFor({ timeout: TIMEOUT });
      await overlay.getByRole('button', { name: /close/i }).click();
      await overlay.waitFor({ state: 'detached', timeout: TIMEOUT });
      writeFileSync(story, good.replace('They met every week.', 'They met every Monday.'));
      await page.getByText('They met every Monday.').waitFor({ timeout: TIMEOUT });
      check(await overlay.count() === 0, 'a fixed file with new text reloads the page, without the overlay');

      // A CSS-only change swaps the stylesheet without reloading the page.
      await page.waitForFunction(() => window.__lmpLive === true, null, { timeout: TIMEOUT });
      await page.evaluate(() => { window.__notReloaded = true; });
      await page.waitForTimeout(150);
      const css = readFileSync(join(root, 'themes/lmp/static/css/lmp.css'), 'utf8');
      mkdirSync(join(dir, 'site/static/css'), { recursive: true });
      writeFileSync(join(dir, 'site/static/css/lmp.css'), `${css}\nbody { outline: 7px solid rgb(1, 2, 3); }\n`);
      await page.waitForFunction(() => getComputedStyle(document.body).outlineColor === 'rgb(1, 2, 3)', null, { timeout: TIMEOUT });
      check(await page.evaluate(() => window.__notReloaded === true), 'a CSS-only change applies without a page reload');

      // Many tabs: only one long-polls, so pages still load, and every tab reloads on a change.
      const tabs = [];
      for (let i = 0; i < 8; i++) {
        const t = await browser.newPage();
        await t.goto(new URL('stories/first-story/', base).href, { timeout: TIMEOUT });
        await t.waitForFunction(() => window.__lmpLive === true, null, { timeout: TIMEOUT });
        tabs.push(t);
      }
      check(true, 'nine tabs open and load while live reload runs in all of them');
      await page.waitForTimeout(200);
      const current = readFileSync(story, 'utf8');
      writeFileSync(story, current.replace('They met every Monday.', 'They met every Friday.'));
      for (const t of [page, ...tabs]) await t.getByText('They met every Friday.').waitFor({ timeout: TIMEOUT });
      check(true, 'every open tab reloads on a change');
      for (const t of tabs) await t.close();

      // Search works in serve mode and follows the content: a new story is found, a deleted one
      // is not.
      const fresh = join(dir, 'site/stories/quokka-story.md');
      writeFileSync(fresh, '---\ntitle: Quokka huddles\ndate: 2024-02-02\nsummary: Zanzibarquokka teams.\n---\nZanzibarquokka text.\n');
      const sp = await browser.newPage();
      // A rebuild that finishes while the search page is open reloads it (live reload does what it
      // should), which destroys the page's context under a running evaluation: that try reads as
      // "no answer yet" and `until` asks again.
      const search = async () => {
        try {
          await sp.goto(new URL('search/?q=zanzibarquokka', base).href);
          await sp.waitForFunction(() => document.documentElement.dataset.searchState === 'done'
            && document.getElementById('search-status').textContent.trim() !== '', null, { timeout: TIMEOUT });
          return await sp.$$eval('#search-results .search-hit h2 a', (as) => as.map((a) => a.getAttribute('href')));
        } catch (e) {
          if (/Execution context was destroyed|navigat/i.test(String(e && e.message))) return null;
          throw e;
        }
      };
      const until = async (ok) => {
        const end = Date.now() + TIMEOUT;
        for (;;) {
          const r = await search();
          if ((r !== null && ok(r)) || Date.now() > end) return r || [];
          await sp.waitForTimeout(100);
        }
      };
      let hits = await until((r) => r.some((h) => h.includes('/stories/quokka-story/')));
      check(hits.some((h) => h.includes('/stories/quokka-story/')), 'search finds a story created while serving');
      rmSync(fresh);
      hits = await until((r) => !r.some((h) => h.includes('/stories/quokka-story/')));
      check(!hits.some((h) => h.includes('/stories/quokka-story/')), 'search no longer finds a deleted story');
      await sp.close();
    });
} catch (e) {
  failed = true;
  console.error(`not ok - fixture: ${e.stack || e}`);
}

// --- the sample site: save → visible latency ----------------------------------------------------
try {
  const stories = readdirSync(join(root, 'site/stories')).filter((f) => f.endsWith('.md')).sort();
  const slug = stories[0].replace(/\.md$/, '');
  await withServe('sample', (tmp) => {
    cpSync(join(root, 'site'), join(tmp, 'site'), { recursive: true });
    if (existsSync(join(root, 'themes'))) cpSync(join(root, 'themes'), join(tmp, 'themes'), { recursive: true });
  }, `stories/${slug}/`, async ({ page, dir }) => {
    const times = await measureEdits(page, join(dir, 'site/stories', stories[0]), 5);
    results.sample = times;
    check(true, `sample site: edits show without a manual reload (save → visible: ${times.join(', ')} ms)`);
  });
} catch (e) {
  failed = true;
  console.error(`not ok - sample site: ${e.stack || e}`);
}

for (const [name, times] of Object.entries(results)) {
  console.log(`save → visible latency, ${name}: median ${median(times)} ms, max ${Math.max(...times)} ms (${times.length} edits)`);
}
process.exit(failed ? 1 : 0);
