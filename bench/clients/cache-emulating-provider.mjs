// A scripted Anthropic Messages provider that emulates the provider's prefix cache, for measuring what a
// real client session costs direct and through the gateway. Not a model: it reads the newest user text,
// asks for `cat PATH` through the client's Bash tool when the text names a .log path, and answers once the
// tool result is back.
//
// Cache model (Anthropic's documented behaviour): the prefix is tools -> system -> messages, block by block;
// cache_control marks breakpoints (the marker itself is not part of the cached content); a breakpoint hits
// when the prefix up to it, or up to any of the 20 blocks before it, was written within the TTL (5 min, or
// 1 h with "ttl":"1h"); below 1,024 tokens nothing is cached. Tokens are estimated as characters / 4.
// Usage is reported like the real API: input_tokens (uncached tail), cache_creation_input_tokens,
// cache_read_input_tokens. Every request is appended to LOG as one JSON line.
//
// usage: node cache-emulating-provider.mjs PORT LOG
import http from 'node:http';
import fs from 'node:fs';
import crypto from 'node:crypto';

const port = Number(process.argv[2] ?? 8900);
const logFile = process.argv[3] ?? '/tmp/provider.jsonl';
const cache = new Map(); // prefix hash -> expiry (ms)
const MIN_TOKENS = 1024;
let counter = 0;

const tokens = (s) => Math.ceil(s.length / 4);
const strip = (block) => { if (block && typeof block === 'object') { const { cache_control, ...rest } = block; return rest; } return block; };

function segments(body) {
  const out = []; // { text, breakpoint, ttl }
  const push = (block) => out.push({ text: JSON.stringify(strip(block)), breakpoint: !!(block && block.cache_control), ttl: block?.cache_control?.ttl === '1h' ? 3600e3 : 300e3 });
  for (const tool of body.tools ?? []) push(tool);
  const system = typeof body.system === 'string' ? [{ type: 'text', text: body.system }] : (body.system ?? []);
  for (const block of system) push(block);
  for (const message of body.messages ?? []) {
    const content = typeof message.content === 'string' ? [{ type: 'text', text: message.content }] : message.content;
    out.push({ text: JSON.stringify({ role: message.role }), breakpoint: false, ttl: 300e3 });
    for (const block of content) push(block);
  }
  return out;
}

function account(body) {
  const segs = segments(body);
  const now = Date.now();
  const hashes = []; const cumulative = [];
  const h = crypto.createHash('sha256'); let total = 0;
  for (const s of segs) { h.update(s.text); h.update('\u0000'); hashes.push(h.copy().digest('hex')); total += tokens(s.text); cumulative.push(total); }
  const breakpoints = segs.map((s, i) => (s.breakpoint ? i : -1)).filter((i) => i >= 0);
  let hit = -1;
  for (const b of breakpoints) {
    for (let p = b; p >= Math.max(0, b - 20); p--) {
      const expiry = cache.get(hashes[p]);
      if (expiry && expiry > now) { hit = Math.max(hit, p); break; }
    }
  }
  const last = breakpoints.length ? breakpoints[breakpoints.length - 1] : -1;
  const read = hit >= 0 ? cumulative[hit] : 0;
  let write = 0;
  if (last >= 0 && cumulative[last] >= MIN_TOKENS) {
    write = cumulative[last] - read;
    for (const b of breakpoints) if (cumulative[b] >= MIN_TOKENS) cache.set(hashes[b], now + segs[b].ttl);
    if (hit >= 0) cache.set(hashes[hit], now + segs[hit].ttl);
  }
  const input = total - read - write;
  return { input, write: Math.max(0, write), read, total };
}

function latestUserText(body) {
  for (let i = (body.messages ?? []).length - 1; i >= 0; i--) {
    const m = body.messages[i];
    if (m.role !== 'user') continue;
    const content = typeof m.content === 'string' ? [{ type: 'text', text: m.content }] : m.content;
    if (content.some((b) => b.type === 'tool_result')) return { toolResult: true };
    return { text: content.filter((b) => b.type === 'text').map((b) => b.text).join('\n') };
  }
  return { text: '' };
}

function reply(body) {
  const latest = latestUserText(body);
  const hasBash = (body.tools ?? []).some((t) => t.name === 'Bash');
  if (latest.toolResult) return [{ type: 'text', text: 'The log shows the billing errors; both invoices failed to charge.' }];
  const path = latest.text?.match(/\/[\w./-]+\.log/)?.[0];
  if (hasBash && path) return [{ type: 'tool_use', id: `toolu_${String(++counter).padStart(4, '0')}emul`, name: 'Bash', input: { command: `cat ${path}`, description: 'Read the log' } }];
  return [{ type: 'text', text: 'ok' }];
}

function sse(res, model, usage, blocks) {
  const send = (event, data) => res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  send('message_start', { type: 'message_start', message: { id: `msg_emul${Date.now()}`, type: 'message', role: 'assistant', model, content: [], stop_reason: null, stop_sequence: null,
    usage: { input_tokens: usage.input, cache_creation_input_tokens: usage.write, cache_read_input_tokens: usage.read, output_tokens: 1 } } });
  blocks.forEach((b, i) => {
    if (b.type === 'tool_use') {
      send('content_block_start', { type: 'content_block_start', index: i, content_block: { type: 'tool_use', id: b.id, name: b.name, input: {} } });
      send('content_block_delta', { type: 'content_block_delta', index: i, delta: { type: 'input_json_delta', partial_json: JSON.stringify(b.input) } });
    } else {
      send('content_block_start', { type: 'content_block_start', index: i, content_block: { type: 'text', text: '' } });
      send('content_block_delta', { type: 'content_block_delta', index: i, delta: { type: 'text_delta', text: b.text } });
    }
    send('content_block_stop', { type: 'content_block_stop', index: i });
  });
  send('message_delta', { type: 'message_delta', delta: { stop_reason: blocks.some((b) => b.type === 'tool_use') ? 'tool_use' : 'end_turn', stop_sequence: null }, usage: { output_tokens: 20 } });
  send('message_stop', { type: 'message_stop' });
  res.end();
}

http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const raw = Buffer.concat(chunks).toString('utf8');
    const path = req.url.split('?')[0];
    if (req.method === 'GET' && path === '/v1/models') { res.writeHead(200, { 'content-type': 'application/json' }); res.end(JSON.stringify({ data: [{ id: 'claude-sonnet-4-5', type: 'model' }], has_more: false })); return; }
    if (req.method !== 'POST' || !path.startsWith('/v1/messages')) { res.writeHead(200, { 'content-type': 'application/json' }); res.end('{}'); return; }
    let body; try { body = JSON.parse(raw); } catch { res.writeHead(400); res.end('{"type":"error","error":{"type":"invalid_request_error","message":"bad json"}}'); return; }
    if (path.endsWith('/count_tokens')) { res.writeHead(200, { 'content-type': 'application/json' }); res.end(JSON.stringify({ input_tokens: tokens(raw) })); return; }
    const usage = account(body);
    const blocks = reply(body);
    const toolNames = (body.tools ?? []).map((t) => t.name);
    fs.appendFileSync(logFile, JSON.stringify({ at: new Date().toISOString(), host: req.headers.host, tools: toolNames.length, retrieve: toolNames.includes('headroom_retrieve'), bytes: raw.length, ...usage,
      markers: (raw.match(/\[headroom: /g) ?? []).length, invoices: [...new Set(raw.match(/inv_\d+/g) ?? [])].sort(), reply: blocks.map((b) => b.type).join(',') }) + '\n');
    if (body.stream) { sse(res, body.model, usage, blocks); return; }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ id: `msg_emul${Date.now()}`, type: 'message', role: 'assistant', model: body.model, content: blocks, stop_reason: blocks.some((b) => b.type === 'tool_use') ? 'tool_use' : 'end_turn', stop_sequence: null,
      usage: { input_tokens: usage.input, cache_creation_input_tokens: usage.write, cache_read_input_tokens: usage.read, output_tokens: 20 } }));
  });
}).listen(port, '127.0.0.1', () => console.log(`cache-emulating provider on 127.0.0.1:${port}, log ${logFile}`));
