/* config.json and generation_config.json readers (see qwen_config.h). Every field is checked for
 * type and range, and an error points at the value (path:line:col). */
#include "model/qwen_config.h"
#include "base/arena.h"
#include "base/file.h"
#include "base/json.h"
#include "base/str.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct cfg_reader {
    const struct dp_json *root;
    const char *path;
    struct dp_error *e;
};

static int bad_field(struct cfg_reader *r, const struct dp_json *v, const char *key, const char *want)
{
    return dp_error_set(r->e, DP_EFORMAT, r->path, v ? v->line : 0, v ? v->col : 0, "'%s': expected %s",
                        key, want);
}

/* Integer field in [lo, hi]; def when absent (def < lo: required). */
static int get_int(struct cfg_reader *r, const char *key, long lo, long hi, long def, int *out)
{
    const struct dp_json *v = dp_json_get(r->root, key);
    if (!v || v->type == DP_JSON_NULL) {
        if (def < lo) return dp_error_set(r->e, DP_EFORMAT, r->path, 0, 0, "missing '%s'", key);
        *out = (int)def;
        return 0;
    }
    if (v->type != DP_JSON_NUM || !v->is_int || v->i < lo || v->i > hi) {
        char want[80];
        snprintf(want, sizeof want, "an integer in [%ld, %ld]", lo, hi);
        return bad_field(r, v, key, want);
    }
    *out = (int)v->i;
    return 0;
}

static int get_num(struct cfg_reader *r, const char *key, double lo, double hi, double def, double *out)
{
    const struct dp_json *v = dp_json_get(r->root, key);
    if (!v || v->type == DP_JSON_NULL) {
        *out = def;
        return 0;
    }
    if (v->type != DP_JSON_NUM || !(v->num >= lo && v->num <= hi)) {
        char want[80];
        snprintf(want, sizeof want, "a number in [%g, %g]", lo, hi);
        return bad_field(r, v, key, want);
    }
    *out = v->num;
    return 0;
}

static int get_bool(struct cfg_reader *r, const char *key, bool def, bool *out)
{
    const struct dp_json *v = dp_json_get(r->root, key);
    if (!v || v->type == DP_JSON_NULL) {
        *out = def;
        return 0;
    }
    if (v->type != DP_JSON_BOOL) return bad_field(r, v, key, "true or false");
    *out = v->b;
    return 0;
}

/* eos_token_id: an integer or a list of integers. Leaves *n untouched when absent. */
static int get_ids(struct cfg_reader *r, const char *key, int32_t *ids, int *n)
{
    const struct dp_json *v = dp_json_get(r->root, key);
    if (!v || v->type == DP_JSON_NULL) return 0;
    const struct dp_json *one[1] = {v};
    const struct dp_json *const *items = v->type == DP_JSON_ARR ? (const struct dp_json *const *)v->items : one;
    size_t cnt = v->type == DP_JSON_ARR ? v->len : 1;
    if (cnt > DP_MAX_STOP_IDS) return bad_field(r, v, key, "at most 8 token ids");
    for (size_t i = 0; i < cnt; i++) {
        const struct dp_json *x = items[i];
        if (x->type != DP_JSON_NUM || !x->is_int || x->i < 0 || x->i > INT32_MAX)
            return bad_field(r, x, key, "a token id or a list of them");
        ids[i] = (int32_t)x->i;
    }
    *n = (int)cnt;
    return 0;
}

static int parse_root(struct dp_arena *a, const char *text, size_t n, const char *path,
                      struct cfg_reader *r, struct dp_error *e)
{
    struct dp_json *root;
    int rc = dp_json_parse(a, text, n, path, &root, e);
    if (rc) return rc;
    if (root->type != DP_JSON_OBJ) return dp_error_set(e, DP_EFORMAT, path, 1, 1, "expected a JSON object");
    r->root = root;
    r->path = path;
    r->e = e;
    return 0;
}

static int check_unsupported(struct cfg_reader *r)
{
    const struct dp_json *v = dp_json_get(r->root, "rope_scaling");
    if (v && v->type != DP_JSON_NULL)
        return dp_error_set(r->e, DP_EFORMAT, r->path, v->line, v->col, "'rope_scaling' is not supported");
    v = dp_json_get(r->root, "use_sliding_window");
    if (v && v->type == DP_JSON_BOOL && v->b)
        return dp_error_set(r->e, DP_EFORMAT, r->path, v->line, v->col, "sliding-window attention is not supported");
    const char *act = dp_json_get_str(r->root, "hidden_act", "silu");
    if (strcmp(act, "silu")) {
        v = dp_json_get(r->root, "hidden_act");
        return dp_error_set(r->e, DP_EFORMAT, r->path, v->line, v->col, "hidden_act '%s' is not supported (silu only)", act);
    }
    const char *mt = dp_json_get_str(r->root, "model_type", "qwen2");
    if (strcmp(mt, "qwen2")) {
        v = dp_json_get(r->root, "model_type");
        return dp_error_set(r->e, DP_EFORMAT, r->path, v->line, v->col, "model_type '%s': only qwen2 is supported", mt);
    }
    return 0;
}

int dp_qwen_config_parse(struct dp_qwen_config *c, const char *text, size_t n, const char *path,
                         struct dp_error *e)
{
    memset(c, 0, sizeof *c);
    struct dp_arena a;
    dp_arena_init(&a, 1 << 14);
    struct cfg_reader r;
    int rc = parse_root(&a, text, n, path, &r, e);
    double eps = 1e-6, theta = 10000;
    int hd = 0;
    if (!rc) rc = check_unsupported(&r);
    if (!rc) rc = get_int(&r, "vocab_size", 1, 1 << 24, -1, &c->V);
    if (!rc) rc = get_int(&r, "hidden_size", 1, 1 << 16, -1, &c->C);
    if (!rc) rc = get_int(&r, "intermediate_size", 1, 1 << 20, -1, &c->F);
    if (!rc) rc = get_int(&r, "num_hidden_layers", 1, 1024, -1, &c->L);
    if (!rc) rc = get_int(&r, "num_attention_heads", 1, 1024, -1, &c->H);
    if (!rc) rc = get_int(&r, "num_key_value_heads", 1, 1024, c->H, &c->Hkv);
    if (!rc) rc = get_int(&r, "head_dim", 0, 4096, 0, &hd);
    if (!rc) rc = get_int(&r, "max_position_embeddings", 1, 1 << 24, 32768, &c->max_pos);
    if (!rc) rc = get_num(&r, "rms_norm_eps", 0, 1, 1e-6, &eps);
    if (!rc) rc = get_num(&r, "rope_theta", 1, 1e12, 10000, &theta);
    if (!rc) rc = get_bool(&r, "tie_word_embeddings", false, &c->tied);
    int bos = -1;
    if (!rc && dp_json_get(r.root, "bos_token_id")) rc = get_int(&r, "bos_token_id", 0, INT32_MAX, 0, &bos);
    if (!rc) rc = get_ids(&r, "eos_token_id", c->eos, &c->n_eos);
    if (!rc) {
        c->eps = (float)eps;
        c->theta = theta;
        c->bos = bos;
        c->D = hd ? hd : c->C / c->H;
        snprintf(c->torch_dtype, sizeof c->torch_dtype, "%s", dp_json_get_str(r.root, "torch_dtype", "float32"));
        if (c->C % c->H && !hd)
            rc = dp_error_set(e, DP_EFORMAT, path, 0, 0, "hidden_size %d is not a multiple of num_attention_heads %d", c->C, c->H);
        else if (c->H % c->Hkv)
            rc = dp_error_set(e, DP_EFORMAT, path, 0, 0, "num_attention_heads %d is not a multiple of num_key_value_heads %d", c->H, c->Hkv);
        else if (c->D % 2)
            rc = dp_error_set(e, DP_EFORMAT, path, 0, 0, "head dimension %d is odd", c->D);
    }
    dp_arena_free(&a);
    return rc;
}

static int load_text(const char *dir, const char *name, char **text, size_t *n, char **path,
                     struct dp_error *e)
{
    struct dp_sbuf p = {0};
    dp_sbuf_printf(&p, "%s/%s", dir, name);
    *path = dp_sbuf_take(&p);
    return dp_file_read(*path, text, n, e);
}

int dp_qwen_config_load(struct dp_qwen_config *c, const char *dir, struct dp_error *e)
{
    char *text, *path;
    size_t n;
    int rc = load_text(dir, "config.json", &text, &n, &path, e);
    if (!rc) {
        rc = dp_qwen_config_parse(c, text, n, path, e);
        free(text);
    }
    free(path);
    return rc;
}

void dp_gen_config_default(struct dp_gen_config *g, const struct dp_qwen_config *c)
{
    memset(g, 0, sizeof *g);
    g->temperature = 1.0f;
    g->top_p = 1.0f;
    g->top_k = 50;
    g->repetition_penalty = 1.0f;
    g->max_new_tokens = -1;
    g->pad = -1;
    if (c) {
        memcpy(g->eos, c->eos, sizeof g->eos);
        g->n_eos = c->n_eos;
    }
}

int dp_gen_config_parse(struct dp_gen_config *g, const char *text, size_t n, const char *path,
                        struct dp_error *e)
{
    struct dp_arena a;
    dp_arena_init(&a, 1 << 12);
    struct cfg_reader r;
    int rc = parse_root(&a, text, n, path, &r, e);
    double t = g->temperature, p = g->top_p, rp = g->repetition_penalty;
    if (!rc) rc = get_bool(&r, "do_sample", g->do_sample, &g->do_sample);
    if (!rc) rc = get_num(&r, "temperature", 0, 1e6, t, &t);
    if (!rc) rc = get_num(&r, "top_p", 0, 1, p, &p);
    if (!rc) rc = get_int(&r, "top_k", 0, INT32_MAX, g->top_k, &g->top_k);
    if (!rc) rc = get_num(&r, "repetition_penalty", 1e-6, 1e6, rp, &rp);
    if (!rc && dp_json_get(r.root, "max_new_tokens"))
        rc = get_int(&r, "max_new_tokens", 0, INT32_MAX, 0, &g->max_new_tokens);
    if (!rc) rc = get_ids(&r, "eos_token_id", g->eos, &g->n_eos);
    if (!rc && dp_json_get(r.root, "pad_token_id")) rc = get_int(&r, "pad_token_id", 0, INT32_MAX, 0, &g->pad);
    g->temperature = (float)t;
    g->top_p = (float)p;
    g->repetition_penalty = (float)rp;
    dp_arena_free(&a);
    return rc;
}

int dp_gen_config_load(struct dp_gen_config *g, const struct dp_qwen_config *c, const char *dir,
                       struct dp_error *e)
{
    dp_gen_config_default(g, c);
    char *text, *path;
    size_t n;
    struct dp_sbuf p = {0};
    dp_sbuf_printf(&p, "%s/generation_config.json", dir);
    int exists = dp_file_exists(p.p) == 1;
    dp_sbuf_free(&p);
    if (!exists) return 0;
    int rc = load_text(dir, "generation_config.json", &text, &n, &path, e);
    if (!rc) {
        rc = dp_gen_config_parse(g, text, n, path, e);
        free(text);
    }
    free(path);
    return rc;
}
