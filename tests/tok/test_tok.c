/* Unit tests for src/tok on the small tokenizer in tests/tok/tiny (tools/ref/tok_tiny.py) and
 * on inline tokenizer.json texts: load errors, added-token flags as HF's added_vocabulary.rs
 * applies them (hand-derived), ignore_merges, decoding and the streaming decoder, the config
 * reader and the ChatML template against hand-checked strings. Id-level parity with the JS
 * reference is tests/tok/tok_parity.test.sh. */
#include "base/file.h"
#include "base/unicode.h"
#include "base/utf8.h"
#include "harness.h"
#include "tok/chat.h"
#include "tok/tok.h"
#include <stdlib.h>

#define TINY "tests/tok/tiny"

static struct dp_tok *tiny(void)
{
    struct dp_tok *t = NULL;
    struct dp_error e = {0};
    if (dp_tok_load(TINY, &t, &e)) fprintf(stderr, "load: %s: %s\n", e.path, e.msg);
    return t;
}

/* Token spellings of the encoding of s, joined by '|', into buf. */
static const char *spell(struct dp_tok *t, const char *s, bool special, char *buf, size_t cap)
{
    struct dp_tok_ids ids = {0};
    struct dp_error e;
    size_t k = 0;
    buf[0] = 0;
    if (dp_tok_encode(t, s, strlen(s), special, &ids, &e) == 0)
        for (size_t i = 0; i < ids.n; i++) {
            size_t n;
            const char *str = dp_tok_token_str(t, ids.v[i], &n);
            k += (size_t)snprintf(buf + k, cap - k, "%s%.*s", i ? "|" : "", (int)n, str);
            if (k >= cap) break;
        }
    dp_tok_ids_free(&ids);
    return buf;
}

static int count_id(struct dp_tok *t, const char *s, bool special, int32_t id)
{
    struct dp_tok_ids ids = {0};
    struct dp_error e;
    int c = 0;
    dp_tok_encode(t, s, strlen(s), special, &ids, &e);
    for (size_t i = 0; i < ids.n; i++) c += ids.v[i] == id;
    dp_tok_ids_free(&ids);
    return c;
}

/* ---------------------------------------------------------------- loading */

static void expect_load_error(const char *json, int code, const char *msg_part, int line)
{
    struct dp_tok *t = NULL;
    struct dp_error e = {0};
    int rc = dp_tok_load_json(json, strlen(json), "x/tokenizer.json", &t, &e);
    EXPECT_INT(rc, code);
    EXPECT(t == NULL);
    EXPECT_STR(e.path, "x/tokenizer.json");
    if (!strstr(e.msg, msg_part)) {
        fprintf(stderr, "  message \"%s\" lacks \"%s\"\n", e.msg, msg_part);
        EXPECT(0);
    }
    if (line) EXPECT_INT(e.line, line);
}

#define BL "{\"type\": \"ByteLevel\", \"add_prefix_space\": false, \"use_regex\": false}"

static void test_load_errors(void)
{
    struct dp_tok *t = NULL;
    struct dp_error e = {0};
    EXPECT_INT(dp_tok_load("tests/tok/no-such-dir", &t, &e), DP_EIO);
    EXPECT(strstr(e.path, "no-such-dir") != NULL);
    expect_load_error("{\"model\": {\"type\": \"BPE\",\n \"vocab\": {\"a\": 0,}}}", DP_EFORMAT, "", 2);
    expect_load_error("{\"model\":\n {\"type\": \"WordPiece\", \"vocab\": {}}}", DP_EFORMAT,
                      "unknown model type \"WordPiece\"", 2);
    expect_load_error("{\"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": 0, \"b\": 1},\n"
                      " \"merges\": [\"a b\"]}, \"pre_tokenizer\": " BL "}",
                      DP_EFORMAT, "merge token \"ab\" is not in the vocabulary", 2);
    expect_load_error("{\"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": -3}, \"merges\": []}}",
                      DP_EFORMAT, "token id", 1);
    expect_load_error("{\"model\": {\"type\": \"BPE\", \"vocab\": {}, \"merges\": [\"a\"]}}",
                      DP_EFORMAT, "two tokens", 1);
    expect_load_error("{\"model\": {\"type\": \"BPE\", \"vocab\": {}, \"merges\": []},\n"
                      "\"pre_tokenizer\": {\"type\": \"Split\", \"pattern\": {\"Regex\": \"(a\"},"
                      " \"behavior\": \"Isolated\"}}", DP_EFORMAT, "regex rejected", 2);
    expect_load_error("{\"model\": {\"type\": \"BPE\", \"vocab\": {}, \"merges\": []},\n"
                      "\"normalizer\": {\"type\": \"Lowercase\"}}", DP_EFORMAT,
                      "unsupported normalizer \"Lowercase\"", 2);
    expect_load_error("{\"model\": {\"type\": \"BPE\", \"vocab\": {}, \"merges\": []}}", DP_EFORMAT,
                      "no ByteLevel pre-tokenizer", 1);
    expect_load_error("[1, 2]", DP_EFORMAT, "expected an object", 1);
    expect_load_error("{\"model\": {\"type\": \"BPE\", \"vocab\": {}, \"merges\": []},"
                      " \"added_tokens\": [{\"id\": 1}], \"pre_tokenizer\": " BL "}",
                      DP_EFORMAT, "content", 1);
}

static void test_tiny_basics(void)
{
    struct dp_tok *t = tiny();
    EXPECT(t != NULL);
    if (!t) return;
    EXPECT_INT(dp_tok_vocab_size(t), 532);
    const struct dp_tok_special *sp = dp_tok_special_ids(t);
    EXPECT_INT(sp->endoftext, 523);
    EXPECT_INT(sp->im_start, 524);
    EXPECT_INT(sp->im_end, 525);
    EXPECT_INT(sp->eos, 525);   /* tokenizer_config.json: "<|im_end|>" */
    EXPECT_INT(sp->pad, 523);   /* {"__type": "AddedToken", "content": "<|endoftext|>"} */
    EXPECT_INT(sp->bos, -1);
    EXPECT_STR(dp_tok_config(t)->chat_template, "{{ messages }}");
    EXPECT(dp_tok_token_id(t, "Ġre", strlen("Ġre")) >= 256);
    size_t n;
    EXPECT_STR(dp_tok_token_str(t, 525, &n), "<|im_end|>");
    const char *b = dp_tok_token_bytes(t, dp_tok_token_id(t, "Ġre", strlen("Ġre")), &n);
    EXPECT(b && n == 3 && memcmp(b, " re", 3) == 0);
    EXPECT(dp_tok_token_str(t, 532, &n) == NULL);
    EXPECT(dp_tok_is_special(t, 524) && !dp_tok_is_special(t, 526));
    char buf[512];
    const char *sp_s = spell(t, "<|im_start|>user\nhi<|im_end|>", true, buf, sizeof buf);
    EXPECT(strncmp(sp_s, "<|im_start|>|", 13) == 0);
    EXPECT(strlen(sp_s) > 24 && strcmp(sp_s + strlen(sp_s) - 11, "|<|im_end|>") == 0);
    dp_tok_free(t);
}

/* ---------------------------------------------------------------- added-token flags */

static void test_added_flags(void)
{
    struct dp_tok *t = tiny();
    if (!t) { EXPECT(0); return; }
    char buf[512];
    /* lstrip eats the whitespace on its left, rstrip on its right */
    EXPECT_STR(spell(t, "x  [L]y", true, buf, sizeof buf), "x|[L]|y");
    EXPECT_STR(spell(t, "x [R]  y", true, buf, sizeof buf), "x|Ġ|[R]|y");
    EXPECT_STR(spell(t, "x\t\u3000[L]", true, buf, sizeof buf), "x|[L]");
    /* single_word: only between non-word characters */
    EXPECT_INT(count_id(t, "[W] a[W] [W]b [W]", true, 529), 2);
    EXPECT_INT(count_id(t, "_[W]", true, 529), 0);
    EXPECT_INT(count_id(t, "([W])", true, 529), 1);
    /* normalized: found in the NFC text, so the decomposed spelling matches too */
    EXPECT_INT(count_id(t, "\u00e9t\u00e9", true, 530), 1);
    EXPECT_INT(count_id(t, "e\u0301te\u0301!", true, 530), 1);
    /* special == false: specials become text, but their match still hides the non-special
     * "<|im" inside them (HF finds matches first, then drops the special ones) */
    EXPECT_INT(count_id(t, "<|im_end|>", true, 525), 1);
    EXPECT_INT(count_id(t, "<|im_end|>", false, 525), 0);
    EXPECT_INT(count_id(t, "<|im_end|>", false, 531), 0);
    EXPECT_INT(count_id(t, "<|im_sta <|im", false, 531), 2);
    EXPECT_INT(count_id(t, "<tool_call>", false, 526), 1);
    /* leftmost-longest */
    EXPECT_STR(spell(t, "<|im_start|>", true, buf, sizeof buf), "<|im_start|>");
    dp_tok_free(t);
}

static void test_ignore_merges(void)
{
    const char *fmt = "{\"model\": {\"type\": \"BPE\", \"ignore_merges\": %s,"
                      " \"vocab\": {\"a\": 0, \"b\": 1, \"c\": 2, \"ab\": 3, \"bc\": 4, \"abc\": 5},"
                      " \"merges\": [[\"a\", \"b\"], [\"b\", \"c\"]]}, \"pre_tokenizer\": " BL "}";
    char json[512];
    for (int ig = 0; ig < 2; ig++) {
        snprintf(json, sizeof json, fmt, ig ? "true" : "false");
        struct dp_tok *t = NULL;
        struct dp_error e = {0};
        EXPECT_INT(dp_tok_load_json(json, strlen(json), "inline", &t, &e), 0);
        if (!t) continue;
        char buf[128];
        EXPECT_STR(spell(t, "abc", true, buf, sizeof buf), ig ? "abc" : "ab|c");
        EXPECT_STR(spell(t, "bcab", true, buf, sizeof buf), "bc|ab");
        /* ' ' has no token: HF's word builder skips it, so a and b meet and merge */
        EXPECT_STR(spell(t, "a b", true, buf, sizeof buf), "ab");
        dp_tok_free(t);
    }
}

static void test_prefix_space_gpt2(void)
{
    const char *json =
        "{\"model\": {\"type\": \"BPE\", \"vocab\": {\"\xc4\xa0\": 0, \"h\": 1, \"i\": 2, \"!\": 3,"
        " \"\xc4\xa0h\": 4, \"\xc4\xa0hi\": 5}, \"merges\": [\"\xc4\xa0 h\", \"\xc4\xa0h i\"]},"
        " \"pre_tokenizer\": {\"type\": \"ByteLevel\"}}";   /* defaults: prefix space, GPT-2 regex */
    struct dp_tok *t = NULL;
    struct dp_error e = {0};
    EXPECT_INT(dp_tok_load_json(json, strlen(json), "inline", &t, &e), 0);
    if (!t) return;
    char buf[128];
    EXPECT_STR(spell(t, "hi hi!", true, buf, sizeof buf), "Ġhi|Ġhi|!");
    dp_tok_free(t);
}

/* ---------------------------------------------------------------- decoding */

static void test_roundtrip_torture(void)
{
    struct dp_tok *t = tiny();
    char *text;
    size_t n;
    struct dp_error e;
    if (!t || dp_file_read("tests/tok/torture.txt", &text, &n, &e)) { EXPECT(0); dp_tok_free(t); return; }
    struct dp_tok_ids ids = {0};
    struct dp_sbuf got = {0}, want = {0}, streamed = {0};
    EXPECT_INT(dp_tok_encode(t, text, n, true, &ids, &e), 0);
    EXPECT_INT(dp_tok_decode(t, ids.v, ids.n, false, &got, &e), 0);
    dp_unicode_nfc(&want, text, n);
    EXPECT(got.n == want.n && memcmp(got.p, want.p, got.n) == 0);
    /* streaming: every prefix handed out is valid UTF-8 and the whole is the same text */
    struct dp_tok_stream st = {0};
    bool valid = true;
    for (size_t i = 0; i < ids.n; i++) {
        EXPECT_INT(dp_tok_stream_push(t, &st, ids.v[i], false, &streamed, &e), 0);
        valid = valid && dp_utf8_valid((const unsigned char *)streamed.p, streamed.n, NULL);
    }
    dp_tok_stream_flush(&st, &streamed);
    EXPECT(valid);
    EXPECT(streamed.n == want.n && memcmp(streamed.p, want.p, want.n) == 0);
    dp_sbuf_free(&got);
    dp_sbuf_free(&want);
    dp_sbuf_free(&streamed);
    dp_tok_ids_free(&ids);
    free(text);
    dp_tok_free(t);
}

static void test_decode_edges(void)
{
    struct dp_tok *t = tiny();
    if (!t) { EXPECT(0); return; }
    struct dp_error e = {0};
    struct dp_sbuf out = {0};
    int32_t bad[] = {1, 532};
    EXPECT_INT(dp_tok_decode(t, bad, 2, false, &out, &e), DP_ERANGE);
    EXPECT_INT(e.col, 2);
    int32_t sp[] = {524, 525};
    dp_sbuf_reset(&out);
    EXPECT_INT(dp_tok_decode(t, sp, 2, true, &out, &e), 0);
    EXPECT_INT(out.n, 0);
    EXPECT_INT(dp_tok_decode(t, sp, 2, false, &out, &e), 0);
    EXPECT_STR(out.p, "<|im_start|><|im_end|>");
    /* added tokens decode to their content, not through the byte-level table (HF #1996) */
    int32_t ete = 530;
    dp_sbuf_reset(&out);
    EXPECT_INT(dp_tok_decode(t, &ete, 1, false, &out, &e), 0);
    EXPECT_STR(out.p, "\u00e9t\u00e9");
    /* invalid UTF-8 passes through the encoder as byte tokens and comes back unchanged */
    const char raw[] = "a\xff\xfe b\xe4\xb8 \xc3(";
    struct dp_tok_ids ids = {0};
    EXPECT_INT(dp_tok_encode(t, raw, sizeof raw - 1, true, &ids, &e), 0);
    dp_sbuf_reset(&out);
    dp_tok_decode(t, ids.v, ids.n, false, &out, &e);
    EXPECT(out.n == sizeof raw - 1 && memcmp(out.p, raw, out.n) == 0);
    /* the stream holds an incomplete sequence back, and emits an invalid one as it comes */
    struct dp_tok_stream st = {0};
    dp_sbuf_reset(&out);
    int32_t e4 = dp_tok_token_id(t, "\xc3\xa4", 2), b8 = dp_tok_token_id(t, "\xc2\xb8", 2);
    int32_t ad = dp_tok_token_id(t, "\xc5\x83", 2), x = dp_tok_token_id(t, "x", 1);
    dp_tok_stream_push(t, &st, e4, false, &out, &e);   /* 0xE4 */
    EXPECT_INT(out.n, 0);
    dp_tok_stream_push(t, &st, b8, false, &out, &e);   /* 0xB8 */
    EXPECT_INT(out.n, 0);
    dp_tok_stream_push(t, &st, ad, false, &out, &e);   /* 0xAD (spelled U+0143): 中 complete */
    EXPECT_STR(out.p, "\xe4\xb8\xad");
    dp_tok_stream_push(t, &st, e4, false, &out, &e);
    dp_tok_stream_push(t, &st, x, false, &out, &e);    /* not a continuation: both out */
    EXPECT_STR(out.p, "\xe4\xb8\xad\xe4x");
    dp_tok_stream_push(t, &st, e4, false, &out, &e);
    dp_tok_stream_flush(&st, &out);
    EXPECT_STR(out.p, "\xe4\xb8\xad\xe4x\xe4");
    dp_sbuf_free(&out);
    dp_tok_ids_free(&ids);
    dp_tok_free(t);
}

/* ---------------------------------------------------------------- config and chat */

static void test_config_errors(void)
{
    struct dp_tok_config c;
    struct dp_error e = {0};
    EXPECT_INT(dp_tok_config_load("tests/tok/no-such-dir", &c, &e), DP_EIO);
    EXPECT_INT(dp_tok_config_load(TINY, &c, &e), 0);
    EXPECT_STR(c.eos_token, "<|im_end|>");
    EXPECT_STR(c.pad_token, "<|endoftext|>");
    EXPECT(c.bos_token == NULL);
    EXPECT_STR(c.tokenizer_class, "Qwen2Tokenizer");
    dp_tok_config_free(&c);
}

#define SYS "<|im_start|>system\nYou are Qwen, created by Alibaba Cloud. " \
            "You are a helpful assistant.<|im_end|>\n"

static const char *render(const struct dp_chat_msg *m, size_t n, const char *sys, bool gen,
                          struct dp_sbuf *out)
{
    dp_sbuf_reset(out);
    dp_chat_render(out, m, n, sys, gen);
    return out->p ? out->p : "";
}

static void test_chat_template(void)
{
    struct dp_sbuf out = {0};
    struct dp_chat_msg one[] = {{"user", "Write a function that downloads a URL."}};
    EXPECT_STR(render(one, 1, DP_CHAT_QWEN_SYSTEM, true, &out),
               SYS "<|im_start|>user\nWrite a function that downloads a URL.<|im_end|>\n"
                   "<|im_start|>assistant\n");
    EXPECT_STR(render(one, 1, DP_CHAT_QWEN_SYSTEM, false, &out),
               SYS "<|im_start|>user\nWrite a function that downloads a URL.<|im_end|>\n");
    struct dp_chat_msg conv[] = {{"system", "Be terse."}, {"user", "hi"},
                                 {"assistant", "Hello.\n"}, {"user", "2+2?"},
                                 {"system", "late"}};
    EXPECT_STR(render(conv, 5, DP_CHAT_QWEN_SYSTEM, true, &out),
               "<|im_start|>system\nBe terse.<|im_end|>\n<|im_start|>user\nhi<|im_end|>\n"
               "<|im_start|>assistant\nHello.\n<|im_end|>\n<|im_start|>user\n2+2?<|im_end|>\n"
               "<|im_start|>system\nlate<|im_end|>\n<|im_start|>assistant\n");
    struct dp_chat_msg tools[] = {{"user", "weather?"}, {"assistant", "calling"},
                                  {"tool", "{\"t\": 20}"}, {"tool", "{\"t\": 21}"},
                                  {"narrator", "ignored"}, {"tool", "x"}};
    EXPECT_STR(render(tools, 6, DP_CHAT_QWEN_SYSTEM, false, &out),
               SYS "<|im_start|>user\nweather?<|im_end|>\n<|im_start|>assistant\ncalling<|im_end|>\n"
                   "<|im_start|>user\n<tool_response>\n{\"t\": 20}\n</tool_response>\n"
                   "<tool_response>\n{\"t\": 21}\n</tool_response><|im_end|>\n"
                   "<|im_start|>user\n<tool_response>\nx\n</tool_response><|im_end|>\n");
    EXPECT_STR(render(one, 0, NULL, true, &out), "<|im_start|>assistant\n");
    dp_sbuf_free(&out);
}

int main(void)
{
    RUN(test_load_errors);
    RUN(test_tiny_basics);
    RUN(test_added_flags);
    RUN(test_ignore_merges);
    RUN(test_prefix_space_gpt2);
    RUN(test_roundtrip_torture);
    RUN(test_decode_edges);
    RUN(test_config_errors);
    RUN(test_chat_template);
    TEST_END();
}
