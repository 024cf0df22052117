/* dpoison generate: run a Hugging Face Qwen2-family model folder on a file of prompts (JSONL
 * records or plain lines), through the ChatML template unless --raw, with sampling defaults
 * from generation_config.json, and append one JSON record per sample to --out (fsync'd), so
 * that rerunning a killed job skips what is already there. */
#include "base/file.h"
#include "base/json.h"
#include "base/log.h"
#include "base/map.h"
#include "cli/cli.h"
#include "model/generate.h"
#include "tok/chat.h"
#include "tok/tok.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const help =
    "usage: dpoison generate --model DIR --prompts FILE --out FILE [options]\n\n"
    "Generates answers with a Hugging Face Qwen2-family model folder (config.json,\n"
    "model.safetensors or shards, tokenizer.json, generation_config.json).\n\n"
    "Prompts: JSONL records {\"id\": ..., \"prompt\": \"...\"} or {\"id\": ..., \"messages\":\n"
    "[{\"role\": ..., \"content\": ...}]}, or plain text lines (id = line number; a line that\n"
    "starts with '{' is read as a record; blank lines are skipped). Unless --raw,\n"
    "prompts go through the ChatML template (Qwen's default system prompt when none is given).\n"
    "Output: one JSON record per sample, {\"id\", \"sample\", \"text\", \"prompt_tokens\",\n"
    "\"completion_tokens\", \"finish_reason\"}, appended and flushed one by one; rerunning with\n"
    "the same --out skips the samples already there. Each (prompt id, sample) has its own random\n"
    "stream, so results do not depend on --batch-size, --threads or the other prompts.\n\n"
    "options (sampling defaults come from generation_config.json):\n"
    "  --samples K              samples per prompt (1)\n"
    "  --temperature T          --top-p P   --top-k K   --repetition-penalty R\n"
    "  --greedy                 argmax decoding (the repetition penalty still applies)\n"
    "  --max-new-tokens N       (generation_config.json's, else 512)\n"
    "  --seed S                 (0)\n"
    "  --raw                    no chat template: the prompt text is the model input\n"
    "  --batch-size B           sequences decoded together (16)\n"
    "  --threads N              (number of CPUs)\n"
    "  --precision bf16|f32     bf16: AVX-512 BF16 dot products for BF16 weights (default,\n"
    "                           ~2x faster); f32: exact fp32 arithmetic as PyTorch\n"
    "  --quiet                  no progress on stderr\n\n"
    "example:\n  dpoison generate --model qwen2.5-coder-0.5b-instruct --prompts prompts.jsonl \\\n"
    "      --out answers.jsonl --samples 4\n";

struct gen_opts {
    const char *model, *prompts, *out, *precision;
    long samples, top_k, max_new, batch, threads;
    double temperature, top_p, rep;
    unsigned long long seed;
    bool greedy, raw, quiet;
    bool set_temp, set_top_p, set_top_k, set_rep;
};

struct prompt {
    char *idjson;            /* the id as compact JSON: the resume key */
    const struct dp_json *id;   /* the id as given (arena), or the line number */
    int32_t *ids;
    int nids;
};

struct run {
    struct gen_opts o;
    struct dp_tok *tok;
    struct prompt *p;
    int np;
    struct dp_map done;      /* "idjson\nsample" of records already in --out */
    struct dp_arena arena;
    int fd;
    long ndone, total;
    double t0, tokens;
    struct dp_log log;
    struct dp_sbuf line, text;
};

/* ---------------------------------------------------------------- options */

static bool num_opt(const char *opt, const char *val, double lo, double hi, double *out)
{
    char *end;
    if (!val) { cli_errorf("%s needs a value", opt); return false; }
    double v = strtod(val, &end);
    if (!*val || *end || !(v >= lo && v <= hi)) {
        cli_errorf("%s: expected a number in [%g, %g], got '%s'", opt, lo, hi, val);
        return false;
    }
    *out = v;
    return true;
}

static int parse_opts(int argc, char **argv, struct gen_opts *o)
{
    *o = (struct gen_opts){.samples = 1, .batch = 16, .threads = dp_cpu_count(), .max_new = -1,
                           .precision = "bf16"};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        bool ok = true, val = true;
        long l;
        if (cli_is_help(a)) { fputs(help, stdout); return 0; }
        if (!strcmp(a, "--model")) o->model = v;
        else if (!strcmp(a, "--prompts")) o->prompts = v;
        else if (!strcmp(a, "--out")) o->out = v;
        else if (!strcmp(a, "--precision")) o->precision = v;
        else if (!strcmp(a, "--samples")) ok = cli_int(a, v, 1, 100000, &o->samples);
        else if (!strcmp(a, "--top-k")) ok = cli_int(a, v, 0, 1 << 30, &o->top_k), o->set_top_k = true;
        else if (!strcmp(a, "--max-new-tokens")) ok = cli_int(a, v, 1, 1 << 20, &o->max_new);
        else if (!strcmp(a, "--batch-size")) ok = cli_int(a, v, 1, 4096, &o->batch);
        else if (!strcmp(a, "--threads")) ok = cli_int(a, v, 1, 1024, &o->threads);
        else if (!strcmp(a, "--seed")) ok = cli_int(a, v, 0, 0x7fffffffffffffffL, &l), o->seed = (unsigned long long)l;
        else if (!strcmp(a, "--temperature")) ok = num_opt(a, v, 0, 1e6, &o->temperature), o->set_temp = true;
        else if (!strcmp(a, "--top-p")) ok = num_opt(a, v, 0, 1, &o->top_p), o->set_top_p = true;
        else if (!strcmp(a, "--repetition-penalty")) ok = num_opt(a, v, 1e-6, 1e6, &o->rep), o->set_rep = true;
        else {
            val = false;
            if (!strcmp(a, "--greedy")) o->greedy = true;
            else if (!strcmp(a, "--raw")) o->raw = true;
            else if (!strcmp(a, "--quiet")) o->quiet = true;
            else {
                cli_errorf("generate: unknown argument '%s' (see `dpoison generate --help`)", a);
                return 2;
            }
        }
        if (!ok) return 2;
        if (val && !v) { cli_errorf("%s needs a value", a); return 2; }
        if (val) i++;
    }
    if (!o->model || !o->prompts || !o->out) {
        fputs(help, stderr);
        return 2;
    }
    if (!o->precision || (strcmp(o->precision, "bf16") && strcmp(o->precision, "f32"))) {
        cli_errorf("--precision: expected bf16 or f32");
        return 2;
    }
    return -1;
}

/* ---------------------------------------------------------------- prompts */

/* Renders one prompt line to model input text in r->text. */
static int prompt_text(struct run *r, const struct dp_json *rec, const char *line, size_t n,
                       const char *path, int lineno, struct dp_error *e)
{
    dp_sbuf_reset(&r->text);
    if (!rec) {   /* a plain text line */
        if (r->o.raw) { dp_sbuf_put(&r->text, line, n); return 0; }
        char *s = dp_arena_strndup(&r->arena, line, n);
        struct dp_chat_msg m = {"user", s};
        dp_chat_render(&r->text, &m, 1, DP_CHAT_QWEN_SYSTEM, true);
        return 0;
    }
    const struct dp_json *pr = dp_json_get(rec, "prompt"), *ms = dp_json_get(rec, "messages");
    if (pr && pr->type == DP_JSON_STR) {
        if (r->o.raw) { dp_sbuf_put(&r->text, pr->str, pr->len); return 0; }
        struct dp_chat_msg m = {"user", pr->str};
        dp_chat_render(&r->text, &m, 1, DP_CHAT_QWEN_SYSTEM, true);
        return 0;
    }
    if (!ms || ms->type != DP_JSON_ARR || ms->len == 0)
        return dp_error_set(e, DP_EFORMAT, path, lineno, 1, "expected a string \"prompt\" or a non-empty \"messages\" list");
    if (r->o.raw)
        return dp_error_set(e, DP_EFORMAT, path, lineno, 1, "--raw takes \"prompt\" records, not \"messages\"");
    struct dp_chat_msg *msgs = dp_xcalloc(ms->len, sizeof *msgs);
    int rc = 0;
    for (size_t i = 0; i < ms->len && !rc; i++) {
        const char *role = dp_json_get_str(ms->items[i], "role", NULL);
        const char *content = dp_json_get_str(ms->items[i], "content", NULL);
        if (!role || !content)
            rc = dp_error_set(e, DP_EFORMAT, path, lineno, ms->items[i]->col,
                              "each message needs string \"role\" and \"content\"");
        msgs[i] = (struct dp_chat_msg){role, content};
    }
    if (!rc) dp_chat_render(&r->text, msgs, ms->len, DP_CHAT_QWEN_SYSTEM, true);
    free(msgs);
    return rc;
}

static int add_prompt(struct run *r, const char *line, size_t n, const char *path, int lineno,
                      struct dp_map *ids, struct dp_error *e)
{
    const struct dp_json *rec = NULL, *id = NULL;
    if (n && line[0] == '{') {
        struct dp_json *root;
        struct dp_error je = {0};
        if (dp_json_parse(&r->arena, line, n, path, &root, &je))
            return dp_error_set(e, DP_EFORMAT, path, lineno, je.col, "%s", je.msg);
        rec = root;
        id = dp_json_get(rec, "id");
    }
    struct dp_sbuf idj = {0};
    struct dp_jw w;
    dp_jw_init(&w, &idj, 0);
    w.compact = true;
    w.ascii = false;
    if (!id || id->type == DP_JSON_NULL) {
        struct dp_json *num = dp_arena_alloc(&r->arena, sizeof *num);
        num->type = DP_JSON_NUM;
        num->is_int = true;
        num->i = lineno;
        num->num = lineno;
        id = num;
    }
    dp_jw_value(&w, id);
    if (!dp_map_put(ids, dp_arena_strndup(&r->arena, idj.p, idj.n), idj.n, (void *)1)) {
        dp_sbuf_free(&idj);
        return dp_error_set(e, DP_EFORMAT, path, lineno, 1, "duplicate prompt id");
    }
    int rc = prompt_text(r, rec, line, n, path, lineno, e);
    struct dp_tok_ids t = {0};
    if (!rc) rc = dp_tok_encode(r->tok, r->text.p ? r->text.p : "", r->text.n, true, &t, e);
    if (!rc && t.n == 0) rc = dp_error_set(e, DP_EFORMAT, path, lineno, 1, "empty prompt");
    if (rc) {
        dp_sbuf_free(&idj);
        dp_tok_ids_free(&t);
        return rc;
    }
    r->p = dp_xrealloc(r->p, (size_t)(r->np + 1) * sizeof *r->p);
    r->p[r->np++] = (struct prompt){dp_sbuf_take(&idj), id, t.v, (int)t.n};
    return 0;
}

static int read_prompts(struct run *r, struct dp_error *e)
{
    char *text;
    size_t n;
    int rc = dp_file_read(r->o.prompts, &text, &n, e);
    if (rc) return rc;
    struct dp_map ids;
    dp_map_init(&ids);
    struct dp_lines it;
    struct dp_line ln;
    dp_lines_init(&it, text, n);
    while (!rc && dp_lines_next(&it, &ln)) rc = add_prompt(r, ln.s, ln.len, r->o.prompts, ln.lineno, &ids, e);
    dp_map_free(&ids);
    free(text);
    return rc;
}

/* ---------------------------------------------------------------- output and resume */

static void done_key(struct dp_sbuf *b, const char *idjson, long sample)
{
    dp_sbuf_reset(b);
    dp_sbuf_printf(b, "%s\n%ld", idjson, sample);
}

/* Loads the records already in --out (a torn last line from a killed run is cut off). */
static int read_done(struct run *r, struct dp_error *e)
{
    if (dp_file_exists(r->o.out) != 1) return 0;
    char *text;
    size_t n;
    int rc = dp_file_read(r->o.out, &text, &n, e);
    if (rc) return rc;
    size_t keep = n;
    while (keep > 0 && text[keep - 1] != '\n') keep--;
    if (keep < n && truncate(r->o.out, (off_t)keep))
        rc = dp_error_set(e, DP_EIO, r->o.out, 0, 0, "cannot cut a torn last line: %s", strerror(errno));
    struct dp_sbuf key = {0}, idj = {0};
    size_t i = 0;
    for (int lineno = 1; i < keep && !rc; lineno++) {
        size_t j = i;
        while (text[j] != '\n') j++;
        struct dp_json *rec;
        if (j > i && !dp_json_parse(&r->arena, text + i, j - i, r->o.out, &rec, e)) {
            const struct dp_json *id = dp_json_get(rec, "id");
            int64_t sample = dp_json_get_int(rec, "sample", -1);
            if (!id || sample < 0) {
                rc = dp_error_set(e, DP_EFORMAT, r->o.out, lineno, 1, "not a generate record (no id or sample)");
                break;
            }
            struct dp_jw w;
            dp_sbuf_reset(&idj);
            dp_jw_init(&w, &idj, 0);
            w.compact = true;
            w.ascii = false;
            dp_jw_value(&w, id);
            done_key(&key, idj.p, (long)sample);
            dp_map_put(&r->done, dp_arena_strndup(&r->arena, key.p, key.n), key.n, (void *)1);
        } else if (j > i) {
            rc = DP_EFORMAT;
            e->line = lineno;
        }
        i = j + 1;
    }
    dp_sbuf_free(&key);
    dp_sbuf_free(&idj);
    free(text);
    return rc;
}

struct job_ref { int prompt; long sample; };

static int on_done(void *ud, const struct dp_gen_job *job, const int32_t *ids, int n, enum dp_finish why)
{
    struct run *r = ud;
    const struct job_ref *jr = job->user;
    const struct prompt *p = &r->p[jr->prompt];
    struct dp_error e = {0};
    dp_sbuf_reset(&r->text);
    if (dp_tok_decode(r->tok, ids, (size_t)n, true, &r->text, &e)) {
        cli_error(&e);
        return 1;
    }
    dp_sbuf_reset(&r->line);
    struct dp_jw w;
    dp_jw_init(&w, &r->line, 0);
    w.compact = true;
    w.ascii = false;
    dp_jw_obj_begin(&w);
    dp_jw_key(&w, "id");
    dp_jw_value(&w, p->id);
    dp_jw_key(&w, "sample");
    dp_jw_int(&w, jr->sample);
    dp_jw_key(&w, "text");
    dp_jw_strn(&w, r->text.p ? r->text.p : "", r->text.n);
    dp_jw_key(&w, "prompt_tokens");
    dp_jw_int(&w, p->nids);
    dp_jw_key(&w, "completion_tokens");
    dp_jw_int(&w, n);
    dp_jw_key(&w, "finish_reason");
    dp_jw_str(&w, dp_finish_name(why));
    dp_jw_obj_end(&w);
    dp_sbuf_putc(&r->line, '\n');
    size_t off = 0;
    while (off < r->line.n) {
        ssize_t k = write(r->fd, r->line.p + off, r->line.n - off);
        if (k < 0 && errno == EINTR) continue;
        if (k < 0) {
            cli_errorf("%s: cannot write: %s", r->o.out, strerror(errno));
            return 1;
        }
        off += (size_t)k;
    }
    if (fsync(r->fd)) {
        cli_errorf("%s: cannot sync: %s", r->o.out, strerror(errno));
        return 1;
    }
    r->ndone++;
    r->tokens += n;
    if (!r->o.quiet) dp_log_progress(&r->log, "generate", r->ndone, r->total, dp_now() - r->t0, r->tokens, "tok");
    return 0;
}

/* ---------------------------------------------------------------- main */

static uint64_t job_seed(uint64_t seed, const char *idjson, long sample)
{
    uint64_t h = dp_hash_bytes(idjson, strlen(idjson)) ^ (seed * 0x9E3779B97F4A7C15ull);
    h ^= (uint64_t)sample * 0xBF58476D1CE4E5B9ull;
    h ^= h >> 31;
    return h * 0x94D049BB133111EBull;
}

static void sampling_params(const struct run *r, const struct dp_gen_config *gc, struct dp_gen_opts *go)
{
    const struct gen_opts *o = &r->o;
    go->sample.greedy = o->greedy || (!gc->do_sample && !o->set_temp && !o->set_top_p && !o->set_top_k);
    go->sample.temperature = o->set_temp ? (float)o->temperature : gc->temperature;
    go->sample.top_p = o->set_top_p ? (float)o->top_p : gc->top_p;
    go->sample.top_k = o->set_top_k ? (int)o->top_k : gc->top_k;
    go->sample.repetition_penalty = o->set_rep ? (float)o->rep : gc->repetition_penalty;
    go->max_new_tokens = o->max_new > 0 ? (int)o->max_new : gc->max_new_tokens > 0 ? gc->max_new_tokens : 512;
    go->batch = (int)o->batch;
    go->prec = strcmp(o->precision, "f32") ? DP_PREC_BF16 : DP_PREC_F32;
}

static int run_jobs(struct run *r, const struct dp_qwen *m, struct dp_pool *pool,
                    struct dp_gen_opts *go, struct dp_error *e)
{
    struct dp_gen_job *jobs = dp_xmalloc((size_t)r->np * (size_t)r->o.samples * sizeof *jobs);
    struct job_ref *refs = dp_xmalloc((size_t)r->np * (size_t)r->o.samples * sizeof *refs);
    struct dp_sbuf key = {0};
    int nj = 0;
    for (int i = 0; i < r->np; i++)
        for (long k = 0; k < r->o.samples; k++) {
            done_key(&key, r->p[i].idjson, k);
            if (dp_map_get(&r->done, key.p, key.n)) continue;
            refs[nj] = (struct job_ref){i, k};
            jobs[nj] = (struct dp_gen_job){r->p[i].ids, r->p[i].nids, job_seed(r->o.seed, r->p[i].idjson, k), &refs[nj]};
            nj++;
        }
    dp_sbuf_free(&key);
    r->total = nj;
    int rc = 0;
    if (nj < r->np * r->o.samples && !r->o.quiet)
        fprintf(stderr, "generate: %ld of %ld samples already in %s\n", r->np * r->o.samples - nj,
                r->np * r->o.samples, r->o.out);
    if (nj > 0) {
        r->fd = open(r->o.out, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
        if (r->fd < 0) rc = dp_error_set(e, DP_EIO, r->o.out, 0, 0, "cannot open: %s", strerror(errno));
        r->t0 = dp_now();
        if (!rc) rc = dp_generate(m, pool, go, jobs, nj, on_done, r, e);
        if (r->fd >= 0) close(r->fd);
    }
    free(jobs);
    free(refs);
    return rc;
}

int dp_cmd_generate(int argc, char **argv)
{
    struct run r = {.fd = -1};
    int prc = parse_opts(argc, argv, &r.o);
    if (prc >= 0) return prc;
    dp_log_init(&r.log, stderr, DP_LOG_INFO);
    dp_arena_init(&r.arena, 1 << 16);
    dp_map_init(&r.done);
    struct dp_error e = {0};
    struct dp_qwen m = {0};
    struct dp_gen_config gc;
    struct dp_pool *pool = dp_pool_create((int)r.o.threads);
    int rc = dp_tok_load(r.o.model, &r.tok, &e);
    if (!rc) rc = read_prompts(&r, &e);
    if (!rc) rc = read_done(&r, &e);
    if (!rc) rc = dp_qwen_load(&m, r.o.model, pool, &e);
    if (!rc) rc = dp_gen_config_load(&gc, &m.cfg, r.o.model, &e);
    if (!rc) {
        struct dp_gen_opts go = {0};
        sampling_params(&r, &gc, &go);
        const struct dp_tok_special *sp = dp_tok_special_ids(r.tok);
        int32_t stop[DP_MAX_STOP_IDS + 1];
        int ns = 0;
        for (int i = 0; i < gc.n_eos; i++) stop[ns++] = gc.eos[i];
        if (ns == 0 && sp->eos >= 0) stop[ns++] = sp->eos;
        go.stop = stop;
        go.nstop = ns;
        rc = run_jobs(&r, &m, pool, &go, &e);
    }
    if (rc < 0 && e.msg[0]) cli_error(&e);   /* rc > 0: on_done said why */
    else if (rc < 0) cli_errorf("generate failed (%s)", dp_error_name(rc));
    for (int i = 0; i < r.np; i++) {
        free(r.p[i].idjson);
        free(r.p[i].ids);
    }
    free(r.p);
    dp_sbuf_free(&r.line);
    dp_sbuf_free(&r.text);
    dp_map_free(&r.done);
    dp_arena_free(&r.arena);
    if (r.tok) dp_tok_free(r.tok);
    dp_qwen_free(&m);
    dp_pool_free(pool);
    return rc ? 1 : 0;
}
