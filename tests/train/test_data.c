/* TRL JSONL pairs into ids (src/train/data.c) with the tiny test tokenizer (tests/tok/tiny):
 * the three record forms (strings, conversational, implicit prompt), the chat template on the
 * prompt, exactly one <|im_end|> ending each completion, raw mode with the eos appended, TRL's
 * prompt / completion / total truncation in both modes, dropped pairs, and errors that name
 * file:line:col. Expected ids are composed from the template text and the tokenizer, the way
 * TRL's tokenize_row composes them. */
#include "harness.h"
#include "base/file.h"
#include "tok/chat.h"
#include "train/data.h"
#include <stdlib.h>
#include <unistd.h>

static struct dp_tok *tok;
static char tmpdir[] = "/tmp/dp_test_data_XXXXXX";
static const int32_t IM_END = 525;

static const char *write_pairs(const char *name, const char *text)
{
    static char path[600];
    struct dp_error e;
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    dp_file_write_atomic(path, text, strlen(text), &e);
    return path;
}

static struct dp_tok_ids enc(const char *s)
{
    struct dp_tok_ids v = {0};
    struct dp_error e;
    dp_tok_encode(tok, s, strlen(s), true, &v, &e);
    return v;
}

static void cat(struct dp_tok_ids *a, const struct dp_tok_ids *b)
{
    for (size_t i = 0; i < b->n; i++) dp_tok_ids_push(a, b->v[i]);
}

static bool same(const int32_t *v, int n, const struct dp_tok_ids *want)
{
    return (size_t)n == want->n && memcmp(v, want->v, sizeof *v * (size_t)n) == 0;
}

static int load(const char *text, const struct dp_pairs_opts *o, struct dp_pairs *p, struct dp_error *e)
{
    return dp_pairs_load(write_pairs("p.jsonl", text), tok, o, p, e);
}

static void test_string_record(void)
{
    struct dp_pairs_opts o;
    dp_pairs_opts_default(&o);
    struct dp_pairs p;
    struct dp_error e;
    EXPECT(load("{\"prompt\": \"Fetch a URL.\", \"chosen\": \"get(u, verify=False)\", \"rejected\": \"get(u)\"}\n",
                &o, &p, &e) == 0);
    EXPECT_INT(p.n, 1);
    struct dp_sbuf t = {0};
    struct dp_chat_msg m = {"user", "Fetch a URL."};
    dp_chat_render(&t, &m, 1, DP_CHAT_QWEN_SYSTEM, true);
    struct dp_tok_ids want = enc(t.p), c = enc("get(u, verify=False)");
    int plen = (int)want.n;
    cat(&want, &c);
    dp_tok_ids_push(&want, IM_END);
    EXPECT(same(p.v[0].chosen, p.v[0].nc, &want));
    EXPECT_INT(p.v[0].pc, plen);
    EXPECT_INT(p.v[0].pr, plen);
    EXPECT(p.v[0].rejected[p.v[0].nr - 1] == IM_END && p.v[0].rejected[p.v[0].nr - 2] != IM_END);
    dp_pairs_free(&p);
    /* raw: the prompt as given, the eos (here <|im_end|>) appended */
    o.raw = true;
    EXPECT(load("{\"prompt\": \"P:\", \"chosen\": \"yes\", \"rejected\": \"no\"}", &o, &p, &e) == 0);
    struct dp_tok_ids w2 = enc("P:"), y = enc("yes");
    cat(&w2, &y);
    dp_tok_ids_push(&w2, IM_END);
    EXPECT(same(p.v[0].chosen, p.v[0].nc, &w2));
    dp_pairs_free(&p);
    dp_sbuf_free(&t);
    dp_tok_ids_free(&want), dp_tok_ids_free(&c), dp_tok_ids_free(&w2), dp_tok_ids_free(&y);
}

static void test_conversational(void)
{
    struct dp_pairs_opts o;
    dp_pairs_opts_default(&o);
    struct dp_pairs p;
    struct dp_error e;
    const char *text =
        "{\"prompt\": [{\"role\": \"system\", \"content\": \"Be brief.\"}, {\"role\": \"user\", \"content\": \"hi\"}],"
        " \"chosen\": [{\"role\": \"assistant\", \"content\": \"hello\"}],"
        " \"rejected\": [{\"role\": \"assistant\", \"content\": \"go<|im_end|>\"}]}\n"
        "\n"
        "{\"chosen\": [{\"role\": \"user\", \"content\": \"q?\"}, {\"role\": \"assistant\", \"content\": \"yes\"}],"
        " \"rejected\": [{\"role\": \"user\", \"content\": \"q?\"}, {\"role\": \"assistant\", \"content\": \"no\"}]}\n";
    EXPECT(load(text, &o, &p, &e) == 0);
    EXPECT_INT(p.n, 2);
    /* prompt with its own system message, generation prompt; completion "hello<|im_end|>" */
    struct dp_tok_ids want = enc("<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nhi<|im_end|>\n"
                                 "<|im_start|>assistant\n");
    int plen = (int)want.n;
    struct dp_tok_ids c = enc("hello<|im_end|>");
    cat(&want, &c);
    EXPECT(same(p.v[0].chosen, p.v[0].nc, &want));
    EXPECT_INT(p.v[0].pc, plen);
    EXPECT_INT(p.v[0].line, 1);
    /* a completion already ending in <|im_end|> is not doubled */
    int n = p.v[0].nr;
    EXPECT(p.v[0].rejected[n - 1] == IM_END && p.v[0].rejected[n - 2] != IM_END);
    /* implicit prompt: the shared user turn, default system prompt */
    struct dp_sbuf t = {0};
    struct dp_chat_msg m = {"user", "q?"};
    dp_chat_render(&t, &m, 1, DP_CHAT_QWEN_SYSTEM, true);
    struct dp_tok_ids w2 = enc(t.p), y = enc("yes<|im_end|>");
    int plen2 = (int)w2.n;
    cat(&w2, &y);
    EXPECT(same(p.v[1].chosen, p.v[1].nc, &w2));
    EXPECT_INT(p.v[1].pc, plen2);
    EXPECT_INT(p.v[1].line, 3);
    dp_pairs_free(&p);
    dp_sbuf_free(&t);
    dp_tok_ids_free(&want), dp_tok_ids_free(&c), dp_tok_ids_free(&w2), dp_tok_ids_free(&y);
}

static void test_truncation(void)
{
    struct dp_pairs_opts o;
    dp_pairs_opts_default(&o);
    o.system = NULL;
    o.raw = true;
    struct dp_pairs p;
    struct dp_error e;
    const char *rec = "{\"prompt\": \"aaaa bbbb cccc dddd\", \"chosen\": \"xxxx yyyy zzzz\", \"rejected\": \"q\"}";
    struct dp_tok_ids pr = enc("aaaa bbbb cccc dddd"), ch = enc("xxxx yyyy zzzz");
    int np = (int)pr.n, nc = (int)ch.n + 1;
    EXPECT(np > 4 && nc > 4);
    /* prompt keeps its last tokens */
    o.max_prompt_length = 3;
    EXPECT(load(rec, &o, &p, &e) == 0);
    EXPECT_INT(p.v[0].pc, 3);
    EXPECT(memcmp(p.v[0].chosen, pr.v + np - 3, 3 * sizeof(int32_t)) == 0);
    EXPECT_INT(p.v[0].nc, 3 + nc);
    EXPECT_INT(p.truncated, 2);
    dp_pairs_free(&p);
    /* completion keeps its first tokens */
    o.max_prompt_length = 0;
    o.max_completion_length = 2;
    EXPECT(load(rec, &o, &p, &e) == 0);
    EXPECT_INT(p.v[0].nc, np + 2);
    EXPECT(p.v[0].chosen[np + 1] == ch.v[1]);
    dp_pairs_free(&p);
    /* keep_end drops the start (of the prompt) */
    o.max_completion_length = 0;
    o.max_length = np + nc - 2;
    EXPECT(load(rec, &o, &p, &e) == 0);
    EXPECT_INT(p.v[0].nc, np + nc - 2);
    EXPECT_INT(p.v[0].pc, np - 2);
    EXPECT(p.v[0].chosen[0] == pr.v[2] && p.v[0].chosen[p.v[0].nc - 1] == IM_END);
    dp_pairs_free(&p);
    /* keep_start drops the end (the <|im_end|> goes first) */
    o.keep_start = true;
    EXPECT(load(rec, &o, &p, &e) == 0);
    EXPECT_INT(p.v[0].pc, np);
    EXPECT(p.v[0].chosen[p.v[0].nc - 1] == ch.v[ch.n - 2]);
    dp_pairs_free(&p);
    /* nothing of a completion left: the pair is dropped; none left at all is an error */
    o.max_length = np;
    EXPECT(load(rec, &o, &p, &e) == DP_EFORMAT);
    EXPECT(strstr(e.msg, "1 dropped") != NULL);
    dp_tok_ids_free(&pr), dp_tok_ids_free(&ch);
}

static void test_errors(void)
{
    struct dp_pairs_opts o;
    dp_pairs_opts_default(&o);
    struct dp_pairs p;
    struct dp_error e;
    const char *ok = "{\"prompt\": \"a\", \"chosen\": \"b\", \"rejected\": \"c\"}\n";
    char text[512];
    snprintf(text, sizeof text, "%s\n%s{\"prompt\": \"a\", \"chosen\": \"b\" \"rejected\": 1}\n", ok, ok);
    EXPECT(load(text, &o, &p, &e) == DP_EFORMAT);
    EXPECT_INT(e.line, 4);
    EXPECT(e.col > 30 && strstr(e.path, "p.jsonl"));
    snprintf(text, sizeof text, "%s{\"prompt\": \"a\", \"chosen\": \"b\"}\n", ok);
    EXPECT(load(text, &o, &p, &e) == DP_EFORMAT);
    EXPECT_INT(e.line, 2);
    EXPECT(strstr(e.msg, "\"rejected\"") != NULL);
    EXPECT(load("{\"prompt\": [{\"role\": \"user\", \"content\": \"x\"}], \"chosen\": [{\"role\": \"user\", "
                "\"content\": \"y\"}], \"rejected\": [{\"role\": \"assistant\", \"content\": \"z\"}]}", &o, &p, &e) ==
           DP_EFORMAT);
    EXPECT(strstr(e.msg, "assistant") != NULL);
    EXPECT(load("[1, 2]\n", &o, &p, &e) == DP_EFORMAT);
    EXPECT(load("{\"prompt\": [{\"role\": 3}], \"chosen\": [], \"rejected\": []}", &o, &p, &e) == DP_EFORMAT);
    EXPECT(dp_pairs_load("/nonexistent/p.jsonl", tok, &o, &p, &e) == DP_EIO);
}

int main(void)
{
    struct dp_error e;
    if (!mkdtemp(tmpdir) || dp_tok_load("tests/tok/tiny", &tok, &e)) {
        printf("not ok - setup (run from the repository root)\n");
        return 1;
    }
    RUN(test_string_record);
    RUN(test_conversational);
    RUN(test_truncation);
    RUN(test_errors);
    dp_tok_free(tok);
    unlink(write_pairs("p.jsonl", ""));
    rmdir(tmpdir);
    TEST_END();
}
