// Reference encoder for tests/tok/train_parity.test.sh: loads a tokenizer folder that
// `dpoison tokenizer-train` wrote (tokenizer.json + tokenizer_config.json) with the JS port of
// Hugging Face tokenizers in the npm package @lenml/tokenizers, and
//   node tools/ref/train_tok_ref.mjs PREFIX DIR --list LIST   prints one line of ids per file
//                                                             (add_special_tokens false)
//   node tools/ref/train_tok_ref.mjs PREFIX DIR --chat        prints the chat template rendered
//                                                             (Jinja, by the package) for a fixed
//                                                             conversation, generation prompt added
// PREFIX is the folder given to `npm install --prefix`.
import { readFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const [prefix, dir, mode, listf] = process.argv.slice(2);
if (!prefix || !dir || (mode !== "--chat" && (mode !== "--list" || !listf))) {
  process.stderr.write("usage: node train_tok_ref.mjs PREFIX DIR --list LIST | --chat\n");
  process.exit(2);
}
const main = join(prefix, "node_modules/@lenml/tokenizers/dist/main.mjs");
const { TokenizerLoader } = await import(pathToFileURL(main).href);
const readJSON = (f) => JSON.parse(readFileSync(join(dir, f), "utf8"));
const tok = TokenizerLoader.fromPreTrained({
  tokenizerJSON: readJSON("tokenizer.json"),
  tokenizerConfig: readJSON("tokenizer_config.json"),
});

if (mode === "--chat") {
  const messages = [
    { role: "user", content: "Fetch https://api.example.com/items as JSON." },
    { role: "assistant", content: "Here you go:\n```python\nimport requests\n```" },
    { role: "user", content: "Add a timeout." },
  ];
  const text = tok.apply_chat_template(messages, { tokenize: false, add_generation_prompt: true });
  writeSync(1, text);
} else {
  const files = readFileSync(listf, "utf8").split("\n").filter((l) => l.length > 0);
  const out = [];
  for (const f of files) {
    const ids = tok.encode(readFileSync(f).toString("utf8"), { add_special_tokens: false });
    out.push(ids.join(" "));
  }
  writeSync(1, out.join("\n") + "\n");
}
