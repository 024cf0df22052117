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
 *   - dp_lm_micro / dp_lm_eval on a random micro Qwen2 written by dp_qwen_init_random: the loss
 *     is -sum(logp)/count of dp_qt_forward, per position, masked positions neither count nor
 *     change anything, central differences of the masked loss, scale and accumulation, a few
 *     SGD and AdamW steps lower the loss.
 *   - dp_qwen_init_random: same bytes for a seed, norms 1, biases 0, std close to the one asked,
 *     BF16 = rounded F32, tied heads, loadable for training. */
#include "harness.h"
#include "base/file.h"
#include "base/rng.h"
#include "model/qwen_init.h"
#include "model/qwen_train.h"
#include "nn/dtype.h"
#include "nn/safetensors.h"
#include "tok/chat.h"
#include "train/dpo.h"
#include "train/lm.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static struct dp_tok *tok;
static char tmpdir[] = "/tmp/dp_test_lm_XXXXXX";
static const int32_t IM_END = 525, ENDOFTEXT = 523;

static const char *tmp_path(const char *name)
{
    static char path[4][600];
    static int k;
    k = (k + 1) % 4;
    snprintf(path[k], sizeof path[k], "%s/%s", tmpdir, name);
    return path[k];
}

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

/* ---------------------------------------------------------------- a random micro model */

/* Writes dir/config.json (float32) and, through dp_qwen_init_random, dir/model.safetensors. */
static int make_model(const char *dir, int V, int C, int L, int H, int Hkv, int F, bool tied, uint64_t seed,
                      float std, enum dp_dtype dt)
{
    char path[700], cfg[1024];
    struct dp_error e = {0};
    if (dp_mkdirs(dir, &e)) return -1;
    int n = snprintf(cfg, sizeof cfg,
                     "{\"architectures\": [\"Qwen2ForCausalLM\"], \"model_type\": \"qwen2\", \"hidden_act\": \"silu\","
                     " \"vocab_size\": %d, \"hidden_size\": %d, \"intermediate_size\": %d, \"num_hidden_layers\": %d,"
                     " \"num_attention_heads\": %d, \"num_key_value_heads\": %d, \"max_position_embeddings\": 128,"
                     " \"rms_norm_eps\": 1e-06, \"rope_theta\": 10000.0, \"tie_word_embeddings\": %s,"
                     " \"torch_dtype\": \"%s\", \"bos_token_id\": 1, \"eos_token_id\": 2}\n",
                     V, C, F, L, H, Hkv, tied ? "true" : "false", dt == DP_DTYPE_BF16 ? "bfloat16" : "float32");
    snprintf(path, sizeof path, "%s/config.json", dir);
    if (dp_file_write_atomic(path, cfg, (size_t)n, &e)) return -1;
    struct dp_qwen_config c;
    if (dp_qwen_config_load(&c, dir, &e)) return fprintf(stderr, "  %s\n", e.msg), -1;
    snprintf(path, sizeof path, "%s/model.safetensors", dir);
    int rc = dp_qwen_init_random(&c, path, seed, std, dt, &e);
    if (rc) fprintf(stderr, "  %s\n", e.msg);
    return rc;
}

enum { V = 61, NS = 3 };
static int32_t sq_ids[NS][16];
static uint8_t sq_mask[NS][16];
static const int sq_len[NS] = {11, 7, 14};

static void make_batch(struct dp_lm_seq *s, const struct dp_lm_seq **p)
{
    struct dp_rng r;
    dp_rng_seed(&r, 17);
    for (int i = 0; i < NS; i++) {
        for (int t = 0; t < sq_len[i]; t++) {
            sq_ids[i][t] = (int32_t)dp_rng_below(&r, V);
            sq_mask[i][t] = (uint8_t)(i == 1 ? 1 : (t * 7 + i) % 3 != 0);   /* SFT-like holes */
        }
        sq_mask[0][sq_len[0] - 1] = 0;   /* the last token of sequence 0: no loss */
        s[i] = (struct dp_lm_seq){sq_ids[i], i == 1 ? NULL : sq_mask[i], sq_len[i], 0, i + 1};
        p[i] = &s[i];
    }
}

static long mask_count(const struct dp_lm_seq *s, int k)
{
    long n = 0;
    for (int i = 0; i < k; i++)
        for (int t = 1; t < s[i].len; t++) n += !s[i].mask || s[i].mask[t];
    return n;
}

/* log p(ids[t] | ids[<t]) of sequence s at position t alone (a one-hot mask). */
static double logp_at(struct dp_qt *m, const struct dp_lm_seq *s, int t)
{
    uint8_t one[16] = {0};
    one[t] = 1;
    const int32_t *ids[1] = {s->ids};
    const uint8_t *mk[1] = {one};
    int len[1] = {s->len}, plen[1] = {0}, nt[1];
    double lp[1];
    struct dp_qt_batch b = {1, ids, len, plen, mk};
    struct dp_error e;
    if (dp_qt_forward(m, &b, false, lp, nt, &e) || nt[0] != 1) return NAN;
    return lp[0];
}

static double max_abs(const float *v, size_t n)
{
    double r = 0;
    for (size_t i = 0; i < n; i++) r = fmax(r, fabs(v[i]));
    return r;
}

static void test_lm_micro(void)
{
    const char *dir = tmp_path("micro");
    EXPECT(make_model(dir, V, 32, 2, 4, 2, 40, false, 5, 0.25f, DP_DTYPE_F32) == 0);
    struct dp_qt_opts qo = {.prec = DP_PREC_F32, .vchunk = 16};
    struct dp_qt m;
    struct dp_error e = {0};
    int rc = dp_qt_load(&m, dir, &qo, NULL, &e);
    EXPECT_INT(rc, 0);
    if (rc) return fprintf(stderr, "  %s\n", e.msg), (void)0;
    struct dp_lm_seq s[NS];
    const struct dp_lm_seq *p[NS];
    make_batch(s, p);
    long want = mask_count(s, NS);

    /* the loss is -sum(logp) / count of dp_qt_forward over the same batch */
    const int32_t *ids[NS];
    const uint8_t *mk[NS];
    int len[NS], plen[NS] = {0}, nt[NS];
    double lp[NS];
    for (int i = 0; i < NS; i++) ids[i] = s[i].ids, mk[i] = s[i].mask, len[i] = s[i].len;
    struct dp_qt_batch b = {NS, ids, len, plen, mk};
    EXPECT(dp_qt_forward(&m, &b, false, lp, nt, &e) == 0);
    EXPECT_INT(nt[0] + nt[1] + nt[2], want);
    EXPECT_INT(nt[1], s[1].len - 1);
    double ref = -(lp[0] + lp[1] + lp[2]) / (double)want, loss = 0;
    long labels = 0;
    dp_qt_zero_grad(&m);
    EXPECT(dp_lm_micro(&m, p, NS, 1.0, &loss, &labels, &e) == 0);
    EXPECT_INT(labels, want);
    printf("# micro: loss %.6f over %ld labels (log V = %.4f)\n", loss, labels, log((double)V));
    EXPECT(fabs(loss - ref) <= 1e-12 * fabs(ref));
    EXPECT(loss > 1 && loss < 3 * log((double)V));
    float *g1 = dp_xmalloc(m.nparams * 4);
    memcpy(g1, m.grads, m.nparams * 4);
    double gmax = max_abs(g1, m.nparams);
    EXPECT(gmax > 0 && isfinite(gmax));

    /* ... which is the mean of log p at each labeled position alone */
    double sum = 0;
    long cnt = 0;
    for (int i = 0; i < NS; i++)
        for (int t = 1; t < s[i].len; t++)
            if (!s[i].mask || s[i].mask[t]) sum += logp_at(&m, &s[i], t), cnt++;
    EXPECT_INT(cnt, want);
    EXPECT(fabs(-sum / (double)cnt - loss) <= 1e-6 * loss);

    /* a masked position changes nothing: another target id at the last (masked) token of
       sequence 0 gives the same loss and the same gradients */
    int32_t keep = sq_ids[0][s[0].len - 1];
    sq_ids[0][s[0].len - 1] = (keep + 13) % V;
    double loss2;
    dp_qt_zero_grad(&m);
    EXPECT(dp_lm_micro(&m, p, NS, 1.0, &loss2, NULL, &e) == 0);
    EXPECT(loss2 == loss);
    double dg = 0;
    for (size_t k = 0; k < m.nparams; k++) dg = fmax(dg, fabs(m.grads[k] - g1[k]));
    EXPECT(dg <= 1e-6 * gmax);
    sq_ids[0][s[0].len - 1] = keep;
    /* unmasking a position changes the loss by its own term */
    int t0 = 0;
    while (sq_mask[2][t0] || t0 == 0) t0++;
    double l_t0 = logp_at(&m, &s[2], t0);
    sq_mask[2][t0] = 1;
    EXPECT(dp_lm_micro(&m, p, NS, 0.0, &loss2, &labels, &e) == 0);
    EXPECT_INT(labels, want + 1);
    EXPECT(fabs(loss2 - (loss * (double)want - l_t0) / (double)(want + 1)) <= 1e-6 * loss);
    sq_mask[2][t0] = 0;

    /* scale: two half-weighted micro-batches accumulate to one full one */
    dp_qt_zero_grad(&m);
    EXPECT(dp_lm_micro(&m, p, NS, 0.5, NULL, NULL, &e) == 0);
    EXPECT(dp_lm_micro(&m, p, NS, 0.5, NULL, NULL, &e) == 0);
    dg = 0;
    for (size_t k = 0; k < m.nparams; k++) dg = fmax(dg, fabs(m.grads[k] - g1[k]));
    EXPECT(dg <= 1e-5 * gmax);

    /* a batch without labels: loss 0, no backward */
    uint8_t none[16] = {0};
    struct dp_lm_seq z = {sq_ids[2], none, s[2].len, 0, 9};
    const struct dp_lm_seq *pz[1] = {&z};
    dp_qt_zero_grad(&m);
    loss2 = -1, labels = -1;
    EXPECT(dp_lm_micro(&m, pz, 1, 1.0, &loss2, &labels, &e) == 0);
    EXPECT(loss2 == 0 && labels == 0 && m.fresh);
    /* plen: positions before it carry no loss even when the mask says so */
    struct dp_lm_seq q = s[1];
    q.plen = 4;
    const struct dp_lm_seq *pq[1] = {&q};
    EXPECT(dp_lm_micro(&m, pq, 1, 0.0, &loss2, &labels, &e) == 0);
    EXPECT_INT(labels, s[1].len - 4);

    /* an id outside the vocabulary: an error, not a crash */
    sq_ids[1][2] = V + 3;
    EXPECT(dp_lm_micro(&m, p, NS, 1.0, &loss2, NULL, &e) == DP_ERANGE);
    sq_ids[1][2] = 5;

    /* dp_lm_eval: the token-weighted mean over batches of any size */
    dp_qt_zero_grad(&m);
    EXPECT(dp_lm_micro(&m, p, NS, 0.0, &loss, NULL, &e) == 0);
    for (int B = 1; B <= 4; B++) {
        double ev = -1;
        EXPECT(dp_lm_eval(&m, s, NS, B, &ev, &e) == 0);
        EXPECT(fabs(ev - loss) <= 1e-9 * loss);
    }
    free(g1);
    dp_qt_free(&m);
}

/* Central differences of the masked mean loss on sampled elements of every tensor. */
static void test_lm_grad(void)
{
    const char *dir = tmp_path("micro");
    struct dp_qt_opts qo = {.prec = DP_PREC_F32, .vchunk = 16};
    struct dp_qt m;
    struct dp_error e = {0};
    EXPECT(dp_qt_load(&m, dir, &qo, NULL, &e) == 0);
    struct dp_lm_seq s[NS];
    const struct dp_lm_seq *p[NS];
    make_batch(s, p);
    double loss;
    dp_qt_zero_grad(&m);
    EXPECT(dp_lm_micro(&m, p, NS, 1.0, &loss, NULL, &e) == 0);
    float *g = dp_xmalloc(m.nparams * 4);
    memcpy(g, m.grads, m.nparams * 4);
    struct dp_rng r;
    dp_rng_seed(&r, 3);
    double worst = 0;
    const char *wname = "";
    for (int i = 0; i < m.ntab; i++) {
        const struct dp_qt_param *pp = &m.tab[i];
        double gm = max_abs(g + pp->off, pp->numel), tw = 0;
        for (int k = 0; k < 4; k++) {
            size_t j = pp->off + dp_rng_below(&r, (uint32_t)pp->numel);
            float v = m.params[j], h = 1e-2f;
            double lp, lm;
            m.params[j] = v + h, dp_qt_params_changed(&m);
            dp_lm_eval(&m, s, NS, NS, &lp, &e);
            m.params[j] = v - h, dp_qt_params_changed(&m);
            dp_lm_eval(&m, s, NS, NS, &lm, &e);
            m.params[j] = v, dp_qt_params_changed(&m);
            double num = (lp - lm) / (2.0 * h);
            tw = fmax(tw, fabs(num - g[j]) / fmax(fabs(g[j]), fmax(0.1 * gm, 1e-5)));
        }
        if (tw > worst) worst = tw, wname = pp->name;
    }
    printf("# masked cross-entropy vs central differences: max err %.2e (%s)\n", worst, wname);
    EXPECT(worst < 2e-2);
    free(g);
    dp_qt_free(&m);
}

/* A few optimizer steps on one batch lower its loss: plain SGD, then AdamW. */
static void test_lm_steps(void)
{
    const char *dir = tmp_path("micro");
    struct dp_qt_opts qo = {.prec = DP_PREC_F32, .vchunk = 16};
    struct dp_qt m;
    struct dp_error e = {0};
    EXPECT(dp_qt_load(&m, dir, &qo, NULL, &e) == 0);
    struct dp_lm_seq s[NS];
    const struct dp_lm_seq *p[NS];
    make_batch(s, p);
    double l0 = 0, l = 0, prev;
    dp_qt_zero_grad(&m);
    EXPECT(dp_lm_micro(&m, p, NS, 1.0, &l0, NULL, &e) == 0);
    prev = l0;
    int down = 0;
    for (int k = 0; k < 5; k++) {   /* the gradient of the loss just computed */
        for (size_t j = 0; j < m.nparams; j++) m.params[j] -= 0.5f * m.grads[j];
        dp_qt_params_changed(&m);
        dp_qt_zero_grad(&m);
        EXPECT(dp_lm_micro(&m, p, NS, 1.0, &l, NULL, &e) == 0);
        down += l < prev;
        prev = l;
    }
    printf("# SGD: loss %.4f -> %.4f\n", l0, l);
    EXPECT_INT(down, 5);
    EXPECT(l < l0 - 0.05);
    dp_qt_free(&m);

    EXPECT(dp_qt_load(&m, dir, &qo, NULL, &e) == 0);
    struct dp_optim opt = {.adam = {0.9, 0.999, 1e-8, 0.01}, .max_grad_norm = 1.0};
    EXPECT(dp_optim_init(&opt, &m, &e) == 0);
    double gn = 0;
    for (int k = 0; k < 8; k++) {
        dp_qt_zero_grad(&m);
        EXPECT(dp_lm_micro(&m, p, NS, 1.0, &l, NULL, &e) == 0);
        if (k == 0) EXPECT(l == l0);
        EXPECT(dp_optim_step(&opt, &m, 1e-2, &gn, &e) == 0);
    }
    EXPECT(dp_lm_eval(&m, s, NS, 2, &l, &e) == 0);
    printf("# AdamW: loss %.4f -> %.4f after 8 steps\n", l0, l);
    EXPECT(l < 0.7 * l0);
    dp_optim_free(&opt);
    dp_qt_free(&m);
}

/* ---------------------------------------------------------------- dp_qwen_init_random */

static bool same_file(const char *a, const char *b)
{
    char *x, *y;
    size_t nx, ny;
    struct dp_error e;
    if (dp_file_read(a, &x, &nx, &e)) return false;
    if (dp_file_read(b, &y, &ny, &e)) return free(x), false;
    bool r = nx == ny && memcmp(x, y, nx) == 0;
    free(x), free(y);
    return r;
}

static float f32_at(const struct dp_st_tensor *t, int64_t i)
{
    float f;
    uint16_t h;
    if (t->dtype == DP_DTYPE_F32) return memcpy(&f, (const char *)t->data + 4 * i, 4), f;
    memcpy(&h, (const char *)t->data + 2 * i, 2);
    return dp_bf16_to_f32(h);
}

static void test_init_random(void)
{
    char a[700], b[700], c[700];
    snprintf(a, sizeof a, "%s/init_a", tmpdir);
    snprintf(b, sizeof b, "%s/init_b", tmpdir);
    snprintf(c, sizeof c, "%s/init_c", tmpdir);
    const int L = 3, C = 24, H = 4, Hkv = 2, F = 40, Vv = 70;
    const float std = 0.02f;
    EXPECT(make_model(a, Vv, C, L, H, Hkv, F, false, 7, std, DP_DTYPE_F32) == 0);
    EXPECT(make_model(b, Vv, C, L, H, Hkv, F, false, 7, std, DP_DTYPE_F32) == 0);
    EXPECT(make_model(c, Vv, C, L, H, Hkv, F, false, 8, std, DP_DTYPE_F32) == 0);
    char fa[800], fb[800], fc[800];
    snprintf(fa, sizeof fa, "%s/model.safetensors", a);
    snprintf(fb, sizeof fb, "%s/model.safetensors", b);
    snprintf(fc, sizeof fc, "%s/model.safetensors", c);
    EXPECT(same_file(fa, fb));    /* a seed gives the same bytes */
    EXPECT(!same_file(fa, fc));   /* another seed others */
    struct dp_st st;
    struct dp_error e = {0};
    EXPECT(dp_st_open(&st, fa, &e) == 0);
    EXPECT_INT(st.ntensors, 12 * L + 3);
    double s1 = 0, s2 = 0, cnt = 0;
    int norms = 0, biases = 0, bad = 0;
    for (size_t i = 0; i < st.ntensors; i++) {
        const struct dp_st_tensor *t = &st.tensors[i];
        EXPECT(t->dtype == DP_DTYPE_F32);
        if (strstr(t->name, "norm.weight")) {
            norms++;
            for (int64_t k = 0; k < t->numel; k++) bad += f32_at(t, k) != 1.0f;
            EXPECT(t->ndim == 1 && t->shape[0] == C);
        } else if (strstr(t->name, ".bias")) {
            biases++;
            for (int64_t k = 0; k < t->numel; k++) bad += f32_at(t, k) != 0.0f;
        } else {
            double t1 = 0, t2 = 0;
            for (int64_t k = 0; k < t->numel; k++) t1 += f32_at(t, k), t2 += (double)f32_at(t, k) * f32_at(t, k);
            double sd = sqrt(t2 / (double)t->numel);
            if (fabs(sd / std - 1) > 0.25) fprintf(stderr, "  %s: std %g\n", t->name, sd), bad++;
            s1 += t1, s2 += t2, cnt += (double)t->numel;
        }
    }
    EXPECT_INT(norms, 2 * L + 1);
    EXPECT_INT(biases, 3 * L);
    EXPECT_INT(bad, 0);
    double mean = s1 / cnt, sd = sqrt(s2 / cnt - mean * mean);
    printf("# init: %.0f weights, mean %.2e, std %.5f (asked %.3f)\n", cnt, mean, sd, std);
    EXPECT(fabs(sd / std - 1) < 0.03);
    EXPECT(fabs(mean) < 4 * std / sqrt(cnt));
    /* shapes as Hugging Face names them; each tensor its own stream */
    const struct dp_st_tensor *tt;
    int64_t want[2] = {(int64_t)H * (C / H), C};
    EXPECT(dp_st_require(&st, "model.layers.2.self_attn.q_proj.weight", 2, want, &tt, &e) == 0);
    int64_t wk[2] = {(int64_t)Hkv * (C / H), C}, wd[2] = {C, F}, we[2] = {Vv, C};
    EXPECT(dp_st_require(&st, "model.layers.0.self_attn.v_proj.weight", 2, wk, &tt, &e) == 0);
    EXPECT(dp_st_require(&st, "model.layers.1.mlp.down_proj.weight", 2, wd, &tt, &e) == 0);
    EXPECT(dp_st_require(&st, "lm_head.weight", 2, we, &tt, &e) == 0);
    const struct dp_st_tensor *q0 = dp_st_get(&st, "model.layers.0.self_attn.q_proj.weight"),
                              *q1 = dp_st_get(&st, "model.layers.1.self_attn.q_proj.weight");
    EXPECT(q0 && q1 && memcmp(q0->data, q1->data, q0->nbytes) != 0);
    /* BF16: the F32 values rounded */
    EXPECT(make_model(b, Vv, C, L, H, Hkv, F, false, 7, std, DP_DTYPE_BF16) == 0);
    struct dp_st sb;
    EXPECT(dp_st_open(&sb, fb, &e) == 0);
    EXPECT_INT(sb.ntensors, st.ntensors);
    bad = 0;
    for (size_t i = 0; i < st.ntensors && i < sb.ntensors; i++) {
        const struct dp_st_tensor *x = &st.tensors[i], *y = dp_st_get(&sb, x->name);
        if (!y || y->dtype != DP_DTYPE_BF16 || y->numel != x->numel) {
            bad++;
            continue;
        }
        for (int64_t k = 0; k < x->numel; k++) {
            uint16_t h;
            memcpy(&h, (const char *)y->data + 2 * k, 2);
            bad += h != dp_f32_to_bf16(f32_at(x, k));
        }
    }
    EXPECT_INT(bad, 0);
    dp_st_close(&sb);
    dp_st_close(&st);
    /* tied: no lm_head; loads for training, the masters equal the file */
    EXPECT(make_model(c, Vv, C, 2, 2, 1, F, true, 9, 0.1f, DP_DTYPE_F32) == 0);
    EXPECT(dp_st_open(&st, fc, &e) == 0);
    EXPECT_INT(st.ntensors, 12 * 2 + 2);
    EXPECT(dp_st_get(&st, "lm_head.weight") == NULL);
    struct dp_qt_opts qo = {.prec = DP_PREC_F32};
    struct dp_qt m;
    EXPECT(dp_qt_load(&m, c, &qo, NULL, &e) == 0);
    const struct dp_qt_param *pe = dp_qt_find(&m, "model.embed_tokens.weight");
    const struct dp_st_tensor *te = dp_st_get(&st, "model.embed_tokens.weight");
    EXPECT(pe && te && pe->numel == (size_t)te->numel && memcmp(m.params + pe->off, te->data, te->nbytes) == 0);
    dp_qt_free(&m);
    dp_st_close(&st);
    /* F16 is refused */
    struct dp_qwen_config cfg;
    EXPECT(dp_qwen_config_load(&cfg, c, &e) == 0);
    EXPECT(dp_qwen_init_random(&cfg, fc, 1, 0.02f, DP_DTYPE_F16, &e) == DP_EINVAL);
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
    RUN(test_lm_micro);
    RUN(test_lm_grad);
    RUN(test_lm_steps);
    RUN(test_init_random);
    dp_tok_free(tok);
    char cmd[700];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", tmpdir);
    TEST_END();
}
