// Reference BPE trainer for tests/tok/train_parity.test.sh: Hugging Face tokenizers itself (the
// Rust library, through the npm package `tokenizers`, its official Node binding) trains a BPE
// model with Qwen2's normalizer and pre-tokenizer on the files given and saves tokenizer.json.
//   node tools/ref/train_tok_hf.mjs PREFIX OUT.json FILE...
//   node tools/ref/train_tok_hf.mjs PREFIX OUT.json --list LIST
// The binding exposes only Tokenizer.train(files), which runs BPE's default BpeTrainer
// (vocab_size 30000, min_frequency 0, no special tokens, the alphabet seen) on the files read
// line by line: compare with `dpoison tokenizer-train --per-line --alphabet seen
// --min-frequency 0 --vocab-size 30003` (its 3 special tokens sit outside the BPE vocabulary).
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

const [prefix, out, ...rest] = process.argv.slice(2);
if (!prefix || !out || rest.length === 0) {
  process.stderr.write("usage: node train_tok_hf.mjs PREFIX OUT.json FILE... | --list LIST\n");
  process.exit(2);
}
const require = createRequire(import.meta.url);
const hf = require(join(process.cwd(), prefix, "node_modules/tokenizers"));
const files = rest[0] === "--list"
  ? readFileSync(rest[1], "utf8").split("\n").filter((l) => l.length > 0)
  : rest;

const pattern = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+" +
  "[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
const byteLevel = { type: "ByteLevel", add_prefix_space: false, trim_offsets: false, use_regex: false };
const spec = {
  version: "1.0", truncation: null, padding: null, added_tokens: [],
  normalizer: { type: "NFC" },
  pre_tokenizer: {
    type: "Sequence",
    pretokenizers: [
      { type: "Split", pattern: { Regex: pattern }, behavior: "Isolated", invert: false }, byteLevel,
    ],
  },
  post_processor: null, decoder: byteLevel,
  model: {
    type: "BPE", dropout: null, unk_token: null, continuing_subword_prefix: null,
    end_of_word_suffix: null, fuse_unk: false, byte_fallback: false, ignore_merges: false,
    vocab: {}, merges: [],
  },
};
const tok = hf.Tokenizer.fromString(JSON.stringify(spec));
const t0 = process.hrtime.bigint();
tok.train(files);
const secs = Number(process.hrtime.bigint() - t0) / 1e9;
tok.save(out, true);
process.stderr.write(`train_tok_hf: ${files.length} files, vocabulary ${tok.getVocabSize(false)}, ` +
  `${secs.toFixed(2)} s\n`);
