// LMP search query engine: one dependency-free ES module for the browser and Node.
//
// It reads the static index written by `lmp build` (format "lmp-search" v6, see
// docs/search-format.md) through a `load(path)` function, fetching only the files a query needs,
// and ranks exactly as the Rust engine in src/search/query.rs (same tokenising, stemming,
// expansions and integer scores; a test compares both on the same index).

export const FORMAT = 'lmp-search';
export const VERSION = 7;
export const FACETS = ['collection', 'region', 'topic', 'audience'];
const MAX_WORD_BYTES = 40;
/** Words shorter than this get no typo candidates; stems shorter than this are not compared with
 * the index's terms for typos (as MIN_TYPO_CHARS in src/search/query.rs). */
const MIN_TYPO_CHARS = 4;
/** A word found as it is in at most RARE_DF documents also matches the words one or two letters
 * away that are in RARE_RATIO times as many (as in src/search/query.rs). */
const RARE_DF = 2;
const RARE_RATIO = 5;

// ---------------------------------------------------------------------------------------------
// Porter2 (Snowball "english") stemmer, as in rust-stemmers.

const EXCEPTIONS1 = {
  skis: 'ski', skies: 'sky', dying: 'die', lying: 'lie', tying: 'tie', idly: 'idl',
  gently: 'gentl', ugly: 'ugli', early: 'earli', only: 'onli', singly: 'singl', sky: 'sky',
  news: 'news', howe: 'howe', atlas: 'atlas', cosmos: 'cosmos', bias: 'bias', andes: 'andes',
};
const EXCEPTIONS2 = new Set(['inning', 'outing', 'canning', 'herring', 'earring', 'proceed',
  'exceed', 'succeed']);
const isV = (c) => c !== undefined && 'aeiouy'.includes(c) && c.length === 1;
const isVWXY = (c) => isV(c) || c === 'w' || c === 'x' || c === 'Y';
const VALID_LI = 'cdeghkmnrt';
const STEP2 = [['ational', 'ate'], ['tional', 'tion'], ['enci', 'ence'], ['anci', 'ance'],
  ['abli', 'able'], ['entli', 'ent'], ['ization', 'ize'], ['izer', 'ize'], ['ation', 'ate'],
  ['ator', 'ate'], ['alism', 'al'], ['aliti', 'al'], ['alli', 'al'], ['fulness', 'ful'],
  ['ousli', 'ous'], ['ousness', 'ous'], ['iveness', 'ive'], ['iviti', 'ive'], ['biliti', 'ble'],
  ['bli', 'ble'], ['ogi', null], ['fulli', 'ful'], ['lessli', 'less'], ['li', null]];
const STEP3 = [['ational', 'ate'], ['tional', 'tion'], ['alize', 'al'], ['icate', 'ic'],
  ['iciti', 'ic'], ['ical', 'ic'], ['ful', ''], ['ness', ''], ['ative', null]];
const STEP4 = ['al', 'ance', 'ence', 'er', 'ic', 'able', 'ible', 'ant', 'ement', 'ment', 'ent',
  'ism', 'ate', 'iti', 'ous', 'ive', 'ize', 'ion'];

function longest(w, list) {
  let best = null;
  for (const e of list) {
    const s = typeof e === 'string' ? e : e[0];
    if (w.endsWith(s) && (best === null || s.length > (typeof best === 'string' ? best : best[0]).length)) best = e;
  }
  return best;
}

function shortv(w, end) {
  if (end >= 3 && !isVWXY(w[end - 1]) && isV(w[end - 2]) && !isV(w[end - 3])) return true;
  return end === 2 && !isV(w[1]) && isV(w[0]);
}

/** Porter2 stem of a lowercase word. */
export function stem(word) {
  if (Object.prototype.hasOwnProperty.call(EXCEPTIONS1, word)) return EXCEPTIONS1[word];
  if ([...word].length < 3) return word;
  let w = word;
  if (w[0] === "'") w = w.slice(1);
  let yFound = false;
  const chars = w.split('');
  if (chars[0] === 'y') { chars[0] = 'Y'; yFound = true; }
  for (let i = 1; i < chars.length; i++) {
    if (chars[i] === 'y' && isV(chars[i - 1])) { chars[i] = 'Y'; yFound = true; }
  }
  w = chars.join('');
  const n = w.length;
  let p1 = n, p2 = n;
  {
    let i = -1;
    for (const pre of ['gener', 'commun', 'arsen']) if (w.startsWith(pre)) i = pre.length;
    let ok = true;
    if (i < 0) {
      let k = 0;
      while (k < n && !isV(w[k])) k++;
      if (k >= n) ok = false;
      else {
        k++;
        while (k < n && isV(w[k])) k++;
        if (k >= n) ok = false; else i = k + 1;
      }
    }
    if (ok) {
      p1 = i;
      let k = p1;
      while (k < n && !isV(w[k])) k++;
      if (k < n) {
        k++;
        while (k < n && isV(w[k])) k++;
        if (k < n) p2 = k + 1;
      }
    }
  }
  // Step 1a
  if (w.endsWith("'s'")) w = w.slice(0, -3);
  else if (w.endsWith("'s")) w = w.slice(0, -2);
  else if (w.endsWith("'")) w = w.slice(0, -1);
  if (w.endsWith('sses')) w = w.slice(0, -2);
  else if (w.endsWith('ied') || w.endsWith('ies')) w = w.slice(0, -3) + (w.length - 3 >= 2 ? 'i' : 'ie');
  else if (w.endsWith('ss') || w.endsWith('us')) { /* keep */ }
  else if (w.endsWith('s')) {
    const before = w.slice(0, Math.max(0, w.length - 2));
    if (w.length >= 2 && [...before].some(isV)) w = w.slice(0, -1);
  }
  if (!EXCEPTIONS2.has(w)) {
    // Step 1b
    const s1b = longest(w, ['eed', 'eedly', 'ed', 'edly', 'ing', 'ingly']);
    if (s1b === 'eed' || s1b === 'eedly') {
      if (w.length - s1b.length >= p1) w = w.slice(0, -s1b.length) + 'ee';
    } else if (s1b !== null) {
      const start = w.length - s1b.length;
      if ([...w.slice(0, start)].some(isV)) {
        w = w.slice(0, start);
        if (w.endsWith('at') || w.endsWith('bl') || w.endsWith('iz')) w += 'e';
        else if (['bb', 'dd', 'ff', 'gg', 'mm', 'nn', 'pp', 'rr', 'tt'].some((d) => w.endsWith(d))) w = w.slice(0, -1);
        else if (w.length === p1 && shortv(w, w.length)) w += 'e';
      }
    }
    // Step 1c
    {
      const L = w.length;
      if (L >= 3 && (w[L - 1] === 'y' || w[L - 1] === 'Y') && !isV(w[L - 2])) w = w.slice(0, -1) + 'i';
    }
    // Step 2
    {
      const m = longest(w, STEP2);
      if (m) {
        const start = w.length - m[0].length;
        if (start >= p1) {
          if (m[0] === 'ogi') { if (w[start - 1] === 'l') w = w.slice(0, start) + 'og'; }
          else if (m[0] === 'li') { if (start > 0 && VALID_LI.includes(w[start - 1])) w = w.slice(0, start); }
          else w = w.slice(0, start) + m[1];
        }
      }
    }
    // Step 3
    {
      const m = longest(w, STEP3);
      if (m) {
        const start = w.length - m[0].length;
        if (start >= p1) {
          if (m[0] === 'ative') { if (start >= p2) w = w.slice(0, start); }
          else w = w.slice(0, start) + m[1];
        }
      }
    }
    // Step 4
    {
      const m = longest(w, STEP4);
      if (m) {
        const start = w.length - m.length;
        if (start >= p2) {
          if (m === 'ion') { if (w[start - 1] === 's' || w[start - 1] === 't') w = w.slice(0, start); }
          else w = w.slice(0, start);
        }
      }
    }
    // Step 5
    if (w.endsWith('e')) {
      const start = w.length - 1;
      if (start >= p2 || (start >= p1 && !shortv(w, start))) w = w.slice(0, start);
    } else if (w.endsWith('l')) {
      const start = w.length - 1;
      if (start >= p2 && w[start - 1] === 'l') w = w.slice(0, start);
    }
  }
  if (yFound) w = w.replace(/Y/g, 'y');
  return w;
}

// ---------------------------------------------------------------------------------------------
// Snowball "spanish" stemmer, as in rust-stemmers (a port of the published algorithm; a test
// checks it against rust-stemmers on a word list), and diacritic folding.

const ES_V = 'aeiouáéíóúü';
const esV = (c) => c !== undefined && ES_V.includes(c);
const ES_ACUTE = { 'á': 'a', 'é': 'e', 'í': 'i', 'ó': 'o', 'ú': 'u' };
const FOLD = { 'á': 'a', 'à': 'a', 'â': 'a', 'ä': 'a', 'ã': 'a', 'é': 'e', 'è': 'e', 'ê': 'e', 'ë': 'e',
  'í': 'i', 'ì': 'i', 'î': 'i', 'ï': 'i', 'ó': 'o', 'ò': 'o', 'ô': 'o', 'ö': 'o', 'õ': 'o',
  'ú': 'u', 'ù': 'u', 'û': 'u', 'ü': 'u', 'ç': 'c' };
/** Accents and diaeresis removed from Latin vowels (and ç → c); ñ is a letter of its own. */
export function fold(w) {
  let out = '';
  for (const c of w) out += FOLD[c] ?? c;
  return out;
}

/** The longest of `list` that `w` (an array of characters) ends with, starting at or after `from`. */
function esLongest(w, list, from = 0) {
  let best = null;
  for (const s of list) {
    const n = s.length;
    if (n > w.length - from || (best !== null && n <= best.length)) continue;
    if (w.slice(w.length - n).join('') === s) best = s;
  }
  return best;
}
const ends = (w, s, at) => at >= s.length && w.slice(at - s.length, at).join('') === s;

const ES_STEP0 = ['me', 'se', 'sela', 'selo', 'selas', 'selos', 'la', 'le', 'lo', 'las', 'les', 'los', 'nos'];
const ES_STEP0_VERB = ['iéndo', 'ándo', 'ár', 'ér', 'ír', 'ando', 'iendo', 'ar', 'er', 'ir', 'yendo'];
const ES_S1 = {
  del2: ['anza', 'anzas', 'ico', 'ica', 'icos', 'icas', 'ismo', 'ismos', 'able', 'ables', 'ible', 'ibles', 'ista',
    'istas', 'oso', 'osa', 'osos', 'osas', 'amiento', 'amientos', 'imiento', 'imientos'],
  ic: ['adora', 'ador', 'ación', 'adoras', 'adores', 'aciones', 'ante', 'antes', 'ancia', 'ancias'],
  log: ['logía', 'logías'], u: ['ución', 'uciones'], ente: ['encia', 'encias'], amente: ['amente'], mente: ['mente'],
  idad: ['idad', 'idades'], iva: ['iva', 'ivo', 'ivas', 'ivos'],
};
const ES_S1_ALL = Object.values(ES_S1).flat();
const ES_2A = ['ya', 'ye', 'yan', 'yen', 'yeron', 'yendo', 'yo', 'yó', 'yas', 'yes', 'yais', 'yamos'];
const ES_2B_GU = ['en', 'es', 'éis', 'emos'];
const ES_2B = ['arían', 'arías', 'arán', 'arás', 'aríais', 'aría', 'aréis', 'aríamos', 'aremos', 'ará', 'aré', 'erían',
  'erías', 'erán', 'erás', 'eríais', 'ería', 'eréis', 'eríamos', 'eremos', 'erá', 'eré', 'irían', 'irías', 'irán', 'irás',
  'iríais', 'iría', 'iréis', 'iríamos', 'iremos', 'irá', 'iré', 'aba', 'ada', 'ida', 'ía', 'ara', 'iera', 'ad', 'ed', 'id',
  'ase', 'iese', 'aste', 'iste', 'an', 'aban', 'ían', 'aran', 'ieran', 'asen', 'iesen', 'aron', 'ieron', 'ado', 'ido',
  'ando', 'iendo', 'ió', 'ar', 'er', 'ir', 'as', 'abas', 'adas', 'idas', 'ías', 'aras', 'ieras', 'ases', 'ieses', 'ís',
  'áis', 'abais', 'íais', 'arais', 'ierais', 'aseis', 'ieseis', 'asteis', 'isteis', 'ados', 'idos', 'amos', 'ábamos',
  'íamos', 'imos', 'áramos', 'iéramos', 'iésemos', 'ásemos'];
const ES_3 = ['os', 'a', 'o', 'á', 'í', 'ó', 'e', 'é'];

/** Snowball Spanish stem of a lowercase word. */
export function stemEs(word) {
  let w = [...word];
  const n = w.length;
  // Regions: RV, R1, R2 (as character indexes).
  let pV = n, p1 = n, p2 = n;
  {
    const gopastV = (i) => { while (i < n && !esV(w[i])) i++; return i < n ? i + 1 : -1; };
    const gopastC = (i) => { while (i < n && esV(w[i])) i++; return i < n ? i + 1 : -1; };
    let r = -1;
    if (n >= 2 && esV(w[0])) {
      if (!esV(w[1])) r = gopastV(2);
      if (r < 0 && esV(w[1])) r = gopastC(2);
    } else if (n >= 2) {
      if (!esV(w[1])) r = gopastV(2);
      else if (n >= 3) r = 3;
    }
    if (r >= 0) pV = r;
    let a = gopastV(0);
    if (a >= 0) a = gopastC(a);
    if (a >= 0) {
      p1 = a;
      let b = gopastV(a);
      if (b >= 0) b = gopastC(b);
      if (b >= 0) p2 = b;
    }
  }
  const L = () => w.length;
  // Step 0: attached pronoun.
  {
    const s = esLongest(w, ES_STEP0);
    if (s) {
      const at = L() - s.length;
      const v = esLongest(w.slice(0, at), ES_STEP0_VERB);
      if (v) {
        const vs = at - v.length;
        if (vs >= pV) {
          if (v === 'yendo') {
            if (vs > 0 && w[vs - 1] === 'u') w = w.slice(0, at);
          } else if (v === 'iéndo' || v === 'ándo' || v === 'ár' || v === 'ér' || v === 'ír') {
            w = [...w.slice(0, vs), ...[...v].map((c) => ES_ACUTE[c] ?? c)];
          } else w = w.slice(0, at);
        }
      }
    }
  }
  // Step 1: standard suffixes.
  let done = false;
  {
    const s = esLongest(w, ES_S1_ALL);
    if (s) {
      const at = L() - s.length;
      const cut = (k) => { w = w.slice(0, k); };
      const r2 = at >= p2;
      if (ES_S1.del2.includes(s)) { if (r2) { cut(at); done = true; } }
      else if (ES_S1.ic.includes(s)) {
        if (r2) { cut(at); done = true; if (ends(w, 'ic', L()) && L() - 2 >= p2) cut(L() - 2); }
      } else if (ES_S1.log.includes(s)) { if (r2) { w = [...w.slice(0, at), ...'log']; done = true; } }
      else if (ES_S1.u.includes(s)) { if (r2) { w = [...w.slice(0, at), 'u']; done = true; } }
      else if (ES_S1.ente.includes(s)) { if (r2) { w = [...w.slice(0, at), ...'ente']; done = true; } }
      else if (s === 'amente') {
        if (at >= p1) {
          cut(at); done = true;
          const t = esLongest(w, ['iv', 'os', 'ic', 'ad']);
          if (t && L() - 2 >= p2) {
            cut(L() - 2);
            if (t === 'iv' && ends(w, 'at', L()) && L() - 2 >= p2) cut(L() - 2);
          }
        }
      } else if (s === 'mente') {
        if (r2) {
          cut(at); done = true;
          const t = esLongest(w, ['ante', 'able', 'ible']);
          if (t && L() - 4 >= p2) cut(L() - 4);
        }
      } else if (ES_S1.idad.includes(s)) {
        if (r2) {
          cut(at); done = true;
          const t = esLongest(w, ['abil', 'ic', 'iv']);
          if (t && L() - t.length >= p2) cut(L() - t.length);
        }
      } else if (ES_S1.iva.includes(s)) {
        if (r2) { cut(at); done = true; if (ends(w, 'at', L()) && L() - 2 >= p2) cut(L() - 2); }
      }
    }
  }
  // Steps 2a and 2b: verb suffixes (in RV).
  if (!done) {
    const inRv = w.slice(Math.min(pV, L()));
    const y = esLongest(inRv, ES_2A);
    if (y && L() - y.length - 1 >= 0 && w[L() - y.length - 1] === 'u') {
      w = w.slice(0, L() - y.length);
    } else {
      const v = esLongest(inRv, [...ES_2B_GU, ...ES_2B]);
      if (v) {
        const at = L() - v.length;
        w = w.slice(0, at);
        if (ES_2B_GU.includes(v) && ends(w, 'gu', L())) w = w.slice(0, L() - 1);
      }
    }
  }
  // Step 3: residual suffix (in RV).
  {
    const inRv = w.slice(Math.min(pV, L()));
    const r = esLongest(inRv, ES_3);
    if (r) {
      w = w.slice(0, L() - r.length);
      if ((r === 'e' || r === 'é') && ends(w, 'gu', L()) && L() - 1 >= pV) w = w.slice(0, L() - 1);
    }
  }
  return w.map((c) => ES_ACUTE[c] ?? c).join('');
}

// ---------------------------------------------------------------------------------------------
// Words: UAX #29 boundaries (an exact port of the Rust ASCII fast path; Intl.Segmenter for
// other text), lowercase, `’` → `'`, no `,` in numbers, no trailing apostrophe.

const utf8Len = (s) => { let n = 0; for (const c of s) { const p = c.codePointAt(0); n += p < 0x80 ? 1 : p < 0x800 ? 2 : p < 0x10000 ? 3 : 4; } return n; };

function cls(c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return 'L';
  if (c >= '0' && c <= '9') return 'D';
  if (c === '_') return 'U';
  if (c === "'" || c === '.' || c === ':') return 'M';
  if (c === ',' || c === ';') return 'N';
  return 'O';
}

function finish(word, out) {
  const hasDigit = /[0-9]/.test(word);
  let s = '';
  for (const ch of word) {
    if (ch === '\u2019' || ch === '\u2018') s += "'";
    else if (ch === ',' && hasDigit) continue;
    else s += ch.toLowerCase();
  }
  while (s.endsWith("'")) s = s.slice(0, -1);
  if (s !== '' && utf8Len(s) <= MAX_WORD_BYTES) out.push(s);
}

function asciiWords(s, out) {
  const n = s.length;
  let i = 0;
  while (i < n) {
    const c = cls(s[i]);
    if (c !== 'L' && c !== 'D' && c !== 'U') { i++; continue; }
    const start = i;
    let prev = c;
    i++;
    while (i < n) {
      const k = cls(s[i]);
      if (k === 'L' || k === 'D' || k === 'U') { prev = k; i++; continue; }
      if ((k === 'M' || k === 'N') && i + 1 < n) {
        const next = cls(s[i + 1]);
        const b = s[i];
        const joins = (prev === 'L' && next === 'L' && (b === "'" || b === '.' || b === ':'))
          || (prev === 'D' && next === 'D' && (b === "'" || b === '.' || b === ',' || b === ';'));
        if (joins) { prev = next; i += 2; continue; }
      }
      break;
    }
    const word = s.slice(start, i);
    if (/^_+$/.test(word)) continue;
    finish(word, out);
  }
}

let segmenter = null;
/** Every normalised word of `text`, stop words included. */
export function words(text) {
  const out = [];
  for (const piece of text.split(/[\t\n\f\r ]+/)) {
    if (piece === '') continue;
    if (/^[\x00-\x7f]*$/.test(piece)) asciiWords(piece, out);
    else {
      segmenter ??= new Intl.Segmenter('en', { granularity: 'word' });
      for (const seg of segmenter.segment(piece)) if (seg.isWordLike) finish(seg.segment, out);
    }
  }
  return out;
}

/** Optimal string alignment distance of two arrays of characters, or null when above `max`. */
export function editDistance(a, b, max) {
  if (Math.abs(a.length - b.length) > max) return null;
  const w = b.length + 1;
  const d = new Array((a.length + 1) * w).fill(0);
  for (let j = 0; j < w; j++) d[j] = j;
  for (let i = 1; i <= a.length; i++) {
    d[i * w] = i;
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[(i - 1) * w + j] + 1, d[i * w + j - 1] + 1, d[(i - 1) * w + j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[(i - 2) * w + j - 2] + 1);
      d[i * w + j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return null;
  }
  const v = d[a.length * w + b.length];
  return v <= max ? v : null;
}

// ---------------------------------------------------------------------------------------------
// Posting decoding (see src/search/format.rs).

const symValue = (c) => (c >= 48 && c <= 57 ? c - 48 : c >= 65 && c <= 90 ? c - 55 : c >= 97 && c <= 122 ? c - 61 : c === 45 ? 62 : 63);

function readVarint(s, st) {
  let v = 0, mul = 1;
  for (;;) {
    const d = symValue(s.charCodeAt(st.pos++));
    if (d < 32) return v + d * mul;
    v += (d - 32) * mul;
    mul *= 32;
  }
}

/** Calls f(doc, impact, section) for each posting. */
export function forEachPosting(s, f) {
  const st = { pos: 0 };
  let prev = -1;
  while (st.pos < s.length) {
    const doc = prev + 1 + readVarint(s, st);
    const impact = symValue(s.charCodeAt(st.pos++));
    const section = readVarint(s, st);
    f(doc, impact, section);
    prev = doc;
  }
}

export function decodeDocs(s) {
  const st = { pos: 0 };
  const out = [];
  let prev = -1;
  while (st.pos < s.length) { prev = prev + 1 + readVarint(s, st); out.push(prev); }
  return out;
}

/**
 * Positions of a term (p{i}.json): Map doc → increasing positions. A bit string, 6 bits to a
 * symbol (see pack_positions in src/search/format.rs): per document eg0(doc gap) eg0(count - 1),
 * then the first position as eg6, the next ones as eg5(gap - 1); under 6 bits left are padding.
 */
export function decodePositions(s) {
  let at = 0;
  const total = s.length * 6;
  const bit = () => { const b = (symValue(s.charCodeAt(Math.floor(at / 6))) >> (5 - (at % 6))) & 1; at++; return b; };
  const eg = (k) => {
    let zeros = 0;
    while (at < total && bit() === 0) zeros++;
    let q = 1;
    for (let i = 0; i < zeros; i++) q = q * 2 + bit();
    let v = q - 1;
    for (let i = 0; i < k; i++) v = v * 2 + bit();
    return v;
  };
  const out = new Map();
  let prev = -1;
  while (total - at >= 6) {
    const doc = prev + 1 + eg(0);
    const count = eg(0) + 1;
    const ps = [];
    let last = -1;
    for (let k = 0; k < count; k++) { last = last + 1 + eg(k === 0 ? 6 : 5); ps.push(last); }
    out.set(doc, ps);
    prev = doc;
  }
  return out;
}

/**
 * Splits a query into words, quoted phrases ("cut wait times", the closing quote optional) and
 * excluded words (-video: a `-` at the start of a word), as `parse` in src/search/query.rs.
 * Returns { words: [[word, inPhrase]], typing, phrases: [text], excluded: [word] }.
 */
export function parse(q) {
  const chars = [...q];
  const out = { words: [], typing: false, phrases: [], excluded: [] };
  const ws = (c) => /\s/u.test(c);
  let plain = '';
  let lastPlain = true;
  const flush = () => { for (const w of words(plain)) out.words.push([w, false]); plain = ''; };
  let i = 0;
  while (i < chars.length) {
    const c = chars[i];
    const start = i === 0 || ws(chars[i - 1]);
    if (c === '"') {
      flush();
      let end = chars.indexOf('"', i + 1);
      if (end < 0) end = chars.length;
      const text = chars.slice(i + 1, end).join('');
      for (const w of words(text)) out.words.push([w, true]);
      out.phrases.push(text);
      i = end + 1;
      lastPlain = false;
    } else if (c === '-' && start && i + 1 < chars.length && !ws(chars[i + 1]) && chars[i + 1] !== '"' && chars[i + 1] !== '-') {
      flush();
      let end = i + 1;
      while (end < chars.length && !ws(chars[end]) && chars[end] !== '"') end++;
      out.excluded.push(...words(chars.slice(i + 1, end).join('')));
      i = end;
      lastPlain = false;
    } else {
      plain += c;
      lastPlain = true;
      i++;
    }
  }
  flush();
  out.typing = lastPlain && !/\s$/u.test(q);
  return out;
}

/**
 * Replaces runs of `terms` that are a member of a synonym group by the group (longest member
 * first, left to right), as `rewrite` in src/search/synonyms.rs. Items: {group, a, b} or {plain}.
 */
export function rewriteSynonyms(groups, terms) {
  const out = [];
  let i = 0;
  while (i < terms.length) {
    let best = null;
    groups.forEach((g, gi) => {
      for (const m of g.members) {
        const fits = m.length <= terms.length - i && m.every((t, k) => t === terms[i + k]);
        if (fits && (best === null || m.length > best[1])) best = [gi, m.length];
      }
    });
    if (best) { out.push({ group: best[0], a: i, b: i + best[1] }); i += best[1]; } else { out.push({ plain: i }); i++; }
  }
  return out;
}

/** Anchor of an ASCII heading (the index stores anchors that differ from it). */
export function slug(h) {
  let out = '', dash = false;
  for (const c of h) {
    if (/^[A-Za-z0-9]$/.test(c)) { if (dash && out) out += '-'; dash = false; out += c.toLowerCase(); }
    else if (/^[ \t\n\f\r_-]$/.test(c)) dash = true;
  }
  return out;
}

const cmp = (a, b) => (a < b ? -1 : a > b ? 1 : 0);
function partitionPoint(arr, pred) {
  let lo = 0, hi = arr.length;
  while (lo < hi) { const mid = (lo + hi) >> 1; if (pred(arr[mid])) lo = mid + 1; else hi = mid; }
  return lo;
}

// ---------------------------------------------------------------------------------------------

/**
 * A term's postings read so far by `searchTop`, as `Partial` in src/search/query.rs: its head and
 * the tiers marked in `read`; tiers `..floor` are impact tiers (read in order), `floor..` floor
 * chunks (its postings at its lowest level, by range of documents). `seen`: Map doc → [impact,
 * section, tier].
 */
class Partial {
  constructor(tiers, seen, df = 0) {
    this.tiers = tiers;
    /** Documents with the term (the term entry's `df`). */
    this.df = df;
    const last = tiers.length ? tiers[tiers.length - 1][0] : 0;
    this.floor = Math.max(0, tiers.findIndex((t) => t[0] === last));
    this.read = tiers.map(() => false);
    this.seen = seen;
  }

  /** The first unread tier in order (-1: every tier is read). */
  firstUnread() {
    return this.read.indexOf(false);
  }

  /** [level, doc] of the first unread posting in the order of tiers, or null. */
  bound() {
    const j = this.firstUnread();
    return j < 0 ? null : this.tiers[j];
  }

  /** The floor chunk that would hold document d's floor posting (-1: before the first chunk). */
  chunkOf(d) {
    return this.floor + partitionPoint(this.tiers.slice(this.floor), (t) => t[1] <= d) - 1;
  }

  /** The tier to read next to learn d's posting (the first unread impact tier, else d's chunk if unread), or -1. */
  nextFor(d) {
    const j = this.firstUnread();
    if (j >= 0 && j < this.floor) return j;
    const c = this.chunkOf(d);
    return c >= this.floor && !this.read[c] ? c : -1;
  }

  /** The highest level an unread posting of d can have, or null (d does not have the term). */
  boundFor(d) {
    const j = this.nextFor(d);
    return j < 0 ? null : this.tiers[j][0];
  }
}

/**
 * What the postings read so far prove, as `rank` in src/search/query.rs (see "Tiered postings" in
 * docs/search-format.md): { sure: documents matching every word with all their points known,
 * best first; open: [doc, at most] of documents that may match every word; unseen: [at most,
 * lowest doc] when a document none of whose postings is read may match every word, or null }.
 * `parts`: term → Partial; `ok(d)`: d passes filters and exclusions.
 */
function rank(impacts, live, parts, ok) {
  const need = live.length;
  // A level from the index that is not in `impacts` bounds nothing.
  const pts = (level, w) => (level < impacts.length ? impacts[level] * w : Infinity);
  // A document none of whose postings is read: per word, the most an unread posting gives and
  // the lowest document that can give it.
  let unseenHi = 0, unseenWords = 0, unseenDoc = 0;
  for (const w of live) {
    let hi = 0, doc = Infinity;
    for (const e of w.expansions) {
      const p = parts.get(e.term);
      const b = p && p.bound();
      if (!b) continue;
      const v = pts(b[0], e.weight);
      if (v > hi) { hi = v; doc = b[1]; } else if (v === hi) doc = Math.min(doc, b[1]);
    }
    if (hi > 0) { unseenWords++; unseenHi += hi; unseenDoc = Math.max(unseenDoc, doc); }
  }
  const docs = new Set();
  for (const p of parts.values()) for (const d of p.seen.keys()) docs.add(d);
  const sure = [];
  const open = [];
  for (const d of [...docs].sort((a, b) => a - b)) {
    if (!ok(d)) continue;
    let known = true, sum = 0, matched = 0;
    const secs = new Map();
    for (const w of live) {
      let exact = null, eTail = 0, other = [0, 0], oTail = 0;
      for (const e of w.expansions) {
        const p = parts.get(e.term);
        if (!p) continue;
        const x = p.seen.get(d);
        if (x) {
          const v = pts(x[0], e.weight);
          if (e.kind === 'exact') exact = [v, x[1]];
          else if (v > other[0]) other = [v, x[1]];
        } else {
          const b = p.boundFor(d);
          if (b !== null) {
            const v = pts(b, e.weight);
            if (e.kind === 'exact') eTail = v; else oTail = Math.max(oTail, v);
          }
        }
      }
      const value = exact ?? (eTail === 0 && (other[0] > oTail || oTail === 0) ? other : null);
      if (value) {
        sum += value[0];
        if (value[0] > 0) { matched++; secs.set(value[1], (secs.get(value[1]) || 0) + value[0]); }
      } else {
        known = false;
        matched++;
        sum += Math.max(eTail, other[0], oTail);
      }
    }
    if (matched < need) continue;
    if (known) {
      let section = 0, top = 0;
      for (const s of [...secs.keys()].sort((a, b) => a - b)) if (secs.get(s) > top) { top = secs.get(s); section = s; }
      sure.push({ doc: d, score: sum, matched: need, section });
    } else open.push([d, sum]);
  }
  sure.sort((a, b) => b.score - a.score || a.doc - b.doc);
  return { sure, open, unseen: unseenWords === need ? [unseenHi, unseenDoc] : null };
}

/**
 * The tiers to read when the postings read so far prove nothing, as `plan` in
 * src/search/query.rs (both engines read the same tiers): [term, tier index] pairs, sorted.
 * For the first k documents read in part that may rank before `last` (the k-th result, or null),
 * best first: for each word whose points are unknown, the tier of each expansion that may hold
 * them; when there are none and a document none of whose postings is read may rank before `last`: per word, the
 * next impact tier of the expansions giving its bound (or, when no word has one, their first
 * unread tier). Empty when nothing unread can change the answer.
 */
function plan(impacts, live, parts, r, last, k) {
  const pts = (level, w) => (level < impacts.length ? impacts[level] * w : Infinity);
  const blocks = (score, doc) => !last || score > last.score || (score === last.score && doc < last.doc);
  const want = new Map();
  const add = (t, j) => want.set(`${t}\u0000${j}`, [t, j]);
  const open = r.open.filter(([d, hi]) => blocks(hi, d)).sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  for (const [d] of open.slice(0, k)) {
    for (const w of live) {
      let other = 0, exact = false;
      for (const e of w.expansions) {
        const x = parts.get(e.term)?.seen.get(d);
        if (!x) continue;
        if (e.kind === 'exact') exact = true; else other = Math.max(other, pts(x[0], e.weight));
      }
      if (exact) continue;
      for (const e of w.expansions) {
        const p = parts.get(e.term);
        if (!p || p.seen.has(d)) continue;
        const j = p.nextFor(d);
        if (j < 0) continue;
        const v = pts(p.tiers[j][0], e.weight);
        if (v > 0 && (e.kind === 'exact' || v >= other)) add(e.term, j);
      }
    }
  }
  // Documents not read at all only once no document read in part blocks (as query.rs).
  if (want.size === 0 && r.unseen && blocks(r.unseen[0], r.unseen[1])) {
    const tops = [];
    for (const w of live) {
      const bound = (e) => {
        const b = parts.get(e.term)?.bound();
        return b ? pts(b[0], e.weight) : 0;
      };
      const best = Math.max(0, ...w.expansions.map(bound));
      for (const e of w.expansions) if (best > 0 && bound(e) === best && parts.has(e.term)) tops.push([e.term, parts.get(e.term)]);
    }
    const impact = (p) => { const j = p.firstUnread(); return j >= 0 && j < p.floor ? j : -1; };
    const anyImpact = tops.some(([, p]) => impact(p) >= 0);
    for (const [t, p] of tops) {
      const j = anyImpact ? impact(p) : p.firstUnread();
      if (j >= 0) add(t, j);
    }
  }
  const cmp = (a, b) => (a < b ? -1 : a > b ? 1 : 0);
  return [...want.values()].sort((a, b) => cmp(a[0], b[0]) || a[1] - b[1]);
}

/**
 * How many results a query has, from what `searchTop` read once its first results are proved, as
 * `estimate` in src/search/query.rs (both engines give the same number; see "Counting results" in
 * docs/search-format.md): { n, exact }. Exact when what was read decides it: no document read in
 * part or not at all can still match every word (then the results are the documents proved), or
 * one word of one term with no filter, exclusion or phrase (then its `df`). Else an estimate:
 * the documents passing the filters and exclusions × the product over words of the share of
 * documents with the word (its terms' `df`s, taken as independent), × for each phrase the share
 * of the documents with its words that have it, in the positions blocks read; kept between what
 * is proved (`low`) and what can be (`high`). `n`: documents in the index; `phrased`: for a query
 * with phrases, { found: the results proved, shares: [[have, total]] per phrase }, else null;
 * `okCount`: documents passing the filters and exclusions; `plain`: no filter, exclusion or phrase.
 */
function estimate(n, live, parts, r, phrased, okCount, plain) {
  const low = phrased ? phrased.found : r.sure.length;
  if (!phrased && r.open.length === 0 && !r.unseen) return { n: low, exact: true };
  if (plain && live.length === 1 && live[0].expansions.length === 1 && parts.has(live[0].expansions[0].term)) {
    return { n: parts.get(live[0].expansions[0].term).df, exact: true };
  }
  let high = okCount;
  let est = okCount;
  for (const w of live) {
    let sum = 0, none = 1;
    for (const e of w.expansions) {
      const df = parts.get(e.term)?.df ?? 0;
      sum += df;
      none *= 1 - df / n;
    }
    high = Math.min(high, sum);
    est *= 1 - none;
  }
  if (!r.unseen) high = Math.min(high, r.sure.length + r.open.length);
  if (phrased) for (const [have, total] of phrased.shares) if (total > 0) est = est * have / total;
  return { n: Math.min(high, Math.max(low, Math.floor(est + 0.5))), exact: low >= high };
}

/** Whether every document not in `r.sure` ranks after `last` (ties: the lower document first). */
function afterAll(r, last) {
  const after = (score, doc) => score < last.score || (score === last.score && doc > last.doc);
  return r.open.every(([d, hi]) => after(hi, d)) && (!r.unseen || after(r.unseen[0], r.unseen[1]));
}

/** A search index. `load(path)` returns the parsed JSON of a file relative to the index folder. */
export class SearchIndex {
  constructor(load, manifest) {
    this.load = load;
    this.m = manifest;
    this.stop = new Set(manifest.stopWords);
    this.files = new Map();
  }

  static async open(load) {
    const m = await load('manifest.json');
    if (!m || m.format !== FORMAT || m.version !== VERSION) {
      throw new Error(`unsupported search index (expected ${FORMAT} v${VERSION})`);
    }
    return new SearchIndex(load, m);
  }

  file(name) {
    let p = this.files.get(name);
    if (!p) {
      p = this.load(`${this.m.dir}/${name}`);
      this.files.set(name, p);
      p.catch(() => this.files.delete(name));
    }
    return p;
  }

  /** The index term for a normalised word, or null for a stop word. */
  term(w) {
    if (this.m.stemmer === 'spanish') {
      // Spanish (src/search/tokenize.rs StemEs): stop words compared folded, fold(stem(w)).
      if (this.stop.has(fold(w))) return null;
      if (/[0-9]/.test(w)) return w;
      return fold(stemEs(w));
    }
    if (this.stop.has(w)) return null;
    if (/[0-9]/.test(w)) return w;
    return stem(w);
  }

  /**
   * Other terms a word may mean, tried in order when `term(w)` is not indexed (Spanish, as
   * src/search/tokenize.rs `StemEs::alt_terms`: the stem of the folded word, then the word with an
   * acute accent on one of its vowels, left to right); none in English.
   */
  altTerms(w) {
    if (this.m.stemmer !== 'spanish') return [];
    const t = this.term(w);
    if (t === null) return [];
    const f = [...fold(w)];
    const plain = f.join('');
    if (/[0-9]/.test(plain)) return [];
    const out = [];
    const push = (x) => { if (x !== t && !out.includes(x)) out.push(x); };
    push(stemEs(plain));
    const ACUTE = { a: 'á', e: 'é', i: 'í', o: 'ó', u: 'ú' };
    f.forEach((c, i) => {
      if (!ACUTE[c]) return;
      const v = f.slice();
      v[i] = ACUTE[c];
      push(fold(stemEs(v.join(''))));
    });
    // ñ typed as n (ano → año; QA Q50), as src/search/tokenize.rs alt_terms.
    for (const [, vt] of this.enyeVariants(w)) push(vt);
    return out;
  }

  /**
   * The word with an ñ for one of its n's, left to right, each with its term ([word, term]), as
   * src/search/tokenize.rs `StemEs::enye_variants` (Spanish only): what a reader on a keyboard
   * without ñ means ("ano" → "año"; QA Q50).
   */
  enyeVariants(w) {
    if (this.m.stemmer !== 'spanish') return [];
    const f = [...fold(w)];
    if (f.some((c) => c >= '0' && c <= '9')) return [];
    const out = [];
    f.forEach((c, i) => {
      if (c !== 'n') return;
      const v = f.slice();
      v[i] = 'ñ';
      const word = v.join('');
      const t = this.term(word);
      if (t !== null && !out.some((o) => o[1] === t)) out.push([word, t]);
    });
    return out;
  }

  termShardFor(term) {
    return Math.max(0, partitionPoint(this.m.termShards, (first) => first <= term) - 1);
  }

  async lookup(term) {
    const shard = await this.file(`t${this.termShardFor(term)}.json`);
    const k = partitionPoint(shard.terms, (t) => t[0] < term);
    return k < shard.terms.length && shard.terms[k][0] === term ? shard.terms[k] : null;
  }

  async withPrefix(p, except, out) {
    let i = this.termShardFor(p);
    for (;;) {
      const shard = await this.file(`t${i}.json`);
      let k = partitionPoint(shard.terms, (t) => t[0] < p);
      let ended = false;
      for (; k < shard.terms.length; k++) {
        const t = shard.terms[k];
        if (!t[0].startsWith(p)) { ended = true; break; }
        if (t[0] !== except && !out.some((o) => o[0] === t[0])) out.push([t[0], t[1]]);
      }
      i++;
      if (ended || i >= this.m.termShards.length || !this.m.termShards[i].startsWith(p)) return;
    }
  }

  async typoCandidates(w, term, minDf = 0) {
    const wc = [...w], tc = [...term];
    const max = wc.length >= this.m.typo2MinLen ? 2 : 1;
    // The stem is held to its own length: a short stem of a long word gets 1 edit.
    const maxT = tc.length >= this.m.typo2MinLen ? 2 : 1;
    const shards = [];
    for (const c of wc.slice(0, 2)) {
      const s = this.m.vocabShards.findIndex((chars) => chars.includes(c));
      if (s >= 0 && !shards.includes(s)) shards.push(s);
    }
    shards.sort((a, b) => a - b);
    // The word as surface forms are kept (folded in Spanish).
    const fc = [...(this.m.stemmer === 'spanish' ? fold(w) : w)];
    let found = [];
    // Terms near the word or its stem; when there are none, terms whose most frequent word is near
    // the word: a slip in a suffix (negotiaton) is near negotiation, not negoti.
    const byForm = [];
    const files = await Promise.all(shards.map((s) => this.file(`v${s}.json`)));
    for (const shard of files) {
      for (const [t, df, form] of shard.terms) {
        const cand = [...t];
        // A stem of 3 characters tolerates no edit: one letter of three makes another word
        // (ninos → nin would match vin of "vinieron"; QA Q50). As MIN_TYPO_CHARS in query.rs.
        const d1 = editDistance(wc, cand, max), d2 = tc.length >= MIN_TYPO_CHARS ? editDistance(tc, cand, maxT) : null;
        if (d1 !== null || d2 !== null) {
          const d = d1 === null ? d2 : d2 === null ? d1 : Math.min(d1, d2);
          if (d > 0) found.push([d, df, t, form]);
        } else if (form !== undefined) {
          // Words are kept as written; compared as the query word is (folded in Spanish).
          const d = editDistance(fc, [...(this.m.stemmer === 'spanish' ? fold(form) : form)], max);
          if (d !== null && d > 0) byForm.push([d, df, t, form]);
        }
      }
    }
    if (found.length === 0) found = byForm;
    found = found.filter((x) => x[1] >= minDf);
    found.sort((a, b) => a[0] - b[0] || b[1] - a[1] || cmp(a[2], b[2]));
    // `form`: the term as readers write it (its most frequent word), for messages.
    return found.slice(0, this.m.maxTypoTerms).map(([d, , term, form]) => ({
      term, form: form ?? term, kind: `typo${d}`, weight: d === 1 ? this.m.weights.typo1 : this.m.weights.typo2,
    }));
  }

  /** Parses a query into words with their expansions (exact, prefix, typo). */
  async words(q) {
    return (await this.query(q)).words;
  }

  /**
   * The postings of tier `tier` (1 = the first after the head) of `term`, from r{file}.json:
   * a tiered term's postings after its head (see Tier in src/search/format.rs).
   */
  async tier(term, tier, file) {
    const shard = await this.file(`r${file}.json`);
    const k = partitionPoint(shard.terms, (t) => t[0] < term || (t[0] === term && t[1] < tier));
    const t = shard.terms[k];
    if (!t || t[0] !== term || t[1] !== tier) throw new Error(`r${file}.json: tier ${tier} of ${term} is missing`);
    return t[2];
  }

  /** Every encoded posting list of a term: its head, then each tier (all of them read). */
  async postingLists(term) {
    const e = await this.lookup(term);
    if (!e) return [];
    const tiers = e[3] || [];
    return [e[2], ...(await Promise.all(tiers.map((t, j) => this.tier(term, j + 1, t[2]))))];
  }

  async docsWith(term) {
    const out = [];
    for (const s of await this.postingLists(term)) forEachPosting(s, (doc) => out.push(doc));
    return out;
  }

  /**
   * The positions of a term in block `block` of documents (documents block × posBlockDocs …):
   * Map doc → positions. As positions_block in src/search/query.rs.
   */
  async positionsBlock(term, block) {
    if (!this.m.posFiles) return new Map();
    const { shards } = await this.file('pos.json');
    const le = (a) => a[0] < term || (a[0] === term && a[1] <= block);
    const i = Math.max(0, partitionPoint(shards, le) - 1);
    const shard = await this.file(`p${i}.json`);
    const k = partitionPoint(shard.terms, (t) => t[0] < term || (t[0] === term && t[1] < block));
    const t = shard.terms[k];
    return t && t[0] === term && t[1] === block ? decodePositions(t[2]) : new Map();
  }

  /** Positions of a term as a word: Map doc → positions (empty when it has none); every block. */
  async positions(term) {
    const n = Math.ceil(this.m.docs / Math.max(1, this.m.posBlockDocs));
    const blocks = await Promise.all(Array.from({ length: n }, (_, b) => this.positionsBlock(term, b)));
    return new Map(blocks.flatMap((b) => [...b]));
  }

  /** Documents of `among` that contain the phrase (its terms consecutive in one field). */
  async withPhrase(terms, among) {
    if (terms.length === 1) {
      const have = new Set(await this.docsWith(terms[0]));
      return among.filter((d) => have.has(d));
    }
    const lists = await Promise.all(terms.map((t) => this.positions(t)));
    return among.filter((d) => {
      const per = lists.map((l) => l.get(d));
      if (per.some((p) => p === undefined)) return false;
      const sets = per.slice(1).map((p) => new Set(p));
      return per[0].some((p) => sets.every((s, j) => s.has(p + j + 1)));
    });
  }

  /**
   * The words of a query with their expansions, the terms of its phrases and its excluded terms.
   * Runs of plain words that are a synonym (search.synonyms) become one word whose term is the
   * synonym group's.
   */
  async query(q) {
    const parsed = parse(q);
    const last = parsed.words.length - 1;
    const items = [];
    parsed.words.forEach(([w, phrase], i) => {
      const term = this.term(w);
      if (term === null) return;
      const prefix = parsed.typing && !phrase && i === last && [...w].length >= 2;
      items.push([w, term, prefix, phrase]);
    });
    // Fetch the shards of every exact term at once.
    await Promise.all(items.map((x) => this.lookup(x[1])));
    // Spanish: the stem of the word without its accents, when the first is not indexed.
    for (const x of items) {
      const alts = this.altTerms(x[0]);
      if (!alts.length || (await this.lookup(x[1]))) continue;
      for (const alt of alts) if (await this.lookup(alt)) { x[1] = alt; break; }
    }
    const groups = this.m.synonyms || [];
    const rewritten = [];
    let k = 0;
    while (k < items.length) {
      if (items[k][3]) { rewritten.push([...items[k], false]); k++; continue; }
      let end = k;
      while (end < items.length && !items[end][3]) end++;
      const terms = items.slice(k, end).map((x) => x[1]);
      for (const r of rewriteSynonyms(groups, terms)) {
        if (r.group === undefined) { rewritten.push([...items[k + r.plain], false]); continue; }
        const run = items.slice(k + r.a, k + r.b);
        if (await this.lookup(groups[r.group].term)) rewritten.push([run.map((x) => x[0]).join(' '), groups[r.group].term, false, false, true]);
        else for (const x of run) rewritten.push([...x, false]);
      }
      k = end;
    }
    const out = [];
    for (const [w, term, prefix, phrase, synonym] of rewritten) {
      if (out.some((x) => x.term === term && x.prefix === prefix)) continue;
      let expansions = [];
      if (await this.lookup(term)) expansions.push({ term, kind: 'exact', weight: this.m.weights.exact });
      if (prefix) {
        const cands = [];
        await this.withPrefix(w, term, cands);
        // Then the word folded (reunió → reunion) in Spanish, its term in English. Not a Spanish
        // stem: it can be much shorter than the word (ninos → nin), and the terms it starts are
        // other words ("ninguna"; QA Q50). As src/search/query.rs.
        const also = this.m.stemmer === 'spanish' ? fold(w) : term;
        if (also !== w) await this.withPrefix(also, term, cands);
        cands.sort((a, b) => b[1] - a[1] || cmp(a[0], b[0]));
        for (const [t] of cands.slice(0, this.m.maxPrefixTerms)) expansions.push({ term: t, kind: 'prefix', weight: this.m.weights.prefix });
      }
      // Spanish: the word with an ñ for one of its n's (ano → "año", "años"), besides the word's
      // own term, shown as typos are (as src/search/query.rs; QA Q50).
      if (!phrase && !synonym) {
        for (const [v, vt] of this.enyeVariants(w)) {
          if (vt === term) continue;
          const cands = [];
          if (await this.lookup(vt)) cands.push([vt, v, this.m.weights.exact]);
          if (prefix) {
            const more = [];
            await this.withPrefix(vt, vt, more);
            more.sort((a, b) => b[1] - a[1] || cmp(a[0], b[0]));
            for (const [t] of more.slice(0, this.m.maxPrefixTerms)) cands.push([t, t, this.m.weights.prefix]);
          }
          for (const [t, form, weight] of cands) {
            if (!expansions.some((e) => e.term === t)) expansions.push({ term: t, form, kind: 'typo1', weight });
          }
        }
      }
      const typos = !phrase && !synonym && [...w].length >= MIN_TYPO_CHARS;
      if (expansions.length === 0 && typos) expansions = await this.typoCandidates(w, term);
      else if (typos && expansions.length === 1 && expansions[0].kind === 'exact') {
        // A word in a page or two: maybe a typo there (QA s15), as src/search/query.rs.
        const df = (await this.lookup(term))[1];
        if (df <= RARE_DF) expansions.push(...await this.typoCandidates(w, term, df * RARE_RATIO));
      }
      out.push({ word: w, term, prefix, phrase, expansions });
    }
    const phrases = parsed.phrases.map((p) => words(p).map((w) => this.term(w)).filter((t) => t !== null)).filter((t) => t.length > 0);
    const excluded = [];
    for (const w of parsed.excluded) {
      const t = this.term(w);
      if (t !== null && !excluded.includes(t)) excluded.push(t);
    }
    return { words: out, phrases, excluded };
  }

  /** Documents allowed by the filters of every facet but `except`, or null for all. */
  async allowed(filters, except) {
    const n = this.m.docs;
    const byFacet = new Map();
    for (const [f, v] of filters) {
      if (!FACETS.includes(f)) throw new Error(`unknown filter \`${f}\``);
      if (f !== except) { if (!byFacet.has(f)) byFacet.set(f, []); byFacet.get(f).push(v); }
    }
    if (byFacet.size === 0) return null;
    const allowed = new Uint8Array(n).fill(1);
    for (const [facet, values] of byFacet) {
      const ok = new Uint8Array(n);
      if (facet === 'collection') {
        for (const c of this.m.collections) if (values.includes(c.slug)) ok.fill(1, c.start, c.end);
      } else {
        const shard = await this.file(this.m.facets[facet].file);
        for (const v of values) {
          if (Object.prototype.hasOwnProperty.call(shard.values, v)) for (const d of decodeDocs(shard.values[v])) ok[d] = 1;
        }
      }
      for (let d = 0; d < n; d++) allowed[d] &= ok[d];
    }
    return allowed;
  }

  /**
   * Runs a query. `filters`: [facet, value] pairs (values of one facet are alternatives).
   * `counts`: the facets to count values for (each may load that facet's file).
   * Returns { words, allWords, hits: [{doc, score, matched, section}], counts }.
   */
  async search(q, filters = [], counts = FACETS) {
    const { words, phrases, excluded } = await this.query(q);
    const n = this.m.docs;
    const live = words.filter((w) => w.expansions.length > 0);
    const score = new Float64Array(n);
    const matched = new Uint32Array(n);
    const perWord = [];
    for (const w of live) {
      const pts = new Float64Array(n);
      const sec = new Uint32Array(n);
      const exact = new Uint8Array(n);
      const lists = await Promise.all(w.expansions.map((e) => this.postingLists(e.term)));
      w.expansions.forEach((e, k) => {
        const isExact = e.kind === 'exact';
        for (const s of lists[k]) {
          forEachPosting(s, (doc, impact, section) => {
            const p = this.m.impacts[impact] * e.weight;
            // A document with the word itself is scored on it alone.
            if (isExact) { exact[doc] = 1; pts[doc] = p; sec[doc] = section; }
            else if (!exact[doc] && p > pts[doc]) { pts[doc] = p; sec[doc] = section; }
          });
        }
      });
      for (let d = 0; d < n; d++) if (pts[d] > 0) { score[d] += pts[d]; matched[d]++; }
      perWord.push([pts, sec]);
    }
    const need = live.length;
    // Documents with any word, less those with an excluded word, and only those with every phrase.
    let base = [];
    if (need > 0) for (let d = 0; d < n; d++) if (matched[d] >= 1) base.push(d);
    let dropped = [];
    for (const t of excluded) {
      const out = new Set(await this.docsWith(t));
      dropped.push(...base.filter((d) => out.has(d)));
      base = base.filter((d) => !out.has(d));
    }
    for (const p of phrases) base = await this.withPhrase(p, base);
    const allWords = base.some((d) => matched[d] === need);
    const min = allWords ? need : 1;
    const candidates = base.filter((d) => matched[d] >= min);

    const allowed = await this.allowed(filters, null);
    const hits = [];
    for (const d of candidates) {
      if (allowed && !allowed[d]) continue;
      const secs = new Map();
      for (const [pts, sec] of perWord) if (pts[d] > 0) secs.set(sec[d], (secs.get(sec[d]) || 0) + pts[d]);
      let section = 0, top = 0;
      for (const s of [...secs.keys()].sort((a, b) => a - b)) if (secs.get(s) > top) { top = secs.get(s); section = s; }
      hits.push({ doc: d, score: score[d], matched: matched[d], section });
    }
    hits.sort((a, b) => b.matched - a.matched || b.score - a.score || a.doc - b.doc);
    // With no hits: how many documents would be hits but for the excluded words (reunión -ubt
    // where every page with "reunión" has "UBT": no spelling to check; QA Q91).
    let excludedOut = 0;
    if (hits.length === 0 && dropped.length > 0) {
      dropped.sort((a, b) => a - b);
      for (const p of phrases) dropped = await this.withPhrase(p, dropped);
      excludedOut = dropped.filter((d) => !allowed || allowed[d]).length;
    }

    const out = await this.facetCounts(candidates, filters, counts);
    return { words, phrases, excluded, allWords, hits, counts: out, excludedOut, candidates };
  }

  /**
   * The first `k` results of a query, the same as the first `k` of `search` (documents, order,
   * scores, sections), read from the heads of the words' postings and as few tiers as prove them,
   * as `search_top` in src/search/query.rs: the search page shows its first results so, and each
   * "Show more" asks for `k` more (the tiers already read are cached). A query whose first results
   * are not proved once every tier is read (fewer than `k` documents have every word) runs the
   * whole search (`complete`, and `full` its outcome). Returns { words, phrases, excluded,
   * allWords, hits, complete, reads, count: { n, exact }, unread }: `count` is the number of
   * results, exact or estimated from what was read (see `estimate`); `unread`, the number of
   * tiers of the words' terms not read (0: the whole search reads no more postings).
   */
  async searchTop(q, filters = [], k = 5) {
    const { words, phrases, excluded } = await this.query(q);
    const live = words.filter((w) => w.expansions.length > 0);
    // Tiers read (the same number as search_top in src/search/query.rs reads: the parity test).
    let reads = 0;
    if (k > 0 && live.length > 0) {
      const out = new Set();
      for (const t of excluded) for (const d of await this.docsWith(t)) out.add(d);
      const allowed = await this.allowed(filters, null);
      const parts = new Map();
      const terms = [...new Set(live.flatMap((w) => w.expansions.map((e) => e.term)))];
      const entries = await Promise.all(terms.map((t) => this.lookup(t)));
      terms.forEach((t, i) => {
        if (!entries[i]) return;
        const seen = new Map();
        forEachPosting(entries[i][2], (doc, impact, section) => seen.set(doc, [impact, section, 0]));
        parts.set(t, new Partial(entries[i][3] || [], seen, entries[i][1]));
      });
      const ok = (d) => (!allowed || allowed[d]) && !out.has(d);
      // A phrase is checked with the positions blocks of the documents it checks.
      const phrased = phrases.every((p) => p.every((t) => parts.has(t)));
      const blocks = new Map();
      const hasPhrases = async (d) => {
        for (const p of phrases) {
          const per = [];
          for (const t of p) {
            if (!parts.get(t).seen.has(d)) return false;
            if (p.length === 1) continue;
            const b = Math.floor(d / Math.max(1, this.m.posBlockDocs));
            const key = `${b} ${t}`;
            if (!blocks.has(key)) blocks.set(key, this.positionsBlock(t, b));
            per.push((await blocks.get(key)).get(d) || []);
          }
          if (p.length > 1) {
            const sets = per.slice(1).map((ps) => new Set(ps));
            if (!per[0].some((q) => sets.every((st, j) => st.has(q + j + 1)))) return false;
          }
        }
        return true;
      };
      while (phrased) {
        const r = rank(this.m.impacts, live, parts, ok);
        const hits = [];
        for (const h of r.sure) {
          if (hits.length === k) break;
          if (await hasPhrases(h.doc)) hits.push(h);
        }
        const last = hits.length === k ? hits[k - 1] : null;
        if (last && afterAll(r, last)) {
          let okCount = 0;
          for (let d = 0; d < this.m.docs; d++) if (ok(d)) okCount++;
          const plain = allowed === null && out.size === 0 && phrases.length === 0;
          // Per phrase of two words or more: of the documents with all its words in the
          // positions blocks read, how many have the phrase ([have, total]; the results checked
          // are not a fair sample: they are the ones with the most of its words).
          const shares = [];
          const nb = Math.ceil(this.m.docs / Math.max(1, this.m.posBlockDocs));
          for (const p of phrases) {
            if (p.length < 2) continue;
            let have = 0, total = 0;
            for (let b = 0; b < nb; b++) {
              if (!p.every((t) => blocks.has(`${b} ${t}`))) continue;
              const maps = await Promise.all(p.map((t) => blocks.get(`${b} ${t}`)));
              for (const [d, first] of maps[0]) {
                if (!maps.every((m) => m.has(d))) continue;
                total++;
                const sets = maps.slice(1).map((m) => new Set(m.get(d)));
                if (first.some((q) => sets.every((st, j) => st.has(q + j + 1)))) have++;
              }
            }
            shares.push([have, total]);
          }
          const count = estimate(this.m.docs, live, parts, r, phrases.length ? { found: hits.length, shares } : null, okCount, plain);
          // Tiers of the words' terms not read yet: none (and no phrase), and the whole search
          // reads no more postings (the page then counts filters exactly).
          const unread = [...parts.values()].reduce((s, p) => s + p.read.filter((x) => !x).length, 0);
          return { words, phrases, excluded, allWords: true, excludedOut: 0, hits, complete: false, reads, count, unread };
        }
        // Not proved yet: the tiers that can decide it (as src/search/query.rs).
        const want = plan(this.m.impacts, live, parts, r, last, k);
        if (want.length === 0) break;
        const lists = await Promise.all(want.map(([t, j]) => this.tier(t, j + 1, parts.get(t).tiers[j][2])));
        want.forEach(([t, j], i) => {
          const p = parts.get(t);
          forEachPosting(lists[i], (doc, impact, section) => p.seen.set(doc, [impact, section, j + 1]));
          p.read[j] = true;
          reads++;
        });
      }
    }
    const full = await this.search(q, filters, []);
    return { ...full, hits: full.hits.slice(0, k), complete: true, reads, full, count: { n: full.hits.length, exact: true }, unread: 0 };
  }

  /**
   * The counts of `facets`' values among a search's `candidates` (its `candidates`: the results
   * before filters), each value counted with the filters of every other facet. The search page
   * asks for them after it has shown the first results, so that the first results need only the
   * term and document shards (a facet file grows with the site: 9 kB of gzip at 100,000 documents
   * for regions).
   */
  async facetCounts(candidates, filters = [], facets = FACETS) {
    const n = this.m.docs;
    const out = {};
    for (const facet of FACETS) {
      if (!facets.includes(facet)) continue;
      const al = await this.allowed(filters, facet);
      const pass = al ? candidates.filter((d) => al[d]) : candidates;
      const c = {};
      if (facet === 'collection') {
        for (const col of this.m.collections) {
          let k = 0;
          for (const d of pass) if (col.start <= d && d < col.end) k++;
          if (k > 0) c[col.slug] = k;
        }
      } else {
        const member = new Uint8Array(n);
        for (const d of pass) member[d] = 1;
        const shard = await this.file(this.m.facets[facet].file);
        for (const slug of Object.keys(shard.values).sort(cmp)) {
          let k = 0;
          for (const d of decodeDocs(shard.values[slug])) if (member[d]) k++;
          if (k > 0) c[slug] = k;
        }
      }
      out[facet] = c;
    }
    return out;
  }

  /**
   * The facet values in the order of the facet counts files (c{i}.json): each collection, then
   * the `values` of each other facet the manifest has: [facet, slug, documents with the value].
   */
  facetValues() {
    const out = this.m.collections.map((c) => ['collection', c.slug, c.end - c.start]);
    for (const f of FACETS) {
      if (f === 'collection' || !this.m.facets[f]) continue;
      for (const v of this.m.facets[f].values) out.push([f, v.slug, v.count]);
    }
    return out;
  }

  /**
   * A tiered term's documents per facet value, from c{file}.json (see CountShard and push_count
   * in format.rs: each count's difference from df × the value's documents / documents, rounded
   * down, zigzag coded). `valueDocs`: each value's documents, in the manifest's order.
   */
  async termCounts(term, df, file, valueDocs) {
    const shard = await this.file(`c${file}.json`);
    const k = partitionPoint(shard.terms, (t) => t[0] < term);
    const t = shard.terms[k];
    if (!t || t[0] !== term) throw new Error(`c${file}.json: the facet counts of ${term} are missing`);
    const st = { pos: 0 };
    const out = [];
    while (st.pos < t[1].length) {
      const z = readVarint(t[1], st);
      const e = Math.floor(df * (valueDocs[out.length] ?? 0) / Math.max(1, this.m.docs));
      out.push(z % 2 === 0 ? e + z / 2 : e - (z + 1) / 2);
    }
    if (out.length !== valueDocs.length) throw new Error(`c${file}.json: ${term} has ${out.length} facet counts for ${valueDocs.length} values`);
    return out;
  }

  /**
   * The counts next to the filter values before the whole search has run, as `facet_estimates`
   * in src/search/query.rs (the parity test compares them): { facet: { slug: { n, exact } } },
   * values with results only. `top`: searchTop's answer for `q` with no filter. Exact for a query
   * of one word of one tiered term with no exclusion or phrase (its facet counts, c{i}.json: one
   * small file per word, not the postings); otherwise the number of results × the share of
   * documents with the value × per word, the share of the value's documents with the word over
   * the share of all documents with it (a term without facet counts, a rare one, taken as
   * independent of the facets), rounded, at least 1 and at most what can be (the value's
   * documents; per word the sum of its terms' counts; the number of results when exact).
   */
  async facetEstimates(q, top) {
    const { words, phrases, excluded } = await this.query(q);
    const live = words.filter((w) => w.expansions.length > 0);
    const values = this.facetValues();
    const valueDocs = values.map((v) => v[2]);
    const perWord = [];
    for (const w of live) {
      const v = [];
      for (const e of w.expansions) {
        const entry = await this.lookup(e.term);
        if (!entry) { v.push([0, null]); continue; }
        v.push([entry[1], entry.length > 4 ? await this.termCounts(e.term, entry[1], entry[4], valueDocs) : null]);
      }
      perWord.push(v);
    }
    const one = perWord.length === 1 && phrases.length === 0 && excluded.length === 0
      && perWord[0].length === 1 && perWord[0][0][1] ? perWord[0][0][1] : null;
    const n = this.m.docs;
    const total = top.count.n;
    const out = {};
    values.forEach(([facet, slug, cv], gi) => {
      let k;
      let exact = false;
      if (cv === 0) { k = 0; exact = true; } else if (one) { k = one[gi]; exact = true; } else {
        let ratio = 1;
        let hi = cv;
        if (top.count.exact) hi = Math.min(hi, total);
        for (const w of perWord) {
          let none = 1, noneV = 1, sumV = 0;
          for (const [df, c] of w) {
            none *= 1 - df / n;
            const est = c ? c[gi] : df * cv / n;
            noneV *= 1 - est / cv;
            sumV += c ? c[gi] : Math.min(df, cv);
          }
          const share = 1 - none;
          ratio *= share > 0 ? (1 - noneV) / share : 0;
          hi = Math.min(hi, sumV);
        }
        const raw = total * cv / n * ratio;
        k = hi === 0 ? 0 : Math.min(hi, Math.max(1, Math.floor(raw + 0.5)));
      }
      if (k > 0) (out[facet] ??= {})[slug] = { n: k, exact };
    });
    return out;
  }

  /** The record of a document: { url, title, date, summary, sections: [[anchor, heading]] }. */
  async record(doc) {
    const size = this.m.docShardSize;
    const shard = await this.file(`d${Math.floor(doc / size)}.json`);
    return shard.docs[doc % size];
  }

  collection(doc) {
    return this.m.collections.find((c) => c.start <= doc && doc < c.end) || null;
  }

  /** [anchor, heading] of a record's section ('' when absent); see DocRecord in format.rs. */
  static section(record, i) {
    const s = record.sections[i];
    if (!s || s.length === 0) return ['', ''];
    if (s.length === 1) return [slug(s[0]), s[0]];
    return [s[0], s[1]];
  }

  /** URL of a hit (site-relative), with the fragment of its best section. */
  static link(record, section) {
    const [a] = SearchIndex.section(record, section);
    return a ? `${record.url}#${a}` : record.url;
  }
}

/** Splits `text` into [[segment, isMatch]] pairs, marking words that match the query words. */
export function highlight(text, queryWords, index) {
  const terms = new Set();
  const prefixes = [];
  const groups = index.m.synonyms || [];
  for (const w of queryWords) {
    for (const e of w.expansions) {
      terms.add(e.term);
      // A synonym group's term: highlight the words of each of its members.
      for (const g of groups) if (g.term === e.term) for (const m of g.members) for (const t of m) terms.add(t);
    }
    if (w.prefix) prefixes.push(w.word);
  }
  const parts = [];
  segmenter ??= new Intl.Segmenter('en', { granularity: 'word' });
  let plain = '';
  for (const seg of segmenter.segment(text)) {
    let hit = false;
    if (seg.isWordLike) {
      const ws = words(seg.segment);
      hit = ws.some((w) => { const t = index.term(w); return (t !== null && terms.has(t)) || prefixes.some((p) => w.startsWith(p)); });
    }
    if (hit) { if (plain) parts.push([plain, false]); plain = ''; parts.push([seg.segment, true]); } else plain += seg.segment;
  }
  if (plain) parts.push([plain, false]);
  return parts;
}
