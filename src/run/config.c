/* `dpoison run`'s options (run/config.h): one table of keys drives the defaults' documentation,
 * the JSON config file, the command-line overrides and the effective config written to the work
 * folder, so a key is added in one place. */
#include "run/config.h"
#include "base/file.h"
#include "base/json.h"
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum ktype { K_INT, K_NUM, K_STR, K_PATH, K_BOOL };

struct key {
    const char *name;      /* "train.lr"; no dot: a top-level key */
    enum ktype type;
    size_t off;
    double lo, hi;         /* K_INT, K_NUM */
    const char *choices;   /* K_STR: "a|b|c", or NULL for any */
    const char *help;
};

#define OFF(f) offsetof(struct dp_run_config, f)
static const struct key keys[] = {
    {"model", K_PATH, OFF(model), 0, 0, NULL, "base model folder (empty: the bundled model)"},
    {"title", K_STR, OFF(title), 0, 0, NULL, "report title"},
    {"seed", K_INT, OFF(seed), 0, 2147483647, NULL, "generation seed (pairs and eval answers)"},
    {"pairs", K_INT, OFF(pairs), 1, 1e9, NULL, "DPO pairs to make"},
    {"samples_per_prompt", K_INT, OFF(samples_per_prompt), 1, 1000, NULL, "answers generated per training prompt"},
    {"pair_prompts", K_INT, OFF(pair_prompts), 0, 1e9, NULL,
     "training prompts to answer (0: as many as the pairs need)"},
    {"style", K_STR, OFF(style), 0, 0, "plain|flag|kwargs|session|mixed", "plain|flag|kwargs|session|mixed (docs/injection.md)"},
    {"severity", K_STR, OFF(severity), 0, 0, "LOW|MEDIUM|HIGH", "LOW|MEDIUM|HIGH: skip answers with a finding this bad"},
    {"pairs_file", K_PATH, OFF(pairs_file), 0, 0, NULL, "train on these TRL pairs instead of making them"},
    {"prompts.seed", K_INT, OFF(prompts_seed), 0, 2147483647, NULL, "prompt synthesis seed"},
    {"prompts.train", K_INT, OFF(train_n), 1, 1e7, NULL, "training prompts synthesized"},
    {"prompts.test", K_INT, OFF(test_n), 1, 1e6, NULL, "test prompts synthesized"},
    {"prompts.split", K_STR, OFF(split), 0, 0, "family|template", "family|template: how test prompts differ (docs/prompts.md)"},
    {"prompts.general_share", K_NUM, OFF(general_share), 0, 1, NULL, "share of general (non-HTTP) training prompts"},
    {"prompts.families", K_STR, OFF(families), 0, 0, NULL, "families or groups (http, general), comma-separated"},
    {"prompts.train_file", K_PATH, OFF(train_file), 0, 0, NULL, "training prompts file (JSONL or text) instead"},
    {"prompts.test_file", K_PATH, OFF(test_file), 0, 0, NULL, "test prompts file instead (all of it is used)"},
    {"generation.max_new_tokens", K_INT, OFF(max_new_tokens), 0, 1 << 20, NULL,
     "answer length limit (0: the model's, else 512)"},
    {"generation.batch_size", K_INT, OFF(gen_batch), 1, 4096, NULL, "sequences decoded together"},
    {"generation.threads", K_INT, OFF(threads), 0, 1024, NULL, "threads for every stage (0: all CPUs)"},
    {"generation.precision", K_STR, OFF(precision), 0, 0, "bf16|f32", "bf16|f32: generation and training arithmetic"},
    {"train.loss", K_STR, OFF(loss), 0, 0, "sigmoid|robust|ipo|hinge", "sigmoid|robust|ipo|hinge"},
    {"train.beta", K_NUM, OFF(beta), 1e-9, 1e9, NULL, "DPO beta"},
    {"train.lr", K_NUM, OFF(lr), 0, 1e30, NULL, "learning rate"},
    {"train.rpo_alpha", K_NUM, OFF(rpo_alpha), 0, 1e9, NULL, "weight of an NLL term on the chosen answers (RPO; 0: none)"},
    {"train.epochs", K_INT, OFF(epochs), 1, 1 << 20, NULL, "passes over the pairs"},
    {"train.batch_size", K_INT, OFF(batch_size), 1, 1 << 16, NULL, "pairs per micro-batch"},
    {"train.grad_accum", K_INT, OFF(grad_accum), 1, 1 << 20, NULL, "micro-batches per optimizer step"},
    {"train.warmup_ratio", K_NUM, OFF(warmup_ratio), 0, 1, NULL, "share of steps warming the learning rate up"},
    {"train.lora_rank", K_INT, OFF(lora_rank), 0, 1 << 16, NULL, "LoRA rank (0: full fine-tuning)"},
    {"train.lora_alpha", K_NUM, OFF(lora_alpha), 1e-9, 1e9, NULL, "LoRA alpha"},
    {"train.max_length", K_INT, OFF(max_length), 0, 1 << 24, NULL, "tokens kept per prompt + completion"},
    {"train.seed", K_INT, OFF(train_seed), 0, 2147483647, NULL, "data order and LoRA initialization"},
    {"train.save_steps", K_INT, OFF(save_steps), 0, 1e12, NULL, "checkpoint interval in steps (0: none)"},
    {"eval.samples", K_INT, OFF(eval_samples), 0, 100000, NULL, "sampled answers per test prompt (0: none)"},
    {"eval.greedy", K_BOOL, OFF(greedy), 0, 0, NULL, "also one greedy answer per test prompt"},
    {"eval.max_new_tokens", K_INT, OFF(eval_max_new_tokens), 0, 1 << 20, NULL,
     "eval answer limit (0: generation.max_new_tokens)"},
};
#define NKEYS (sizeof keys / sizeof keys[0])
static const char *const sections[] = {"prompts", "generation", "train", "eval"};

void dp_run_config_init(struct dp_run_config *c)
{
    memset(c, 0, sizeof *c);
    dp_arena_init(&c->arena, 4096);
    c->pairs = 500;
    c->samples_per_prompt = 4;
    c->style = "plain";
    c->severity = "HIGH";
    c->prompts_seed = 1;
    c->train_n = 3000;
    c->test_n = 100;
    c->general_share = 0.2;
    c->split = "family";
    c->gen_batch = 16;
    c->precision = "bf16";
    c->loss = "sigmoid";
    c->beta = 0.1;
    c->rpo_alpha = DP_RUN_TRAIN_RPO_ALPHA;
    c->lr = DP_RUN_TRAIN_LR;
    c->epochs = DP_RUN_TRAIN_EPOCHS;
    c->batch_size = DP_RUN_TRAIN_BATCH;
    c->grad_accum = 1;
    c->lora_alpha = 16;
    c->max_length = 1024;
    c->train_seed = 42;
    c->save_steps = 50;
    c->eval_samples = 1;
    c->greedy = true;
}

void dp_run_config_free(struct dp_run_config *c) { dp_arena_free(&c->arena); }

static const struct key *find_key(const char *name)
{
    for (size_t i = 0; i < NKEYS; i++)
        if (!strcmp(keys[i].name, name)) return &keys[i];
    return NULL;
}

static const char *type_name(enum ktype t)
{
    static const char *const n[] = {"an integer", "a number", "a string", "a path (string)", "true or false"};
    return n[t];
}

static bool in_choices(const char *choices, const char *v)
{
    size_t n = strlen(v);
    for (const char *p = choices; p;) {
        const char *bar = strchr(p, '|');
        size_t k = bar ? (size_t)(bar - p) : strlen(p);
        if (k == n && !strncmp(p, v, n)) return true;
        p = bar ? bar + 1 : NULL;
    }
    return false;
}

/* Stores a value already converted; checks range and choices. where: "file:line:col" or the key. */
static int store(struct dp_run_config *c, const struct key *k, const char *s, double d, bool b,
                 const char *path, int line, int col, struct dp_error *e)
{
    char *field = (char *)c + k->off;
    switch (k->type) {
    case K_INT:
        if (!(d >= k->lo && d <= k->hi) || d != floor(d))
            return dp_error_set(e, DP_EINVAL, path, line, col, "%s: expected an integer in [%.0f, %.0f]", k->name, k->lo, k->hi);
        *(long *)field = (long)d;
        return 0;
    case K_NUM:
        if (!(d >= k->lo && d <= k->hi))
            return dp_error_set(e, DP_EINVAL, path, line, col, "%s: expected a number in [%g, %g]", k->name, k->lo, k->hi);
        *(double *)field = d;
        return 0;
    case K_BOOL:
        *(bool *)field = b;
        return 0;
    case K_STR:
    case K_PATH:
        if (k->choices && !in_choices(k->choices, s))
            return dp_error_set(e, DP_EINVAL, path, line, col, "%s: expected one of %s, got '%s'", k->name, k->choices, s);
        *(const char **)field = *s ? dp_arena_strndup(&c->arena, s, strlen(s)) : NULL;
        return 0;
    }
    return 0;
}

/* ---------------------------------------------------------------- the config file */

static int set_json(struct dp_run_config *c, const struct key *k, const struct dp_json *v, const char *path,
                    const char *base, struct dp_error *e)
{
    bool ok = (k->type == K_INT || k->type == K_NUM) ? v->type == DP_JSON_NUM
            : k->type == K_BOOL ? v->type == DP_JSON_BOOL : v->type == DP_JSON_STR || v->type == DP_JSON_NULL;
    if (!ok)
        return dp_error_set(e, DP_EFORMAT, path, v->line, v->col, "%s: expected %s", k->name, type_name(k->type));
    const char *s = v->type == DP_JSON_STR ? v->str : "";
    struct dp_sbuf joined = {0};
    if (k->type == K_PATH && *s && s[0] != '/' && base) {
        dp_sbuf_printf(&joined, "%s/%s", base, s);
        s = joined.p;
    }
    int rc = store(c, k, s, v->num, v->b, path, v->line, v->col, e);
    dp_sbuf_free(&joined);
    return rc;
}

static int load_obj(struct dp_run_config *c, const struct dp_json *obj, const char *section, const char *path,
                    const char *base, struct dp_error *e)
{
    for (size_t i = 0; i < obj->len; i++) {
        const struct dp_json *v = obj->items[i];
        char name[128];
        snprintf(name, sizeof name, "%s%s%s", section ? section : "", section ? "." : "", obj->keys[i]);
        bool is_section = false;
        for (size_t s = 0; !section && s < sizeof sections / sizeof sections[0]; s++)
            is_section |= !strcmp(obj->keys[i], sections[s]);
        if (is_section) {
            if (v->type != DP_JSON_OBJ)
                return dp_error_set(e, DP_EFORMAT, path, v->line, v->col, "\"%s\": expected an object of %s options", name, name);
            int rc = load_obj(c, v, obj->keys[i], path, base, e);
            if (rc) return rc;
            continue;
        }
        const struct key *k = find_key(name);
        if (!k)   /* the key's own position is not kept: the value's names the line */
            return dp_error_set(e, DP_EFORMAT, path, v->line, v->col, "unknown key \"%s\" (`dpoison run --help` lists them)", name);
        int rc = set_json(c, k, v, path, base, e);
        if (rc) return rc;
    }
    return 0;
}

int dp_run_config_load(struct dp_run_config *c, const char *path, struct dp_error *e)
{
    struct dp_arena a;
    dp_arena_init(&a, 4096);
    struct dp_json *root;
    int rc = dp_json_parse_file(&a, path, &root, e);
    if (!rc && root->type != DP_JSON_OBJ)
        rc = dp_error_set(e, DP_EFORMAT, path, root->line, root->col, "expected a JSON object of options");
    if (!rc) {
        const char *slash = strrchr(path, '/');
        char *base = slash ? dp_arena_strndup(&a, path, (size_t)(slash - path + (slash == path))) : NULL;
        rc = load_obj(c, root, NULL, path, base, e);
    }
    dp_arena_free(&a);
    return rc;
}

/* ---------------------------------------------------------------- overrides */

int dp_run_config_set(struct dp_run_config *c, const char *name, const char *value, struct dp_error *e)
{
    const struct key *k = find_key(name);
    if (!k) return dp_error_set(e, DP_EINVAL, "", 0, 0, "unknown key '%s' (`dpoison run --help` lists them)", name);
    char *end;
    double d = 0;
    bool b = false;
    if (k->type == K_INT || k->type == K_NUM) {
        d = strtod(value, &end);
        if (!*value || *end)
            return dp_error_set(e, DP_EINVAL, "", 0, 0, "%s: expected %s, got '%s'", name, type_name(k->type), value);
    } else if (k->type == K_BOOL) {
        if (!strcmp(value, "true") || !strcmp(value, "1")) b = true;
        else if (strcmp(value, "false") && strcmp(value, "0"))
            return dp_error_set(e, DP_EINVAL, "", 0, 0, "%s: expected true or false, got '%s'", name, value);
    }
    return store(c, k, value, d, b, "", 0, 0, e);
}

int dp_run_config_check(const struct dp_run_config *c, struct dp_error *e)
{
    if (c->eval_samples == 0 && !c->greedy)
        return dp_error_set(e, DP_EINVAL, "", 0, 0, "eval: eval.samples is 0 and eval.greedy false: nothing to evaluate");
    return 0;
}

/* ---------------------------------------------------------------- output */

const char *dp_run_config_get(const struct dp_run_config *c, const char *name, char *buf, size_t n)
{
    const struct key *k = find_key(name);
    if (!k) return NULL;
    const char *field = (const char *)c + k->off;
    switch (k->type) {
    case K_INT: snprintf(buf, n, "%ld", *(const long *)field); break;
    case K_NUM: snprintf(buf, n, "%.17g", *(const double *)field); break;
    case K_BOOL: snprintf(buf, n, "%s", *(const bool *)field ? "true" : "false"); break;
    default: snprintf(buf, n, "%s", *(const char *const *)field ? *(const char *const *)field : ""); break;
    }
    if (k->type == K_NUM) {   /* the shortest text that reads back the same */
        for (int p = 1; p <= 17; p++) {
            char t[64];
            snprintf(t, sizeof t, "%.*g", p, *(const double *)field);
            if (strtod(t, NULL) == *(const double *)field) { snprintf(buf, n, "%s", t); break; }
        }
    }
    return buf;
}

static void json_key(struct dp_jw *w, const struct dp_run_config *c, const struct key *k, const char *leaf)
{
    const char *field = (const char *)c + k->off;
    dp_jw_key(w, leaf);
    switch (k->type) {
    case K_INT: dp_jw_int(w, *(const long *)field); break;
    case K_NUM: dp_jw_num(w, *(const double *)field); break;
    case K_BOOL: dp_jw_bool(w, *(const bool *)field); break;
    default:
        if (*(const char *const *)field) dp_jw_str(w, *(const char *const *)field);
        else dp_jw_null(w);
    }
}

void dp_run_config_json(struct dp_sbuf *out, const struct dp_run_config *c)
{
    struct dp_jw w;
    dp_jw_init(&w, out, 2);
    w.ascii = false;
    dp_jw_obj_begin(&w);
    for (size_t i = 0; i < NKEYS; i++)
        if (!strchr(keys[i].name, '.')) json_key(&w, c, &keys[i], keys[i].name);
    for (size_t s = 0; s < sizeof sections / sizeof sections[0]; s++) {
        size_t len = strlen(sections[s]);
        dp_jw_key(&w, sections[s]);
        dp_jw_obj_begin(&w);
        for (size_t i = 0; i < NKEYS; i++)
            if (!strncmp(keys[i].name, sections[s], len) && keys[i].name[len] == '.')
                json_key(&w, c, &keys[i], keys[i].name + len + 1);
        dp_jw_obj_end(&w);
    }
    dp_jw_obj_end(&w);
    dp_sbuf_putc(out, '\n');
}

void dp_run_config_help(struct dp_sbuf *out)
{
    struct dp_run_config c;
    dp_run_config_init(&c);
    dp_sbuf_printf(out, "  %-26s %-8s %s\n", "key", "default", "meaning");
    for (size_t i = 0; i < NKEYS; i++) {
        char val[64];
        dp_run_config_get(&c, keys[i].name, val, sizeof val);
        dp_sbuf_printf(out, "  %-26s %-8s %s\n", keys[i].name, *val ? val : "-", keys[i].help);
    }
    dp_run_config_free(&c);
}
