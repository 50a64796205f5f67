// The search page: results as you type, highlighted excerpts, deep links, filters with counts,
// state in the URL, keyboard navigation and a live region. Plain JavaScript, no dependencies.
// Index and result URLs are resolved against the site's base path (<html data-base="/lmp/">).

import { SearchIndex, highlight, FACETS } from './engine.js';

/** Results shown first (each needs its document shard; Pagefind's UI also starts with 5), then per "Show more". */
const FIRST = 5;
const PAGE = 10;
const FACET_LEGEND = { collection: 'Collection', region: 'Region', topic: 'Topic', audience: 'Audience' };
/** Facets whose counts load only when their group is opened (or one of their values is chosen). */
const LAZY = new Set(['topic', 'audience']);

const base = (document.documentElement.dataset.base || '/').replace(/\/?$/, '/');
const indexBase = `${base}search/index/`;
const $ = (id) => document.getElementById(id);
const form = $('search-form');
const input = $('search-q');
const status = $('search-status');
const list = $('search-results');
const more = $('search-more');
const filtersBox = $('search-filters');

const state = { q: '', filters: [], shown: FIRST, open: new Set() };
let indexPromise = null;
let seq = 0;
let last = null;

function openIndex() {
  indexPromise ??= SearchIndex.open(async (path) => {
    const res = await fetch(indexBase + path, path === 'manifest.json' ? { cache: 'no-cache' } : {});
    if (!res.ok) throw new Error(`${res.status} ${res.statusText}: ${indexBase}${path}`);
    return res.json();
  });
  return indexPromise;
}

function readUrl() {
  const p = new URLSearchParams(location.search);
  state.q = p.get('q') || '';
  state.filters = [];
  for (const f of FACETS) for (const v of p.getAll(f)) if (v) state.filters.push([f, v]);
  state.shown = FIRST;
}

function writeUrl(push) {
  const p = new URLSearchParams();
  if (state.q) p.set('q', state.q);
  for (const f of FACETS) for (const [k, v] of state.filters) if (k === f) p.append(f, v);
  const qs = p.toString();
  const url = `${location.pathname}${qs ? `?${qs}` : ''}`;
  if (url === `${location.pathname}${location.search}`) return;
  history[push ? 'pushState' : 'replaceState'](null, '', url);
}

const siteUrl = (u) => base + u.replace(/^\//, '');
const el = (tag, props = {}, ...kids) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === 'class') e.className = v; else if (k in e) e[k] = v; else e.setAttribute(k, v);
  }
  for (const k of kids) if (k !== null && k !== undefined) e.append(k);
  return e;
};

function marked(text, words, index) {
  const frag = document.createDocumentFragment();
  for (const [s, hit] of highlight(text, words, index)) frag.append(hit ? el('mark', {}, s) : s);
  return frag;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September',
  'October', 'November', 'December'];
/** `2026-11-20` → `November 20, 2026`, as every page shows dates (src/util.rs `Date::display`). */
function displayDate(iso) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m && MONTHS[Number(m[2]) - 1] ? `${MONTHS[Number(m[2]) - 1]} ${Number(m[3])}, ${m[1]}` : iso;
}

function plural(n, one, many) { return `${n} ${n === 1 ? one : many}`; }

function labelOf(index, facet, slug) {
  if (facet === 'collection') return index.m.collections.find((c) => c.slug === slug)?.label ?? slug;
  return index.m.facets[facet]?.values.find((v) => v.slug === slug)?.label ?? slug;
}

function describe(index, out) {
  const q = `“${state.q.trim()}”`;
  const parts = [];
  const active = state.filters.map(([f, v]) => labelOf(index, f, v));
  const where = active.length ? ` in ${active.join(', ')}` : '';
  if (out.hits.length === 0) {
    parts.push(`No results for ${q}${where}.`);
    parts.push(active.length ? 'Try removing a filter, or check the spelling.' : 'Check the spelling or try fewer or different words.');
  } else {
    parts.push(`${plural(out.hits.length, 'result', 'results')} for ${q}${where}.`);
    if (!out.allWords) parts.push('No page has all of your words; showing pages with some of them.');
  }
  for (const w of out.words) {
    const typos = w.expansions.filter((e) => e.kind.startsWith('typo')).map((e) => `“${e.term}”`);
    if (typos.length) parts.push(`Also matching ${typos.join(', ')} for “${w.word}”.`);
    else if (w.expansions.length === 0 && out.hits.length > 0) parts.push(`Nothing matches “${w.word}”.`);
  }
  return parts.join(' ');
}

async function renderHits(index, out) {
  const hits = out.hits.slice(0, state.shown);
  const records = await Promise.all(hits.map((h) => index.record(h.doc)));
  const items = hits.map((h, i) => {
    const r = records[i];
    const col = index.collection(h.doc);
    const sec = SearchIndex.section(r, h.section);
    const meta = [col?.label, r.date ? el('time', { dateTime: r.date }, displayDate(r.date)) : null]
      .filter(Boolean).flatMap((x, k) => (k ? [' · ', x] : [x]));
    return el('li', { class: 'search-hit' },
      el('h2', {}, el('a', { href: siteUrl(r.url) }, marked(r.title, out.words, index))),
      meta.length ? el('p', { class: 'search-meta' }, ...meta) : null,
      r.summary ? el('p', { class: 'search-excerpt' }, marked(r.summary, out.words, index)) : null,
      sec && sec[0] ? el('p', { class: 'search-section' }, 'Section: ',
        el('a', { href: `${siteUrl(r.url)}#${encodeURIComponent(sec[0])}` }, marked(sec[1], out.words, index))) : null);
  });
  list.replaceChildren(...items);
  more.hidden = out.hits.length <= state.shown;
}

function renderFilters(index, out) {
  const groups = [];
  for (const facet of FACETS) {
    const values = facet === 'collection'
      ? index.m.collections.map((c) => ({ slug: c.slug, label: c.label }))
      : (index.m.facets[facet]?.values ?? []);
    if (values.length === 0) continue;
    const counts = out.counts[facet];
    const chosen = new Set(state.filters.filter(([f]) => f === facet).map(([, v]) => v));
    const boxes = [];
    for (const v of values) {
      const n = counts ? (counts[v.slug] || 0) : null;
      if (n === 0 && !chosen.has(v.slug)) continue;
      const id = `f-${facet}-${v.slug}`;
      const cb = el('input', { type: 'checkbox', id, name: facet, value: v.slug, checked: chosen.has(v.slug) });
      boxes.push(el('li', {}, cb, el('label', { htmlFor: id }, `${v.label} `,
        n === null ? null : el('span', { class: 'search-count' }, `(${n})`))));
    }
    if (boxes.length === 0) continue;
    const fs = el('fieldset', { class: 'search-facet' }, el('legend', {}, FACET_LEGEND[facet]), el('ul', {}, ...boxes));
    if (LAZY.has(facet)) {
      const open = state.open.has(facet) || chosen.size > 0;
      const d = el('details', { open, 'data-facet': facet }, el('summary', {}, FACET_LEGEND[facet]), fs);
      groups.push(d);
    } else groups.push(fs);
  }
  filtersBox.replaceChildren(el('h2', { class: 'search-filters-title' }, 'Filter results'), ...groups);
  filtersBox.hidden = groups.length === 0;
}

async function run({ keepFocus = true } = {}) {
  const my = ++seq;
  const q = state.q;
  if (q.trim() === '') {
    list.replaceChildren();
    filtersBox.hidden = true;
    more.hidden = true;
    status.textContent = '';
    last = null;
    return;
  }
  let index;
  try {
    index = await openIndex();
    const counts = FACETS.filter((f) => !LAZY.has(f) || state.open.has(f) || state.filters.some(([k]) => k === f));
    const out = await index.search(q, state.filters, counts);
    if (my !== seq) return;
    await renderHits(index, out);
    if (my !== seq) return;
    const focused = filtersBox.contains(document.activeElement) ? document.activeElement.id : null;
    renderFilters(index, out);
    if (keepFocus && focused) document.getElementById(focused)?.focus();
    status.textContent = describe(index, out);
    last = out;
    document.documentElement.dataset.searchState = 'done';
  } catch (e) {
    if (my !== seq) return;
    status.textContent = 'Search is not available right now. Please try again later.';
    console.error(e);
  }
}

let timer = 0;
input.addEventListener('input', () => {
  state.q = input.value;
  state.shown = FIRST;
  document.documentElement.dataset.searchState = 'busy';
  clearTimeout(timer);
  timer = setTimeout(() => { writeUrl(false); run(); }, 80);
});
input.addEventListener('focus', () => { openIndex().catch(() => {}); }, { once: true });

form.addEventListener('submit', (e) => {
  e.preventDefault();
  clearTimeout(timer);
  state.q = input.value;
  writeUrl(true);
  run();
});

filtersBox.addEventListener('change', (e) => {
  const cb = e.target;
  if (!(cb instanceof HTMLInputElement) || cb.type !== 'checkbox') return;
  state.filters = state.filters.filter(([f, v]) => !(f === cb.name && v === cb.value));
  if (cb.checked) state.filters.push([cb.name, cb.value]);
  state.shown = FIRST;
  writeUrl(true);
  run();
});

filtersBox.addEventListener('toggle', (e) => {
  const d = e.target;
  if (!(d instanceof HTMLDetailsElement)) return;
  const f = d.dataset.facet;
  if (d.open && !state.open.has(f)) { state.open.add(f); run(); } else if (!d.open) state.open.delete(f);
}, true);

more.addEventListener('click', async () => {
  const first = state.shown;
  state.shown += PAGE;
  const index = await openIndex();
  if (last) await renderHits(index, last);
  list.querySelectorAll('.search-hit h2 a')[first]?.focus();
});

// Keyboard: ↓ from the box into the results, ↑/↓ between results, Esc back to the box.
function resultLinks() { return [...list.querySelectorAll('.search-hit h2 a')]; }
input.addEventListener('keydown', (e) => {
  if (e.key === 'ArrowDown') {
    const links = resultLinks();
    if (links.length) { e.preventDefault(); links[0].focus(); }
  }
});
list.addEventListener('keydown', (e) => {
  const links = resultLinks();
  const i = links.indexOf(document.activeElement);
  if (e.key === 'Escape') { e.preventDefault(); input.focus(); return; }
  if (i < 0) return;
  if (e.key === 'ArrowDown' && i + 1 < links.length) { e.preventDefault(); links[i + 1].focus(); }
  if (e.key === 'ArrowUp') { e.preventDefault(); (i > 0 ? links[i - 1] : input).focus(); }
});

window.addEventListener('popstate', () => {
  readUrl();
  input.value = state.q;
  run();
});

readUrl();
input.value = state.q;
if (state.q) run();
else input.focus();
