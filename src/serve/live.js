// lmp serve: live reload and the build-error overlay. Added to served HTML only (never to what
// `lmp build` writes). Long-polls /__lmp/poll?gen=N, which answers when the build generation is
// no longer N: the page reloads when pages changed since it was served, swaps its stylesheets
// when only CSS changed, and shows or hides the overlay with the diagnostics of a failed build.
(() => {
  'use strict';
  const me = document.currentScript;
  if (!me || window.__lmpLive) return;
  window.__lmpLive = true;
  const loaded = Number(me.dataset.lmpGen) || 0;
  const id = me.dataset.lmpId || '';
  let seen = loaded;
  let cssSeen = loaded;
  let dismissed = -1;
  let host = null;
  let delay = 250;

  function swapStylesheets() {
    const stamp = String(Date.now());
    for (const link of document.querySelectorAll('link[rel~="stylesheet"][href]')) {
      const url = new URL(link.getAttribute('href'), location.href);
      if (url.origin !== location.origin) continue;
      url.searchParams.set('lmp-reload', stamp);
      const next = link.cloneNode();
      next.href = url.href;
      next.addEventListener('load', () => link.remove(), { once: true });
      next.addEventListener('error', () => link.remove(), { once: true });
      link.after(next);
    }
  }

  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
    for (const c of children) {
      if (c != null) e.append(c);
    }
    return e;
  }

  const STYLE = `
    :host { all: initial; }
    .lmp-overlay { position: fixed; inset: 1rem 1rem auto 1rem; z-index: 2147483647;
      max-height: calc(100vh - 2rem); overflow: auto; box-sizing: border-box;
      background: #fff; color: #1a1a1a; border: 3px solid #b00020; border-radius: 6px;
      box-shadow: 0 6px 30px rgba(0,0,0,.35); padding: 1rem 1.25rem;
      font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
    .lmp-overlay:focus { outline: 3px solid #1a4fa0; outline-offset: 2px; }
    h2 { margin: 0 2.5rem .5rem 0; font-size: 1.2rem; color: #b00020; }
    p { margin: 0 0 .75rem; }
    ol { margin: 0; padding-left: 1.25rem; }
    li { margin: 0 0 .75rem; }
    code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .9rem; }
    .loc { font-weight: 700; }
    .sev-error { color: #b00020; font-weight: 700; }
    .sev-warning { color: #7a4d00; font-weight: 700; }
    pre { margin: .25rem 0; padding: .4rem .6rem; background: #f4f4f4; border-radius: 4px;
      white-space: pre-wrap; overflow-wrap: anywhere; }
    .help { color: #1f4d1f; }
    button { position: absolute; top: .75rem; right: .75rem; font: inherit; font-size: .9rem;
      padding: .3rem .7rem; border: 2px solid #1a1a1a; border-radius: 4px; background: #fff;
      color: #1a1a1a; cursor: pointer; }
    button:focus-visible { outline: 3px solid #1a4fa0; outline-offset: 2px; }
  `;

  function location_(d) {
    let s = d.path;
    if (d.line) s += ':' + d.line;
    if (d.line && d.col) s += ':' + d.col;
    return s;
  }

  function showOverlay(errors, gen, counts) {
    hideOverlay();
    const n = counts.errors ?? errors.filter((d) => d.severity === 'error').length;
    const title = el('h2', { id: 'lmp-overlay-title' },
      `Build failed: ${n} error${n === 1 ? '' : 's'}`);
    const list = el('ol', { id: 'lmp-overlay-list' });
    for (const d of errors) {
      const item = el('li', { class: 'lmp-diagnostic' },
        el('code', { class: 'loc' }, location_(d)), ': ',
        el('span', { class: 'sev-' + d.severity }, d.severity), ': ',
        el('span', { class: 'msg' }, d.message));
      if (d.source) item.append(el('pre', {}, `${d.line} | ${d.source}`));
      if (d.help) item.append(el('div', { class: 'help' }, 'help: ' + d.help));
      list.append(item);
    }
    // A big site's failed rebuild sends its first errors and a few warnings (QA s9 Q133).
    const moreErrors = n - errors.filter((d) => d.severity === 'error').length;
    const moreWarnings = (counts.warnings ?? 0) - errors.filter((d) => d.severity === 'warning').length;
    if (moreErrors > 0 || moreWarnings > 0) {
      const parts = [];
      if (moreErrors > 0) parts.push(`${moreErrors} more error${moreErrors === 1 ? '' : 's'}`);
      if (moreWarnings > 0) parts.push(`${moreWarnings} more warning${moreWarnings === 1 ? '' : 's'}`);
      list.append(el('li', { class: 'lmp-more' },
        `… and ${parts.join(' and ')}, not shown here: see the terminal where lmp serve runs, or run lmp check`));
    }
    const close = el('button', { type: 'button', 'aria-label': 'Close the build errors' }, 'Close');
    const box = el('div', {
      // lmp speaks English to authors: said so, for a screen reader on a Spanish page (QA Q63).
      class: 'lmp-overlay', lang: 'en', role: 'alertdialog', 'aria-modal': 'false',
      'aria-labelledby': 'lmp-overlay-title', 'aria-describedby': 'lmp-overlay-list',
      tabindex: '-1',
    }, title, close,
    el('p', {}, 'The page shows the last good build. Fix the file and save: this box goes away by itself.'),
    list);
    host = el('lmp-error-overlay', { 'data-lmp-overlay': '', lang: 'en' });
    const root = host.attachShadow({ mode: 'open' });
    root.append(el('style', {}, STYLE), box);
    const dismiss = () => { dismissed = gen; hideOverlay(); };
    close.addEventListener('click', dismiss);
    box.addEventListener('keydown', (e) => { if (e.key === 'Escape') dismiss(); });
    document.documentElement.append(host);
    close.focus({ preventScroll: true });
  }

  function hideOverlay() {
    if (host) { host.remove(); host = null; }
  }

  // Apply one status answer; false when the page is reloading.
  function apply(s) {
    if (!s || typeof s.gen !== 'number') return true;
    if (s.id === id && s.gen < seen) return true; // an older answer arriving late
    // A new search index: the search page reloads (its old index files are gone), others stay.
    const searching = !!document.querySelector('script[src*="search/search-ui."]');
    if (s.id !== id || s.page_gen > loaded || (searching && s.search_gen > loaded)) {
      reloading = true;
      location.reload();
      return false;
    }
    if (s.errors && s.errors.length) {
      if (s.gen !== dismissed && (!host || s.gen !== seen)) showOverlay(s.errors, s.gen, { errors: s.error_count, warnings: s.warning_count });
    } else {
      hideOverlay();
      if (s.css_gen > cssSeen) {
        cssSeen = s.css_gen;
        swapStylesheets();
      }
    }
    seen = s.gen;
    return true;
  }

  const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));

  // The long-poll loop. With several tabs open, only one of them polls (it holds a Web Lock) and
  // passes each answer on to the others over a BroadcastChannel: browsers allow only six
  // connections per host, and six waiting long-polls would block every other request.
  async function pollLoop() {
    for (;;) {
      let s;
      try {
        const r = await fetch(`/__lmp/poll?gen=${seen}`, { cache: 'no-store' });
        if (!r.ok) throw new Error('HTTP ' + r.status);
        s = await r.json();
      } catch (_) {
        // The server is gone or restarting: try again, more slowly.
        await sleep(delay);
        delay = Math.min(delay * 2, 4000);
        continue;
      }
      delay = 250;
      if (channel) channel.postMessage(s);
      if (!apply(s)) return new Promise(() => {}); // keep the lock until the page unloads
    }
  }

  let reloading = false;
  let channel = null;
  try { channel = new BroadcastChannel('lmp-live-reload'); } catch (_) { channel = null; }
  window.addEventListener('pageshow', (e) => { if (e.persisted) location.reload(); });
  if (channel && navigator.locks && navigator.locks.request) {
    channel.onmessage = (e) => { if (!reloading) apply(e.data); };
    // Until this tab polls itself, learn the current state at once (a broken build shows now).
    fetch('/__lmp/status', { cache: 'no-store' })
      .then((r) => r.json()).then((s) => { if (!reloading) apply(s); }).catch(() => {});
    navigator.locks.request('lmp-live-reload-poll', () => pollLoop());
  } else {
    pollLoop();
  }
})();
