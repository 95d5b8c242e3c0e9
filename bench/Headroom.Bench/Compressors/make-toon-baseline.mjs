// TOON baseline for the JSON compressor's lossless table form.
// For every ../shared/data/json/*.json file: the largest array (of ≥ 3 items) found at depth ≤ 6,
// its path, item count, and o200k token counts of JSON.stringify(array) and of TOON's encode(array)
// (npm @toon-format/toon, default options). The evaluation (compressors-eval) reads this file,
// extracts the same array and compares its own lossless output.
//   cd /tmp && npm install tiktoken@1.0.22 @toon-format/toon@4.4.0
//   NODE_PATH=/tmp/node_modules node make-toon-baseline.mjs ../../../../shared/data/json > toon-baseline.json
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { createRequire } from "node:module";
const require = createRequire(import.meta.url);
const { get_encoding } = require("tiktoken");
const { encode } = await import(require.resolve("@toon-format/toon"));
const enc = get_encoding("o200k_base");

const dir = process.argv[2];
function largest(value, path, depth, best) {
  if (depth > 6 || value === null || typeof value !== "object") return best;
  if (Array.isArray(value)) {
    if (value.length >= 3 && (!best || value.length > best.value.length)) best = { value, path };
    value.slice(0, 3).forEach((v, i) => { best = largest(v, [...path, i], depth + 1, best); });
    return best;
  }
  for (const [k, v] of Object.entries(value)) best = largest(v, [...path, k], depth + 1, best);
  return best;
}
const rows = [];
for (const file of readdirSync(dir).filter(f => f.endsWith(".json")).sort()) {
  const doc = JSON.parse(readFileSync(join(dir, file), "utf8"));
  const best = largest(doc, [], 0, null);
  if (!best) continue;
  rows.push({
    file, path: best.path, items: best.value.length,
    jsonTokens: enc.encode_ordinary(JSON.stringify(best.value)).length,
    toonTokens: enc.encode_ordinary(encode(best.value)).length,
  });
}
enc.free();
process.stdout.write(JSON.stringify({ generator: "tiktoken@1.0.22 o200k_base, @toon-format/toon@4.4.0 encode()", rows }, null, 1) + "\n");
