// Generates o200k_parity.json: strings and their token ids from the npm `tiktoken` package
// (the reference implementation, Rust compiled to wasm).
//   cd /tmp && npm install tiktoken@1.0.22
//   NODE_PATH=/tmp/node_modules node make-parity.mjs > o200k_parity.json
// Deterministic: fixed strings plus strings drawn with a fixed-seed PRNG (mulberry32).
import { createRequire } from "node:module";
const require = createRequire(import.meta.url);
const { get_encoding } = require("tiktoken");
const enc = get_encoding("o200k_base");

const fixed = [
  "", " ", "  ", "\n", "\r\n", "\n\n\n", " \n ", "\t\thello", "hello world", "Hello, World!",
  "I'm", "I'M", "you're", "YOU'RE", "they'll", "THEY'LL", "we'd", "it's", "IT'S", "it'ſ", "don't", "DON'T",
  "ain’t", "o'clock", "rock'n'roll", "'s", "'S'", "x'Ve", "a'LL", "'re'", "''s",
  "1", "12", "123", "1234", "12345678901234567890", "3.14159265358979", "1,000,000", "0x7fffffff", "١٢٣٤٥", "Ⅻ and ⅻ", "½ + ¼ = ¾",
  "     leading spaces", "trailing spaces     ", "tabs\t\t\tinside", "mixed \t \n \r\n  end", "a\n\n\nb", "line1\r\nline2\r\n",
  "      \n      \n", "x" + " ".repeat(40) + "y", " ".repeat(100), "\n".repeat(20), "=".repeat(64), "-".repeat(100), "////////", "a//b//c\n//\n",
  "😀", "👍🏽", "👨‍👩‍👧‍👦", "🇺🇸🇫🇷", "emoji in text 🚀🔥 done", "❤️", "🧑🏿‍💻 coding",
  "日本語のテキスト", "中文文本测试，标点符号。", "한국어 텍스트입니다", "Привет, мир!", "Ελληνικά γράμματα", "مرحبا بالعالم", "שלום עולם",
  "हिन्दी भाषा", "ภาษาไทย", "Tiếng Việt có dấu", "naïve café résumé", "e\u0301 combining", "\u0301\u0302 marks first", "ǅungla ǈ titlecase",
  "ÀÉÎÕÜ UPPER", "straße STRASSE", "İstanbul ıi", "ﬁne ligature", "𝕳𝖊𝖑𝖑𝖔 math", "𠀀𠀁 ext-B", "\u00a0nbsp\u00a0", "\u2028line sep\u2029", "\u3000ideographic space",
  "function foo(a, b) { return a + b; }", "const x = await fetch(`/api/${id}`);", "def main():\n    print('hi')\n\nif __name__ == '__main__':\n    main()\n",
  "public sealed class Foo : IBar\n{\n    private readonly int _x;\n}\n", "#include <stdio.h>\nint main(void) { printf(\"%d\\n\", 42); }",
  "SELECT id, name FROM users WHERE age > 21 ORDER BY name;", "fn main() -> Result<(), Box<dyn Error>> { Ok(()) }", "<div class=\"a\"><p>Hi&nbsp;there</p></div>",
  "{\"id\":1,\"name\":\"alpha\",\"tags\":[\"x\",\"y\"],\"ok\":true,\"n\":null}", "[{\"a\":1},{\"a\":2},{\"a\":3}]", "{\n  \"key\": \"value\",\n  \"nested\": {\"deep\": [1, 2, 3]}\n}",
  "2024-01-15T10:23:45.123Z INFO GET /health 200 3 ms", "[Sun Dec 04 04:47:44 2005] [error] mod_jk child workerEnv in error state 6",
  "src/main.rs:42:    let x = 5;", "diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1,3 +1,3 @@\n-old\n+new\n context\n",
  "https://example.com/path?query=1&b=2#frag", "user@example.com", "C:\\Windows\\System32\\drivers", "/usr/local/bin/node", "$HOME/.config",
  "ALLCAPSWORD", "camelCaseWord", "PascalCaseWord", "snake_case_word", "kebab-case-word", "SCREAMING_SNAKE", "HTTPServerError", "getHTTPResponseCode",
  "!!!???...", "...", "—–-", "«quotes» “curly” ‘single’", "a.b.c", "x=1;y=2", "(╯°□°）╯︵ ┻━┻", "\u0000\u0001\u0002 controls", "\u200b\u200c\u200d zero width",
  "<|endoftext|>", "<|endofprompt|> is special", "  \t  \n\t \r\n\r\n  x", "\r\r\r", "a\rb", " 's", " 'S", "‘s", "1st 2nd 3rd 4th", "v1.2.3-beta+build.5",
];

let seed = 0x5eed1234;
function rand() { seed |= 0; seed = (seed + 0x6d2b79f5) | 0; let t = Math.imul(seed ^ (seed >>> 15), 1 | seed); t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t; return ((t ^ (t >>> 14)) >>> 0) / 4294967296; }
const pool = [
  ..."abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", ..." \t\n\r", ..." ", ..." ", ..."'''\".,;:!?()[]{}<>/\\|-_=+*&^%$#@~`",
  ..."éÉßñÑøØçÇ", "\u0301", "\u0308", "ǅ", "ʰ", "ſ", ..."日本語中文한국어", ..."Привет", ..."αβγΩ", ..."مرحبا", ..."हिन्दी", "٣", "Ⅻ", "½", "\u00a0", "\u3000", "\u2028",
  "😀", "🚀", "👍🏽", "‍", "️", "𠀀", "𝕳", "’", "—", "“", "”", "…",
];
const random = [];
for (let i = 0; i < 140; i++) {
  const len = 1 + Math.floor(rand() * (i < 100 ? 40 : 400));
  let s = "";
  for (let j = 0; j < len; j++) s += pool[Math.floor(rand() * pool.length)];
  random.push(s);
}
for (let i = 0; i < 10; i++) random.push("9".repeat(1 + Math.floor(rand() * 60)) + " " + String(Math.floor(rand() * 1e15)));
for (let i = 0; i < 10; i++) random.push(" ".repeat(1 + Math.floor(rand() * 30)) + "\n".repeat(Math.floor(rand() * 4)) + " ".repeat(Math.floor(rand() * 9)) + "word");

const cases = [...fixed, ...random].map(text => ({ text, ids: Array.from(enc.encode_ordinary(text)) }));
enc.free();
process.stdout.write(JSON.stringify({ encoding: "o200k_base", generator: "tiktoken@1.0.22 encode_ordinary", cases }, null, 0) + "\n");
