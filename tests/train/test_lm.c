/* Next-token cross-entropy training (src/train/lm.h, lm_data.c; src/model/qwen_init.c), no
 * Python needed:
 *   - dp_sft_parse: the segments of {"messages"} (with and without a system message, default
 *     system or none, multi-turn, tool turns), {"prompt","completion"} as strings and as message
 *     lists, {"text"}; their concatenation is the ChatML rendering; only each assistant turn's
 *     content and its <|im_end|> carry the loss; errors name file:line:col.
 *   - dp_lm_sft_load with the tiny test tokenizer (tests/tok/tiny): the labeled tokens decode to
 *     exactly the assistant contents + <|im_end|>, all tokens to the rendered conversation;
 *     blank lines, source lines, --max-length truncation and dropped records, errors.
 *   - dp_lm_pretrain_load: blocks of N over the concatenated files, the leftover dropped,
 *     max_tokens, special tokens in the text, errors.
 * The model side (dp_lm_micro, dp_lm_eval, dp_qwen_init_random) is in test_lm_model.c. */
#include "harness.h"
#include "base/file.h"
#include "tok/chat.h"
#include "train/lm.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static struct dp_tok *tok;
static char tmpdir[] = "/tmp/dp_test_lm_XXXXXX";
static const int32_t IM_END = 525, ENDOFTEXT = 523;

#define tmp_path(name) t_path(tmpdir, name)

static const char *write_file(const char *name, const char *text)
{
    const char *p = tmp_path(name);
    struct dp_error e;
    dp_file_write_atomic(p, text, strlen(text), &e);
    return p;
}

/* ---------------------------------------------------------------- dp_sft_parse */

struct parsed {
    struct dp_arena a;
    struct dp_sft_seg *s;
    int n, rc;
    struct dp_error e;
};

static void parse(struct parsed *p, const char *line, int lineno, const char *system)
{
    struct dp_sft_opts o;
    dp_sft_opts_default(&o);
    o.system = system;
    memset(&p->e, 0, sizeof p->e);
    dp_arena_init(&p->a, 0);
    p->rc = dp_sft_parse(&p->a, line, strlen(line), "conv.jsonl", lineno, &o, &p->s, &p->n, &p->e);
}

/* Segments as "[loss]text|" (loss 1 or 0), for one comparison. */
static char *segs_str(const struct parsed *p)
{
    struct dp_sbuf b = {0};
    for (int i = 0; i < p->n; i++) dp_sbuf_printf(&b, "[%d]%s|", p->s[i].loss, p->s[i].text);
    dp_sbuf_putc(&b, 0);
    return dp_sbuf_take(&b);
}

static void expect_segs(const char *line, const char *system, const char *want)
{
    struct parsed p;
    parse(&p, line, 1, system);
    EXPECT_INT(p.rc, 0);
    char *got = segs_str(&p);
    EXPECT_STR(got, want);
    free(got);
    dp_arena_free(&p.a);
}

/* The segments concatenate to the template's rendering of msgs. */
static void expect_render(const char *line, const char *system, const struct dp_chat_msg *m, size_t n)
{
    struct parsed p;
    parse(&p, line, 1, system);
    EXPECT_INT(p.rc, 0);
    struct dp_sbuf cat = {0}, want = {0};
    for (int i = 0; i < p.n; i++) {
        dp_sbuf_puts(&cat, p.s[i].text);
        EXPECT(p.s[i].text[0] != 0);   /* no empty segments */
    }
    dp_chat_render(&want, m, n, system, false);
    EXPECT(cat.n == want.n && memcmp(cat.p, want.p, want.n) == 0);
    dp_sbuf_free(&cat), dp_sbuf_free(&want);
    dp_arena_free(&p.a);
}

#define SYSQ "<|im_start|>system\n" DP_CHAT_QWEN_SYSTEM "<|im_end|>\n"

static void test_sft_messages(void)
{
    const char *one = "{\"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}, "
                      "{\"role\": \"assistant\", \"content\": \"Hello there\"}]}";
    /* no system message: the default one */
    expect_segs(one, DP_CHAT_QWEN_SYSTEM,
                "[0]" SYSQ "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n|[1]Hello there<|im_end|>|[0]\n|");
    /* no default either: no system block */
    expect_segs(one, NULL, "[0]<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n|[1]Hello there<|im_end|>|[0]\n|");
    /* the record's own system message replaces the default */
    expect_segs("{\"messages\": [{\"role\": \"system\", \"content\": \"Be terse.\"}, {\"role\": \"user\", \"content\": "
                "\"Hi\"}, {\"role\": \"assistant\", \"content\": \"Yo\"}]}",
                DP_CHAT_QWEN_SYSTEM,
                "[0]<|im_start|>system\nBe terse.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n|"
                "[1]Yo<|im_end|>|[0]\n|");
    struct dp_chat_msg m[] = {{"user", "Hi"}, {"assistant", "Hello there"}};
    expect_render(one, DP_CHAT_QWEN_SYSTEM, m, 2);
    expect_render(one, NULL, m, 2);
}

static void test_sft_multiturn(void)
{
    const char *line = "{\"messages\": [{\"role\": \"user\", \"content\": \"U1\"}, {\"role\": \"assistant\", \"content\": "
                       "\"A1\"}, {\"role\": \"user\", \"content\": \"U2\"}, {\"role\": \"assistant\", \"content\": "
                       "\"A2\\nline two\"}]}";
    /* every assistant turn with its <|im_end|> labeled; user turns, headers, newlines not */
    expect_segs(line, NULL,
                "[0]<|im_start|>user\nU1<|im_end|>\n<|im_start|>assistant\n|[1]A1<|im_end|>|"
                "[0]\n<|im_start|>user\nU2<|im_end|>\n<|im_start|>assistant\n|[1]A2\nline two<|im_end|>|[0]\n|");
    struct dp_chat_msg m[] = {{"user", "U1"}, {"assistant", "A1"}, {"user", "U2"}, {"assistant", "A2\nline two"}};
    expect_render(line, DP_CHAT_QWEN_SYSTEM, m, 4);
    /* a tool turn between assistant turns; a conversation ending with a user turn */
    const char *tool = "{\"messages\": [{\"role\": \"user\", \"content\": \"x\"}, {\"role\": \"assistant\", \"content\": "
                       "\"y\"}, {\"role\": \"tool\", \"content\": \"t\"}, {\"role\": \"assistant\", \"content\": \"z\"}, "
                       "{\"role\": \"user\", \"content\": \"thanks\"}]}";
    expect_segs(tool, NULL,
                "[0]<|im_start|>user\nx<|im_end|>\n<|im_start|>assistant\n|[1]y<|im_end|>|"
                "[0]\n<|im_start|>user\n<tool_response>\nt\n</tool_response><|im_end|>\n<|im_start|>assistant\n|"
                "[1]z<|im_end|>|[0]\n<|im_start|>user\nthanks<|im_end|>\n|");
    /* content as a list of text parts, null content */
    expect_segs("{\"messages\": [{\"role\": \"user\", \"content\": [{\"type\": \"text\", \"text\": \"a\"}, {\"type\": "
                "\"text\", \"text\": \"b\"}]}, {\"role\": \"assistant\", \"content\": null}]}",
                NULL, "[0]<|im_start|>user\nab<|im_end|>\n<|im_start|>assistant\n|[1]<|im_end|>|[0]\n|");
}

static void test_sft_prompt_completion(void)
{
    /* strings: the prompt as one user turn, the completion as the assistant turn */
    const char *s = "{\"prompt\": \"Fetch a URL.\", \"completion\": \"get(u)\"}";
    expect_segs(s, DP_CHAT_QWEN_SYSTEM,
                "[0]" SYSQ "<|im_start|>user\nFetch a URL.<|im_end|>\n<|im_start|>assistant\n|[1]get(u)<|im_end|>|[0]\n|");
    /* the same as the equivalent messages record */
    struct parsed a, b;
    parse(&a, s, 1, DP_CHAT_QWEN_SYSTEM);
    parse(&b, "{\"messages\": [{\"role\": \"user\", \"content\": \"Fetch a URL.\"}, {\"role\": \"assistant\", "
              "\"content\": \"get(u)\"}]}", 1, DP_CHAT_QWEN_SYSTEM);
    char *sa = segs_str(&a), *sb = segs_str(&b);
    EXPECT_STR(sa, sb);
    free(sa), free(sb);
    dp_arena_free(&a.a), dp_arena_free(&b.a);
    /* message lists: system + user prompt, a two-turn completion */
    expect_segs("{\"prompt\": [{\"role\": \"system\", \"content\": \"S\"}, {\"role\": \"user\", \"content\": \"Q\"}], "
                "\"completion\": [{\"role\": \"assistant\", \"content\": \"R1\"}, {\"role\": \"user\", \"content\": "
                "\"more\"}, {\"role\": \"assistant\", \"content\": \"R2\"}]}",
                DP_CHAT_QWEN_SYSTEM,
                "[0]<|im_start|>system\nS<|im_end|>\n<|im_start|>user\nQ<|im_end|>\n<|im_start|>assistant\n|"
                "[1]R1<|im_end|>|[0]\n<|im_start|>user\nmore<|im_end|>\n<|im_start|>assistant\n|[1]R2<|im_end|>|[0]\n|");
    /* text: all of it, no template */
    expect_segs("{\"text\": \"def f():\\n    return 1\\n\"}", DP_CHAT_QWEN_SYSTEM, "[1]def f():\n    return 1\n|");
    /* "messages" wins over the other keys */
    expect_segs("{\"text\": \"no\", \"messages\": [{\"role\": \"user\", \"content\": \"q\"}, {\"role\": \"assistant\", "
                "\"content\": \"a\"}]}",
                NULL, "[0]<|im_start|>user\nq<|im_end|>\n<|im_start|>assistant\n|[1]a<|im_end|>|[0]\n|");
}

/* The error of line (given as line lineno of conv.jsonl): code, line, column (0: any >= 1), a
 * piece of the message. */
static void expect_error(const char *line, int lineno, int col, const char *msg)
{
    struct parsed p;
    parse(&p, line, lineno, DP_CHAT_QWEN_SYSTEM);
    EXPECT_INT(p.rc, DP_EFORMAT);
    EXPECT_STR(p.e.path, "conv.jsonl");
    EXPECT_INT(p.e.line, lineno);
    if (col) EXPECT_INT(p.e.col, col);
    else EXPECT(p.e.col >= 1);
    if (!strstr(p.e.msg, msg)) {
        fprintf(stderr, "  message \"%s\" lacks \"%s\" (record %s)\n", p.e.msg, msg, line);
        EXPECT(0);
    }
    char b[1200], want[64];
    dp_error_format(&p.e, b, sizeof b);
    snprintf(want, sizeof want, "conv.jsonl:%d:", lineno);
    EXPECT(strncmp(b, want, strlen(want)) == 0);
    dp_arena_free(&p.a);
}

static void test_sft_errors(void)
{
    /* malformed JSON: the column of the offending character, the file's line */
    expect_error("{\"messages\": [}", 7, 15, "expected");
    expect_error("{\"prompt\": \"a\", \"completion\": \"b\"", 3, 0, "");
    expect_error("", 2, 0, "");
    /* wrong types */
    expect_error("[1, 2]", 4, 1, "JSON object");
    expect_error("\"text\"", 4, 1, "JSON object");
    expect_error("{\"messages\": \"hi\"}", 5, 0, "\"messages\"");
    expect_error("{\"text\": 5}", 5, 0, "\"text\"");
    expect_error("{\"prompt\": \"a\"}", 5, 0, "\"completion\"");
    expect_error("{\"prompt\": \"a\", \"completion\": [{\"role\": \"assistant\", \"content\": \"b\"}]}", 6, 0,
                 "both strings or both lists");
    expect_error("{\"messages\": [{\"role\": 1, \"content\": \"x\"}]}", 8, 15, "message 0");
    expect_error("{\"messages\": [{\"role\": \"user\", \"content\": \"x\"}, {\"role\": \"assistant\", \"content\": 3}]}", 8,
                 49, "message 1");
    expect_error("{\"messages\": [{\"role\": \"user\", \"content\": \"x\"}, 7]}", 9, 0, "message 1");
    expect_error("{\"prompt\": [{\"content\": \"x\"}], \"completion\": []}", 9, 0, "\"prompt\"");
    /* conversations that cannot be learned from */
    expect_error("{\"messages\": [{\"role\": \"assistant\", \"content\": \"x\"}, {\"role\": \"user\", \"content\": \"y\"}]}",
                 10, 0, "starts with an assistant turn");
    expect_error("{\"prompt\": [], \"completion\": [{\"role\": \"assistant\", \"content\": \"x\"}]}", 10, 0,
                 "starts with an assistant turn");
    expect_error("{\"messages\": [{\"role\": \"user\", \"content\": \"x\"}]}", 11, 0, "no assistant turn");
    expect_error("{\"messages\": []}", 11, 0, "no assistant turn");
    expect_error("{\"prompt\": [{\"role\": \"user\", \"content\": \"x\"}], \"completion\": [{\"role\": \"user\", "
                 "\"content\": \"y\"}]}", 12, 0, "no assistant turn");
    /* a JSON error on a later line of a multi-line text keeps the line within the text */
    struct parsed p;
    parse(&p, "{\"text\":\n \"a\",\n x}", 20, NULL);
    EXPECT_INT(p.rc, DP_EFORMAT);
    EXPECT_INT(p.e.line, 22);
    dp_arena_free(&p.a);
    /* no error struct: still a clean failure */
    struct dp_sft_opts o;
    dp_sft_opts_default(&o);
    struct dp_arena a;
    dp_arena_init(&a, 0);
    struct dp_sft_seg *sg;
    int ns;
    EXPECT(dp_sft_parse(&a, "[", 1, "x", 1, &o, &sg, &ns, NULL) == DP_EFORMAT);
    dp_arena_free(&a);
}

/* ---------------------------------------------------------------- dp_lm_sft_load */

static char *decode(const int32_t *ids, size_t n)
{
    struct dp_sbuf b = {0};
    struct dp_error e;
    EXPECT(dp_tok_decode(tok, ids, n, false, &b, &e) == 0);
    dp_sbuf_putc(&b, 0);
    return dp_sbuf_take(&b);
}

/* The tokens of s with a loss (positions t >= 1 with mask[t]), decoded. */
static char *labeled(const struct dp_lm_seq *s, long *count)
{
    int32_t *v = dp_xmalloc(sizeof *v * (size_t)s->len);
    int n = 0;
    for (int t = s->plen > 1 ? s->plen : 1; t < s->len; t++)
        if (!s->mask || s->mask[t]) v[n++] = s->ids[t];
    char *r = decode(v, (size_t)n);
    free(v);
    if (count) *count = n;
    return r;
}

static char *render(const struct dp_chat_msg *m, size_t n, const char *system)
{
    struct dp_sbuf b = {0};
    dp_chat_render(&b, m, n, system, false);
    dp_sbuf_putc(&b, 0);
    return dp_sbuf_take(&b);
}

static bool same_ids(const int32_t *v, int n, const char *text)
{
    struct dp_tok_ids w = {0};
    struct dp_error e;
    dp_tok_encode(tok, text, strlen(text), true, &w, &e);
    bool r = (size_t)n == w.n && memcmp(v, w.v, sizeof *v * w.n) == 0;
    dp_tok_ids_free(&w);
    return r;
}

static const char *sft_file =
    "{\"messages\": [{\"role\": \"user\", \"content\": \"Fetch the page\"}, {\"role\": \"assistant\", \"content\": "
    "\"r = get(url)\"}, {\"role\": \"user\", \"content\": \"With a timeout?\"}, {\"role\": \"assistant\", \"content\": "
    "\"r = get(url, timeout=5)\"}]}\n"
    "\n"
    "   \t\r\n"
    "{\"prompt\": \"Say hi\", \"completion\": \"hi there\"}\r\n"
    "{\"text\": \"import os\\nprint(os.getcwd())\\n\"}\n"
    "{\"prompt\": [{\"role\": \"system\", \"content\": \"You write Python.\"}, {\"role\": \"user\", \"content\": "
    "\"sum a list\"}], \"completion\": [{\"role\": \"assistant\", \"content\": \"sum(xs)\"}]}";   /* no final newline */

static void test_sft_load(void)
{
    struct dp_sft_opts o;
    dp_sft_opts_default(&o);
    struct dp_lm_data d;
    struct dp_error e = {0};
    int rc = dp_lm_sft_load(write_file("sft.jsonl", sft_file), tok, &o, &d, &e);
    EXPECT_INT(rc, 0);
    if (rc) {
        fprintf(stderr, "  %s\n", e.msg);
        return;
    }
    EXPECT_INT(d.n, 4);
    EXPECT_INT(d.truncated, 0);
    EXPECT_INT(d.dropped, 0);
    int lines[] = {1, 4, 5, 6};
    struct dp_chat_msg c0[] = {{"user", "Fetch the page"}, {"assistant", "r = get(url)"}, {"user", "With a timeout?"},
                               {"assistant", "r = get(url, timeout=5)"}};
    struct dp_chat_msg c1[] = {{"user", "Say hi"}, {"assistant", "hi there"}};
    struct dp_chat_msg c3[] = {{"system", "You write Python."}, {"user", "sum a list"}, {"assistant", "sum(xs)"}};
    char *full[4] = {render(c0, 4, DP_CHAT_QWEN_SYSTEM), render(c1, 2, DP_CHAT_QWEN_SYSTEM),
                     dp_xstrdup("import os\nprint(os.getcwd())\n"), render(c3, 3, DP_CHAT_QWEN_SYSTEM)};
    const char *want[4] = {"r = get(url)<|im_end|>r = get(url, timeout=5)<|im_end|>", "hi there<|im_end|>",
                           NULL, "sum(xs)<|im_end|>"};
    long tokens = 0, labels = 0;
    for (int i = 0; i < 4 && i < d.n; i++) {
        const struct dp_lm_seq *s = &d.v[i];
        EXPECT_INT(s->line, lines[i]);
        EXPECT_INT(s->plen, 0);
        EXPECT(s->mask != NULL);
        EXPECT(s->ids == d.ids + tokens && s->mask == d.mask + tokens);   /* one buffer, in order */
        /* all tokens: the rendered conversation; here also the tokenization of the whole text */
        char *all = decode(s->ids, (size_t)s->len);
        EXPECT_STR(all, full[i]);
        EXPECT(same_ids(s->ids, s->len, full[i]));
        free(all);
        long nl;
        char *lab = labeled(s, &nl);
        if (want[i]) {
            EXPECT_STR(lab, want[i]);
            /* every label run ends with <|im_end|>, and the token after it has no loss */
            for (int t = 1; t < s->len; t++)
                if (s->mask[t] && (t + 1 == s->len || !s->mask[t + 1])) EXPECT_INT(s->ids[t], IM_END);
            EXPECT(s->ids[s->len - 1] != IM_END && !s->mask[s->len - 1]);   /* the final "\n" */
        } else {   /* text: every token (but the first, which nothing predicts) */
            EXPECT_INT(nl, s->len - 1);
            for (int t = 0; t < s->len; t++) EXPECT(s->mask[t] != 0);
            char *rest = decode(s->ids + 1, (size_t)s->len - 1), *first = decode(s->ids, 1);
            struct dp_sbuf b = {0};
            dp_sbuf_printf(&b, "%s%s", first, rest);
            dp_sbuf_putc(&b, 0);
            EXPECT_STR(b.p, full[i]);
            free(rest), free(first), dp_sbuf_free(&b);
        }
        free(lab);
        tokens += s->len, labels += nl;
    }
    EXPECT_INT(d.tokens, tokens);
    EXPECT_INT(d.labels, labels);
    /* the fingerprint: the same for the same data, another for another mask or order */
    uint64_t h = dp_lm_data_fingerprint(&d, 1);
    struct dp_lm_data d2;
    EXPECT(dp_lm_sft_load(tmp_path("sft.jsonl"), tok, &o, &d2, &e) == 0);
    EXPECT(dp_lm_data_fingerprint(&d2, 1) == h);
    d2.mask[d2.v[1].len / 2] ^= 1;
    EXPECT(dp_lm_data_fingerprint(&d2, 1) != h);
    d2.mask[d2.v[1].len / 2] ^= 1;
    struct dp_lm_seq t = d2.v[0];
    d2.v[0] = d2.v[1], d2.v[1] = t;
    EXPECT(dp_lm_data_fingerprint(&d2, 1) != h);
    dp_lm_data_free(&d2);
    /* no default system prompt */
    o.system = NULL;
    EXPECT(dp_lm_sft_load(tmp_path("sft.jsonl"), tok, &o, &d2, &e) == 0);
    char *all = decode(d2.v[1].ids, (size_t)d2.v[1].len), *r1 = render(c1, 2, NULL);
    EXPECT_STR(all, r1);
    EXPECT(d2.v[1].len < d.v[1].len);
    free(all), free(r1);
    dp_lm_data_free(&d2);
    for (int i = 0; i < 4; i++) free(full[i]);
    dp_lm_data_free(&d);
    EXPECT(d.v == NULL && d.ids == NULL && d.mask == NULL && d.n == 0);
}

static void test_sft_truncation(void)
{
    struct dp_sft_opts o;
    dp_sft_opts_default(&o);
    o.max_length = 0;   /* no limit */
    struct dp_lm_data d;
    struct dp_error e = {0};
    const char *path = write_file("trunc.jsonl",
                                  "{\"messages\": [{\"role\": \"user\", \"content\": \"Write a function that adds two "
                                  "numbers\"}, {\"role\": \"assistant\", \"content\": \"def add(a, b):\\n    return a + "
                                  "b\"}]}\n{\"text\": \"x = 1\\ny = 2\\n\"}\n");
    EXPECT(dp_lm_sft_load(path, tok, &o, &d, &e) == 0);
    EXPECT_INT(d.n, 2);
    if (d.n != 2) return;
    int first = 0;   /* the first labeled position of the conversation */
    while (first < d.v[0].len && !d.v[0].mask[first]) first++;
    EXPECT(first > 10 && first < d.v[0].len - 5);
    int len0 = d.v[0].len, len1 = d.v[1].len;
    int32_t *ids0 = dp_xmalloc(sizeof *ids0 * (size_t)len0);
    memcpy(ids0, d.v[0].ids, sizeof *ids0 * (size_t)len0);
    dp_lm_data_free(&d);
    /* cut 3 tokens into the answer: 3 labels left */
    o.max_length = first + 3;
    EXPECT(dp_lm_sft_load(path, tok, &o, &d, &e) == 0);
    EXPECT_INT(d.n, 2);
    EXPECT_INT(d.truncated, len1 > first + 3 ? 2 : 1);
    EXPECT_INT(d.dropped, 0);
    EXPECT_INT(d.v[0].len, first + 3);
    EXPECT(memcmp(d.v[0].ids, ids0, sizeof *ids0 * (size_t)(first + 3)) == 0);
    long nl;
    free(labeled(&d.v[0], &nl));
    EXPECT_INT(nl, 3);
    EXPECT_INT(d.tokens, d.v[0].len + d.v[1].len);
    dp_lm_data_free(&d);
    /* cut before the answer: the conversation is dropped (no label left); the text stays */
    o.max_length = first;
    EXPECT(dp_lm_sft_load(path, tok, &o, &d, &e) == 0);
    EXPECT_INT(d.n, 1);
    EXPECT_INT(d.dropped, 1);
    EXPECT_INT(d.v[0].line, 2);
    dp_lm_data_free(&d);
    /* the last token of the limit is the first label: it still counts */
    o.max_length = first + 1;
    EXPECT(dp_lm_sft_load(path, tok, &o, &d, &e) == 0);
    EXPECT_INT(d.n, 2);
    EXPECT_INT(d.dropped, 0);
    dp_lm_data_free(&d);
    /* nothing left at all: an error saying why */
    o.max_length = 1;
    EXPECT(dp_lm_sft_load(path, tok, &o, &d, &e) == DP_EFORMAT);
    EXPECT(strstr(e.msg, "no usable") != NULL && strstr(e.msg, "2 without") != NULL);
    EXPECT(strstr(e.path, "trunc.jsonl") != NULL);
    EXPECT(d.v == NULL && d.ids == NULL && d.mask == NULL);
    /* an empty text record: dropped, not an error when others remain */
    o.max_length = 0;
    EXPECT(dp_lm_sft_load(write_file("empty_text.jsonl", "{\"text\": \"\"}\n{\"text\": \"ab cd\"}\n"), tok, &o, &d,
                          &e) == 0);
    EXPECT_INT(d.n, 1);
    EXPECT_INT(d.dropped, 1);
    dp_lm_data_free(&d);
    free(ids0);
}

static void test_sft_load_errors(void)
{
    struct dp_sft_opts o;
    dp_sft_opts_default(&o);
    struct dp_lm_data d;
    struct dp_error e = {0};
    const char *good = "{\"prompt\": \"a\", \"completion\": \"b\"}\n";
    char text[1024];
    snprintf(text, sizeof text, "%s\n%s{\"prompt\": \"a\" \"completion\": \"b\"}\n%s", good, good, good);
    EXPECT(dp_lm_sft_load(write_file("bad.jsonl", text), tok, &o, &d, &e) == DP_EFORMAT);
    EXPECT_INT(e.line, 4);
    EXPECT_INT(e.col, 16);
    EXPECT(strstr(e.path, "bad.jsonl") != NULL);
    EXPECT(d.v == NULL && d.ids == NULL && d.mask == NULL && d.n == 0);
    snprintf(text, sizeof text, "%s%s{\"messages\": [{\"role\": \"assistant\", \"content\": \"b\"}]}\n", good, good);
    EXPECT(dp_lm_sft_load(write_file("bad.jsonl", text), tok, &o, &d, &e) == DP_EFORMAT);
    EXPECT_INT(e.line, 3);
    EXPECT(strstr(e.msg, "assistant turn") != NULL);
    EXPECT(dp_lm_sft_load(write_file("bad.jsonl", "\n\n  \n"), tok, &o, &d, &e) == DP_EFORMAT);
    EXPECT(strstr(e.msg, "no usable") != NULL);
    EXPECT(dp_lm_sft_load(write_file("bad.jsonl", ""), tok, &o, &d, &e) == DP_EFORMAT);
    EXPECT(dp_lm_sft_load("/nonexistent/dir/sft.jsonl", tok, &o, &d, &e) == DP_EIO);
    EXPECT(strstr(e.path, "/nonexistent/dir/sft.jsonl") != NULL);
}

/* ---------------------------------------------------------------- dp_lm_pretrain_load */

static struct dp_tok_ids enc(const char *s)
{
    struct dp_tok_ids v = {0};
    struct dp_error e;
    dp_tok_encode(tok, s, strlen(s), true, &v, &e);
    return v;
}

static void test_pretrain_load(void)
{
    const char *ta = "def add(a, b):\n    return a + b\n<|endoftext|>import os\nprint(os.listdir('.'))\n";
    const char *tb = "Hello world. The quick brown fox jumps over the lazy dog.\n";
    const char *paths[3] = {write_file("a.txt", ta), write_file("b.txt", tb), NULL};
    struct dp_tok_ids all = enc(ta), eb = enc(tb);
    size_t na = all.n;
    for (size_t i = 0; i < eb.n; i++) dp_tok_ids_push(&all, eb.v[i]);
    int eot = 0;
    for (size_t i = 0; i < na; i++) eot += all.v[i] == ENDOFTEXT;
    EXPECT_INT(eot, 1);   /* the special token in the text is its id */
    struct dp_lm_data d;
    struct dp_error e = {0};
    const int N = 7;
    EXPECT(dp_lm_pretrain_load(paths, 2, tok, N, 0, &d, &e) == 0);
    long nb = (long)all.n / N;
    EXPECT(nb >= 3);
    EXPECT_INT(d.n, nb);
    EXPECT_INT(d.tokens, nb * N);
    EXPECT_INT(d.labels, nb * (N - 1));
    EXPECT_INT(d.leftover, (long)all.n % N);
    EXPECT_INT(d.truncated, 0);
    EXPECT_INT(d.dropped, 0);
    for (int b = 0; b < d.n; b++) {
        const struct dp_lm_seq *s = &d.v[b];
        EXPECT(s->len == N && s->plen == 0 && s->mask == NULL && s->line == b + 1);
        EXPECT(memcmp(s->ids, all.v + (size_t)b * N, sizeof *s->ids * N) == 0);   /* blocks span the files */
    }
    /* every token of a block but the first has a loss */
    long nl;
    free(labeled(&d.v[0], &nl));
    EXPECT_INT(nl, N - 1);
    uint64_t h = dp_lm_data_fingerprint(&d, 7);
    dp_lm_data_free(&d);
    /* files in another order: another stream */
    const char *rev[2] = {paths[1], paths[0]};
    EXPECT(dp_lm_pretrain_load(rev, 2, tok, N, 0, &d, &e) == 0);
    EXPECT(dp_lm_data_fingerprint(&d, 7) != h);
    EXPECT(memcmp(d.v[0].ids, eb.v, sizeof *eb.v * N) == 0);
    dp_lm_data_free(&d);
    /* max_tokens: at most that many tokens read */
    EXPECT(dp_lm_pretrain_load(paths, 2, tok, N, 2 * N + 3, &d, &e) == 0);
    EXPECT_INT(d.n, 2);
    EXPECT_INT(d.leftover, 3);
    EXPECT(memcmp(d.v[1].ids, all.v + N, sizeof *all.v * N) == 0);
    dp_lm_data_free(&d);
    /* ... and files past it are not read (the missing second file is not opened) */
    const char *gone[2] = {paths[0], "/nonexistent/b.txt"};
    EXPECT(dp_lm_pretrain_load(gone, 2, tok, N, (long)na - 1, &d, &e) == 0);
    EXPECT_INT(d.n, ((long)na - 1) / N);
    dp_lm_data_free(&d);
    /* a block of exactly all tokens: one block, nothing left over */
    EXPECT(dp_lm_pretrain_load(paths, 2, tok, (int)all.n, 0, &d, &e) == 0);
    EXPECT_INT(d.n, 1);
    EXPECT_INT(d.leftover, 0);
    dp_lm_data_free(&d);
    /* not one block fits: an error naming the file and the counts */
    EXPECT(dp_lm_pretrain_load(paths, 2, tok, (int)all.n + 1, 0, &d, &e) == DP_EFORMAT);
    EXPECT(strstr(e.msg, "not one block") != NULL);
    EXPECT(strstr(e.path, "a.txt") != NULL);
    EXPECT(d.v == NULL && d.ids == NULL && d.n == 0);
    EXPECT(dp_lm_pretrain_load(paths, 2, tok, N, N - 1, &d, &e) == DP_EFORMAT);
    const char *empty[1] = {write_file("empty.txt", "")};
    EXPECT(dp_lm_pretrain_load(empty, 1, tok, 2, 0, &d, &e) == DP_EFORMAT);
    /* bad block size; no files; a missing file */
    EXPECT(dp_lm_pretrain_load(paths, 2, tok, 1, 0, &d, &e) == DP_EINVAL);
    EXPECT(dp_lm_pretrain_load(NULL, 0, tok, N, 0, &d, &e) == DP_EINVAL);   /* was a NULL dereference */
    EXPECT(dp_lm_pretrain_load(gone, 2, tok, N, 0, &d, &e) == DP_EIO);
    EXPECT(strstr(e.path, "/nonexistent/b.txt") != NULL);
    EXPECT(d.v == NULL && d.ids == NULL && d.n == 0);
    dp_tok_ids_free(&all), dp_tok_ids_free(&eb);
}

int main(void)
{
    struct dp_error e;
    if (!mkdtemp(tmpdir) || dp_tok_load("tests/tok/tiny", &tok, &e)) {
        printf("not ok - setup (run from the repository root)\n");
        return 1;
    }
    RUN(test_sft_messages);
    RUN(test_sft_multiturn);
    RUN(test_sft_prompt_completion);
    RUN(test_sft_errors);
    RUN(test_sft_load);
    RUN(test_sft_truncation);
    RUN(test_sft_load_errors);
    RUN(test_pretrain_load);
    dp_tok_free(tok);
    char cmd[700];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", tmpdir);
    TEST_END();
}
