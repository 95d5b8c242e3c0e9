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

// ---- OpenAI Responses (Codex): automatic prefix caching, 128-token steps from 1,024 tokens ----------
const seenPrefixes = new Set();
function accountResponses(body) {
  const parts = [JSON.stringify(body.instructions ?? ''), ...(body.tools ?? []).map((t) => JSON.stringify(t)), ...(Array.isArray(body.input) ? body.input : [{ role: 'user', content: body.input }]).map((i) => JSON.stringify(i))];
  const h = crypto.createHash('sha256'); let total = 0; let cached = 0;
  for (const part of parts) {
    h.update(part); h.update('\u0000'); total += tokens(part);
    const key = h.copy().digest('hex');
    if (seenPrefixes.has(key)) cached = total;
    seenPrefixes.add(key);
  }
  cached = cached >= 1024 ? Math.floor(cached / 128) * 128 : 0;
  return { input: total - cached, write: 0, read: cached, total };
}

function replyResponses(body) {
  const items = Array.isArray(body.input) ? body.input : [];
  const last = items[items.length - 1];
  if (last && (last.type === 'function_call_output' || last.type === 'custom_tool_call_output')) return { text: 'The log shows the billing errors; both invoices failed to charge.' };
  let text = typeof body.input === 'string' ? body.input : '';
  for (let i = items.length - 1; i >= 0 && !text; i--) {
    const it = items[i];
    if (it.role === 'user') text = typeof it.content === 'string' ? it.content : (it.content ?? []).map((c) => c.text ?? '').join('\n');
  }
  const path = text.match(/\/[\w./-]+\.log/)?.[0];
  const names = (body.tools ?? []).map((t) => t.name);
  if (path && names.includes('exec_command')) return { call: { name: 'exec_command', arguments: JSON.stringify({ cmd: `cat ${path}` }) } };
  if (path && names.includes('shell')) return { call: { name: 'shell', arguments: JSON.stringify({ command: ['cat', path] }) } };
  return { text: 'ok' };
}

function sseResponses(res, body, usage, answer) {
  let seq = 0;
  const send = (type, data) => res.write(`event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: seq++, ...data })}\n\n`);
  const id = `resp_emul${Date.now()}`;
  const base = { id, object: 'response', created_at: Math.floor(Date.now() / 1000), model: body.model, status: 'in_progress', output: [] };
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  send('response.created', { response: base });
  const item = answer.call
    ? { id: `fc_${++counter}`, type: 'function_call', status: 'completed', call_id: `call_emul${counter}`, name: answer.call.name, arguments: answer.call.arguments }
    : { id: `msg_${++counter}`, type: 'message', status: 'completed', role: 'assistant', content: [{ type: 'output_text', text: answer.text, annotations: [] }] };
  send('response.output_item.added', { output_index: 0, item: { ...item, status: 'in_progress', ...(answer.call ? { arguments: '' } : { content: [] }) } });
  if (answer.call) send('response.function_call_arguments.done', { item_id: item.id, output_index: 0, arguments: item.arguments });
  else send('response.output_text.delta', { item_id: item.id, output_index: 0, content_index: 0, delta: answer.text });
  send('response.output_item.done', { output_index: 0, item });
  send('response.completed', { response: { ...base, status: 'completed', output: [item],
    usage: { input_tokens: usage.input + usage.read, input_tokens_details: { cached_tokens: usage.read }, output_tokens: 20, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: usage.input + usage.read + 20 } } });
  res.end();
}

http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const raw = Buffer.concat(chunks).toString('utf8');
    const path = req.url.split('?')[0];
    if (req.method === 'POST' && path === '/v1/responses') {
      let body; try { body = JSON.parse(raw); } catch { res.writeHead(400); res.end('{"error":{"message":"bad json","type":"invalid_request_error"}}'); return; }
      const usage = accountResponses(body);
      const answer = replyResponses(body);
      const toolNames = (body.tools ?? []).map((t) => t.name);
      fs.appendFileSync(logFile, JSON.stringify({ at: new Date().toISOString(), api: 'responses', host: req.headers.host, tools: toolNames.length, retrieve: toolNames.includes('headroom_retrieve'), bytes: raw.length, ...usage,
        markers: (raw.match(/\[headroom: /g) ?? []).length, invoices: [...new Set(raw.match(/inv_\d+/g) ?? [])].sort(), reply: answer.call ? 'function_call' : 'text' }) + '\n');
      sseResponses(res, body, usage, answer);
      return;
    }
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
