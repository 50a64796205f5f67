// The search page: results as you type, highlighted excerpts, deep links, filters with counts,
// state in the URL, keyboard navigation and a live region. Plain JavaScript, no dependencies.
// Index and result URLs are resolved against the site's base path (<html data-base="/lmp/">).
//
// What a query reads: its first results come from the heads of its words' postings and as few
// tiers as prove them (`searchTop`), with the number of results exact or estimated from what was
// read ("About 1,200 results"); "Show more" reads the tiers the next results need; the whole
// search (every posting of every word) runs only when that proves nothing, or when the reader
// chooses a filter. Opening a filter group shows counts from the facet counts of the words'
// terms (one small file per word): exact for one common word, "about" otherwise, and exact
// once the whole search has run. See "Filter counts" in docs/search-format.md.

import { SearchIndex, highlight, FACETS } from './engine.js';

/** Results shown first (each needs its document shard; Pagefind's UI also starts with 5), then per "Show more". */
const FIRST = 5;
const PAGE = 10;
const box = document.getElementById('search');
/** The page's words (data-s-* attributes from the theme's i18n strings), English when absent. */
const S = box?.dataset ?? {};
const say = (key, fallback, vars = {}) => (S[key] ?? fallback).replace(/\{(\w+)\}/g, (m, k) => (k in vars ? vars[k] : m));
const FACET_LEGEND = {
  collection: say('sCollection', 'Collection'), region: say('sRegion', 'Region'),
  topic: say('sTopic', 'Topic'), audience: say('sAudience', 'Audience'),
};
/** The page's language's numbers: 1,234 (1.234 in Spanish). */
const NUMBERS = new Intl.NumberFormat(document.documentElement.lang || 'en');

const base = (document.documentElement.dataset.base || '/').replace(/\/?$/, '/');
/** This page's language's index (the Spanish search page searches the Spanish index). */
const indexBase = box?.dataset.index || `${base}search/index/`;
/** Results shown from each other language when "all languages" is on, or as a fallback. */
const OTHERS = 5;
const $ = (id) => document.getElementById(id);
const form = $('search-form');
const input = $('search-q');
const status = $('search-status');
const list = $('search-results');
const more = $('search-more');
const filtersBox = $('search-filters');
const langsBox = $('search-langs');
const allBox = $('search-all');
const othersBox = $('search-others');

const state = { q: '', filters: [], shown: FIRST, open: new Set(), all: false };
let indexPromise = null;
let seq = 0;
/**
 * The query shown (`key`: its words and filters): its first results (`top`, from `searchTop`),
 * the whole search once it ran (`full`), the exact counts of the filter groups counted so far
 * (`counts`), and the counts from the facet counts files (`est`, before the whole search).
 */
let cur = null;
const keyOf = () => JSON.stringify([state.q, state.filters]);

function loader(dir) {
  return async (path) => {
    const res = await fetch(dir + path, path === 'manifest.json' ? { cache: 'no-cache' } : {});
    if (!res.ok) throw new Error(`${res.status} ${res.statusText}: ${dir}${path}`);
    return res.json();
  };
}

function openIndex() {
  indexPromise ??= SearchIndex.open(loader(indexBase)).then((index) => {
    if (langsBox && (index.m.languages || []).length > 1) langsBox.hidden = false;
    return index;
  });
  return indexPromise;
}

/** The other languages' indexes (code, name, index), opened on first use. */
const otherIndexes = new Map();
function openOthers(index) {
  return Promise.all((index.m.languages || []).filter((l) => l.code !== index.m.lang).map((l) => {
    if (!otherIndexes.has(l.code)) {
      const dir = base + l.manifest.replace(/manifest\.json$/, '');
      otherIndexes.set(l.code, SearchIndex.open(loader(dir)).then((ix) => ({ code: l.code, name: l.name, index: ix })));
    }
    return otherIndexes.get(l.code);
  }));
}

/** The language switcher leads to the same search in the other language (QA Q79). */
function carryQuery() {
  for (const a of document.querySelectorAll('.lang-switch a[rel="alternate"]')) {
    if (!a.dataset.bare) a.dataset.bare = a.getAttribute('href').replace(/[?#].*$/, '');
    a.setAttribute('href', a.dataset.bare + location.search);
  }
}

function readUrl() {
  carryQuery();
  const p = new URLSearchParams(location.search);
  state.q = p.get('q') || '';
  state.filters = [];
  for (const f of FACETS) for (const v of p.getAll(f)) if (v) state.filters.push([f, v]);
  state.all = p.get('all') === '1';
  state.shown = FIRST;
}

function writeUrl(push) {
  const p = new URLSearchParams();
  if (state.q) p.set('q', state.q);
  for (const f of FACETS) for (const [k, v] of state.filters) if (k === f) p.append(f, v);
  if (state.all) p.set('all', '1');
  const qs = p.toString();
  const url = `${location.pathname}${qs ? `?${qs}` : ''}`;
  if (url === `${location.pathname}${location.search}`) return;
  history[push ? 'pushState' : 'replaceState'](null, '', url);
  carryQuery();
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

const MONTHS = S.sMonths ? S.sMonths.split('|') : ['January', 'February', 'March', 'April', 'May', 'June',
  'July', 'August', 'September', 'October', 'November', 'December'];
/**
 * `2026-11-20` → `November 20, 2026` (`20 de noviembre de 2026` on the Spanish page), as every page
 * shows dates (the theme's `date_format` and month names, src/render/strings.rs `date`).
 */
function displayDate(iso) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m || !MONTHS[Number(m[2]) - 1]) return iso;
  return say('sDateFormat', '{month} {day}, {year}', { month: MONTHS[Number(m[2]) - 1], day: String(Number(m[3])), year: m[1] });
}


function labelOf(index, facet, slug) {
  if (facet === 'collection') return index.m.collections.find((c) => c.slug === slug)?.label ?? slug;
  return index.m.facets[facet]?.values.find((v) => v.slug === slug)?.label ?? slug;
}

/** A number as the page says it: 1,234, or 1,200 for about 1,234 (two digits). */
function countText(count) {
  if (count.exact) return NUMBERS.format(count.n);
  const unit = 10 ** Math.max(0, String(count.n).length - 2);
  return NUMBERS.format(Math.round(count.n / unit) * unit);
}

/**
 * The status line; `count`: { n, exact } the number of results; `others` is how many results the
 * other languages' lists below show.
 */
function describe(index, out, count, others) {
  // A query that is one quoted phrase is shown in the page's quote marks only, not “"…"” (QA Q102).
  const typed = state.q.trim();
  const q = `“${/^"[^"]+"$/.test(typed) ? typed.slice(1, -1) : typed}”`;
  const parts = [];
  const active = state.filters.map(([f, v]) => labelOf(index, f, v));
  const where = active.length ? say('sIn', ' in {where}', { where: active.join(', ') }) : '';
  if (out.hits.length === 0 && others > 0) {
    // The words are there, in another language: no "check the spelling" (QA Q32).
    parts.push(say('sNoneHere', 'No page in this language has {q}{where}; pages in another language do, below.', { q, where }));
  } else if (out.hits.length === 0) {
    parts.push(say('sNoResults', 'No results for {q}{where}.', { q, where }));
    if (out.words.length === 0 && out.phrases.length === 0 && !/[\p{L}\p{N}]/u.test(typed)) {
      // QA s16: `""` or `?!` was told its words were common words: it has none (as `lmp search`).
      parts.push(say('sNoWords', 'There are no words to look for; type a word or a phrase.'));
    } else if (out.words.length === 0 && out.phrases.length === 0 && typed.split(/\s+/).every((w) => w.startsWith('-'))) {
      // QA s15: `-huddle` alone was told huddle is a common word: it only says what to leave
      // out (as `lmp search` says).
      parts.push(say('sOnlyExcluded', 'A word after a minus sign is a word to leave out; add a word to look for.'));
    } else if (out.words.length === 0 && out.phrases.length === 0) {
      // Only common words (de la): search leaves them out; spelling is not the problem.
      parts.push(say('sOnlyCommon', 'Your words are all common words that search leaves out; try other words.'));
    } else if (out.excludedOut > 0) {
      // The words are found, the minus leaves every page out: nothing to spell (QA Q91).
      parts.push(say('sExcludedAll', 'The pages with your other words all have a word you left out with a minus sign; remove it to see them.'));
    } else {
      parts.push(active.length ? say('sTryFilter', 'Try removing a filter, or check the spelling.')
        : say('sTrySpelling', 'Check the spelling or try fewer or different words.'));
    }
  } else {
    const n = countText(count);
    if (!count.exact) parts.push(say('sResultAbout', 'About {n} results for {q}{where}.', { n, q, where }));
    else parts.push(count.n === 1 ? say('sResultOne', '{n} result for {q}{where}.', { n, q, where })
      : say('sResultMany', '{n} results for {q}{where}.', { n, q, where }));
    if (!out.allWords) parts.push(say('sSomeWords', 'No page has all of your words; showing pages with some of them.'));
  }
  for (const w of out.words) {
    const typos = w.expansions.filter((e) => e.kind.startsWith('typo')).map((e) => `“${e.form || e.term}”`);
    if (typos.length) parts.push(say('sAlsoMatching', 'Also matching {terms} for {word}.', { terms: typos.join(', '), word: `“${w.word}”` }));
    else if (w.expansions.length === 0 && out.hits.length > 0) parts.push(say('sNothingMatches', 'Nothing matches {word}.', { word: `“${w.word}”` }));
  }
  return parts.join(' ');
}

// Titles, excerpts and sections are an editor's text of either direction: `dir: 'auto'` lays a
// title that starts in Hebrew or Arabic out right to left (an English one is as before).
async function renderHits(index, out, count) {
  const hits = out.hits.slice(0, state.shown);
  const records = await Promise.all(hits.map((h) => index.record(h.doc)));
  const items = hits.map((h, i) => {
    const r = records[i];
    const col = index.collection(h.doc);
    const sec = SearchIndex.section(r, h.section);
    const meta = [col?.label, r.date ? el('time', { dateTime: r.date }, displayDate(r.date)) : null]
      .filter(Boolean).flatMap((x, k) => (k ? [' · ', x] : [x]));
    return el('li', { class: 'search-hit' },
      el('h2', { dir: 'auto' }, el('a', { href: siteUrl(r.url) }, marked(r.title, out.words, index))),
      meta.length ? el('p', { class: 'search-meta' }, ...meta) : null,
      r.summary ? el('p', { class: 'search-excerpt', dir: 'auto' }, marked(r.summary, out.words, index)) : null,
      sec && sec[0] ? el('p', { class: 'search-section' }, `${say('sSection', 'Section:')} `,
        el('a', { href: `${siteUrl(r.url)}#${encodeURIComponent(sec[0])}`, dir: 'auto' }, marked(sec[1], out.words, index))) : null);
  });
  list.replaceChildren(...items);
  more.hidden = count.exact && count.n <= state.shown;
}

/**
 * The filter groups, each a closed <details> until the reader opens it (or chooses one of its
 * values). `counts`: facet → value → count, exact (the whole search's), for the groups counted;
 * `est`: facet → value → { n, exact } from the facet counts files (before the whole search), or
 * null. An open group's values show without counts until either is there.
 */
function renderFilters(index, counts, est) {
  const groups = [];
  for (const facet of FACETS) {
    const values = facet === 'collection'
      ? index.m.collections.map((c) => ({ slug: c.slug, label: c.label }))
      : (index.m.facets[facet]?.values ?? []);
    if (values.length === 0) continue;
    // Exact counts (the whole search's), else the estimates (exact or about) when there are.
    const counted = counts[facet] ?? (est ? (est[facet] ?? {}) : null);
    const chosen = new Set(state.filters.filter(([f]) => f === facet).map(([, v]) => v));
    const boxes = [];
    for (const v of values) {
      const c = counted ? (counted[v.slug] ?? 0) : null;
      const n = c === null ? null : typeof c === 'number' ? c : c.n;
      // A value no page of this language has (v.count 0) is listed only when chosen, so that a
      // filter from a shared address can be seen and removed (QA Q93).
      if ((n === 0 || v.count === 0) && !chosen.has(v.slug)) continue;
      const id = `f-${facet}-${v.slug}`;
      const cb = el('input', { type: 'checkbox', id, name: facet, value: v.slug, checked: chosen.has(v.slug) });
      // An estimate says so in words ("about 1,200"), for every reader.
      const text = n === null ? null : typeof c === 'number' || c.exact ? NUMBERS.format(n)
        : say('sCountAbout', 'about {n}', { n: countText({ n, exact: false }) });
      boxes.push(el('li', {}, cb, el('label', { htmlFor: id }, `${v.label} `,
        text === null ? null : el('span', { class: 'search-count', 'data-exact': String(typeof c === 'number' || c.exact) }, `(${text})`))));
    }
    if (boxes.length === 0) continue;
    const fs = el('fieldset', { class: 'search-facet' }, el('legend', {}, FACET_LEGEND[facet]), el('ul', {}, ...boxes));
    const open = isOpen(facet);
    groups.push(el('details', { open, 'data-facet': facet }, el('summary', { id: `f-open-${facet}` }, FACET_LEGEND[facet]), fs));
  }
  filtersBox.replaceChildren(el('h2', { class: 'search-filters-title' }, say('sFilterResults', 'Filter results')), ...groups);
  filtersBox.hidden = groups.length === 0;
}

/** Whether a filter group is open: the reader opened it, or one of its values is chosen. */
function isOpen(facet) {
  return state.open.has(facet) || state.filters.some(([f]) => f === facet);
}

/** The outcome shown and its number of results: the whole search's once it ran, else the first results'. */
function shown(c) {
  return c.full ? [c.full, { n: c.full.hits.length, exact: true }] : [c.top, c.top.count];
}

function refreshFilters(index, c, keepFocus) {
  const focused = filtersBox.contains(document.activeElement) ? document.activeElement.id : null;
  renderFilters(index, c.counts, c.full ? null : c.est);
  if (keepFocus && focused) document.getElementById(focused)?.focus();
}

async function run({ keepFocus = true } = {}) {
  const my = ++seq;
  const q = state.q;
  if (q.trim() === '') {
    list.replaceChildren();
    filtersBox.hidden = true;
    more.hidden = true;
    status.textContent = '';
    if (othersBox) { othersBox.replaceChildren(); othersBox.hidden = true; }
    cur = null;
    return;
  }
  let index;
  try {
    index = await openIndex();
    const key = keyOf();
    if (!cur || cur.key !== key) cur = { key, top: null, full: null, counts: {}, est: null };
    const c = cur;
    // The first results (`state.shown` of them: more after "Show more") from the heads of the
    // words' postings and as few of their tiers as prove them, with the number of results
    // exact or estimated from what was read; the whole search only when that proves nothing.
    if (!c.full) {
      const top = await index.searchTop(q, state.filters, state.shown);
      if (top.complete) c.full = top.full;
      if (my !== seq) return;
      c.top = top;
    }
    await renderHits(index, ...shown(c));
    if (my !== seq) return;
    refreshFilters(index, c, keepFocus);
    // The counts of the open filter groups (opened by the reader, or with a chosen value). With
    // no filter chosen, before the whole search, and when it would read more postings (common
    // words: tiers not read yet, or a phrase's positions), from the facet counts of the words'
    // terms (one small file per word): exact for one word of one common term, else estimates.
    // Exact counts need the whole search, and each facet but collection its file (it grows
    // with the site: regions are 9 kB of gzip at 100,000 documents).
    const facets = FACETS.filter((f) => isOpen(f) && !(f in c.counts));
    const costly = c.top && (c.top.unread > 0 || c.top.phrases.length > 0);
    if (facets.length > 0 && !c.full && state.filters.length === 0 && costly) {
      if (!c.est) {
        const est = await index.facetEstimates(q, c.top);
        if (c.key === key) c.est = est;
        if (my !== seq) return;
        refreshFilters(index, c, keepFocus);
      }
    } else if (facets.length > 0) {
      if (!c.full) {
        const full = await index.search(q, state.filters, []);
        if (c.key === key) c.full = full;
        if (my !== seq) return;
        await renderHits(index, ...shown(c));
        if (my !== seq) return;
      }
      Object.assign(c.counts, await index.facetCounts(c.full.candidates, state.filters, facets));
      if (my !== seq) return;
      refreshFilters(index, c, keepFocus);
    }
    const [out, count] = shown(c);
    const others = await renderOthers(index, q, my, out);
    if (my !== seq) return;
    // Estimated filter counts shown: said once in the status line (and no longer once exact).
    const estimated = !c.full && c.est && FACETS.some((f) => isOpen(f) && !(f in c.counts)
      && Object.values(c.est[f] ?? {}).some((x) => !x.exact));
    const note = estimated ? ` ${say('sCountsAbout', 'The counts next to the filters are estimates.')}` : '';
    status.textContent = describe(index, out, count, others) + note;
    document.documentElement.dataset.searchState = 'done';
  } catch (e) {
    if (my !== seq) return;
    status.textContent = say('sUnavailable', 'Search is not available right now. Please try again later.');
    console.error(e);
  }
}

/**
 * The other languages' results, each list in its language: the best of every other language with
 * "all languages" on; otherwise the other languages' when this language has none (most documents
 * of a site are not translated yet, and lists show them too: QA Q32; and a reader who types a
 * Spanish word on the English page is told where it is, not to check the spelling). Each list
 * ends with a link to the same search on that language's search page, in that language's words
 * (the page's <template id="search-elsewhere">). Returns how many results it shows.
 */
async function renderOthers(index, q, my, own) {
  if (!othersBox) return 0;
  if (allBox) allBox.checked = state.all;
  const langs = index.m.languages || [];
  // A query of only this language's common words (`de la`) is not looked for in another language,
  // where they are words (QA s8: "de la" sent a Spanish reader to 25 English pages).
  const onlyCommon = own.words.length === 0 && own.phrases.length === 0;
  const fallback = !state.all && langs.length > 1 && own.hits.length === 0 && !onlyCommon;
  if (!state.all && !fallback) { othersBox.replaceChildren(); othersBox.hidden = true; return 0; }
  const sections = [];
  let count = 0;
  for (const { code, name, index: other } of await openOthers(index)) {
    // Their first results only, as this language's (no whole search of every index).
    const out = await other.searchTop(q, state.filters, OTHERS);
    if (my !== seq) return 0;
    const hits = out.hits.slice(0, OTHERS);
    if (!hits.length) continue;
    const records = await Promise.all(hits.map((h) => other.record(h.doc)));
    count += records.length;
    const id = `search-in-${code}`;
    // The language's direction where it is not the page's (English results on an Arabic page
    // read left to right), as the page's link to that language's search page has it.
    const dir = document.getElementById('search-elsewhere')?.content
      .querySelector(`[data-lang="${code}"]`)?.getAttribute('dir');
    const lang = dir ? { lang: code, dir } : { lang: code };
    // "Results in another language (Español):", the language named in its own language.
    const [before, after = ''] = say('sOtherLanguage', 'Results in another language ({lang}):').split('{lang}');
    sections.push(el('section', { class: 'search-other', 'aria-labelledby': id },
      el('h2', { id }, before, el('span', lang, name), after),
      el('ol', { class: 'search-results', ...lang },
        ...records.map((r) => el('li', { class: 'search-hit' },
          el('h3', { dir: 'auto' }, el('a', { href: siteUrl(r.url), hreflang: code }, r.title)),
          r.summary ? el('p', { class: 'search-excerpt', dir: 'auto' }, r.summary) : null))),
      elsewhere(code, q, out.count.n)));
  }
  if (my !== seq) return 0;
  othersBox.replaceChildren(...sections);
  othersBox.hidden = sections.length === 0;
  return count;
}

/** The link to the same search (words and filters) on language `code`'s search page, or null. */
function elsewhere(code, q, n) {
  const p = document.getElementById('search-elsewhere')?.content.querySelector(`[data-lang="${code}"]`);
  if (!p) return null;
  const node = p.cloneNode(true);
  const a = node.querySelector('a');
  const params = new URLSearchParams();
  params.set('q', q);
  for (const [k, v] of state.filters) params.append(k, v);
  a.setAttribute('href', `${a.getAttribute('href')}?${params}`);
  a.textContent = a.textContent.replace('{q}', q.trim()).replace('{n}', String(n));
  return node;
}

allBox?.addEventListener('change', () => {
  state.all = allBox.checked;
  writeUrl(true);
  run();
});

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

// Opening a filter group counts its values (the whole search, once per query).
filtersBox.addEventListener('toggle', (e) => {
  const d = e.target;
  if (!(d instanceof HTMLDetailsElement)) return;
  const f = d.dataset.facet;
  if (d.open && !state.open.has(f)) {
    state.open.add(f);
    document.documentElement.dataset.searchState = 'busy';
    run();
  } else if (!d.open) state.open.delete(f);
}, true);

// The next results: the tiers they need (or, when those prove nothing, the whole search), then
// focus on the first new one; the status line says the number of results, exact once known.
more.addEventListener('click', async () => {
  const first = state.shown;
  state.shown += PAGE;
  document.documentElement.dataset.searchState = 'busy';
  await run();
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
// The page does not move the focus on load (s23): a screen reader starts at the top, as on every
// other page, and hears the heading and what the page is before the box (WCAG 2.4.3, 3.2.1;
// GOV.UK moves the focus on load only to an error summary, the ARIA practices only when a widget
// opens on the reader's action). The box is the first control in main: skip link, then Tab.
// The index is opened when the reader comes to the box (its `focus` listener), not on load.
// "All languages" shows from the start when the page names other languages (it showed once the
// index was open, which is now when the reader comes to the box: it appeared under the box then).
if (langsBox && $('search-elsewhere')?.content.querySelector('[data-lang]')) langsBox.hidden = false;
if (state.q) run();
