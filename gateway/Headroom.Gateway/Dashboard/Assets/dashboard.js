// Headroom gateway dashboard. Reads /telemetry/summary, /telemetry/retrievals, /telemetry/feed (long-poll)
// and /provenance/{id} from this gateway only; every value is written with textContent, never as HTML.
'use strict';

const state = { cursor: 0, lines: [], byId: new Map(), summary: null, retrievals: [], key: '', provenanceSession: '' };
const int = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const usd = v => (v < 0 ? '-$' : '$') + Math.abs(v).toFixed(4);
const pct = v => (v * 100).toFixed(1) + '%';

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null) continue;
    if (k === 'class') e.className = v; else if (k.startsWith('on')) e.addEventListener(k.slice(2), v); else e.setAttribute(k, String(v));
  }
  for (const c of children) e.append(c instanceof Node ? c : document.createTextNode(c === undefined || c === null ? '' : String(c)));
  return e;
}

const num = (v, f) => el('td', { class: 'n', 'data-value': v }, f ? f(v) : int.format(v));

function setLive(kind, text) {
  const live = document.getElementById('live');
  live.dataset.state = kind;
  live.textContent = text;
}

async function getJson(url, headers) {
  const response = await fetch(url, { headers: headers || {}, cache: 'no-store' });
  const text = await response.text();
  let body = null;
  try { body = text ? JSON.parse(text) : null; } catch { body = null; }
  if (!response.ok) throw new Error(`${url} answered ${response.status}${body && body.error ? ': ' + body.error : ''}`);
  return body;
}

// 1. Totals, sessions and tools come from /telemetry/summary (and the retrieval counts per tool).
async function refreshSummary() {
  const [summary, retrievals] = await Promise.all([getJson('/telemetry/summary'), getJson('/telemetry/retrievals').catch(() => [])]);
  state.summary = summary;
  state.retrievals = Array.isArray(retrievals) ? retrievals : [];
  renderTotals();
  renderSessions();
  renderTools();
  renderSplit();
}

function totalsValues() {
  const s = state.summary, c = s.cost || {}, u = s.usage || {};
  const read = u.cacheReadTokens || 0;
  const everything = (u.inputTokens || 0) + read + (u.cacheWrite5mTokens || 0) + (u.cacheWrite1hTokens || 0);
  return {
    'requests': [s.requests, int.format],
    'cost.tokensSaved': [c.tokensSaved || 0, int.format],
    'cost.compressionSavedUsd': [c.compressionSavedUsd || 0, usd],
    'cost.cachingSavedUsd': [c.cachingSavedUsd || 0, usd],
    'savedUsd': [round8((c.compressionSavedUsd || 0) + (c.cachingSavedUsd || 0)), usd],
    'cost.billedUsd': [c.billedUsd || 0, usd],
    'cost.noGatewayUsd': [c.noGatewayUsd || 0, usd],
    'cacheHitRate': [everything === 0 ? 0 : read / everything, pct],
    'retrievals': [state.retrievals.reduce((a, r) => a + (r.retrieved || 0), 0), int.format],
  };
}

const round8 = v => Math.round(v * 1e8) / 1e8;

function renderTotals() {
  const values = totalsValues();
  for (const tile of document.querySelectorAll('#totals .tile')) {
    const [value, format] = values[tile.dataset.field];
    tile.dataset.value = String(value);
    tile.querySelector('.value').textContent = format(value);
  }
  const unpriced = (state.summary.cost || {}).unpricedRequests || 0;
  const note = document.getElementById('unpriced');
  note.hidden = unpriced === 0;
  note.textContent = `${int.format(unpriced)} request(s) for models without a price are counted in tokens only.`;
}

function renderSplit() {
  const c = state.summary.cost || {};
  const comp = c.compressionSavedUsd || 0, cach = c.cachingSavedUsd || 0;
  const split = document.getElementById('split');
  split.replaceChildren();
  const whole = Math.max(comp, 0) + Math.max(cach, 0);
  if (whole === 0) { split.append(el('div', { style: null }, '')); return; }
  for (const [cls, v, name] of [['compression', comp, 'compression'], ['caching', cach, 'caching']]) {
    if (v <= 0) continue;
    const part = el('div', { class: cls, title: `${name} ${usd(v)}` }, `${name} ${usd(v)}`);
    part.style.width = (100 * v / whole).toFixed(2) + '%';
    split.append(part);
  }
}

function renderSessions() {
  const body = document.querySelector('#sessions tbody');
  body.replaceChildren();
  const breaks = new Map();
  for (const line of state.lines) {
    if (line.verdict !== 'broken') continue;
    if (!breaks.has(line.session)) breaks.set(line.session, []);
    breaks.get(line.session).push(line);
  }
  for (const s of state.summary.sessions || []) {
    const c = s.cost || {};
    body.append(el('tr', { 'data-session': s.session },
      el('td', {}, s.session), num(s.requests), num((s.usage || {}).cacheReadTokens || 0), num(s.cacheBreaks),
      el('td', { class: 'verdict-' + (s.lastVerdict || '') }, s.lastVerdict || ''),
      num(c.billedUsd || 0, usd), num(round8((c.compressionSavedUsd || 0) + (c.cachingSavedUsd || 0)), usd)));
    for (const b of breaks.get(s.session) || []) {
      body.append(el('tr', { class: 'break', 'data-break-of': s.session, 'data-request': b.id },
        el('td', { colspan: 7 }, 'break at request ', el('code', {}, b.id), ` (${b.ts}): cause `, el('b', { class: 'cause' }, b.cause || 'unknown'),
          ', position ', el('code', { class: 'at' }, b.at || 'unknown'), b.detail ? ` — ${b.detail}` : '')));
    }
  }
}

function renderTools() {
  const byTool = new Map();
  for (const r of state.retrievals) {
    const t = byTool.get(r.tool) || { compressed: 0, retrieved: 0 };
    t.compressed += r.compressed || 0; t.retrieved += r.retrieved || 0;
    byTool.set(r.tool, t);
  }
  const tools = [...(state.summary.tools || [])].sort((a, b) => (b.tokensSaved || 0) - (a.tokensSaved || 0));
  const body = document.querySelector('#tools tbody');
  body.replaceChildren();
  for (const t of tools) {
    const r = byTool.get(t.tool);
    body.append(el('tr', { 'data-tool': t.tool },
      el('td', {}, t.tool), num(t.outputs), num(t.compressed), num(t.tokensBefore), num(t.tokensAfter), num(t.tokensSaved || 0),
      r ? num(r.retrieved) : el('td', { class: 'n' }, '–'),
      r && r.compressed > 0 ? num(r.retrieved / r.compressed, pct) : el('td', { class: 'n' }, '–')));
  }
}

// 2. The feed: drain history, then long-poll; each new page refreshes the summary.
async function followFeed() {
  let waitSeconds = 0;
  for (;;) {
    try {
      const response = await fetch(`/telemetry/feed?after=${state.cursor}&limit=1000&wait=${waitSeconds}`, { cache: 'no-store' });
      if (!response.ok) {
        const text = await response.text();
        let message = text;
        try { message = JSON.parse(text).error || text; } catch { /* plain text */ }
        throw new Error(`/telemetry/feed answered ${response.status}: ${message}`);
      }
      const text = await response.text();
      const fresh = text.split('\n').filter(Boolean).map(l => JSON.parse(l)).filter(l => !state.byId.has(l.id));
      const header = Number(response.headers.get('x-headroom-cursor'));
      for (const line of fresh) { state.lines.push(line); state.byId.set(line.id, line); }
      if (fresh.length > 0) state.cursor = Math.max(state.cursor, ...fresh.map(l => l.cursor));
      if (Number.isFinite(header)) state.cursor = Math.max(state.cursor, header);
      if (fresh.length > 0 || state.summary === null) {
        await refreshSummary();
        renderRequests();
        renderTimeline();
      }
      setLive('live', `live · ${int.format(state.lines.length)} requests in the feed`);
      waitSeconds = fresh.length >= 1000 ? 0 : 25;
    } catch (error) {
      setLive('error', String(error.message || error) + ' · retrying');
      await new Promise(r => setTimeout(r, 3000));
    }
  }
}

function renderRequests() {
  const body = document.querySelector('#requests tbody');
  body.replaceChildren();
  for (const l of state.lines.slice(-200).reverse()) {
    body.append(el('tr', { 'data-request': l.id, onclick: () => showProvenance(l.id) },
      el('td', {}, l.ts), el('td', {}, l.session || ''), el('td', {}, l.model || ''), num(l.in), num(l.cacheRead), num(l.cacheWrite), num(l.saved),
      el('td', { class: 'verdict-' + (l.verdict || '') }, l.verdict || ''), num(l.retrievals)));
  }
}

function renderTimeline() {
  const host = document.getElementById('timeline');
  host.replaceChildren();
  const lines = state.lines;
  if (lines.length === 0) { host.append(el('p', { class: 'note' }, 'No requests yet.')); return; }
  const t = lines.map(l => Date.parse(l.ts));
  let comp = 0, read = 0, saved = 0;
  const series = { comp: [], read: [], usd: [] };
  lines.forEach((l, i) => {
    comp += l.saved || 0; read += l.cacheRead || 0; saved += l.savedUsd || 0;
    series.comp.push([t[i], comp]); series.read.push([t[i], read]); series.usd.push([t[i], saved]);
  });
  host.append(chart('tokens (cumulative)', [['removed by compression', 'var(--compression)', series.comp], ['read from cache', 'var(--caching)', series.read]], int.format));
  host.append(chart('USD saved (cumulative: compression + caching)', [['saved', '#6a1b9a', series.usd]], usd));
}

function chart(title, series, format) {
  const ns = 'http://www.w3.org/2000/svg';
  const W = 1000, H = 200, L = 80, R = 10, T = 22, B = 24;
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', `0 0 ${W} ${H}`);
  svg.setAttribute('class', 'chart');
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', title);
  const all = series.flatMap(s => s[2]);
  const x0 = Math.min(...all.map(p => p[0])), x1 = Math.max(...all.map(p => p[0]));
  const y1 = Math.max(1e-9, ...all.map(p => p[1])), y0 = Math.min(0, ...all.map(p => p[1]));
  const x = v => L + (x1 === x0 ? (W - L - R) : (v - x0) / (x1 - x0) * (W - L - R));
  const y = v => H - B - (v - y0) / (y1 - y0) * (H - T - B);
  const text = (tx, ty, s, anchor) => { const e = document.createElementNS(ns, 'text'); e.setAttribute('x', tx); e.setAttribute('y', ty); if (anchor) e.setAttribute('text-anchor', anchor); e.textContent = s; svg.append(e); };
  text(L, 14, title);
  text(L - 6, y(y1) + 4, format(y1), 'end');
  text(L - 6, y(y0) + 4, format(y0), 'end');
  text(L, H - 6, new Date(x0).toISOString().slice(11, 19));
  text(W - R, H - 6, new Date(x1).toISOString().slice(11, 19), 'end');
  let lx = W - R;
  for (const [name, colour, points] of [...series].reverse()) {
    const path = document.createElementNS(ns, 'path');
    let d = '';
    points.forEach(([px, py], i) => { d += i === 0 ? `M${x(px)},${y(0)} L${x(px)},${y(py)}` : ` H${x(px)} V${y(py)}`; });
    path.setAttribute('d', d);
    path.setAttribute('fill', 'none');
    path.setAttribute('stroke', colour);
    path.setAttribute('stroke-width', '2');
    path.setAttribute('data-series', name);
    svg.append(path);
    const label = `${name}: ${format(points[points.length - 1][1])}`;
    text(lx, 14, label, 'end');
    lx -= label.length * 6.5 + 16;
  }
  return svg;
}

// 3. Provenance: the forwarded text of each changed block, every span coloured by its source.
async function showProvenance(id) {
  document.getElementById('provenance-id').value = id;
  const host = document.getElementById('provenance');
  host.replaceChildren(el('p', { class: 'note' }, 'loading ' + id + '…'));
  const headers = state.key ? { 'x-api-key': state.key } : {};
  let p;
  try {
    p = await getJson(`/provenance/${encodeURIComponent(id)}?view=full`, headers);
  } catch (error) {
    host.replaceChildren(el('p', { class: 'error' }, String(error.message || error)));
    return;
  }
  const sources = p.sources || [];
  // Only the live zone (after the model's last turn) is compressed fresh; a compressed block in an
  // earlier message is history whose bytes the gateway replayed from the first time it sent them.
  const lastModelTurn = Math.max(-1, ...sources.filter(s => s.role === 'assistant' || s.role === 'model').map(s => s.message));
  const totals = p.totals || {};
  host.replaceChildren(el('p', { class: 'meta', 'data-request': p.requestId },
    `request ${p.requestId} · session ${p.session || '–'} · ${p.provider || ''} ${p.model || ''} · ${p.route || ''} · context tokens ${int.format(totals.tokensBefore || 0)} → ${int.format(totals.tokensAfter || 0)}`));
  state.provenanceSession = p.session || '';
  for (const s of sources) host.append(block(s, s.compressor && s.message < lastModelTurn));
}

function block(s, replayed) {
  const from = s.command ? `$ ${s.command}` : s.path ? s.path : '';
  const header = el('h3', {},
    el('span', {}, `message ${s.message} · block ${s.block} · ${s.role || ''} ${s.kind}`),
    s.tool ? el('span', { class: 'tool' }, 'tool ' + s.tool) : '',
    from ? el('span', { class: 'from' }, from) : '',
    s.compressor ? el('span', {}, `${s.compressor}: ${int.format(s.tokensBefore)} → ${int.format(s.tokensAfter)} tokens`) : el('span', {}, 'forwarded as sent'),
    replayed ? el('span', { class: 'badge' }, 'replayed') : '');
  const card = el('div', { class: 'block' + (replayed ? ' replayed' : ''), 'data-message': s.message, 'data-block': s.block, 'data-compressor': s.compressor || '' }, header);
  if (s.hash) {
    const link = el('a', { class: 'original', href: `/v1/retrieve/${s.hash}`, 'data-hash': s.hash }, 'original ' + s.hash);
    link.addEventListener('click', event => { event.preventDefault(); openOriginal(card, s.hash); });
    header.append(link);
  }
  if (typeof s.output === 'string') {
    card.append(el('pre', { class: 'spans' }, ...spans(s.output, s.spans || [], replayed)));
  } else if (!s.compressor) {
    card.append(el('pre', { class: 'spans' }, el('span', { class: 'span kept', 'data-kind': 'kept' }, `(kept original: forwarded byte for byte${s.tokensBefore ? ', ' + int.format(s.tokensBefore) + ' tokens' : ''})`)));
  }
  return card;
}

function spans(text, map, replayed) {
  const bytes = new TextEncoder().encode(text);
  const decode = (a, b) => new TextDecoder().decode(bytes.subarray(a, b));
  const out = [];
  let at = 0;
  const sorted = [...map].sort((a, b) => a[0] - b[0]);
  for (const [os, oe, ss, se] of sorted) {
    if (os > at) out.push(el('span', { class: 'span gap', 'data-kind': 'gap' }, decode(at, os)));
    const piece = decode(os, oe);
    const kind = ss >= 0 && se - ss === oe - os ? 'kept' : piece.trimStart().startsWith('[headroom:') ? 'marker' : 'summary';
    out.push(el('span', {
      class: `span ${kind}${replayed ? ' replayed' : ''}`, 'data-kind': replayed ? 'replayed' : kind, 'data-source-kind': kind,
      title: `${replayed ? 'replayed ' : ''}${kind}: output bytes ${os}–${oe}` + (ss >= 0 ? `, original bytes ${ss}–${se}` : ''),
    }, piece));
    at = Math.max(at, oe);
  }
  if (at < bytes.length) out.push(el('span', { class: 'span gap', 'data-kind': 'gap' }, decode(at, bytes.length)));
  return out;
}

async function openOriginal(card, hash) {
  let pre = card.querySelector('pre.original-text');
  if (!pre) { pre = el('pre', { class: 'original-text' }); card.append(pre); }
  pre.dataset.state = 'loading';
  pre.textContent = 'Reading the original…';
  // With a key, the key's originals; without one, those of the request's conversation (keyless callers are scoped by it).
  const headers = state.key ? { 'x-api-key': state.key } : state.provenanceSession ? { 'x-headroom-session-id': state.provenanceSession } : {};
  const response = await fetch(`/v1/retrieve/${hash}`, { headers, cache: 'no-store' });
  const text = await response.text();
  if (response.ok) { pre.className = 'original-text'; pre.textContent = text; pre.dataset.state = 'loaded'; return; }
  let message = text;
  try { message = JSON.parse(text).error || text; } catch { /* plain text */ }
  pre.className = 'original-text error';
  pre.dataset.state = 'error';
  pre.textContent = `The original is not readable here (${response.status}): ${message}`;
}

document.getElementById('provenance-form').addEventListener('submit', event => {
  event.preventDefault();
  state.key = document.getElementById('provenance-key').value.trim();
  const id = document.getElementById('provenance-id').value.trim();
  if (id) { history.replaceState(null, '', '#request=' + encodeURIComponent(id)); showProvenance(id); }
});
const wanted = new URLSearchParams(location.hash.slice(1)).get('request');
if (wanted) showProvenance(wanted);
followFeed();
// Requests that are not model calls (GET /v1/models, HEAD /) count in the summary but make no feed line.
setInterval(() => { if (state.summary !== null) refreshSummary().catch(error => setLive('error', String(error.message || error))); }, 10000);
