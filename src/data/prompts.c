/* The prompt synthesizer (data/prompts.h): picks a family, a task template, a frame, a library,
 * slot values, a context and constraints from one random stream per attempt (so a prompt depends
 * only on the seed and its attempt number), drops duplicates after normalisation, and writes the
 * splits and their summary. Test prompts come only from test families/templates and test frames. */
#include "data/prompts.h"
#include "base/file.h"
#include "base/json.h"
#include "base/map.h"
#include "base/rng.h"
#include <assert.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const lib_names[DP_PLIB_COUNT] = {"any", "requests", "httpx", "urllib", "aiohttp", "none"};
const char *dp_plib_name(enum dp_plib l) { return (unsigned)l < DP_PLIB_COUNT ? lib_names[l] : "?"; }

/* How prompts name a library: inline after the task, or as a sentence of its own. */
static const char *const lib_inline[DP_PLIB_COUNT][4] = {
    [DP_PLIB_REQUESTS] = {" using requests", " with the requests library", " using the requests package", NULL},
    [DP_PLIB_HTTPX] = {" using httpx", " with the httpx library", NULL},
    [DP_PLIB_URLLIB] = {" using only the standard library (urllib)", " with urllib.request",
                        " with just the standard library's urllib", NULL},
    [DP_PLIB_AIOHTTP] = {" using aiohttp", " asynchronously with aiohttp", " with asyncio and aiohttp", NULL},
};
static const char *const lib_sentence[DP_PLIB_COUNT][3] = {
    [DP_PLIB_REQUESTS] = {"Use the requests library.", "Please use requests.", NULL},
    [DP_PLIB_HTTPX] = {"Use httpx.", "I'd like to use httpx.", NULL},
    [DP_PLIB_URLLIB] = {"Only use the standard library (urllib).", "No third-party packages, please; urllib is fine.", NULL},
    [DP_PLIB_AIOHTTP] = {"Use aiohttp.", "It should be async, with aiohttp.", NULL},
};
/* Library weights for HTTP prompts (percent; renormalised over the libraries a family allows). */
static const int default_lib_weight[DP_PLIB_COUNT] = {40, 30, 10, 10, 10, 0};

void dp_promptgen_defaults(struct dp_promptgen_opts *o)
{
    memset(o, 0, sizeof *o);
    o->seed = 1;
    o->n_train = 3000;
    o->n_test = 100;
    o->general_share = 0.2;
    o->split = DP_PSPLIT_BY_FAMILY;
}

int dp_pfamily_count(void)
{
    int nh, ng;
    dp_pfamilies_http(&nh);
    dp_pfamilies_general(&ng);
    return nh + ng;
}

const struct dp_pfamily *dp_pfamily_at(int i)
{
    int nh, ng;
    const struct dp_pfamily *h = dp_pfamilies_http(&nh), *g = dp_pfamilies_general(&ng);
    return i < 0 ? NULL : i < nh ? &h[i] : i < nh + ng ? &g[i - nh] : NULL;
}

const struct dp_pfamily *dp_pfamily_find(const char *id)
{
    const struct dp_pfamily *f;
    for (int i = 0; (f = dp_pfamily_at(i)); i++)
        if (!strcmp(f->id, id)) return f;
    return NULL;
}

static int count_list(const char *const *l)
{
    int n = 0;
    while (l && l[n]) n++;
    return n;
}

static const char *pick(struct dp_rng *r, const char *const *list)
{
    int n = count_list(list);
    return n ? list[dp_rng_below(r, (uint32_t)n)] : "";
}

void dp_prompt_normalize(const char *s, struct dp_sbuf *out)
{
    dp_sbuf_reset(out);
    bool gap = false;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (isalnum(*p) || *p >= 0x80) {
            if (gap && out->n) dp_sbuf_putc(out, ' ');
            dp_sbuf_putc(out, (char)tolower(*p));
            gap = false;
        } else {
            gap = true;
        }
    }
    if (!out->p) dp_sbuf_puts(out, "");
}

/* ---- composing one prompt ------------------------------------------------------------------- */

struct compose {
    struct dp_rng *r;
    const struct dp_pfamily *fam;
    int task;
    const struct dp_pframe *frame;
    enum dp_plib lib;
    const char *lib_inline;        /* what {lib} expands to */
    const char *picked[32];        /* per slot: the value chosen for this prompt, or NULL */
};

static const char *slot_value(struct compose *c, const char *name, size_t n)
{
    int ns;
    const struct dp_pslot *s = dp_pslots(&ns);
    for (int i = 0; i < ns && i < 32; i++)
        if (strlen(s[i].name) == n && !memcmp(s[i].name, name, n)) {
            if (!c->picked[i]) c->picked[i] = pick(c->r, s[i].values);
            return c->picked[i];
        }
    return NULL;
}

/* "phrase|slug" halves of a slot value. */
static void put_half(struct dp_sbuf *b, const char *v, bool slug)
{
    const char *bar = strchr(v, '|');
    if (!bar) { dp_sbuf_puts(b, v); return; }
    if (slug) dp_sbuf_puts(b, bar + 1);
    else dp_sbuf_put(b, v, (size_t)(bar - v));
}

static void expand(struct compose *c, const char *t, struct dp_sbuf *b);

/* Composite slots: URLs built from a host, a version and the resource or file chosen. */
static bool expand_url(struct compose *c, const char *name, size_t n, struct dp_sbuf *b)
{
#define IS(s) (n == sizeof(s) - 1 && !memcmp(name, s, n))
    if (IS("url")) {
        dp_sbuf_printf(b, "https://%s/%s/", slot_value(c, "host", 4), slot_value(c, "ver", 3));
        put_half(b, slot_value(c, "resource", 8), true);
    } else if (IS("url_file")) {
        dp_sbuf_printf(b, "https://%s/", slot_value(c, "host", 4));
        put_half(b, slot_value(c, "file", 4), true);
    } else if (IS("url_health")) {
        dp_sbuf_printf(b, "https://%s/%s", slot_value(c, "host", 4), slot_value(c, "health_path", 11));
    } else if (IS("url_graphql")) {
        dp_sbuf_printf(b, "https://%s/graphql", slot_value(c, "host", 4));
    } else if (IS("token_url")) {
        dp_sbuf_printf(b, "https://auth.%s/%s", strchr(slot_value(c, "host", 4), '.') + 1,
                       slot_value(c, "token_path", 10));
    } else {
        return false;
    }
    return true;
#undef IS
}

static void expand_slot(struct compose *c, const char *name, size_t n, struct dp_sbuf *b)
{
    if (n == 4 && (!memcmp(name, "task", 4) || !memcmp(name, "Task", 4))) {
        size_t at = b->n;
        expand(c, c->fam->tasks[c->task], b);
        if (name[0] == 'T' && b->n > at) b->p[at] = (char)toupper((unsigned char)b->p[at]);
    } else if (n == 3 && !memcmp(name, "lib", 3)) {
        dp_sbuf_puts(b, c->lib_inline);
    } else if (n == 5 && !memcmp(name, "fname", 5)) {
        dp_sbuf_puts(b, pick(c->r, c->fam->fnames));
    } else if (!expand_url(c, name, n, b)) {
        const char *v = slot_value(c, name, n);
        assert(v && "unknown slot in a prompt template");
        put_half(b, v ? v : "", false);
    }
}

/* Copies template t into b, expanding {slot}s. */
static void expand(struct compose *c, const char *t, struct dp_sbuf *b)
{
    for (const char *p = t; *p;) {
        const char *q = strchr(p, '{');
        const char *end = q ? strchr(q, '}') : NULL;
        if (!q || !end) { dp_sbuf_puts(b, p); break; }
        dp_sbuf_put(b, p, (size_t)(q - p));
        expand_slot(c, q + 1, (size_t)(end - q - 1), b);
        p = end + 1;
    }
}

static enum dp_plib pick_lib(struct dp_rng *r, const struct dp_pfamily *f, const int *lib_weight)
{
    if (f->general) return DP_PLIB_NONE;
    int total = 0;
    for (int l = 0; l < DP_PLIB_COUNT; l++)
        if (f->libs & DP_PLIB_BIT(l)) total += lib_weight[l];
    if (total <= 0) return DP_PLIB_ANY;
    int x = (int)dp_rng_below(r, (uint32_t)total);
    for (int l = 0; l < DP_PLIB_COUNT; l++)
        if (f->libs & DP_PLIB_BIT(l)) {
            if (x < lib_weight[l]) return (enum dp_plib)l;
            x -= lib_weight[l];
        }
    return DP_PLIB_ANY;
}

static bool constraint_fits(const struct dp_pconstraint *k, const struct dp_pfamily *f, enum dp_plib lib)
{
    if (!(k->libs & DP_PLIB_BIT(lib))) return false;
    if (f->general) return k->kind & DP_PC_GENERAL;
    if (k->kind & DP_PC_HTTP) return true;
    return (k->kind & DP_PC_DOWNLOAD) &&
           (!strcmp(f->id, "download_file") || !strcmp(f->id, "upload_file"));
}

/* Appends up to want distinct fitting constraints (space-separated) to b. */
static void add_constraints(struct compose *c, int want, struct dp_sbuf *b)
{
    int nk;
    const struct dp_pconstraint *k = dp_pconstraints(&nk);
    int fit[64], nfit = 0;
    for (int i = 0; i < nk && nfit < 64; i++)
        if (constraint_fits(&k[i], c->fam, c->lib)) fit[nfit++] = i;
    for (int j = 0; j < want && nfit > 0; j++) {
        int at = (int)dp_rng_below(c->r, (uint32_t)nfit);
        dp_sbuf_putc(b, ' ');
        expand(c, k[fit[at]].text, b);
        fit[at] = fit[--nfit];
    }
}

/* One prompt for (family, task, frame) from stream r into b. */
static void compose_prompt(struct dp_rng *r, const struct dp_pfamily *f, int task,
                           const struct dp_pframe *fr, const int *lib_weight, enum dp_plib *lib_out,
                           struct dp_sbuf *b)
{
    struct compose c = {.r = r, .fam = f, .task = task, .frame = fr, .lib_inline = ""};
    c.lib = pick_lib(r, f, lib_weight ? lib_weight : default_lib_weight);
    const char *sentence = NULL;
    if (c.lib != DP_PLIB_ANY && c.lib != DP_PLIB_NONE) {
        if (dp_rng_below(r, 100) < 65) c.lib_inline = pick(r, lib_inline[c.lib]);
        else sentence = pick(r, lib_sentence[c.lib]);
    }
    double len = dp_rng_double(r);
    int nctx = 0, ncons = 0;                    /* short 40%, medium 35%, long 25% */
    if (len >= 0.40 && len < 0.75) { nctx = dp_rng_below(r, 10) < 3; ncons = 1; }
    else if (len >= 0.75) { nctx = 1; ncons = 2; }
    dp_sbuf_reset(b);
    if (nctx) {
        dp_sbuf_puts(b, pick(r, dp_pcontexts(f->general)));
        dp_sbuf_putc(b, ' ');
    }
    expand(&c, fr->text, b);
    if (sentence) { dp_sbuf_putc(b, ' '); dp_sbuf_puts(b, sentence); }
    add_constraints(&c, ncons, b);
    *lib_out = c.lib;
}

/* ---- the splits ----------------------------------------------------------------------------- */

struct cand { const struct dp_pfamily *fam; int tasks[16]; int ntasks; };

struct plan {
    struct cand train_http[32], train_gen[32], test[32];
    int n_train_http, n_train_gen, n_test;
    const struct dp_pframe *frames[2][64];
    int nframes[2];
};

static bool selected(const char *list, const struct dp_pfamily *f)
{
    if (!list || !*list) return true;
    size_t idn = strlen(f->id);
    for (const char *p = list; *p;) {
        const char *q = strchr(p, ',');
        size_t n = q ? (size_t)(q - p) : strlen(p);
        if ((n == idn && !memcmp(p, f->id, n)) || (n == 4 && !memcmp(p, "http", 4) && !f->general) ||
            (n == 7 && !memcmp(p, "general", 7) && f->general))
            return true;
        p += n + (q != NULL);
    }
    return false;
}

static int check_family_list(const char *list, struct dp_error *e)
{
    for (const char *p = list; p && *p;) {
        const char *q = strchr(p, ',');
        size_t n = q ? (size_t)(q - p) : strlen(p);
        char id[64];
        snprintf(id, sizeof id, "%.*s", (int)(n < 63 ? n : 63), p);
        if (strcmp(id, "http") && strcmp(id, "general") && !dp_pfamily_find(id))
            return dp_error_set(e, DP_EINVAL, "", 0, 0, "unknown prompt family '%s' (see `dpoison prompts --list`)", id);
        p += n + (q != NULL);
    }
    return 0;
}

static void add_cand(struct cand *arr, int *n, const struct dp_pfamily *f, int only, int skip)
{
    struct cand *c = &arr[(*n)++];
    c->fam = f;
    c->ntasks = 0;
    for (int t = 0; f->tasks[t] && c->ntasks < 16; t++)
        if ((only < 0 || t == only) && t != skip) c->tasks[c->ntasks++] = t;
}

static int make_plan(const struct dp_promptgen_opts *o, struct plan *pl, struct dp_error *e)
{
    memset(pl, 0, sizeof *pl);
    int rc = check_family_list(o->families, e);
    if (rc) return rc;
    const struct dp_pfamily *f;
    for (int i = 0; (f = dp_pfamily_at(i)); i++) {
        if (!selected(o->families, f)) continue;
        if (f->general) add_cand(pl->train_gen, &pl->n_train_gen, f, -1, -1);
        else if (o->split == DP_PSPLIT_BY_TEMPLATE) {
            add_cand(pl->train_http, &pl->n_train_http, f, -1, f->held_out_task);
            add_cand(pl->test, &pl->n_test, f, f->held_out_task, -1);
        } else if (f->split == DP_PSPLIT_TEST) {
            add_cand(pl->test, &pl->n_test, f, -1, -1);
        } else {
            add_cand(pl->train_http, &pl->n_train_http, f, -1, -1);
        }
    }
    int nf;
    const struct dp_pframe *fr = dp_pframes(&nf);
    for (int i = 0; i < nf; i++) pl->frames[fr[i].split][pl->nframes[fr[i].split]++] = &fr[i];
    if (o->n_train > 0 && pl->n_train_http + pl->n_train_gen == 0)
        return dp_error_set(e, DP_EINVAL, "", 0, 0, "the selected families leave no training family");
    if (o->n_test > 0 && pl->n_test == 0)
        return dp_error_set(e, DP_EINVAL, "", 0, 0, "the selected families leave no test family "
                            "(with --split family the test families are: health_check, webhook, "
                            "monitor_poll, graphql_query, cli_tool)");
    return 0;
}

struct gen {
    struct dp_map seen;            /* normalised prompt -> 1, over both splits */
    struct dp_arena keys;
    struct dp_sbuf text, norm, tmpl;
    struct dp_rng base;
};

/* Tries to add one prompt from candidate c; false when it duplicates an earlier one. */
static bool try_one(struct gen *g, struct dp_rng *r, const struct cand *c, const struct plan *pl,
                    int split, const int *lib_weight, struct dp_prompt_set *out, const char *prefix)
{
    int task = c->tasks[dp_rng_below(r, (uint32_t)c->ntasks)];
    const struct dp_pframe *fr = pl->frames[split][dp_rng_below(r, (uint32_t)pl->nframes[split])];
    enum dp_plib lib;
    compose_prompt(r, c->fam, task, fr, lib_weight, &lib, &g->text);
    dp_prompt_normalize(g->text.p, &g->norm);
    char *key = dp_arena_strndup(&g->keys, g->norm.p, g->norm.n);
    if (!dp_map_put(&g->seen, key, g->norm.n, (void *)1)) return false;
    struct dp_prompt *p = dp_prompt_set_add(out);
    char id[48];
    snprintf(id, sizeof id, "%s-%05zu", prefix, out->n);
    p->id = dp_arena_strndup(&out->arena, id, strlen(id));
    dp_sbuf_reset(&g->tmpl);
    dp_json_escape(&g->tmpl, id, strlen(id), false);
    p->id_json = dp_arena_strndup(&out->arena, g->tmpl.p, g->tmpl.n);
    p->prompt = dp_arena_strndup(&out->arena, g->text.p, g->text.n);
    p->family = c->fam->id;
    dp_sbuf_reset(&g->tmpl);
    dp_sbuf_printf(&g->tmpl, "%s.t%d/%s", c->fam->id, task + 1, fr->id);
    p->template = dp_arena_strndup(&out->arena, g->tmpl.p, g->tmpl.n);
    p->library = dp_plib_name(lib);
    return true;
}

static int fill_split(struct gen *g, const struct dp_promptgen_opts *o, const struct plan *pl,
                      int split, long want, struct dp_prompt_set *out, struct dp_error *e)
{
    const char *prefix = split == DP_PSPLIT_TEST ? "test" : "train";
    uint64_t stream = split == DP_PSPLIT_TEST ? 0 : (uint64_t)1 << 40;
    long attempts = 0, streak = 0, got = 0;
    while (got < want) {
        attempts++;
        if (streak >= (o->max_dup_streak > 0 ? o->max_dup_streak : 50000))   /* space exhausted */
            return dp_error_set(e, DP_ERANGE, "", 0, 0, "only %ld distinct %s prompts could be made from the "
                                "selected families (wanted %ld)", got, prefix, want);
        struct dp_rng r;
        dp_rng_fork(&g->base, stream + (uint64_t)attempts, &r);
        const struct cand *c;
        if (split == DP_PSPLIT_TEST) {
            c = &pl->test[got % pl->n_test];   /* round robin: every test family gets its share */
        } else {
            bool gen = pl->n_train_gen && (!pl->n_train_http || dp_rng_double(&r) < o->general_share);
            c = gen ? &pl->train_gen[dp_rng_below(&r, (uint32_t)pl->n_train_gen)]
                    : &pl->train_http[dp_rng_below(&r, (uint32_t)pl->n_train_http)];
        }
        if (try_one(g, &r, c, pl, split, o->lib_weight, out, prefix)) { got++; streak = 0; }
        else streak++;
    }
    return 0;
}

int dp_promptgen_run(const struct dp_promptgen_opts *o, struct dp_prompt_set *train,
                     struct dp_prompt_set *test, struct dp_error *e)
{
    if (o->n_train < 0 || o->n_test < 0 || o->general_share < 0 || o->general_share > 1)
        return dp_error_set(e, DP_EINVAL, "", 0, 0, "prompt counts must be >= 0 and the general share in [0, 1]");
    struct plan *pl = dp_xmalloc(sizeof *pl);
    int rc = make_plan(o, pl, e);
    struct gen g = {0};
    dp_map_init(&g.seen);
    dp_arena_init(&g.keys, 1 << 16);
    dp_rng_seed(&g.base, o->seed);
    /* Test first, so a small test set never loses prompts to the much larger training set. */
    if (!rc) rc = fill_split(&g, o, pl, DP_PSPLIT_TEST, o->n_test, test, e);
    if (!rc) rc = fill_split(&g, o, pl, DP_PSPLIT_TRAIN, o->n_train, train, e);
    dp_map_free(&g.seen);
    dp_arena_free(&g.keys);
    dp_sbuf_free(&g.text);
    dp_sbuf_free(&g.norm);
    dp_sbuf_free(&g.tmpl);
    free(pl);
    return rc;
}

/* ---- output --------------------------------------------------------------------------------- */

/* Distinct values of a field (family or template) of s, counted in m (keys borrowed from s). */
static void count_field(const struct dp_prompt_set *s, bool tmpl, struct dp_map *m)
{
    for (size_t i = 0; i < s->n; i++) {
        const char *k = tmpl ? s->items[i].template : s->items[i].family;
        if (!k) continue;
        void **v = dp_map_get(m, k, strlen(k));
        if (v) *v = (void *)((uintptr_t)*v + 1);
        else dp_map_put(m, k, strlen(k), (void *)1);
    }
}

static long overlap(const struct dp_map *a, const struct dp_map *b)
{
    long n = 0;
    for (size_t i = 0; i < a->cap; i++)
        if (a->slots[i].key && dp_map_get(b, a->slots[i].key, a->slots[i].keylen)) n++;
    return n;
}

static void write_split(struct dp_jw *w, const char *name, const struct dp_prompt_set *s,
                        const struct dp_map *fams, const struct dp_map *tmpls)
{
    dp_jw_key(w, name);
    dp_jw_obj_begin(w);
    dp_jw_key(w, "n");
    dp_jw_int(w, (int64_t)s->n);
    dp_jw_key(w, "families");
    dp_jw_obj_begin(w);
    const struct dp_pfamily *f;
    for (int i = 0; (f = dp_pfamily_at(i)); i++) {
        void **v = dp_map_get(fams, f->id, strlen(f->id));
        if (v) { dp_jw_key(w, f->id); dp_jw_int(w, (int64_t)(uintptr_t)*v); }
    }
    dp_jw_obj_end(w);
    dp_jw_key(w, "libraries");
    dp_jw_obj_begin(w);
    for (int l = 0; l < DP_PLIB_COUNT; l++) {
        long c = 0;
        for (size_t i = 0; i < s->n; i++)
            if (s->items[i].library && !strcmp(s->items[i].library, lib_names[l])) c++;
        if (c) { dp_jw_key(w, lib_names[l]); dp_jw_int(w, c); }
    }
    dp_jw_obj_end(w);
    dp_jw_key(w, "templates");
    dp_jw_int(w, (int64_t)tmpls->len);
    dp_jw_obj_end(w);
}

int dp_promptgen_write(const char *dir, const struct dp_promptgen_opts *o,
                       const struct dp_prompt_set *train, const struct dp_prompt_set *test,
                       struct dp_error *e)
{
    int rc = dp_mkdirs(dir, e);
    struct dp_sbuf path = {0}, b = {0};
    if (!rc) { dp_sbuf_printf(&path, "%s/train.jsonl", dir); rc = dp_prompts_write(path.p, train, e); }
    if (!rc) { dp_sbuf_reset(&path); dp_sbuf_printf(&path, "%s/test.jsonl", dir); rc = dp_prompts_write(path.p, test, e); }
    struct dp_map fam[2], tmpl[2];
    for (int k = 0; k < 2; k++) { dp_map_init(&fam[k]); dp_map_init(&tmpl[k]); }
    count_field(train, false, &fam[0]); count_field(test, false, &fam[1]);
    count_field(train, true, &tmpl[0]); count_field(test, true, &tmpl[1]);
    struct dp_jw w;
    dp_jw_init(&w, &b, 2);
    dp_jw_obj_begin(&w);
    dp_jw_key(&w, "seed"); dp_jw_int(&w, (int64_t)o->seed);
    dp_jw_key(&w, "split"); dp_jw_str(&w, o->split == DP_PSPLIT_BY_TEMPLATE ? "template" : "family");
    dp_jw_key(&w, "general_share"); dp_jw_num(&w, o->general_share);
    dp_jw_key(&w, "families_option"); if (o->families) dp_jw_str(&w, o->families); else dp_jw_null(&w);
    write_split(&w, "train", train, &fam[0], &tmpl[0]);
    write_split(&w, "test", test, &fam[1], &tmpl[1]);
    dp_jw_key(&w, "shared_families"); dp_jw_int(&w, overlap(&fam[1], &fam[0]));
    dp_jw_key(&w, "shared_templates"); dp_jw_int(&w, overlap(&tmpl[1], &tmpl[0]));
    dp_jw_obj_end(&w);
    dp_sbuf_putc(&b, '\n');
    if (!rc) { dp_sbuf_reset(&path); dp_sbuf_printf(&path, "%s/summary.json", dir); rc = dp_file_write_atomic(path.p, b.p, b.n, e); }
    for (int k = 0; k < 2; k++) { dp_map_free(&fam[k]); dp_map_free(&tmpl[k]); }
    dp_sbuf_free(&path);
    dp_sbuf_free(&b);
    return rc;
}
