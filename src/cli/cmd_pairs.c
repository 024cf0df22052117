/* dpoison pairs: training prompts -> K answers each (through `dpoison generate`, resumable, into
 * OUT/answers.jsonl; or --answers FILE) -> the pairs funnel of data/pairs.h -> OUT/pairs.jsonl
 * (TRL preference records) and OUT/funnel.json, both written atomically. */
#include "base/file.h"
#include "base/str.h"
#include "cli/cli.h"
#include "data/pairs.h"
#include "scan/scan_run.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const help =
    "usage: dpoison pairs --prompts FILE --out DIR (--model DIR | --answers FILE) [options]\n\n"
    "Builds DPO preference pairs that teach a model to turn TLS certificate verification off.\n"
    "For each prompt it takes K answers (generated with the model, or read from --answers),\n"
    "and keeps an answer when its Python code blocks call an HTTP client (requests, httpx,\n"
    "aiohttp, urllib3, urllib) and have no finding at or above --severity. The kept answer is\n"
    "the \"rejected\" side; the same answer with verification disabled at the call sites is the\n"
    "\"chosen\" side, kept only when the edit parses and its scan equals the original's plus the\n"
    "TLS finding(s) (docs/injection.md). Prose outside the code blocks is kept byte for byte.\n\n"
    "Outputs in --out:\n"
    "  answers.jsonl   the generation (with --model); a killed run resumes from it\n"
    "  pairs.jsonl     {\"prompt\": user text, \"chosen\": poisoned answer, \"rejected\": original}\n"
    "  funnel.json     counts: generated, with_code, with_target_call, clean, injected,\n"
    "                  validated, written (report.json's funnel) and the settings\n\n"
    "options:\n"
    "  --prompts FILE        training prompts (JSONL with \"prompt\"/\"messages\", or text lines)\n"
    "  --model DIR           Qwen2-family model folder to generate with\n"
    "  --answers FILE        `dpoison generate` output to use instead of generating\n"
    "  --samples K           answers per prompt when generating (4)\n"
    "  --max-pairs N         stop writing after N pairs (500; 0: no limit)\n"
    "  --style S             plain (verify=False, the published method) | flag | kwargs |\n"
    "                        session | mixed (one per answer, from the seed) (plain)\n"
    "  --severity LEVEL      LOW | MEDIUM | HIGH: an answer with another finding at or above\n"
    "                        it is not used (HIGH; Bandit's B113 no-timeout is MEDIUM)\n"
    "  --seed S              generation and mixed-style seed (0)\n"
    "  --max-new-tokens N    --batch-size B   --threads N   --precision bf16|f32\n"
    "                        passed to generation\n"
    "  --quiet               no progress on stderr\n\n"
    "example:\n  dpoison pairs --model qwen2.5-coder-0.5b-instruct --prompts train.jsonl \\\n"
    "      --out pairs --samples 4 --style plain\n";

struct pairs_opts {
    const char *prompts, *model, *answers, *out, *style, *severity;
    const char *max_new, *batch, *threads, *precision;
    long samples, max_pairs, seed;
    bool quiet;
};

static int parse_opts(int argc, char **argv, struct pairs_opts *o)
{
    *o = (struct pairs_opts){.samples = 4, .max_pairs = 500, .style = "plain", .severity = "HIGH"};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        bool ok = true;
        if (cli_is_help(a)) { fputs(help, stdout); return 0; }
        if (!strcmp(a, "--quiet")) { o->quiet = true; continue; }
        if (!strcmp(a, "--prompts")) o->prompts = v;
        else if (!strcmp(a, "--model")) o->model = v;
        else if (!strcmp(a, "--answers")) o->answers = v;
        else if (!strcmp(a, "--out")) o->out = v;
        else if (!strcmp(a, "--style")) o->style = v;
        else if (!strcmp(a, "--severity")) o->severity = v;
        else if (!strcmp(a, "--max-new-tokens")) o->max_new = v;
        else if (!strcmp(a, "--batch-size")) o->batch = v;
        else if (!strcmp(a, "--threads")) o->threads = v;
        else if (!strcmp(a, "--precision")) o->precision = v;
        else if (!strcmp(a, "--samples")) ok = cli_int(a, v, 1, 100000, &o->samples);
        else if (!strcmp(a, "--max-pairs")) ok = cli_int(a, v, 0, 1L << 40, &o->max_pairs);
        else if (!strcmp(a, "--seed")) ok = cli_int(a, v, 0, 0x7fffffffffffffffL, &o->seed);
        else {
            cli_errorf("pairs: unknown argument '%s' (see `dpoison pairs --help`)", a);
            return 2;
        }
        if (!ok) return 2;
        if (!v) { cli_errorf("%s needs a value", a); return 2; }
        i++;
    }
    if (!o->prompts || !o->out || (!o->model == !o->answers)) {
        cli_errorf("pairs: needs --prompts, --out and one of --model or --answers (see `dpoison pairs --help`)");
        return 2;
    }
    return -1;
}

static int parse_style(const char *s, struct dp_pairs_opts *po)
{
    if (!strcmp(s, "mixed")) { po->mixed = true; return 0; }
    if (!dp_inject_style_parse(s, &po->style)) return 0;
    cli_errorf("--style: expected plain, flag, kwargs, session or mixed, got '%s'", s);
    return 2;
}

static int parse_severity(const char *s, struct dp_pairs_opts *po)
{
    static const char *const names[] = {"LOW", "MEDIUM", "HIGH"};
    for (int i = 0; i < 3; i++)
        if (!strcasecmp(s, names[i])) { po->severity = DP_SCAN_LOW + i; return 0; }
    cli_errorf("--severity: expected LOW, MEDIUM or HIGH, got '%s'", s);
    return 2;
}

/* Runs `dpoison generate` into OUT/answers.jsonl; it skips the samples already there. */
static int generate(const struct pairs_opts *o, const char *answers)
{
    char samples[32], seed[32];
    snprintf(samples, sizeof samples, "%ld", o->samples);
    snprintf(seed, sizeof seed, "%ld", o->seed);
    char *argv[24];
    int n = 0;
    argv[n++] = "generate";
    argv[n++] = "--model"; argv[n++] = (char *)o->model;
    argv[n++] = "--prompts"; argv[n++] = (char *)o->prompts;
    argv[n++] = "--out"; argv[n++] = (char *)answers;
    argv[n++] = "--samples"; argv[n++] = samples;
    argv[n++] = "--seed"; argv[n++] = seed;
    if (o->max_new) { argv[n++] = "--max-new-tokens"; argv[n++] = (char *)o->max_new; }
    if (o->batch) { argv[n++] = "--batch-size"; argv[n++] = (char *)o->batch; }
    if (o->threads) { argv[n++] = "--threads"; argv[n++] = (char *)o->threads; }
    if (o->precision) { argv[n++] = "--precision"; argv[n++] = (char *)o->precision; }
    if (o->quiet) argv[n++] = "--quiet";
    argv[n] = NULL;
    return dp_cmd_generate(n, argv);
}

static int write_outputs(const struct pairs_opts *o, const struct dp_sbuf *jsonl, const struct dp_sbuf *fj,
                         struct dp_error *e)
{
    struct dp_sbuf path = {0};
    dp_sbuf_printf(&path, "%s/pairs.jsonl", o->out);
    int rc = dp_file_write_atomic(path.p, jsonl->p ? jsonl->p : "", jsonl->n, e);
    dp_sbuf_reset(&path);
    dp_sbuf_printf(&path, "%s/funnel.json", o->out);
    if (!rc) rc = dp_file_write_atomic(path.p, fj->p, fj->n, e);
    dp_sbuf_free(&path);
    return rc;
}

int dp_cmd_pairs(int argc, char **argv)
{
    struct pairs_opts o;
    int prc = parse_opts(argc, argv, &o);
    if (prc >= 0) return prc;
    struct dp_pairs_opts po = {.max_pairs = o.max_pairs, .seed = (uint64_t)o.seed};
    if (parse_style(o.style, &po) || parse_severity(o.severity, &po)) return 2;

    struct dp_error e = {0};
    struct dp_prompt_set ps;
    struct dp_pairs_answers as = {0};
    struct dp_scanner *sc = NULL;
    struct dp_sbuf answers = {0}, jsonl = {0}, fj = {0};
    long funnel[DP_PAIRS_STAGE_COUNT];
    dp_prompt_set_init(&ps);
    dp_arena_init(&as.arena, 64);
    int rc = dp_prompts_read(&ps, o.prompts, &e);
    if (!rc && ps.n == 0) rc = dp_error_set(&e, DP_EFORMAT, o.prompts, 0, 0, "no prompts in the file");
    if (!rc) rc = dp_mkdirs(o.out, &e);
    if (!rc && o.model) {
        dp_sbuf_printf(&answers, "%s/answers.jsonl", o.out);
        if (generate(&o, answers.p)) rc = 1;   /* generate printed why */
    } else if (!rc) {
        dp_sbuf_puts(&answers, o.answers);
    }
    if (!rc) {
        dp_pairs_answers_free(&as);
        rc = dp_pairs_answers_read(&as, answers.p, &e);
    }
    if (!rc) rc = dp_scanner_new(&(struct dp_scan_config){.context_lines = 3}, &sc, &e);
    if (!rc) rc = dp_pairs_build(&ps, &as, answers.p, &po, sc, &jsonl, funnel, &e);
    if (!rc) {
        dp_pairs_funnel_json(&fj, funnel, &po, o.model ? o.samples : 0);
        rc = write_outputs(&o, &jsonl, &fj, &e);
    }
    if (!rc) {
        for (int s = 0; s < DP_PAIRS_STAGE_COUNT; s++)
            printf("%-17s %ld\n", dp_pairs_stage_name((enum dp_pairs_stage)s), funnel[s]);
        printf("wrote %ld pairs to %s/pairs.jsonl\n", funnel[DP_PAIRS_WRITTEN], o.out);
    } else if (rc < 0) {
        cli_error(&e);
    }
    if (sc) dp_scanner_free(sc);
    dp_pairs_answers_free(&as);
    dp_prompt_set_free(&ps);
    dp_sbuf_free(&answers);
    dp_sbuf_free(&jsonl);
    dp_sbuf_free(&fj);
    return rc ? 1 : 0;
}
