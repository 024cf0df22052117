/* dpoison prompts: synthesize the prompt sets of the experiment (train.jsonl, test.jsonl and
 * summary.json in --out) from the tables of data/prompts, deterministically from --seed; or list
 * the task families (--list). */
#include "cli/cli.h"
#include "data/prompts.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const help =
    "usage: dpoison prompts --out DIR [options]\n\n"
    "Synthesizes natural coding requests that lead to Python HTTP(S) client code (fetch JSON,\n"
    "download, post, upload, paginate, retry, auth, scrape, webhooks, health checks, ...; naming\n"
    "requests, httpx, urllib, aiohttp or no library) plus a share of general Python tasks, and\n"
    "writes DIR/train.jsonl and DIR/test.jsonl (records {\"id\", \"prompt\", \"family\",\n"
    "\"template\", \"library\"}) and DIR/summary.json. The output depends only on the options.\n"
    "Prompts are distinct after normalisation; test prompts come from families (or templates)\n"
    "and sentence frames that training prompts never use, so they are not paraphrases of them.\n\n"
    "options:\n"
    "  --out DIR               output folder (created)\n"
    "  --seed S                random seed (1)\n"
    "  --n N                   training prompts (3000)\n"
    "  --test-n N              test prompts (100)\n"
    "  --families LIST         comma-separated family ids, or the groups http and general (all)\n"
    "  --split family|template family: test families are held out entirely (default);\n"
    "                          template: every HTTP family in both splits, one task template each\n"
    "                          held out for test\n"
    "  --general-share F       share of training prompts from general families (0.2)\n"
    "  --list                  print the families and exit\n\n"
    "See docs/prompts.md for the families, templates and the split.\n\n"
    "example:\n  dpoison prompts --out work/prompts --seed 7\n";

static void list_families(void)
{
    const struct dp_pfamily *f;
    printf("%-20s %-6s %-5s %s\n", "family", "split", "tasks", "what");
    for (int i = 0; (f = dp_pfamily_at(i)); i++) {
        int nt = 0;
        while (f->tasks[nt]) nt++;
        printf("%-20s %-6s %-5d %s\n", f->id, f->split == DP_PSPLIT_TEST ? "test" : "train", nt, f->desc);
    }
}

static void print_summary(const char *dir, const struct dp_prompt_set *train, const struct dp_prompt_set *test)
{
    printf("wrote %zu train and %zu test prompts to %s/\n", train->n, test->n, dir);
    printf("%-20s %7s %7s\n", "family", "train", "test");
    const struct dp_pfamily *f;
    for (int i = 0; (f = dp_pfamily_at(i)); i++) {
        long c[2] = {0, 0};
        for (size_t k = 0; k < train->n; k++) c[0] += !strcmp(train->items[k].family, f->id);
        for (size_t k = 0; k < test->n; k++) c[1] += !strcmp(test->items[k].family, f->id);
        if (c[0] || c[1]) printf("%-20s %7ld %7ld\n", f->id, c[0], c[1]);
    }
}

int dp_cmd_prompts(int argc, char **argv)
{
    struct dp_promptgen_opts o;
    dp_promptgen_defaults(&o);
    const char *out = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        long n;
        if (cli_is_help(a)) { fputs(help, stdout); return 0; }
        if (!strcmp(a, "--list")) { list_families(); return 0; }
        if (!strcmp(a, "--out") && v) { out = v; i++; }
        else if (!strcmp(a, "--seed")) {
            if (!cli_int(a, v, 0, 0x7fffffffL, &n)) return 2;
            o.seed = (uint64_t)n; i++;
        } else if (!strcmp(a, "--n")) {
            if (!cli_int(a, v, 0, 10000000, &n)) return 2;
            o.n_train = n; i++;
        } else if (!strcmp(a, "--test-n")) {
            if (!cli_int(a, v, 0, 1000000, &n)) return 2;
            o.n_test = n; i++;
        } else if (!strcmp(a, "--families") && v) { o.families = v; i++; }
        else if (!strcmp(a, "--split") && v) {
            if (!strcmp(v, "family")) o.split = DP_PSPLIT_BY_FAMILY;
            else if (!strcmp(v, "template")) o.split = DP_PSPLIT_BY_TEMPLATE;
            else { cli_errorf("--split: expected family or template, got '%s'", v); return 2; }
            i++;
        } else if (!strcmp(a, "--general-share") && v) {
            char *end;
            o.general_share = strtod(v, &end);
            if (!*v || *end || !(o.general_share >= 0 && o.general_share <= 1)) {
                cli_errorf("--general-share: expected a number in [0, 1], got '%s'", v);
                return 2;
            }
            i++;
        } else {
            cli_errorf("prompts: unknown option or missing value '%s' (see `dpoison prompts --help`)", a);
            return 2;
        }
    }
    if (!out) { fputs(help, stderr); return 2; }
    struct dp_prompt_set train, test;
    dp_prompt_set_init(&train);
    dp_prompt_set_init(&test);
    struct dp_error e = {0};
    int rc = dp_promptgen_run(&o, &train, &test, &e);
    if (!rc) rc = dp_promptgen_write(out, &o, &train, &test, &e);
    if (rc) cli_error(&e);
    else print_summary(out, &train, &test);
    dp_prompt_set_free(&train);
    dp_prompt_set_free(&test);
    return rc ? 1 : 0;
}
