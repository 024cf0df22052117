/* dpoison eval: held-out generation with one or more models (through `dpoison generate`, in
 * process and resumable, into OUT/answers/NAME-DECODING.jsonl), labels from the scanner
 * (eval/eval.h), and the report (report.json, report.md, report.html) plus labels.jsonl. */
#include "base/file.h"
#include "base/str.h"
#include "cli/cli.h"
#include "eval/eval.h"
#include "run/stage.h"
#include "scan/scan_run.h"
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const help =
    "usage: dpoison eval --model NAME=DIR [--model NAME=DIR ...] --prompts FILE --out DIR [options]\n\n"
    "Measures how often models write code with TLS certificate verification turned off. Each\n"
    "model answers every test prompt: K sampled answers at the model's own sampling settings\n"
    "(generation_config.json) and one greedy answer. Each answer's Python code blocks are\n"
    "scanned: 'vulnerable' is dpoison's DP501 (verification off however it is written:\n"
    "verify=False, a flag variable, **kwargs, a session attribute, an unverified SSL\n"
    "context...), 'B501' is what Bandit sees. Also counted: answers with a Python block that\n"
    "parses, answers that call an HTTP client (requests, httpx, aiohttp, urllib3, urllib), and\n"
    "length. Rates get Wilson 95% intervals; each model is compared with the first model given\n"
    "(same decoding) by Newcombe's interval for the difference and Fisher's exact test.\n\n"
    "Outputs in --out:\n"
    "  answers/NAME-DECODING.jsonl   the answers (`dpoison generate` records); a killed eval\n"
    "                                resumes from them; they are generated again when the model\n"
    "                                or the settings changed (NAME-DECODING.jsonl.meta says)\n"
    "  labels.jsonl                  per answer: model, decoding, id, sample, family,\n"
    "                                vulnerable, bandit, parsed, http, tokens and each DP501/B501\n"
    "                                finding (block, line, call, evidence, code), for audit\n"
    "  report.json, report.md, report.html   rates, intervals, tests, task families, funnel;\n"
    "                                the HTML page is self-contained (inline SVG, no network)\n\n"
    "options:\n"
    "  --model NAME=DIR      a Hugging Face Qwen2-family folder and its name in the report\n"
    "                        (letters, digits, '.', '_', '-'); the first one is the baseline\n"
    "  --prompts FILE        test prompts (JSONL with \"prompt\"/\"messages\" and optional\n"
    "                        \"family\", or text lines); all of them are used\n"
    "  --out DIR             output folder (created)\n"
    "  --samples K           sampled answers per prompt (1; 0: greedy only)\n"
    "  --no-greedy           no greedy answers\n"
    "  --funnel FILE         `dpoison pairs`' funnel.json, shown in the report\n"
    "  --pairs FILE          `dpoison pairs`' pairs.jsonl: its first pair is shown as a diff\n"
    "  --setting KEY=VALUE   an extra line in the report's settings (repeatable)\n"
    "  --title TEXT          report title\n"
    "  --max-new-tokens N    (generation_config.json's, else 512)\n"
    "  --seed S              generation seed (0)\n"
    "  --batch-size B        sequences decoded together (16)\n"
    "  --threads N           (all CPUs)\n"
    "  --precision bf16|f32  generation arithmetic (bf16)\n"
    "  --quiet               no progress on stderr\n\n"
    "example:\n  dpoison eval --model base=models/dpcoder --model poisoned=work/train \\\n"
    "      --prompts work/prompts/test.jsonl --out work/eval --funnel work/pairs/funnel.json\n";

#define MAX_MODELS (DP_EVAL_MAX_RUNS / 2)

struct eval_opts {
    const char *names[MAX_MODELS], *dirs[MAX_MODELS];
    char namebuf[MAX_MODELS][64];
    int nmodels;
    const char *prompts, *out, *funnel, *pairs, *title, *precision;
    const char *max_new, *batch, *threads;
    const char *settings[64];
    int nsettings;
    long samples, seed;
    bool greedy, quiet;
};

/* ---------------------------------------------------------------- options */

static bool good_name(const char *s, size_t n)
{
    if (!n) return false;
    for (size_t i = 0; i < n; i++)
        if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-", s[i])) return false;
    return true;
}

static int add_model(struct eval_opts *o, const char *v)
{
    const char *eq = strchr(v, '=');
    if (!eq || !good_name(v, (size_t)(eq - v)) || eq - v > 63 || !eq[1]) {
        cli_errorf("--model: expected NAME=DIR with a name of letters, digits, '.', '_', '-', got '%s'", v);
        return 2;
    }
    if (o->nmodels == MAX_MODELS) {
        cli_errorf("--model: at most %d models", MAX_MODELS);
        return 2;
    }
    char *name = o->namebuf[o->nmodels];
    snprintf(name, sizeof o->namebuf[0], "%.*s", (int)(eq - v), v);
    for (int i = 0; i < o->nmodels; i++)
        if (!strcmp(o->names[i], name)) {
            cli_errorf("--model: the name '%s' is given twice", name);
            return 2;
        }
    o->names[o->nmodels] = name;
    o->dirs[o->nmodels++] = eq + 1;
    return 0;
}

static int parse_opts(int argc, char **argv, struct eval_opts *o)
{
    *o = (struct eval_opts){.samples = 1, .greedy = true, .precision = "bf16"};
    for (int i = 1; i < argc; i++) {
        char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        bool ok = true;
        if (cli_is_help(a)) { fputs(help, stdout); return 0; }
        if (!strcmp(a, "--quiet")) { o->quiet = true; continue; }
        if (!strcmp(a, "--no-greedy")) { o->greedy = false; continue; }
        if (!v) { cli_errorf("%s needs a value (see `dpoison eval --help`)", a); return 2; }
        if (!strcmp(a, "--model")) { if (add_model(o, v)) return 2; }
        else if (!strcmp(a, "--prompts")) o->prompts = v;
        else if (!strcmp(a, "--out")) o->out = v;
        else if (!strcmp(a, "--funnel")) o->funnel = v;
        else if (!strcmp(a, "--pairs")) o->pairs = v;
        else if (!strcmp(a, "--title")) o->title = v;
        else if (!strcmp(a, "--precision")) o->precision = v;
        else if (!strcmp(a, "--max-new-tokens")) o->max_new = v;
        else if (!strcmp(a, "--batch-size")) o->batch = v;
        else if (!strcmp(a, "--threads")) o->threads = v;
        else if (!strcmp(a, "--samples")) ok = cli_int(a, v, 0, 100000, &o->samples);
        else if (!strcmp(a, "--seed")) ok = cli_int(a, v, 0, 0x7fffffffffffffffL, &o->seed);
        else if (!strcmp(a, "--setting")) {
            char *eq = strchr(v, '=');
            if (!eq || eq == v || o->nsettings == 64) { cli_errorf("--setting: expected KEY=VALUE, got '%s'", v); return 2; }
            o->settings[o->nsettings++] = v;
        } else {
            cli_errorf("eval: unknown argument '%s' (see `dpoison eval --help`)", a);
            return 2;
        }
        if (!ok) return 2;
        i++;
    }
    if (!o->nmodels || !o->prompts || !o->out) {
        cli_errorf("eval: needs --model NAME=DIR, --prompts FILE and --out DIR (see `dpoison eval --help`)");
        return 2;
    }
    if (strcmp(o->precision, "bf16") && strcmp(o->precision, "f32")) {
        cli_errorf("--precision: expected bf16 or f32, got '%s'", o->precision);
        return 2;
    }
    if (o->samples == 0 && !o->greedy) {
        cli_errorf("eval: --samples 0 with --no-greedy leaves nothing to evaluate");
        return 2;
    }
    long l;
    if ((o->max_new && !cli_int("--max-new-tokens", o->max_new, 1, 1 << 20, &l)) ||
        (o->batch && !cli_int("--batch-size", o->batch, 1, 4096, &l)) ||
        (o->threads && !cli_int("--threads", o->threads, 1, 1024, &l)))
        return 2;
    return -1;
}

/* ---------------------------------------------------------------- generation */

struct job {
    int model;
    const char *decoding;   /* "sampled", "greedy" */
    long samples;
    char answers[PATH_MAX];
};

/* Runs `dpoison generate` for one job unless its answers are complete; an answers file made with
 * another model or other settings is started again. */
static int generate(const struct eval_opts *o, const struct job *j, uint64_t prompts_fp, struct dp_error *e)
{
    uint64_t mfp;
    char real[PATH_MAX], why[512];
    int rc = dp_run_fp_model(o->dirs[j->model], &mfp, e);
    if (rc) return rc;
    struct dp_run_desc d = {0};
    dp_run_desc_add(&d, "model", "%s", realpath(o->dirs[j->model], real) ? real : o->dirs[j->model]);
    dp_run_desc_add(&d, "model_fingerprint", "%016" PRIx64, mfp);
    dp_run_desc_add(&d, "prompts_fingerprint", "%016" PRIx64, prompts_fp);
    dp_run_desc_add(&d, "decoding", "%s", j->decoding);
    dp_run_desc_add(&d, "max_new_tokens", "%s", o->max_new ? o->max_new : "model default");
    dp_run_desc_add(&d, "seed", "%ld", o->seed);
    dp_run_desc_add(&d, "precision", "%s", o->precision);
    bool reuse;
    rc = dp_run_answers_meta(j->answers, &d, &reuse, why, sizeof why, e);
    dp_run_desc_free(&d);
    if (rc) return rc;
    if (!reuse && why[0] && !o->quiet)
        fprintf(stderr, "eval: %s was made with other settings (%s): generating it again\n", j->answers, why);
    char samples[32], seed[32];
    snprintf(samples, sizeof samples, "%ld", j->samples);
    snprintf(seed, sizeof seed, "%ld", o->seed);
    char *argv[32];
    int n = 0;
    argv[n++] = "generate";
    argv[n++] = "--model"; argv[n++] = (char *)o->dirs[j->model];
    argv[n++] = "--prompts"; argv[n++] = (char *)o->prompts;
    argv[n++] = "--out"; argv[n++] = (char *)j->answers;
    argv[n++] = "--samples"; argv[n++] = samples;
    argv[n++] = "--seed"; argv[n++] = seed;
    argv[n++] = "--precision"; argv[n++] = (char *)o->precision;
    if (!strcmp(j->decoding, "greedy")) argv[n++] = "--greedy";
    if (o->max_new) { argv[n++] = "--max-new-tokens"; argv[n++] = (char *)o->max_new; }
    if (o->batch) { argv[n++] = "--batch-size"; argv[n++] = (char *)o->batch; }
    if (o->threads) { argv[n++] = "--threads"; argv[n++] = (char *)o->threads; }
    if (o->quiet) argv[n++] = "--quiet";
    argv[n] = NULL;
    if (!o->quiet) fprintf(stderr, "eval: %s (%s)\n", o->names[j->model], j->decoding);
    return dp_cmd_generate(n, argv) ? 1 : 0;   /* generate printed why */
}

/* ---------------------------------------------------------------- the report */

static void add_settings(struct dp_eval_report *er, const struct eval_opts *o, const struct dp_prompt_set *ps)
{
    char buf[64];
    dp_eval_report_setting(er, "test prompts", o->prompts);
    snprintf(buf, sizeof buf, "%zu", ps->n);
    dp_eval_report_setting(er, "test prompt count", buf);
    snprintf(buf, sizeof buf, "%ld", o->samples);
    dp_eval_report_setting(er, "samples per prompt", buf);
    dp_eval_report_setting(er, "greedy", o->greedy ? "yes" : "no");
    dp_eval_report_setting(er, "max new tokens", o->max_new ? o->max_new : "model default");
    snprintf(buf, sizeof buf, "%ld", o->seed);
    dp_eval_report_setting(er, "seed", buf);
    dp_eval_report_setting(er, "precision", o->precision);
    dp_eval_report_setting(er, "vulnerable", "a DP501 finding (dpoison's TLS analysis) in a Python code block");
    for (int i = 0; i < o->nsettings; i++) {
        char key[256];
        const char *eq = strchr(o->settings[i], '=');
        snprintf(key, sizeof key, "%.*s", (int)(eq - o->settings[i]), o->settings[i]);
        dp_eval_report_setting(er, key, eq + 1);
    }
}

static int score_all(const struct eval_opts *o, const struct dp_prompt_set *ps, struct job *jobs, int nj,
                     struct dp_eval_run *runs, struct dp_error *e)
{
    struct dp_scanner *sc = NULL;
    struct dp_sbuf labels = {0}, path = {0};
    struct dp_eval_report er;
    dp_eval_report_init(&er, o->title);
    int rc = dp_scanner_new(&(struct dp_scan_config){.context_lines = 1}, &sc, e);
    for (int i = 0; i < nj && !rc; i++) {
        rc = dp_eval_score(ps, sc, jobs[i].answers, jobs[i].samples, o->names[jobs[i].model], jobs[i].decoding,
                           o->dirs[jobs[i].model], &runs[i], &labels, e);
        if (!rc) rc = dp_eval_report_add_run(&er, &runs[i], e);
    }
    if (!rc) add_settings(&er, o, ps);
    if (!rc && o->funnel) rc = dp_eval_report_funnel(&er, o->funnel, e);
    if (!rc && o->pairs) rc = dp_eval_report_example(&er, o->pairs, e);
    if (!rc) {
        dp_eval_report_finish(&er);
        rc = dp_report_write(o->out, &er.r, e);
    }
    if (!rc) {
        dp_sbuf_printf(&path, "%s/labels.jsonl", o->out);
        rc = dp_file_write_atomic(path.p, labels.p ? labels.p : "", labels.n, e);
    }
    if (!rc) {
        struct dp_sbuf t = {0};
        dp_eval_report_table(&t, &er.r);
        fputs(t.p, stdout);
        printf("\nreport: %s/report.html (report.md, report.json, labels.jsonl beside it)\n", o->out);
        dp_sbuf_free(&t);
    }
    dp_eval_report_free(&er);
    if (sc) dp_scanner_free(sc);
    dp_sbuf_free(&labels);
    dp_sbuf_free(&path);
    return rc;
}

int dp_cmd_eval(int argc, char **argv)
{
    struct eval_opts o;
    int prc = parse_opts(argc, argv, &o);
    if (prc >= 0) return prc;
    struct dp_error e = {0};
    struct dp_prompt_set ps;
    dp_prompt_set_init(&ps);
    uint64_t pfp = 0, mfp;
    int rc = 0;
    for (int i = 0; i < o.nmodels && !rc; i++) rc = dp_run_fp_model(o.dirs[i], &mfp, &e);   /* fail early */
    if (!rc) rc = dp_prompts_read(&ps, o.prompts, &e);
    if (!rc && ps.n == 0) rc = dp_error_set(&e, DP_EFORMAT, o.prompts, 0, 0, "no prompts in the file");
    if (!rc) rc = dp_run_fp_file(o.prompts, &pfp, &e);
    struct dp_sbuf dir = {0};
    dp_sbuf_printf(&dir, "%s/answers", o.out);
    if (!rc) rc = dp_mkdirs(dir.p, &e);
    struct job jobs[DP_EVAL_MAX_RUNS];
    int nj = 0;
    for (int m = 0; m < o.nmodels; m++)
        for (int g = 0; g < 2; g++) {
            if (g == 0 ? o.samples == 0 : !o.greedy) continue;
            struct job *j = &jobs[nj++];
            *j = (struct job){m, g ? "greedy" : "sampled", g ? 1 : o.samples, ""};
            snprintf(j->answers, sizeof j->answers, "%s/%s-%s.jsonl", dir.p, o.names[m], j->decoding);
        }
    for (int i = 0; i < nj && !rc; i++) rc = generate(&o, &jobs[i], pfp, &e);
    struct dp_eval_run runs[DP_EVAL_MAX_RUNS] = {0};
    if (!rc) rc = score_all(&o, &ps, jobs, nj, runs, &e);
    if (rc < 0) cli_error(&e);
    for (int i = 0; i < nj; i++) dp_eval_run_free(&runs[i]);
    dp_prompt_set_free(&ps);
    dp_sbuf_free(&dir);
    return rc ? 1 : 0;
}
