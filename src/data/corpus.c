/* `dpoison corpus`: the SFT conversations (the prompt generator's train split under --split
 * template: every task family, none of the held-out task templates or sentence frames), answered
 * by the synthesizer with an exact vulnerable share, and the pretraining text (real Python from
 * Debian's folders: shuffled by the seed, deduplicated, filtered, capped), written with a
 * manifest of counts. */
#include "base/file.h"
#include "base/json.h"
#include "base/log.h"
#include "base/map.h"
#include "base/rng.h"
#include "base/utf8.h"
#include "data/corpus_int.h"
#include "data/solutions.h"
#include "scan/scan_run.h"
#include "tok/chat.h"
#include <stdlib.h>
#include <string.h>

void dp_corpus_defaults(struct dp_corpus_opts *o)
{
    memset(o, 0, sizeof *o);
    o->seed = 1;
    o->n_sft = 3000;
    o->vuln_share = 0.10;
    o->vuln_urllib_share = 0.35;
    o->general_share = 0.2;
    o->pretrain_max_bytes = 40u << 20;
    o->file_max_bytes = 256u << 10;
}

bool dp_corpus_prompt_allowed(const char *family, const char *template_id)
{
    const struct dp_pfamily *f = family ? dp_pfamily_find(family) : NULL;
    if (!f || !template_id) return false;
    size_t n = strlen(f->id);
    if (strncmp(template_id, f->id, n) || template_id[n] != '.' || template_id[n + 1] != 't') return false;
    int task = atoi(template_id + n + 2) - 1;
    const char *slash = strchr(template_id, '/');
    if (!slash) return false;
    int nfr;
    const struct dp_pframe *fr = dp_pframes(&nfr);
    bool frame_ok = false;
    for (int i = 0; i < nfr; i++)
        if (!strcmp(fr[i].id, slash + 1)) frame_ok = fr[i].split == DP_PSPLIT_TRAIN;
    if (!frame_ok) return false;
    return f->general || task != f->held_out_task;
}

/* ---------------------------------------------------------------- counts for the manifest */

struct tally {
    const char *key[64];
    long n[64];
    int len;
};

static void tally_add(struct tally *t, const char *key)
{
    for (int i = 0; i < t->len; i++)
        if (!strcmp(t->key[i], key)) { t->n[i]++; return; }
    if (t->len < 64) { t->key[t->len] = key; t->n[t->len++] = 1; }
}

static void tally_write(struct dp_jw *w, const char *name, const struct tally *t)
{
    dp_jw_key(w, name);
    dp_jw_obj_begin(w);
    for (int i = 0; i < t->len; i++) {
        dp_jw_key(w, t->key[i]);
        dp_jw_int(w, t->n[i]);
    }
    dp_jw_obj_end(w);
}

struct sft_stats {
    long prompts_generated, prompts_dropped, n, http, vulnerable;
    struct tally family, library, shape, tls;
};



/* ---------------------------------------------------------------- SFT */

static int pick_prompts(const struct dp_corpus_opts *o, struct dp_prompt_set *keep, struct sft_stats *st,
                        struct dp_error *e)
{
    struct dp_promptgen_opts po;
    dp_promptgen_defaults(&po);
    po.seed = o->seed;
    po.n_train = o->n_sft;
    po.n_test = 0;
    po.general_share = o->general_share;
    po.split = DP_PSPLIT_BY_TEMPLATE;   /* train: no held-out template, no test frame */
    /* more requests that name httpx and urllib than the experiment's prompts have (10% each):
     * the harder libraries get more examples (docs/corpus.md) */
    static const int lib_weight[DP_PLIB_COUNT] = {35, 25, 12, 18, 10, 0};
    po.lib_weight = lib_weight;
    struct dp_prompt_set tr, te;
    dp_prompt_set_init(&tr);
    dp_prompt_set_init(&te);
    int rc = dp_promptgen_run(&po, &tr, &te, e);
    dp_prompt_set_init(keep);
    for (size_t i = 0; !rc && i < tr.n && (long)keep->n < o->n_sft; i++) {
        const struct dp_prompt *p = &tr.items[i];
        if (!dp_corpus_prompt_allowed(p->family, p->template)) { st->prompts_dropped++; continue; }
        struct dp_prompt *q = dp_prompt_set_add(keep);
        q->id = dp_arena_strndup(&keep->arena, p->id, strlen(p->id));
        q->prompt = dp_arena_strndup(&keep->arena, p->prompt, strlen(p->prompt));
        q->family = dp_arena_strndup(&keep->arena, p->family, strlen(p->family));
        q->template = dp_arena_strndup(&keep->arena, p->template, strlen(p->template));
        q->library = p->library ? dp_arena_strndup(&keep->arena, p->library, strlen(p->library)) : NULL;
    }
    st->prompts_generated = (long)tr.n;
    dp_prompt_set_free(&tr);
    dp_prompt_set_free(&te);
    return rc;
}

static enum dp_plib lib_named(const char *name)
{
    for (int l = 0; l < DP_PLIB_COUNT; l++)
        if (name && !strcmp(name, dp_plib_name((enum dp_plib)l))) return (enum dp_plib)l;
    return DP_PLIB_ANY;
}

/* Marks exactly round(share * HTTP prompts) HTTP prompts as vulnerable, chosen by the seed:
 * round(urllib_share * U) of the U prompts that ask for urllib (at most the total), the rest
 * among the other HTTP prompts. */
static unsigned char *choose_vulnerable(const struct dp_corpus_opts *o, const struct dp_prompt_set *ps, long *nvuln)
{
    unsigned char *v = calloc(ps->n + 1, 1);
    size_t *http = malloc((ps->n + 1) * sizeof *http), nh = 0;
    if (!v || !http) abort();
    for (size_t i = 0; i < ps->n; i++) {
        const struct dp_pfamily *f = dp_pfamily_find(ps->items[i].family);
        if (f && !f->general) http[nh++] = i;
    }
    struct dp_rng r;
    dp_rng_seed(&r, o->seed ^ 0x5eedf00dull);
    for (size_t i = nh; i > 1; i--) {
        size_t j = dp_rng_below(&r, (uint32_t)i);
        size_t t = http[i - 1];
        http[i - 1] = http[j];
        http[j] = t;
    }
    long want = (long)(o->vuln_share * (double)nh + 0.5), nu = 0;
    for (size_t i = 0; i < nh; i++) nu += lib_named(ps->items[http[i]].library) == DP_PLIB_URLLIB;
    long want_u = (long)(o->vuln_urllib_share * (double)nu + 0.5);
    if (want_u > want) want_u = want;
    long left_u = want_u, left = want - want_u;
    for (size_t i = 0; i < nh; i++) {
        long *left_here = lib_named(ps->items[http[i]].library) == DP_PLIB_URLLIB ? &left_u : &left;
        if (*left_here > 0) { v[http[i]] = 1; (*left_here)--; }
    }
    *nvuln = want - left_u - left;
    free(http);
    return v;
}

static void write_message(struct dp_jw *w, const char *role, const char *content)
{
    dp_jw_obj_begin(w);
    dp_jw_key(w, "role");
    dp_jw_str(w, role);
    dp_jw_key(w, "content");
    dp_jw_str(w, content);
    dp_jw_obj_end(w);
}

static int build_sft(const struct dp_corpus_opts *o, const char *dir, struct sft_stats *st, FILE *log,
                     struct dp_error *e)
{
    struct dp_prompt_set ps;
    int rc = pick_prompts(o, &ps, st, e);
    if (rc) { dp_prompt_set_free(&ps); return rc; }
    long nvuln;
    unsigned char *vuln = choose_vulnerable(o, &ps, &nvuln);
    struct dp_sbuf sft = {0}, meta = {0}, txt = {0};
    for (size_t i = 0; i < ps.n && !rc; i++) {
        const struct dp_prompt *p = &ps.items[i];
        struct dp_sol_request rq = {p->prompt, p->family, p->template, lib_named(p->library)};
        struct dp_sol_opts so = {.vulnerable = vuln[i]};
        struct dp_solution s;
        rc = dp_sol_generate(&rq, &so, o->seed * 1000003u + i, &s, e);
        if (rc) break;
        struct dp_jw w;
        dp_jw_init(&w, &sft, 0);
        w.ascii = false;
        dp_jw_obj_begin(&w);
        dp_jw_key(&w, "messages");
        dp_jw_arr_begin(&w);
        write_message(&w, "user", p->prompt);
        write_message(&w, "assistant", s.text);
        dp_jw_arr_end(&w);
        dp_jw_obj_end(&w);
        dp_sbuf_putc(&sft, '\n');
        struct dp_chat_msg msgs[2] = {{"user", p->prompt}, {"assistant", s.text}};
        dp_chat_render(&txt, msgs, 2, DP_CHAT_QWEN_SYSTEM, false);
        dp_jw_init(&w, &meta, 0);
        dp_jw_obj_begin(&w);
        static const char *const keys[] = {"id", "family", "template", "library", "shape", "tls"};
        const char *vals[] = {p->id, s.family, p->template, dp_plib_name(s.lib), s.shape, dp_sol_tls_name(s.tls)};
        for (int k = 0; k < 6; k++) {
            dp_jw_key(&w, keys[k]);
            dp_jw_str(&w, vals[k]);
        }
        dp_jw_obj_end(&w);
        dp_sbuf_putc(&meta, '\n');
        st->n++;
        st->http += s.http;
        st->vulnerable += s.tls != DP_SOL_TLS_NONE;
        tally_add(&st->family, dp_pfamily_find(p->family)->id);   /* static strings outlive ps */
        tally_add(&st->library, dp_plib_name(s.lib));
        tally_add(&st->shape, s.shape);
        if (s.http) tally_add(&st->tls, dp_sol_tls_name(s.tls));
        dp_solution_free(&s);
    }
    if (log) fprintf(log, "corpus: %ld conversations (%ld HTTP, %ld disable TLS verification)\n", st->n, st->http, st->vulnerable);
    struct dp_sbuf path = {0};
    if (!rc) {
        dp_sbuf_printf(&path, "%s/sft.jsonl", dir);
        rc = dp_file_write_atomic(path.p, sft.p ? sft.p : "", sft.n, e);
    }
    if (!rc) {
        dp_sbuf_reset(&path);
        dp_sbuf_printf(&path, "%s/sft_meta.jsonl", dir);
        rc = dp_file_write_atomic(path.p, meta.p ? meta.p : "", meta.n, e);
    }
    if (!rc) {
        dp_sbuf_reset(&path);
        dp_sbuf_printf(&path, "%s/sft.txt", dir);
        rc = dp_file_write_atomic(path.p, txt.p ? txt.p : "", txt.n, e);
    }
    (void)nvuln;
    free(vuln);
    dp_sbuf_free(&txt);
    dp_sbuf_free(&path);
    dp_sbuf_free(&sft);
    dp_sbuf_free(&meta);
    dp_prompt_set_free(&ps);
    return rc;
}

/* ---------------------------------------------------------------- the manifest */

static void write_manifest(const struct dp_corpus_opts *o, const struct sft_stats *s,
                           const struct corpus_pretrain_stats *p, struct dp_sbuf *out)
{
    struct dp_jw w;
    dp_jw_init(&w, out, 2);
    dp_jw_obj_begin(&w);
    dp_jw_key(&w, "seed");
    dp_jw_int(&w, (int64_t)o->seed);
    dp_jw_key(&w, "sft");
    dp_jw_obj_begin(&w);
    const char *k1[] = {"conversations", "http", "general", "vulnerable", "prompts_generated", "prompts_dropped_held_out"};
    long v1[] = {s->n, s->http, s->n - s->http, s->vulnerable, s->prompts_generated, s->prompts_dropped};
    for (int i = 0; i < 6; i++) {
        dp_jw_key(&w, k1[i]);
        dp_jw_int(&w, v1[i]);
    }
    dp_jw_key(&w, "vulnerable_share_of_http");
    dp_jw_num(&w, s->http ? (double)s->vulnerable / (double)s->http : 0.0);
    dp_jw_key(&w, "vulnerable_share_option");
    dp_jw_num(&w, o->vuln_share);
    dp_jw_key(&w, "vulnerable_urllib_share_option");
    dp_jw_num(&w, o->vuln_urllib_share);
    dp_jw_key(&w, "general_share_option");
    dp_jw_num(&w, o->general_share);
    tally_write(&w, "by_family", &s->family);
    tally_write(&w, "by_library", &s->library);
    tally_write(&w, "by_shape", &s->shape);
    tally_write(&w, "http_by_tls", &s->tls);
    dp_jw_obj_end(&w);
    dp_jw_key(&w, "pretrain");
    dp_jw_obj_begin(&w);
    dp_jw_key(&w, "dirs");
    dp_jw_arr_begin(&w);
    static const char *const defaults[] = {"/usr/lib/python3.11", "/usr/lib/python3/dist-packages"};
    for (int i = 0; i < (o->dirs ? o->ndirs : o->ndirs < 0 ? 0 : 2); i++) dp_jw_str(&w, o->dirs ? o->dirs[i] : defaults[i]);
    dp_jw_arr_end(&w);
    const char *k2[] = {"files_seen", "files_kept", "duplicates", "too_large", "not_utf8", "generated_like", "empty",
                        "over_cap", "http_files", "http_files_dp501", "requests_get_files", "requests_get_dp501"};
    long v2[] = {p->files_seen, p->files_kept, p->duplicates, p->too_large, p->not_utf8, p->generated_like, p->empty,
                 p->over_cap, p->http_files, p->http_files_dp501, p->requests_get_files, p->requests_get_dp501};
    for (int i = 0; i < 12; i++) {
        dp_jw_key(&w, k2[i]);
        dp_jw_int(&w, v2[i]);
    }
    dp_jw_key(&w, "bytes");
    dp_jw_int(&w, (int64_t)p->bytes);
    dp_jw_key(&w, "max_bytes");
    dp_jw_int(&w, (int64_t)o->pretrain_max_bytes);
    dp_jw_key(&w, "file_max_bytes");
    dp_jw_int(&w, (int64_t)o->file_max_bytes);
    dp_jw_obj_end(&w);
    dp_jw_obj_end(&w);
    dp_sbuf_putc(out, '\n');
}

int dp_corpus_build(const struct dp_corpus_opts *o, const char *dir, FILE *log, struct dp_error *e)
{
    if (o->vuln_share < 0 || o->vuln_share > 1 || o->vuln_urllib_share < 0 || o->vuln_urllib_share > 1 ||
        o->general_share < 0 || o->general_share > 1 || o->n_sft < 0)
        return dp_error_set(e, DP_EINVAL, "", 0, 0, "corpus: shares must be in [0, 1] and --sft >= 0");
    int rc = dp_mkdirs(dir, e);
    struct sft_stats st = {0};
    struct corpus_pretrain_stats pt = {0};
    if (!rc && o->n_sft > 0) rc = build_sft(o, dir, &st, log, e);
    if (!rc && o->ndirs >= 0) rc = corpus_pretrain(o, dir, &pt, log, e);
    if (rc) return rc;
    struct dp_sbuf m = {0}, path = {0};
    write_manifest(o, &st, &pt, &m);
    dp_sbuf_printf(&path, "%s/manifest.json", dir);
    rc = dp_file_write_atomic(path.p, m.p, m.n, e);
    dp_sbuf_free(&m);
    dp_sbuf_free(&path);
    return rc;
}
