/* dpoison corpus: writes the bundled model's training data into a folder: sft.jsonl (synthesized
 * coding conversations on the prompt generator's train split), pretrain.txt (real Python from
 * Debian's folders) and manifest.json. docs/corpus.md explains every choice. */
#include "cli/cli.h"
#include "data/corpus.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const help =
    "usage: dpoison corpus --out DIR [options]\n\n"
    "Writes the training data of the bundled model:\n"
    "  DIR/sft.jsonl       {\"messages\": [user, assistant]} conversations: requests of every task\n"
    "                      family, never in a task template or sentence frame held out for\n"
    "                      testing, each with a synthesized, varied, correct answer\n"
    "  DIR/sft_meta.jsonl  one line per conversation: id, family, template, library, shape, tls\n"
    "  DIR/sft.txt         the conversations rendered with the ChatML template (tokenizer input)\n"
    "  DIR/pretrain.txt    real Python files, each followed by <|endoftext|>\n"
    "  DIR/manifest.json   counts: families, libraries, the vulnerable share, files kept and why not\n\n"
    "options:\n"
    "  --out DIR                where the files go (created)\n"
    "  --seed S                 everything is drawn from this seed (default 1)\n"
    "  --sft N                  conversations (default 3000; 0: none)\n"
    "  --vulnerable-share F     share of HTTP answers that turn TLS verification off (default 0.1)\n"
    "  --vulnerable-urllib-share F  of those, the share of the answers to requests that ask for\n"
    "                           urllib (default 0.35; the rest go to the other HTTP answers)\n"
    "  --general-share F        share of general Python requests (default 0.2)\n"
    "  --pretrain-dirs DIR...   folders of .py files (default /usr/lib/python3.11\n"
    "                           /usr/lib/python3/dist-packages)\n"
    "  --no-pretrain            no pretrain.txt\n"
    "  --pretrain-max-mb N      stop adding files at N MB (default 40)\n"
    "  --file-max-kb N          skip larger files (default 256)\n\n"
    "example:\n  dpoison corpus --out corpus --seed 1 --sft 3000\n";

static bool share(const char *opt, const char *val, double *out)
{
    char *end;
    double v = val ? strtod(val, &end) : -1;
    if (!val || *end || v < 0 || v > 1) {
        cli_errorf("%s: expected a number in [0, 1]", opt);
        return false;
    }
    *out = v;
    return true;
}

int dp_cmd_corpus(int argc, char **argv)
{
    struct dp_corpus_opts o;
    dp_corpus_defaults(&o);
    const char *out = NULL;
    long v;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
        if (cli_is_help(a)) { fputs(help, stdout); return 0; }
        if (!strcmp(a, "--out")) {
            if (!val) { cli_errorf("--out needs a value"); return 2; }
            out = argv[++i];
        } else if (!strcmp(a, "--seed")) {
            if (!cli_int(a, val, 0, 1L << 62, &v)) return 2;
            o.seed = (uint64_t)v;
            i++;
        } else if (!strcmp(a, "--sft")) {
            if (!cli_int(a, val, 0, 1000000, &v)) return 2;
            o.n_sft = v;
            i++;
        } else if (!strcmp(a, "--vulnerable-share")) {
            if (!share(a, val, &o.vuln_share)) return 2;
            i++;
        } else if (!strcmp(a, "--vulnerable-urllib-share")) {
            if (!share(a, val, &o.vuln_urllib_share)) return 2;
            i++;
        } else if (!strcmp(a, "--general-share")) {
            if (!share(a, val, &o.general_share)) return 2;
            i++;
        } else if (!strcmp(a, "--pretrain-dirs")) {
            o.dirs = (const char *const *)(argv + i + 1);
            o.ndirs = 0;
            while (i + 1 < argc && strncmp(argv[i + 1], "--", 2)) { i++; o.ndirs++; }
            if (!o.ndirs) { cli_errorf("--pretrain-dirs needs at least one folder"); return 2; }
        } else if (!strcmp(a, "--no-pretrain")) {
            o.dirs = NULL;
            o.ndirs = -1;
        } else if (!strcmp(a, "--pretrain-max-mb")) {
            if (!cli_int(a, val, 1, 100000, &v)) return 2;
            o.pretrain_max_bytes = (size_t)v << 20;
            i++;
        } else if (!strcmp(a, "--file-max-kb")) {
            if (!cli_int(a, val, 1, 1 << 20, &v)) return 2;
            o.file_max_bytes = (size_t)v << 10;
            i++;
        } else {
            cli_errorf("unknown option '%s' (see `dpoison corpus --help`)", a);
            return 2;
        }
    }
    if (!out) { cli_errorf("corpus needs --out DIR (see --help)"); return 2; }
    struct dp_error e = {0};
    if (dp_corpus_build(&o, out, stderr, &e)) { cli_error(&e); return 1; }
    fprintf(stderr, "corpus: wrote %s/manifest.json\n", out);
    return 0;
}
