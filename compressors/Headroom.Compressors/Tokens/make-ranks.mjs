// Builds o200k_base.ranks.gz (embedded resource) from the npm `tiktoken` package.
//   cd /tmp && npm install tiktoken@1.0.22
//   node make-ranks.mjs /tmp/node_modules/tiktoken/encoders/o200k_base.json o200k_base.ranks.gz
// Source format (`bpe_ranks`): "! <offset> <b64> <b64> ...": token i (0-based after the header)
// has rank offset + i. Output: gzip of, per rank in order, one length byte (1..255) then the
// token bytes. gzipSync writes mtime 0, so the output is byte-identical on every run.
import { readFileSync, writeFileSync } from "node:fs";
import { gzipSync } from "node:zlib";

const [src, dst] = process.argv.slice(2);
if (!src || !dst) { console.error("usage: node make-ranks.mjs o200k_base.json OUT.gz"); process.exit(2); }
const json = JSON.parse(readFileSync(src, "utf8"));
const parts = json.bpe_ranks.split(" ");
if (parts[0] !== "!") throw new Error("unexpected bpe_ranks header");
const offset = Number.parseInt(parts[1], 10);
if (offset !== 0) throw new Error("expected offset 0");
const chunks = [];
for (let i = 2; i < parts.length; i++) {
  const bytes = Buffer.from(parts[i], "base64");
  if (bytes.length < 1 || bytes.length > 255) throw new Error(`token ${i - 2} has length ${bytes.length}`);
  chunks.push(Buffer.from([bytes.length]), bytes);
}
writeFileSync(dst, gzipSync(Buffer.concat(chunks), { level: 9 }));
console.log(`${parts.length - 2} ranks; pat_str=${json.pat_str}`);
