/* Writes a trained tokenizer as Qwen2.5 ships its own: tokenizer.json (NFC normalizer, the Split
 * regex then ByteLevel pre-tokenizer, ByteLevel post-processor and decoder, a BPE model with the
 * vocabulary by id and the merges as ["a", "b"] pairs, the three ChatML special tokens as added
 * tokens after the vocabulary) and tokenizer_config.json (Qwen2.5-Instruct's chat template,
 * eos <|im_end|>, pad <|endoftext|>). Pretty-printed with indent 2, non-ASCII kept as UTF-8. */
#include "base/file.h"
#include "base/json.h"
#include "base/utf8.h"
#include "tok/tok_int.h"
#include "tok/train_int.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Qwen2.5-Instruct's (and Qwen2.5-Coder-Instruct's) chat_template, character for character. */
static const char qwen25_chat_template[] =
    "{%- if tools %}\n"
    "    {{- '<|im_start|>system\\n' }}\n"
    "    {%- if messages[0]['role'] == 'system' %}\n"
    "        {{- messages[0]['content'] }}\n"
    "    {%- else %}\n"
    "        {{- 'You are Qwen, created by Alibaba Cloud. You are a helpful assistant.' }}\n"
    "    {%- endif %}\n"
    "    {{- \"\\n\\n# Tools\\n\\nYou may call one or more functions to assist with the user query."
    "\\n\\nYou are provided with function signatures within <tools></tools> XML tags:\\n<tools>\" }}\n"
    "    {%- for tool in tools %}\n"
    "        {{- \"\\n\" }}\n"
    "        {{- tool | tojson }}\n"
    "    {%- endfor %}\n"
    "    {{- \"\\n</tools>\\n\\nFor each function call, return a json object with function name "
    "and arguments within <tool_call></tool_call> XML tags:\\n<tool_call>\\n{\\\"name\\\": "
    "<function-name>, \\\"arguments\\\": <args-json-object>}\\n</tool_call><|im_end|>\\n\" }}\n"
    "{%- else %}\n"
    "    {%- if messages[0]['role'] == 'system' %}\n"
    "        {{- '<|im_start|>system\\n' + messages[0]['content'] + '<|im_end|>\\n' }}\n"
    "    {%- else %}\n"
    "        {{- '<|im_start|>system\\nYou are Qwen, created by Alibaba Cloud. You are a helpful "
    "assistant.<|im_end|>\\n' }}\n"
    "    {%- endif %}\n"
    "{%- endif %}\n"
    "{%- for message in messages %}\n"
    "    {%- if (message.role == \"user\") or (message.role == \"system\" and not loop.first) or "
    "(message.role == \"assistant\" and not message.tool_calls) %}\n"
    "        {{- '<|im_start|>' + message.role + '\\n' + message.content + '<|im_end|>' + '\\n' }}\n"
    "    {%- elif message.role == \"assistant\" %}\n"
    "        {{- '<|im_start|>' + message.role }}\n"
    "        {%- if message.content %}\n"
    "            {{- '\\n' + message.content }}\n"
    "        {%- endif %}\n"
    "        {%- for tool_call in message.tool_calls %}\n"
    "            {%- if tool_call.function is defined %}\n"
    "                {%- set tool_call = tool_call.function %}\n"
    "            {%- endif %}\n"
    "            {{- '\\n<tool_call>\\n{\"name\": \"' }}\n"
    "            {{- tool_call.name }}\n"
    "            {{- '\", \"arguments\": ' }}\n"
    "            {{- tool_call.arguments | tojson }}\n"
    "            {{- '}\\n</tool_call>' }}\n"
    "        {%- endfor %}\n"
    "        {{- '<|im_end|>\\n' }}\n"
    "    {%- elif message.role == \"tool\" %}\n"
    "        {%- if (loop.index0 == 0) or (messages[loop.index0 - 1].role != \"tool\") %}\n"
    "            {{- '<|im_start|>user' }}\n"
    "        {%- endif %}\n"
    "        {{- '\\n<tool_response>\\n' }}\n"
    "        {{- message.content }}\n"
    "        {{- '\\n</tool_response>' }}\n"
    "        {%- if loop.last or (messages[loop.index0 + 1].role != \"tool\") %}\n"
    "            {{- '<|im_end|>\\n' }}\n"
    "        {%- endif %}\n"
    "    {%- endif %}\n"
    "{%- endfor %}\n"
    "{%- if add_generation_prompt %}\n"
    "    {{- '<|im_start|>assistant\\n' }}\n"
    "{%- endif %}\n";

/* A token's bytes spelled with GPT-2's byte-to-unicode table, as tokenizer.json holds them. */
static void spell(const uint32_t b2cp[256], const char *s, size_t n, struct dp_sbuf *out)
{
    dp_sbuf_reset(out);
    for (size_t i = 0; i < n; i++) {
        char u[4];
        dp_sbuf_put(out, u, dp_utf8_encode(b2cp[(unsigned char)s[i]], u));
    }
}

static void byte_level(struct dp_jw *w)
{
    dp_jw_obj_begin(w);
    dp_jw_key(w, "type");
    dp_jw_str(w, "ByteLevel");
    dp_jw_key(w, "add_prefix_space");
    dp_jw_bool(w, false);
    dp_jw_key(w, "trim_offsets");
    dp_jw_bool(w, false);
    dp_jw_key(w, "use_regex");
    dp_jw_bool(w, false);
    dp_jw_obj_end(w);
}

static void added_token_fields(struct dp_jw *w, const char *content)
{
    dp_jw_key(w, "content");
    dp_jw_str(w, content);
    static const char *const flags[] = {"single_word", "lstrip", "rstrip", "normalized"};
    for (int k = 0; k < 4; k++) {
        dp_jw_key(w, flags[k]);
        dp_jw_bool(w, false);
    }
    dp_jw_key(w, "special");
    dp_jw_bool(w, true);
}

static void pre_tokenizer(struct dp_jw *w)
{
    dp_jw_obj_begin(w);
    dp_jw_key(w, "type");
    dp_jw_str(w, "Sequence");
    dp_jw_key(w, "pretokenizers");
    dp_jw_arr_begin(w);
    dp_jw_obj_begin(w);
    dp_jw_key(w, "type");
    dp_jw_str(w, "Split");
    dp_jw_key(w, "pattern");
    dp_jw_obj_begin(w);
    dp_jw_key(w, "Regex");
    dp_jw_str(w, dp_tok_qwen2_pattern);
    dp_jw_obj_end(w);
    dp_jw_key(w, "behavior");
    dp_jw_str(w, "Isolated");
    dp_jw_key(w, "invert");
    dp_jw_bool(w, false);
    dp_jw_obj_end(w);
    byte_level(w);
    dp_jw_arr_end(w);
    dp_jw_obj_end(w);
}

static void model(const struct dp_tok_trainer *tr, struct dp_jw *w)
{
    uint32_t b2cp[256];
    int16_t cp2b[TOK_CP_LIMIT];
    tok_byte_tables(b2cp, cp2b);
    struct dp_sbuf s = {0};
    dp_jw_obj_begin(w);
    static const char *const head[][2] = {{"type", "BPE"}, {"dropout", NULL}, {"unk_token", NULL},
        {"continuing_subword_prefix", ""}, {"end_of_word_suffix", ""}};
    for (int k = 0; k < 5; k++) {
        dp_jw_key(w, head[k][0]);
        if (head[k][1]) dp_jw_str(w, head[k][1]);
        else dp_jw_null(w);
    }
    static const char *const off[] = {"fuse_unk", "byte_fallback", "ignore_merges"};
    for (int k = 0; k < 3; k++) {
        dp_jw_key(w, off[k]);
        dp_jw_bool(w, false);
    }
    dp_jw_key(w, "vocab");
    dp_jw_obj_begin(w);
    for (size_t i = 0; i < tr->ntoks; i++) {
        spell(b2cp, tr->toks[i].bytes, tr->toks[i].len, &s);
        dp_jw_keyn(w, s.p, s.n);
        dp_jw_int(w, (int64_t)i);
    }
    dp_jw_obj_end(w);
    dp_jw_key(w, "merges");
    dp_jw_arr_begin(w);
    for (size_t i = 0; i < tr->nmerges; i++) {
        const struct train_merge *m = &tr->merges[i];
        dp_jw_arr_begin(w);
        spell(b2cp, tr->toks[m->a].bytes, tr->toks[m->a].len, &s);
        dp_jw_strn(w, s.p, s.n);
        spell(b2cp, tr->toks[m->b].bytes, tr->toks[m->b].len, &s);
        dp_jw_strn(w, s.p, s.n);
        dp_jw_arr_end(w);
    }
    dp_jw_arr_end(w);
    dp_jw_obj_end(w);
    dp_sbuf_free(&s);
}

void dp_tok_trainer_json(const struct dp_tok_trainer *tr, struct dp_sbuf *out)
{
    struct dp_jw w;
    dp_jw_init(&w, out, 2);
    w.ascii = false;
    dp_jw_obj_begin(&w);
    dp_jw_key(&w, "version");
    dp_jw_str(&w, "1.0");
    dp_jw_key(&w, "truncation");
    dp_jw_null(&w);
    dp_jw_key(&w, "padding");
    dp_jw_null(&w);
    dp_jw_key(&w, "added_tokens");
    dp_jw_arr_begin(&w);
    for (int i = 0; i < TRAIN_NSPECIAL; i++) {
        dp_jw_obj_begin(&w);
        dp_jw_key(&w, "id");
        dp_jw_int(&w, (int64_t)(tr->ntoks + (size_t)i));
        added_token_fields(&w, tok_train_specials[i]);
        dp_jw_obj_end(&w);
    }
    dp_jw_arr_end(&w);
    dp_jw_key(&w, "normalizer");
    dp_jw_obj_begin(&w);
    dp_jw_key(&w, "type");
    dp_jw_str(&w, "NFC");
    dp_jw_obj_end(&w);
    dp_jw_key(&w, "pre_tokenizer");
    pre_tokenizer(&w);
    dp_jw_key(&w, "post_processor");
    byte_level(&w);
    dp_jw_key(&w, "decoder");
    byte_level(&w);
    dp_jw_key(&w, "model");
    model(tr, &w);
    dp_jw_obj_end(&w);
    dp_sbuf_putc(out, '\n');
}

void dp_tok_trainer_config_json(const struct dp_tok_trainer *tr, struct dp_sbuf *out)
{
    struct dp_jw w;
    dp_jw_init(&w, out, 2);
    w.ascii = false;
    dp_jw_obj_begin(&w);
    dp_jw_key(&w, "add_bos_token");
    dp_jw_bool(&w, false);
    dp_jw_key(&w, "add_prefix_space");
    dp_jw_bool(&w, false);
    dp_jw_key(&w, "added_tokens_decoder");
    dp_jw_obj_begin(&w);
    for (int i = 0; i < TRAIN_NSPECIAL; i++) {
        char id[24];
        snprintf(id, sizeof id, "%zu", tr->ntoks + (size_t)i);
        dp_jw_key(&w, id);
        dp_jw_obj_begin(&w);
        added_token_fields(&w, tok_train_specials[i]);
        dp_jw_obj_end(&w);
    }
    dp_jw_obj_end(&w);
    dp_jw_key(&w, "additional_special_tokens");
    dp_jw_arr_begin(&w);
    dp_jw_str(&w, "<|im_start|>");
    dp_jw_str(&w, "<|im_end|>");
    dp_jw_arr_end(&w);
    dp_jw_key(&w, "bos_token");
    dp_jw_null(&w);
    dp_jw_key(&w, "chat_template");
    dp_jw_str(&w, qwen25_chat_template);
    dp_jw_key(&w, "clean_up_tokenization_spaces");
    dp_jw_bool(&w, false);
    dp_jw_key(&w, "eos_token");
    dp_jw_str(&w, "<|im_end|>");
    dp_jw_key(&w, "errors");
    dp_jw_str(&w, "replace");
    dp_jw_key(&w, "model_max_length");
    dp_jw_int(&w, 32768);
    dp_jw_key(&w, "pad_token");
    dp_jw_str(&w, "<|endoftext|>");
    dp_jw_key(&w, "split_special_tokens");
    dp_jw_bool(&w, false);
    dp_jw_key(&w, "tokenizer_class");
    dp_jw_str(&w, "Qwen2Tokenizer");
    dp_jw_key(&w, "unk_token");
    dp_jw_null(&w);
    dp_jw_obj_end(&w);
    dp_sbuf_putc(out, '\n');
}

int dp_tok_trainer_write(const struct dp_tok_trainer *tr, const char *dir, struct dp_error *e)
{
    if (!tr->trained) return dp_error_set(e, DP_EINVAL, dir, 0, 0, "nothing trained to write");
    int rc = dp_mkdirs(dir, e);
    struct dp_sbuf text = {0}, path = {0};
    if (!rc) {
        dp_tok_trainer_json(tr, &text);
        dp_sbuf_printf(&path, "%s/tokenizer.json", dir);
        rc = dp_file_write_atomic(path.p, text.p, text.n, e);
    }
    if (!rc) {
        dp_sbuf_reset(&text);
        dp_sbuf_reset(&path);
        dp_tok_trainer_config_json(tr, &text);
        dp_sbuf_printf(&path, "%s/tokenizer_config.json", dir);
        rc = dp_file_write_atomic(path.p, text.p, text.n, e);
    }
    dp_sbuf_free(&text);
    dp_sbuf_free(&path);
    return rc;
}
