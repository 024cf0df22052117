/* dpoison tokenizer-train: learns a byte-level BPE tokenizer (Qwen2's pre-tokenizer, Hugging
 * Face BpeTrainer's merge rule) from text files and writes tokenizer.json and
 * tokenizer_config.json with the ChatML special tokens into a folder. */
#include "base/file.h"
#include "base/log.h"
#include "cli/cli.h"
#include "tok/train.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const help =
    "usage: dpoison tokenizer-train --input PATH... --out DIR [options]\n\n"
    "Learns a byte-level BPE tokenizer from the files (folders: every file under them, in\n"
    "sorted order) and writes DIR/tokenizer.json and DIR/tokenizer_config.json in Qwen2.5's\n"
    "format: its pre-tokenizer regex, NFC, the special tokens <|endoftext|>, <|im_start|>,\n"
    "<|im_end|> after the vocabulary, its chat template. Merges follow Hugging Face's\n"
    "BpeTrainer: the most frequent pair of adjacent tokens first; of pairs equally frequent,\n"
    "the one with the smallest (left id, right id). The same input gives the same bytes.\n\n"
    "options:\n"
    "  --input PATH...       text files or folders (every argument up to the next option)\n"
    "  --out DIR             where the two files go (created)\n"
    "  --vocab-size N        every id, the 3 special tokens included (default 4096)\n"
    "  --min-frequency N     stop when the best pair occurs fewer times (default 2)\n"
    "  --per-line            each line is a sequence, as Hugging Face's Tokenizer.train(files)\n"
    "                        reads files (default: each file is one sequence, as encoding sees it)\n"
    "  --alphabet full|seen  start from all 256 byte tokens (default) or only those seen\n"
    "  --quiet               no statistics on stderr\n\n"
    "example:\n  dpoison tokenizer-train --input corpus/pretrain.txt --vocab-size 4096 --out models/tiny\n";

struct tt_opts {
    struct dp_tok_train_opts t;
    const char *out;
    char **inputs;
    int ninputs;
    bool quiet;
};

static int parse(int argc, char **argv, struct tt_opts *o)
{
    long v;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
        if (cli_is_help(a)) { fputs(help, stdout); return 0; }
        if (!strcmp(a, "--input")) {
            o->inputs = argv + i + 1;
            while (i + 1 < argc && strncmp(argv[i + 1], "--", 2)) { i++; o->ninputs++; }
            if (!o->ninputs) { cli_errorf("--input needs at least one file"); return 2; }
        } else if (!strcmp(a, "--out")) {
            if (!val) { cli_errorf("--out needs a value"); return 2; }
            o->out = argv[++i];
        } else if (!strcmp(a, "--vocab-size")) {
            if (!cli_int(a, val, 259, 1 << 24, &v)) return 2;
            o->t.vocab_size = (size_t)v;
            i++;
        } else if (!strcmp(a, "--min-frequency")) {
            if (!cli_int(a, val, 0, 1L << 40, &v)) return 2;
            o->t.min_frequency = (uint64_t)v;
            i++;
        } else if (!strcmp(a, "--alphabet")) {
            if (!val || (strcmp(val, "full") && strcmp(val, "seen"))) {
                cli_errorf("--alphabet: expected full or seen");
                return 2;
            }
            o->t.seen_alphabet = !strcmp(argv[++i], "seen");
        } else if (!strcmp(a, "--per-line")) {
            o->t.per_line = true;
        } else if (!strcmp(a, "--quiet")) {
            o->quiet = true;
        } else {
            cli_errorf("unknown option '%s' (see `dpoison tokenizer-train --help`)", a);
            return 2;
        }
    }
    if (!o->ninputs || !o->out) {
        cli_errorf("tokenizer-train needs --input and --out (see --help)");
        return 2;
    }
    return -1;
}

struct feed_ctx {
    struct dp_tok_trainer *tr;
    struct dp_error *e;
};

static int feed_file(const char *path, void *ud)
{
    struct feed_ctx *c = ud;
    char *text;
    size_t n;
    int rc = dp_file_read(path, &text, &n, c->e);
    if (rc) return rc;
    rc = dp_tok_trainer_feed(c->tr, text, n, c->e);
    if (rc && !c->e->path[0]) snprintf(c->e->path, sizeof c->e->path, "%s", path);
    free(text);
    return rc;
}

static void report(const struct dp_tok_train_stats *s, const char *out)
{
    double mb = (double)s->bytes / 1e6, total = s->count_s + s->merge_s;
    fprintf(stderr,
            "tokenizer-train: %zu files, %.2f MB, %llu words (%zu distinct)\n"
            "tokenizer-train: counting %.2f s (%.1f MB/s), merging %.2f s; %zu merges, "
            "vocabulary %zu + 3 special = %zu ids; %.1f MB/s overall\n"
            "tokenizer-train: wrote %s/tokenizer.json and %s/tokenizer_config.json\n",
            s->docs, mb, (unsigned long long)s->words, s->unique_words, s->count_s,
            s->count_s > 0 ? mb / s->count_s : 0.0, s->merge_s, s->merges, s->model_vocab,
            s->model_vocab + 3, total > 0 ? mb / total : 0.0, out, out);
}

int dp_cmd_tokenizer_train(int argc, char **argv)
{
    struct tt_opts o = {0};
    dp_tok_train_opts_default(&o.t);
    int rc = parse(argc, argv, &o);
    if (rc >= 0) return rc;
    rc = 0;
    struct dp_error e = {0};
    struct dp_tok_trainer *tr;
    if (dp_tok_trainer_new(&o.t, &tr, &e)) { cli_error(&e); return 1; }
    struct feed_ctx c = {tr, &e};
    for (int i = 0; i < o.ninputs && !rc; i++) {
        int kind = dp_file_exists(o.inputs[i]);
        if (kind == 2) rc = dp_dir_walk(o.inputs[i], NULL, feed_file, &c, &e);
        else rc = feed_file(o.inputs[i], &c);
    }
    if (!rc) rc = dp_tok_trainer_train(tr, &e);
    if (!rc) rc = dp_tok_trainer_write(tr, o.out, &e);
    if (rc) {
        cli_error(&e);
        dp_tok_trainer_free(tr);
        return 1;
    }
    if (!o.quiet) report(dp_tok_trainer_stats(tr), o.out);
    dp_tok_trainer_free(tr);
    return 0;
}
