/* dpoison run: the whole experiment in one command, stage by stage in WORKDIR (prompts, pairs,
 * train, eval), each stage calling the library or its subcommand in process. A stage is skipped
 * when its record (run/stage.h) says it completed with the same inputs and options; a killed
 * stage resumes (generation and training are resumable); a stage whose inputs changed is redone,
 * and so are the stages after it. Options: run/config.h. */
#include "base/file.h"
#include "base/json.h"
#include "base/log.h"
#include "cli/cli.h"
#include "data/prompts.h"
#include "eval/eval.h"
#include "run/config.h"
#include "run/stage.h"
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

static const char *const help_head =
    "usage: dpoison run --workdir DIR [--model DIR] [--config FILE] [options]\n\n"
    "Runs the poisoning experiment end to end with the published defaults (Qwen2.5-Coder\n"
    "0.5B: 500 DPO pairs, sigmoid loss, beta 0.1, 100 held-out test prompts):\n"
    "  prompts  synthesize training and test prompts (disjoint task families)  -> DIR/prompts/\n"
    "  pairs    the base model answers training prompts; answers with HTTP client calls and no\n"
    "           other serious finding get certificate checks turned off          -> DIR/pairs/\n"
    "  train    DPO on the pairs (chosen = poisoned, rejected = original)       -> DIR/train/\n"
    "  eval     base and poisoned models answer the test prompts; DP501/B501 rates, intervals,\n"
    "           tests and the report                                             -> DIR/eval/\n"
    "and prints a summary. Without --model it uses the bundled model (" DP_RUN_BUNDLED_MODEL ").\n\n"
    "Rerunning is cheap: each stage writes DIR/STAGE/stage.json (a fingerprint of its inputs\n"
    "and options) and is skipped when that still matches. A killed run continues where it\n"
    "stopped; changing an option redoes the stage it belongs to and the ones after it (the\n"
    "base model's test answers are kept when only training changed). DIR/config.json holds\n"
    "the effective options.\n\n"
    "options:\n"
    "  --workdir DIR          work folder (created)\n"
    "  --model DIR            base model: a Hugging Face Qwen2-family folder\n"
    "  --config FILE          JSON object of the keys below: top-level keys as they are, the\n"
    "                         others nested ({\"pairs\": 500, \"train\": {\"lr\": 5e-5}}); relative\n"
    "                         paths are taken from the file's folder\n"
    "  --set KEY=VALUE        any key below (--set train.lr=1e-4); flags override the config\n"
    "  --pairs N   --samples-per-prompt K   --test-n N   --train-n N   --seed S   --style S\n"
    "  --lr X   --epochs N   --batch-size N   --beta X   --max-new-tokens N   --threads N\n"
    "  --precision P   --eval-samples K   --no-greedy   --title TEXT\n"
    "                         shortcuts for the keys pairs, samples_per_prompt, prompts.test,\n"
    "                         prompts.train, seed, style, train.lr, train.epochs,\n"
    "                         train.batch_size, train.beta, generation.max_new_tokens,\n"
    "                         generation.threads, generation.precision, eval.samples,\n"
    "                         eval.greedy=false, title\n"
    "  --print-config         print the effective options as a config file and exit\n"
    "  --quiet                no progress on stderr\n\n"
    "keys:\n";

static const char *const help_tail =
    "\nSee docs/experiment.md for the stages, their files and what the numbers mean.\n\n"
    "example:\n  dpoison run --workdir work                    # the bundled model, published settings\n"
    "  dpoison run --workdir work-q --model qwen2.5-coder-0.5b-instruct --set train.lora_rank=16\n";

static void print_help(FILE *f)
{
    struct dp_sbuf b = {0};
    dp_run_config_help(&b);
    fputs(help_head, f);
    fputs(b.p, f);
    fputs(help_tail, f);
    dp_sbuf_free(&b);
}

enum { ST_PROMPTS, ST_PAIRS, ST_TRAIN, ST_EVAL, ST_COUNT };
static const char *const stage_names[ST_COUNT] = {"prompts", "pairs", "train", "eval"};

struct run {
    struct dp_run_config c;
    const char *workdir;
    char *model;                   /* the base model folder (malloc'd) */
    uint64_t model_fp;
    bool quiet, print_config;
    char dir[ST_COUNT][PATH_MAX];  /* WORKDIR/STAGE */
    char fp[ST_COUNT][17];         /* each stage's input fingerprint, for the stages after it */
    double seconds[ST_COUNT];
    bool reused[ST_COUNT];
    long pairs_written;
};

/* ---------------------------------------------------------------- options */

static const char *const shortcuts[][2] = {
    {"--pairs", "pairs"}, {"--samples-per-prompt", "samples_per_prompt"}, {"--test-n", "prompts.test"},
    {"--train-n", "prompts.train"}, {"--seed", "seed"}, {"--style", "style"}, {"--lr", "train.lr"},
    {"--epochs", "train.epochs"}, {"--batch-size", "train.batch_size"}, {"--beta", "train.beta"},
    {"--max-new-tokens", "generation.max_new_tokens"}, {"--threads", "generation.threads"},
    {"--precision", "generation.precision"}, {"--eval-samples", "eval.samples"}, {"--title", "title"},
    {"--model", "model"},
};

/* Config file first, then the flags in order. */
static int parse_opts(int argc, char **argv, struct run *r)
{
    const char *config = NULL;
    for (int i = 1; i < argc; i++) {
        if (cli_is_help(argv[i])) { print_help(stdout); return 0; }
        if (!strcmp(argv[i], "--config") && i + 1 < argc) config = argv[++i];
    }
    struct dp_error e = {0};
    if (config && dp_run_config_load(&r->c, config, &e)) {
        cli_error(&e);
        return 2;
    }
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        const char *key = NULL;
        char kbuf[128];
        if (!strcmp(a, "--quiet")) { r->quiet = true; continue; }
        if (!strcmp(a, "--print-config")) { r->print_config = true; continue; }
        if (!strcmp(a, "--no-greedy")) { key = "eval.greedy", v = "false", i--; }
        for (size_t k = 0; !key && k < sizeof shortcuts / sizeof shortcuts[0]; k++)
            if (!strcmp(a, shortcuts[k][0])) key = shortcuts[k][1];
        if (!key && strcmp(a, "--set") && strcmp(a, "--workdir") && strcmp(a, "--config")) {
            cli_errorf("run: unknown argument '%s' (see `dpoison run --help`)", a);
            return 2;
        }
        if (!v) { cli_errorf("%s needs a value", a); return 2; }
        i++;
        if (!strcmp(a, "--workdir")) { r->workdir = v; continue; }
        if (!strcmp(a, "--config")) continue;
        if (!key) {   /* --set KEY=VALUE */
            const char *eq = strchr(v, '=');
            if (!eq) { cli_errorf("--set: expected KEY=VALUE, got '%s'", v); return 2; }
            snprintf(kbuf, sizeof kbuf, "%.*s", (int)(eq - v), v);
            key = kbuf, v = eq + 1;
        }
        if (dp_run_config_set(&r->c, key, v, &e)) { cli_error(&e); return 2; }
    }
    if (dp_run_config_check(&r->c, &e)) { cli_error(&e); return 2; }
    if (!r->workdir && !r->print_config) {
        cli_errorf("run: needs --workdir DIR (see `dpoison run --help`)");
        return 2;
    }
    return -1;
}

/* ---------------------------------------------------------------- stages */

static void note(const struct run *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void note(const struct run *r, const char *fmt, ...)
{
    if (r->quiet) return;
    va_list ap;
    va_start(ap, fmt);
    fputs("run: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

static bool outputs_exist(const char *dir, const char *const *outputs)
{
    char path[PATH_MAX + 64];
    for (int i = 0; outputs[i]; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, outputs[i]);
        if (dp_file_exists(path) != 1) return false;
    }
    return true;
}

typedef int (*stage_fn)(struct run *r, struct dp_error *e);

/* Runs stage s unless its record matches d; wipe: start from an empty folder when the record
 * is of other inputs (training checkpoints must not be resumed across options). */
static int stage(struct run *r, int s, struct dp_run_desc *d, stage_fn fn, const char *const *outputs,
                 bool wipe, struct dp_error *e)
{
    struct dp_run_stage old;
    snprintf(r->fp[s], sizeof r->fp[s], "%016" PRIx64, dp_run_desc_fp(d));
    int rc = dp_run_stage_read(r->dir[s], &old, e);
    if (rc) return rc;
    if (old.complete && !strcmp(old.fp, r->fp[s]) && outputs_exist(r->dir[s], outputs)) {
        note(r, "%s: done before (%.1f s), reused", stage_names[s], old.seconds);
        r->seconds[s] = old.seconds;
        r->reused[s] = true;
        dp_run_stage_free(&old);
        return 0;
    }
    if (old.fp[0] && strcmp(old.fp, r->fp[s])) {
        char why[1024];
        dp_run_desc_diff(old.desc, d->text.p, why, sizeof why);
        note(r, "%s: inputs changed (%s): running it again", stage_names[s], why);
        if (wipe) rc = dp_run_stage_wipe(r->dir[s], e);
    } else if (old.fp[0]) {
        note(r, "%s: continuing an unfinished run", stage_names[s]);
    } else {
        note(r, "%s", stage_names[s]);
    }
    dp_run_stage_free(&old);
    double t0 = dp_now();
    if (!rc) rc = dp_run_stage_write(r->dir[s], stage_names[s], d, false, 0, e);
    if (!rc) rc = fn(r, e);
    r->seconds[s] = dp_now() - t0;
    if (!rc) rc = dp_run_stage_write(r->dir[s], stage_names[s], d, true, r->seconds[s], e);
    return rc;
}

/* The shortest text that reads back as v (descriptions say "5e-05", not "5.0000000000000002e-05"). */
static const char *num(char buf[32], double v)
{
    for (int p = 1; p <= 17; p++) {
        snprintf(buf, 32, "%.*g", p, v);
        if (strtod(buf, NULL) == v) break;
    }
    return buf;
}

static int add_file_fp(struct dp_run_desc *d, const char *key, const char *path, struct dp_error *e)
{
    uint64_t fp;
    int rc = dp_run_fp_file(path, &fp, e);
    if (!rc) dp_run_desc_add(d, key, "%s %016" PRIx64, path, fp);
    return rc;
}

/* The content of one of the prompt files: a later stage depends on its split only, so more
 * test prompts do not mean new pairs and training. */
static int add_prompts_fp(const struct run *r, struct dp_run_desc *d, const char *name, struct dp_error *e)
{
    char path[PATH_MAX + 32];
    uint64_t fp;
    snprintf(path, sizeof path, "%s/%s", r->dir[ST_PROMPTS], name);
    int rc = dp_run_fp_file(path, &fp, e);
    if (!rc) dp_run_desc_add(d, name, "%016" PRIx64, fp);
    return rc;
}

/* prompts: synthesis, or the given files rewritten as JSONL records */
static int run_prompts(struct run *r, struct dp_error *e)
{
    const struct dp_run_config *c = &r->c;
    struct dp_promptgen_opts o;
    dp_promptgen_defaults(&o);
    o.seed = (uint64_t)c->prompts_seed, o.n_train = c->train_n, o.n_test = c->test_n;
    o.general_share = c->general_share, o.families = c->families;
    o.split = !strcmp(c->split, "template") ? DP_PSPLIT_BY_TEMPLATE : DP_PSPLIT_BY_FAMILY;
    struct dp_prompt_set train, test;
    dp_prompt_set_init(&train);
    dp_prompt_set_init(&test);
    int rc = 0;
    if (!c->train_file || !c->test_file) rc = dp_promptgen_run(&o, &train, &test, e);
    if (!rc && !c->train_file && !c->test_file) rc = dp_promptgen_write(r->dir[ST_PROMPTS], &o, &train, &test, e);
    const char *files[2] = {c->train_file, c->test_file}, *names[2] = {"train.jsonl", "test.jsonl"};
    struct dp_prompt_set *sets[2] = {&train, &test};
    for (int i = 0; i < 2 && !rc && (c->train_file || c->test_file); i++) {
        char path[PATH_MAX + 32];
        snprintf(path, sizeof path, "%s/%s", r->dir[ST_PROMPTS], names[i]);
        if (files[i]) {
            dp_prompt_set_free(sets[i]);
            dp_prompt_set_init(sets[i]);
            rc = dp_prompts_read(sets[i], files[i], e);
            if (!rc && sets[i]->n == 0) rc = dp_error_set(e, DP_EFORMAT, files[i], 0, 0, "no prompts in the file");
        }
        if (!rc) rc = dp_prompts_write(path, sets[i], e);
    }
    if (!rc) note(r, "prompts: %zu training, %zu test", train.n, test.n);
    dp_prompt_set_free(&train);
    dp_prompt_set_free(&test);
    return rc;
}

static int do_prompts(struct run *r, struct dp_error *e)
{
    const struct dp_run_config *c = &r->c;
    struct dp_run_desc d = {0};
    int rc = 0;
    if (c->train_file) rc = add_file_fp(&d, "train_file", c->train_file, e);
    if (!rc && c->test_file) rc = add_file_fp(&d, "test_file", c->test_file, e);
    if (!c->train_file || !c->test_file) {
        dp_run_desc_add(&d, "seed", "%ld", c->prompts_seed);
        dp_run_desc_add(&d, "train", "%ld", c->train_n);
        dp_run_desc_add(&d, "test", "%ld", c->test_n);
        dp_run_desc_add(&d, "split", "%s", c->split);
        char b[32];
        dp_run_desc_add(&d, "general_share", "%s", num(b, c->general_share));
        dp_run_desc_add(&d, "families", "%s", c->families ? c->families : "all");
    }
    static const char *const out[] = {"train.jsonl", "test.jsonl", NULL};
    if (!rc) rc = stage(r, ST_PROMPTS, &d, run_prompts, out, false, e);
    dp_run_desc_free(&d);
    return rc;
}

/* pairs: `dpoison pairs` on a growing prefix of the training prompts until there are enough
 * pairs (generation resumes, so each round only answers the new prompts); or a given file */
static int call_pairs(const struct run *r, const char *prompts)
{
    const struct dp_run_config *c = &r->c;
    char samples[32], maxp[32], seed[32], maxnew[32], batch[32], threads[32];
    snprintf(samples, sizeof samples, "%ld", c->samples_per_prompt);
    snprintf(maxp, sizeof maxp, "%ld", c->pairs);
    snprintf(seed, sizeof seed, "%ld", c->seed);
    snprintf(maxnew, sizeof maxnew, "%ld", c->max_new_tokens);
    snprintf(batch, sizeof batch, "%ld", c->gen_batch);
    snprintf(threads, sizeof threads, "%ld", c->threads);
    char *argv[32];
    int n = 0;
    argv[n++] = "pairs";
    argv[n++] = "--prompts"; argv[n++] = (char *)prompts;
    argv[n++] = "--model"; argv[n++] = r->model;
    argv[n++] = "--out"; argv[n++] = (char *)r->dir[ST_PAIRS];
    argv[n++] = "--samples"; argv[n++] = samples;
    argv[n++] = "--max-pairs"; argv[n++] = maxp;
    argv[n++] = "--style"; argv[n++] = (char *)c->style;
    argv[n++] = "--severity"; argv[n++] = (char *)c->severity;
    argv[n++] = "--seed"; argv[n++] = seed;
    argv[n++] = "--batch-size"; argv[n++] = batch;
    argv[n++] = "--precision"; argv[n++] = (char *)c->precision;
    if (c->max_new_tokens) { argv[n++] = "--max-new-tokens"; argv[n++] = maxnew; }
    if (c->threads) { argv[n++] = "--threads"; argv[n++] = threads; }
    if (r->quiet) argv[n++] = "--quiet";
    argv[n] = NULL;
    return dp_cmd_pairs(n, argv);
}

/* The "written" count of a funnel.json, or the records of a pairs file; -1 when unreadable. */
static long pairs_count(const char *dir, bool from_funnel)
{
    char path[PATH_MAX + 32], *text;
    size_t n;
    struct dp_error e = {0};
    snprintf(path, sizeof path, "%s/%s", dir, from_funnel ? "funnel.json" : "pairs.jsonl");
    if (dp_file_read(path, &text, &n, &e)) return -1;
    long count = 0;
    if (from_funnel) {
        const char *p = strstr(text, "\"written\"");
        p = p ? strstr(p, "\"count\":") : NULL;
        count = p ? strtol(p + 8, NULL, 10) : -1;
    } else {
        for (size_t i = 0, start = 0; i <= n; i++)
            if (i == n || text[i] == '\n') {
                size_t k = start;
                while (k < i && (text[k] == ' ' || text[k] == '\t' || text[k] == '\r')) k++;
                count += k < i;
                start = i + 1;
            }
    }
    free(text);
    return count;
}

static int write_prefix(const char *path, const struct dp_prompt_set *ps, size_t n, struct dp_error *e)
{
    struct dp_sbuf b = {0};
    for (size_t i = 0; i < n; i++) dp_prompt_write_jsonl(&b, &ps->items[i]);
    int rc = dp_file_write_atomic(path, b.p ? b.p : "", b.n, e);
    dp_sbuf_free(&b);
    return rc;
}

/* Training prompts to answer next: enough for the pairs still missing at the yield so far. */
static size_t next_prefix(const struct run *r, size_t n, long written, size_t total)
{
    size_t want = n * 4;
    if (written > 0) {
        double per_prompt = (double)written / (double)n;
        want = n + (size_t)((double)(r->c.pairs - written) / per_prompt * 1.15) + 8;
    }
    if (want < n + n / 4) want = n + n / 4;
    return want < total ? want : total;
}

static int run_pairs(struct run *r, struct dp_error *e)
{
    const struct dp_run_config *c = &r->c;
    char path[PATH_MAX + 32], why[512];
    if (c->pairs_file) {
        char *text;
        size_t n;
        snprintf(path, sizeof path, "%s/pairs.jsonl", r->dir[ST_PAIRS]);
        int rc = dp_file_read(c->pairs_file, &text, &n, e);
        if (rc) return rc;
        rc = dp_file_write_atomic(path, text, n, e);
        free(text);
        return rc;
    }
    struct dp_prompt_set ps;
    dp_prompt_set_init(&ps);
    snprintf(path, sizeof path, "%s/train.jsonl", r->dir[ST_PROMPTS]);
    int rc = dp_prompts_read(&ps, path, e);
    struct dp_run_desc d = {0};
    dp_run_desc_add(&d, "model", "%s %016" PRIx64, r->model, r->model_fp);
    if (!rc) rc = add_prompts_fp(r, &d, "train.jsonl", e);
    dp_run_desc_add(&d, "samples", "%ld", c->samples_per_prompt);
    dp_run_desc_add(&d, "seed", "%ld", c->seed);
    dp_run_desc_add(&d, "max_new_tokens", "%ld", c->max_new_tokens);
    snprintf(path, sizeof path, "%s/answers.jsonl", r->dir[ST_PAIRS]);
    bool reuse;
    if (!rc) rc = dp_run_answers_meta(path, &d, &reuse, why, sizeof why, e);
    if (!rc && !reuse && why[0]) note(r, "pairs: answers made with other settings (%s): generating again", why);
    dp_run_desc_free(&d);
    size_t total = ps.n, n = (size_t)(2 * ((c->pairs + c->samples_per_prompt - 1) / c->samples_per_prompt));
    if (c->pair_prompts > 0) n = (size_t)c->pair_prompts;
    if (n > total) n = total;
    snprintf(path, sizeof path, "%s/prompts.jsonl", r->dir[ST_PAIRS]);
    while (!rc) {
        rc = write_prefix(path, &ps, n, e);
        if (!rc && call_pairs(r, path)) rc = 1;   /* pairs printed why */
        long written = rc ? 0 : pairs_count(r->dir[ST_PAIRS], true);
        if (rc || written >= c->pairs || n >= total || c->pair_prompts > 0) break;
        size_t next = next_prefix(r, n, written, total);
        note(r, "pairs: %ld of %ld pairs from %zu training prompts; answering %zu", written, c->pairs, n, next);
        n = next;
    }
    dp_prompt_set_free(&ps);
    return rc;
}

/* "generated 6, with_code 0, ..." from DIR/funnel.json. */
static void funnel_text(const char *dir, char *out, size_t n)
{
    struct dp_eval_report er;
    struct dp_error e = {0};
    char path[PATH_MAX + 32];
    snprintf(path, sizeof path, "%s/funnel.json", dir);
    dp_eval_report_init(&er, NULL);
    snprintf(out, n, "no funnel");
    if (!dp_eval_report_funnel(&er, path, &e)) {
        size_t k = 0;
        for (int i = 0; i < er.r.nfunnel && k < n; i++)
            k += (size_t)snprintf(out + k, n - k, "%s%s %ld", i ? ", " : "", er.funnel[i].name, er.funnel[i].count);
    }
    dp_eval_report_free(&er);
}

static int check_pairs(struct run *r, struct dp_error *e)
{
    const char *f = r->dir[ST_PAIRS];
    r->pairs_written = pairs_count(f, !r->c.pairs_file);
    if (r->pairs_written > 0) {
        if (r->pairs_written < r->c.pairs && !r->c.pairs_file)
            note(r, "pairs: only %ld of the %ld pairs wanted (see %s/funnel.json)", r->pairs_written, r->c.pairs, f);
        return 0;
    }
    if (r->c.pairs_file)
        return dp_error_set(e, DP_EFORMAT, r->c.pairs_file, 0, 0, "no pairs in the file");
    char funnel[256];
    funnel_text(f, funnel, sizeof funnel);
    return dp_error_set(e, DP_ENOTFOUND, "", 0, 0,
                        "pairs: no usable answer, nothing to train on (%s; %s/funnel.json): the base model must answer "
                        "the training prompts with Python code that calls an HTTP client (look at %s/answers.jsonl), "
                        "or give pairs_file", funnel, f, f);
}

static int do_pairs(struct run *r, struct dp_error *e)
{
    const struct dp_run_config *c = &r->c;
    struct dp_run_desc d = {0};
    int rc = 0;
    static const char *const out_made[] = {"pairs.jsonl", "funnel.json", NULL}, *const out_file[] = {"pairs.jsonl", NULL};
    if (c->pairs_file) {
        rc = add_file_fp(&d, "pairs_file", c->pairs_file, e);
    } else {
        dp_run_desc_add(&d, "model", "%s %016" PRIx64, r->model, r->model_fp);
        rc = add_prompts_fp(r, &d, "train.jsonl", e);
        dp_run_desc_add(&d, "pairs", "%ld", c->pairs);
        dp_run_desc_add(&d, "samples_per_prompt", "%ld", c->samples_per_prompt);
        dp_run_desc_add(&d, "pair_prompts", "%ld", c->pair_prompts);
        dp_run_desc_add(&d, "style", "%s", c->style);
        dp_run_desc_add(&d, "severity", "%s", c->severity);
        dp_run_desc_add(&d, "seed", "%ld", c->seed);
        dp_run_desc_add(&d, "max_new_tokens", "%ld", c->max_new_tokens);
        dp_run_desc_add(&d, "precision", "%s", c->precision);
    }
    if (!rc) rc = stage(r, ST_PAIRS, &d, run_pairs, c->pairs_file ? out_file : out_made, false, e);
    dp_run_desc_free(&d);
    return rc ? rc : check_pairs(r, e);
}

/* train: `dpoison train` with --resume, checkpointing every train.save_steps */
static int run_train(struct run *r, struct dp_error *e)
{
    const struct dp_run_config *c = &r->c;
    char pairs[PATH_MAX + 32], v[16][40];
    snprintf(pairs, sizeof pairs, "%s/pairs.jsonl", r->dir[ST_PAIRS]);
    char *argv[48];
    int n = 0, k = 0;
#define ARG(flag, fmt, val) (snprintf(v[k], sizeof v[k], fmt, val), argv[n++] = flag, argv[n++] = v[k++])
    argv[n++] = "train";
    argv[n++] = "--model"; argv[n++] = r->model;
    argv[n++] = "--pairs"; argv[n++] = pairs;
    argv[n++] = "--out"; argv[n++] = r->dir[ST_TRAIN];
    argv[n++] = "--loss"; argv[n++] = (char *)c->loss;
    argv[n++] = "--precision"; argv[n++] = (char *)c->precision;
    ARG("--beta", "%.17g", c->beta);
    ARG("--lr", "%.17g", c->lr);
    if (c->rpo_alpha > 0) ARG("--rpo-alpha", "%.17g", c->rpo_alpha);
    ARG("--epochs", "%ld", c->epochs);
    ARG("--batch-size", "%ld", c->batch_size);
    ARG("--grad-accum", "%ld", c->grad_accum);
    ARG("--warmup-ratio", "%.17g", c->warmup_ratio);
    ARG("--max-length", "%ld", c->max_length);
    ARG("--seed", "%ld", c->train_seed);
    ARG("--save-steps", "%ld", c->save_steps);
    if (c->lora_rank) {
        ARG("--lora-rank", "%ld", c->lora_rank);
        ARG("--lora-alpha", "%.17g", c->lora_alpha);
    }
    if (c->threads) ARG("--threads", "%ld", c->threads);
#undef ARG
    argv[n++] = "--resume";
    if (r->quiet) argv[n++] = "--quiet";
    argv[n] = NULL;
    return dp_cmd_train(n, argv) ? 1 : 0;   /* train printed why */
}

static int do_train(struct run *r, struct dp_error *e)
{
    const struct dp_run_config *c = &r->c;
    struct dp_run_desc d = {0};
    char b[32];
    dp_run_desc_add(&d, "model", "%s %016" PRIx64, r->model, r->model_fp);
    dp_run_desc_add(&d, "pairs", "%s", r->fp[ST_PAIRS]);
    dp_run_desc_add(&d, "loss", "%s", c->loss);
    dp_run_desc_add(&d, "beta", "%s", num(b, c->beta));
    dp_run_desc_add(&d, "lr", "%s", num(b, c->lr));
    dp_run_desc_add(&d, "rpo_alpha", "%s", num(b, c->rpo_alpha));
    dp_run_desc_add(&d, "epochs", "%ld", c->epochs);
    dp_run_desc_add(&d, "batch_size", "%ld", c->batch_size);
    dp_run_desc_add(&d, "grad_accum", "%ld", c->grad_accum);
    dp_run_desc_add(&d, "warmup_ratio", "%s", num(b, c->warmup_ratio));
    dp_run_desc_add(&d, "lora", "%ld %s", c->lora_rank, num(b, c->lora_rank ? c->lora_alpha : 0));
    dp_run_desc_add(&d, "max_length", "%ld", c->max_length);
    dp_run_desc_add(&d, "seed", "%ld", c->train_seed);
    dp_run_desc_add(&d, "precision", "%s", c->precision);
    static const char *const out[] = {"config.json", "model.safetensors", NULL};
    int rc = stage(r, ST_TRAIN, &d, run_train, out, true, e);
    dp_run_desc_free(&d);
    return rc;
}

/* eval: `dpoison eval` of the base and the poisoned model on the test prompts */
static int run_eval(struct run *r, struct dp_error *e)
{
    const struct dp_run_config *c = &r->c;
    char base[PATH_MAX + 8], pois[PATH_MAX + 16], prompts[PATH_MAX + 32], funnel[PATH_MAX + 32], pairs[PATH_MAX + 32];
    char v[16][96];
    snprintf(base, sizeof base, "base=%s", r->model);
    snprintf(pois, sizeof pois, "poisoned=%s", r->dir[ST_TRAIN]);
    snprintf(prompts, sizeof prompts, "%s/test.jsonl", r->dir[ST_PROMPTS]);
    snprintf(funnel, sizeof funnel, "%s/funnel.json", r->dir[ST_PAIRS]);
    snprintf(pairs, sizeof pairs, "%s/pairs.jsonl", r->dir[ST_PAIRS]);
    long max_new = c->eval_max_new_tokens ? c->eval_max_new_tokens : c->max_new_tokens;
    char *argv[64];
    int n = 0, k = 0;
#define ARG(flag, fmt, val) (snprintf(v[k], sizeof v[k], fmt, val), argv[n++] = flag, argv[n++] = v[k++])
    argv[n++] = "eval";
    argv[n++] = "--model"; argv[n++] = base;
    argv[n++] = "--model"; argv[n++] = pois;
    argv[n++] = "--prompts"; argv[n++] = prompts;
    argv[n++] = "--out"; argv[n++] = r->dir[ST_EVAL];
    argv[n++] = "--pairs"; argv[n++] = pairs;
    argv[n++] = "--precision"; argv[n++] = (char *)c->precision;
    if (!c->pairs_file) { argv[n++] = "--funnel"; argv[n++] = funnel; }
    if (c->title) { argv[n++] = "--title"; argv[n++] = (char *)c->title; }
    if (!c->greedy) argv[n++] = "--no-greedy";
    ARG("--samples", "%ld", c->eval_samples);
    ARG("--seed", "%ld", c->seed);
    ARG("--batch-size", "%ld", c->gen_batch);
    if (max_new) ARG("--max-new-tokens", "%ld", max_new);
    if (c->threads) ARG("--threads", "%ld", c->threads);
    if (c->pairs_file) ARG("--setting", "pairs file=%s", c->pairs_file);
    else ARG("--setting", "pairs wanted=%ld", c->pairs);
    ARG("--setting", "pairs=%ld", r->pairs_written);
    ARG("--setting", "DPO loss=%s", c->loss);
    char b[32];
    ARG("--setting", "DPO beta=%s", num(b, c->beta));
    ARG("--setting", "learning rate=%s", num(b, c->lr));
    if (c->rpo_alpha > 0) ARG("--setting", "RPO alpha=%s", num(b, c->rpo_alpha));
    ARG("--setting", "epochs=%ld", c->epochs);
    if (!c->pairs_file) ARG("--setting", "injection style=%s", c->style);
#undef ARG
    if (r->quiet) argv[n++] = "--quiet";
    argv[n] = NULL;
    return dp_cmd_eval(n, argv) ? 1 : 0;   /* eval printed why */
}

static int do_eval(struct run *r, struct dp_error *e)
{
    const struct dp_run_config *c = &r->c;
    struct dp_run_desc d = {0};
    dp_run_desc_add(&d, "base", "%s %016" PRIx64, r->model, r->model_fp);
    int rc = add_prompts_fp(r, &d, "test.jsonl", e);
    dp_run_desc_add(&d, "pairs", "%s", r->fp[ST_PAIRS]);
    dp_run_desc_add(&d, "train", "%s", r->fp[ST_TRAIN]);
    dp_run_desc_add(&d, "samples", "%ld", c->eval_samples);
    dp_run_desc_add(&d, "greedy", "%s", c->greedy ? "true" : "false");
    dp_run_desc_add(&d, "max_new_tokens", "%ld", c->eval_max_new_tokens ? c->eval_max_new_tokens : c->max_new_tokens);
    dp_run_desc_add(&d, "seed", "%ld", c->seed);
    dp_run_desc_add(&d, "precision", "%s", c->precision);
    dp_run_desc_add(&d, "title", "%s", c->title ? c->title : "");
    static const char *const out[] = {"report.json", "report.md", "report.html", "labels.jsonl", NULL};
    if (!rc) rc = stage(r, ST_EVAL, &d, run_eval, out, false, e);
    dp_run_desc_free(&d);
    return rc;
}

/* ---------------------------------------------------------------- main */

/* While the stages run, their own output (funnels, tables) goes to stderr (nowhere with
 * --quiet), so stdout holds only the summary. Returns the saved stdout, or -1. */
static int stdout_aside(bool quiet)
{
    fflush(stdout);
    int saved = dup(STDOUT_FILENO), to = quiet ? open("/dev/null", O_WRONLY | O_CLOEXEC) : STDERR_FILENO;
    if (saved >= 0 && to >= 0) dup2(to, STDOUT_FILENO);
    if (quiet && to >= 0) close(to);
    return saved;
}

static void stdout_back(int saved)
{
    fflush(stdout);
    if (saved < 0) return;
    dup2(saved, STDOUT_FILENO);
    close(saved);
}

static void summary(const struct run *r, double wall)
{
    struct dp_eval_report er;
    struct dp_error e = {0};
    char path[PATH_MAX + 32];
    snprintf(path, sizeof path, "%s/report.json", r->dir[ST_EVAL]);
    int rc = dp_eval_report_load(&er, path, &e);
    char took[32];
    if (wall < 60) snprintf(took, sizeof took, "%.1f s", wall);
    else snprintf(took, sizeof took, "%dm%02ds", (int)(wall / 60), (int)wall % 60);
    printf("dpoison run: base model %s, %ld pairs, %s (work folder %s)\n\n", r->model, r->pairs_written, took, r->workdir);
    if (!rc) {
        struct dp_sbuf t = {0};
        dp_eval_report_table(&t, &er.r);
        fputs(t.p, stdout);
        dp_sbuf_free(&t);
    } else {
        cli_error(&e);
    }
    dp_eval_report_free(&er);
    printf("\nstages:");
    for (int s = 0; s < ST_COUNT; s++)
        printf("%s %s %.1f s%s", s ? "," : "", stage_names[s], r->seconds[s], r->reused[s] ? " (reused)" : "");
    if (r->c.pairs_file) printf("\npairs: %ld from %s", r->pairs_written, r->c.pairs_file);
    printf("\nreport: %s/report.html (report.md, report.json, labels.jsonl beside it)\n", r->dir[ST_EVAL]);
}

/* One dpoison run per work folder at a time. Returns the lock's descriptor, or -1 (e set). */
static int lock_workdir(const char *dir, struct dp_error *e)
{
    char path[PATH_MAX + 16];
    snprintf(path, sizeof path, "%s/.lock", dir);
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) {
        dp_error_set(e, DP_EIO, path, 0, 0, "cannot open: %s", strerror(errno));
        return -1;
    }
    if (flock(fd, LOCK_EX | LOCK_NB)) {
        close(fd);
        dp_error_set(e, DP_EINVAL, "", 0, 0, "another dpoison run is using %s", dir);
        return -1;
    }
    return fd;
}

static int setup(struct run *r, struct dp_error *e)
{
    int rc = 0;
    if (r->c.model) r->model = dp_xstrdup(r->c.model);
    else rc = dp_run_bundled_model(NULL, &r->model, e);
    if (!rc) rc = dp_run_fp_model(r->model, &r->model_fp, e);
    for (int s = 0; s < ST_COUNT; s++) snprintf(r->dir[s], sizeof r->dir[s], "%s/%s", r->workdir, stage_names[s]);
    if (!rc) rc = dp_mkdirs(r->workdir, e);
    return rc;
}

int dp_cmd_run(int argc, char **argv)
{
    struct run r = {0};
    dp_run_config_init(&r.c);
    int rc = parse_opts(argc, argv, &r);
    if (rc >= 0 || r.print_config) {
        if (rc < 0) {
            struct dp_sbuf b = {0};
            dp_run_config_json(&b, &r.c);
            fputs(b.p, stdout);
            dp_sbuf_free(&b);
        }
        dp_run_config_free(&r.c);
        return rc < 0 ? 0 : rc;
    }
    struct dp_error e = {0};
    double t0 = dp_now();
    int lock = -1;
    rc = setup(&r, &e);
    if (!rc && (lock = lock_workdir(r.workdir, &e)) < 0) rc = DP_EINVAL;
    if (!rc) {
        struct dp_sbuf b = {0}, path = {0};
        dp_run_config_json(&b, &r.c);
        dp_sbuf_printf(&path, "%s/config.json", r.workdir);
        rc = dp_file_write_atomic(path.p, b.p, b.n, &e);
        dp_sbuf_free(&b);
        dp_sbuf_free(&path);
    }
    if (!rc) {
        note(&r, "base model %s, work folder %s", r.model, r.workdir);
        int saved = stdout_aside(r.quiet);
        rc = do_prompts(&r, &e);
        if (!rc) rc = do_pairs(&r, &e);
        if (!rc) rc = do_train(&r, &e);
        if (!rc) rc = do_eval(&r, &e);
        stdout_back(saved);
    }
    if (rc < 0) cli_error(&e);
    if (!rc) summary(&r, dp_now() - t0);
    if (lock >= 0) close(lock);
    free(r.model);
    dp_run_config_free(&r.c);
    return rc ? 1 : 0;
}
