/* Unit tests for the BPE trainer (src/tok/train*.c): the merge order on a text whose merges
 * Hugging Face tokenizers 0.23.2 computed (frozen below; the live comparison on the stdlib is
 * tests/tok/train_parity.test.sh), hand-derived cases (overlapping pairs, min_frequency,
 * vocabulary cap, special-token strings, per-line sequences), and the written files loaded back
 * by src/tok: round trip, special ids, tokenizer_config.json fields, determinism. */
#include "base/file.h"
#include "base/unicode.h"
#include "harness.h"
#include "tok/tok.h"
#include "tok/train.h"
#include <stdlib.h>
#include <unistd.h>

static struct dp_tok_trainer *train(const char *text, const struct dp_tok_train_opts *o)
{
    struct dp_tok_trainer *tr = NULL;
    struct dp_error e = {0};
    if (dp_tok_trainer_new(o, &tr, &e) || dp_tok_trainer_feed(tr, text, strlen(text), &e) ||
        dp_tok_trainer_train(tr, &e)) {
        fprintf(stderr, "train: %s\n", e.msg);
        dp_tok_trainer_free(tr);
        return NULL;
    }
    return tr;
}

/* Merges as "left right" in byte form, ';'-separated ("\n" shown as \n). */
static const char *merges(const struct dp_tok_trainer *tr, char *buf, size_t cap)
{
    size_t k = 0;
    buf[0] = 0;
    for (size_t i = 0; i < dp_tok_trainer_nmerges(tr) && k < cap; i++) {
        int32_t a, b, id;
        size_t na, nb;
        dp_tok_trainer_merge(tr, i, &a, &b, &id);
        const char *sa = dp_tok_trainer_token(tr, a, &na), *sb = dp_tok_trainer_token(tr, b, &nb);
        k += (size_t)snprintf(buf + k, cap - k, "%s%.*s %.*s", i ? ";" : "", (int)na, sa, (int)nb, sb);
    }
    return buf;
}

static void opts(struct dp_tok_train_opts *o, bool hf_default)
{
    dp_tok_train_opts_default(o);
    if (hf_default) {   /* Tokenizer.train(files) of the Node binding */
        o->per_line = true;
        o->seen_alphabet = true;
        o->min_frequency = 0;
        o->vocab_size = 30003;
    }
}

static void test_hf_merge_order(void)
{
    /* HF: [a,b] [h,e] [ab,c] [l,l] [Ġ,abc] [he,ll] [hell,o] [l,d] [o,r] [r,e] [t,he] [w,or]
     * [Ġ,the] [Ġ,wor] [Ġthe,re] [Ġwor,ld]; vocabulary 11 letters + Ċ Ġ, then one per merge. */
    struct dp_tok_train_opts o;
    opts(&o, true);
    struct dp_tok_trainer *tr = train("hello world\nhello there\n\n\nabc abc abc\n", &o);
    char buf[1024];
    EXPECT(tr != NULL);
    if (!tr) return;
    EXPECT_STR(merges(tr, buf, sizeof buf), "a b;h e;ab c;l l;  abc;he ll;hell o;l d;o r;r e;t he;"
                                            "w or;  the;  wor; the re; wor ld");
    EXPECT_INT(dp_tok_trainer_stats(tr)->model_vocab, 13 + 16);
    size_t n;
    EXPECT_STR(dp_tok_trainer_token(tr, 0, &n), "a");   /* sorted by byte-level code point */
    EXPECT_STR(dp_tok_trainer_token(tr, 11, &n), "\n");
    EXPECT_STR(dp_tok_trainer_token(tr, 12, &n), " ");
    dp_tok_trainer_free(tr);
}

static void test_overlap_and_ties(void)
{
    /* "aaa": (a,a) twice -> merged left first: [aa, a]; then (aa, a) once. Lines "ba\n" and "ab\n":
     * (b,a) and (a,b) once each: the tie goes to the smaller ids, (a,b) = (0,1) before (1,0). */
    struct dp_tok_train_opts o;
    opts(&o, true);
    char buf[256];
    struct dp_tok_trainer *tr = train("aaa", &o);
    if (tr) EXPECT_STR(merges(tr, buf, sizeof buf), "a a;aa a");
    dp_tok_trainer_free(tr);
    tr = train("ba\nab\n", &o);
    if (tr) EXPECT_STR(merges(tr, buf, sizeof buf), "a b;b a");
    dp_tok_trainer_free(tr);
}

static void test_min_frequency_and_cap(void)
{
    struct dp_tok_train_opts o;
    dp_tok_train_opts_default(&o);   /* min_frequency 2: "xy" twice is merged, "zw" once is not */
    char buf[256];
    struct dp_tok_trainer *tr = train("xy xy zw", &o);
    if (tr) EXPECT_STR(merges(tr, buf, sizeof buf), "x y");
    dp_tok_trainer_free(tr);
    o.min_frequency = 0;
    o.vocab_size = 256 + 3 + 2;      /* room for two merges only */
    tr = train("abcdefgh abcdefgh", &o);
    if (tr) {
        EXPECT_INT(dp_tok_trainer_nmerges(tr), 2);
        EXPECT_INT(dp_tok_trainer_stats(tr)->model_vocab, 258);
    }
    dp_tok_trainer_free(tr);
    struct dp_error e = {0};
    o.vocab_size = 100;
    EXPECT_INT(dp_tok_trainer_new(&o, &tr, &e), DP_EINVAL);
}

static void test_specials_and_lines(void)
{
    struct dp_tok_train_opts o;
    dp_tok_train_opts_default(&o);
    char buf[256];
    /* the special-token strings are cut out, so "<|" (twice) is never counted */
    struct dp_tok_trainer *tr = train("ab<|endoftext|>ab<|im_end|>ab", &o);
    if (tr) EXPECT_STR(merges(tr, buf, sizeof buf), "a b");
    dp_tok_trainer_free(tr);
    /* a whole document sees "\n\n\n" as one word; line by line there is no newline pair */
    tr = train("a\n\n\nb\n", &o);
    if (tr) EXPECT_STR(merges(tr, buf, sizeof buf), "\n \n");
    dp_tok_trainer_free(tr);
    o.per_line = true;
    tr = train("a\n\n\nb\n", &o);
    if (tr) EXPECT_INT(dp_tok_trainer_nmerges(tr), 0);
    dp_tok_trainer_free(tr);
}

static const char sample[] =
    "import requests\n\n\ndef fetch(url: str) -> dict:\n    \"\"\"Fetch JSON.\"\"\"\n"
    "    r = requests.get(url, timeout=10)\n    r.raise_for_status()\n    return r.json()\n\n"
    "# caf\xc3\xa9 cafe\xcc\x81 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x98\x80 \xff\xfe bad bytes\r\n"
    "for i in range(10):\n\tprint(i, 'it''s', \"we'll\")   \n";

static void test_load_round_trip(void)
{
    char dir[] = "/tmp/dp_test_train_XXXXXX";
    EXPECT(mkdtemp(dir) != NULL);
    struct dp_tok_train_opts o;
    dp_tok_train_opts_default(&o);
    o.min_frequency = 1;
    o.vocab_size = 400;
    struct dp_tok_trainer *tr = train(sample, &o);
    struct dp_error e = {0};
    EXPECT(tr && dp_tok_trainer_write(tr, dir, &e) == 0);
    struct dp_tok *t = NULL;
    EXPECT_INT(dp_tok_load(dir, &t, &e), 0);
    if (!tr || !t) { dp_tok_trainer_free(tr); dp_tok_free(t); return; }
    size_t nv = dp_tok_trainer_stats(tr)->model_vocab;
    EXPECT_INT(dp_tok_vocab_size(t), nv + 3);
    const struct dp_tok_special *sp = dp_tok_special_ids(t);
    EXPECT_INT(sp->endoftext, nv);
    EXPECT_INT(sp->im_start, nv + 1);
    EXPECT_INT(sp->im_end, nv + 2);
    EXPECT_INT(sp->eos, nv + 2);
    EXPECT_INT(sp->pad, nv);
    EXPECT_STR(dp_tok_config(t)->eos_token, "<|im_end|>");
    EXPECT(dp_tok_config(t)->chat_template && strstr(dp_tok_config(t)->chat_template,
                                                     "You are Qwen, created by Alibaba Cloud."));
    struct dp_tok_ids ids = {0};
    struct dp_sbuf got = {0}, want = {0};
    EXPECT_INT(dp_tok_encode(t, sample, sizeof sample - 1, true, &ids, &e), 0);
    EXPECT(ids.n < sizeof sample - 1);   /* the merges are used */
    EXPECT_INT(dp_tok_decode(t, ids.v, ids.n, false, &got, &e), 0);
    dp_unicode_nfc(&want, sample, sizeof sample - 1);
    EXPECT(got.n == want.n && !memcmp(got.p, want.p, got.n));
    dp_tok_ids_free(&ids);
    const char chat[] = "<|im_start|>user\nhi<|im_end|>\n";
    EXPECT_INT(dp_tok_encode(t, chat, sizeof chat - 1, true, &ids, &e), 0);
    EXPECT(ids.n > 2 && ids.v[0] == sp->im_start);
    dp_tok_ids_free(&ids);
    dp_sbuf_free(&got);
    dp_sbuf_free(&want);
    dp_tok_free(t);
    dp_tok_trainer_free(tr);
    char p[256];
    snprintf(p, sizeof p, "%s/tokenizer.json", dir);
    unlink(p);
    snprintf(p, sizeof p, "%s/tokenizer_config.json", dir);
    unlink(p);
    rmdir(dir);
}

static void test_deterministic(void)
{
    struct dp_tok_train_opts o;
    dp_tok_train_opts_default(&o);
    o.min_frequency = 1;
    struct dp_sbuf a = {0}, b = {0};
    struct dp_tok_trainer *t1 = train(sample, &o), *t2 = train(sample, &o);
    if (t1 && t2) {
        dp_tok_trainer_json(t1, &a);
        dp_tok_trainer_json(t2, &b);
        EXPECT(a.n == b.n && !memcmp(a.p, b.p, a.n));
        dp_sbuf_reset(&a);
        dp_sbuf_reset(&b);
        dp_tok_trainer_config_json(t1, &a);
        dp_tok_trainer_config_json(t2, &b);
        EXPECT(a.n == b.n && !memcmp(a.p, b.p, a.n));
    }
    dp_sbuf_free(&a);
    dp_sbuf_free(&b);
    dp_tok_trainer_free(t1);
    dp_tok_trainer_free(t2);
}

int main(void)
{
    RUN(test_hf_merge_order);
    RUN(test_overlap_and_ties);
    RUN(test_min_frequency_and_cap);
    RUN(test_specials_and_lines);
    RUN(test_load_round_trip);
    RUN(test_deterministic);
    TEST_END();
}
