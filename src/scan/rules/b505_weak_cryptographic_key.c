/* B505 weak_cryptographic_key (Bandit 1.9.4, plugins/weak_cryptographic_key.py).
 * What it does: flags DSA/RSA/EC key generation with a literal size below Bandit's defaults:
 * DSA and RSA under 1024 bits HIGH, under 2048 MEDIUM; EC under 160 HIGH, under 224 MEDIUM
 * (HIGH confidence, CWE-326). Calls: cryptography's hazmat.primitives.asymmetric
 * {dsa,rsa,ec}.generate_private_key (key_size= or positional 0 for DSA, 1 for RSA; EC reads
 * the curve= keyword or the first argument as a name: SECP192R1, SECT163K1, SECT163R2 are
 * weak) and PyCrypto/PyCryptodome {Crypto,Cryptodome}.PublicKey.{DSA,RSA}.generate (bits= or
 * the first argument). A missing or falsy size counts as 2048.
 * Why it is bad: such keys can be factored or broken with modest resources.
 * Example:
 *     rsa.generate_private_key(65537, 512)     # B505 HIGH: "RSA key sizes below 1024 bits..."
 *     rsa.generate_private_key(65537, 1024)    # B505 MEDIUM: "...below 2048 bits..."
 *     rsa.generate_private_key(65537, 4096)    # fine
 * Quirk kept: ec.generate_private_key(ec.SECP192R1()) is not flagged,
 * since Bandit reads a call as no value; ec.SECP192R1 (not called) is. */
#include <stdio.h>
#include <string.h>
#include "scan/rules/plugin_util.h"

static void check(struct dp_scan_ctx *ctx);

const struct dp_scan_rule dp_rule_B505 = {
    "B505", "weak_cryptographic_key", {DP_PY_Call, -1, -1, -1}, check, true, NULL};

#define HAZMAT "cryptography.hazmat.primitives.asymmetric."

/* Bandit's _classify_key_size; size is a literal (never None here). */
static void classify(struct dp_scan_ctx *ctx, const char *type, struct dp_plug_lit size)
{
    int high = strcmp(type, "EC") == 0 ? 160 : 1024, medium = strcmp(type, "EC") == 0 ? 224 : 2048;
    double v;
    if (size.kind == DP_PLUG_LIT_STR) return;
    if (size.kind != DP_PLUG_LIT_NUM) return;   /* list < int raises TypeError in Bandit */
    const struct dp_py_const *c = &size.node->v.Constant.value;
    if (c->kind == DP_PY_CONST_COMPLEX) return;   /* TypeError too */
    v = c->kind == DP_PY_CONST_INT ? (c->i_fits ? (double)c->i : 1e300) : c->f;
    int limit = v < high ? high : v < medium ? medium : 0;
    if (!limit) return;
    char text[96];
    snprintf(text, sizeof text, "%s key sizes below %d bits are considered breakable. ", type, limit);
    dp_plug_report(ctx, &dp_rule_B505, 0, limit == high ? DP_SCAN_HIGH : DP_SCAN_MEDIUM,
                   DP_SCAN_HIGH, 326, text);
}

/* key_size = get_call_arg_value(kw) or get_call_arg_at_position(pos) or 2048 */
static void sized(struct dp_scan_ctx *ctx, const char *type, const char *kw, int pos)
{
    struct dp_plug_lit v = dp_plug_kw_value(ctx->node, kw);
    if (!dp_plug_lit_truthy(v)) v = dp_plug_arg_at(ctx->node, pos);
    if (!dp_plug_lit_truthy(v)) return;   /* 2048 is never weak */
    classify(ctx, type, v);
}

static void check(struct dp_scan_ctx *ctx)
{
    static const char *const weak_curves[] = {"SECP192R1", "SECT163K1", "SECT163R2", NULL};
    const char *qual = dp_plug_qual(ctx);
    if (strcmp(qual, HAZMAT "dsa.generate_private_key") == 0) sized(ctx, "DSA", "key_size", 0);
    else if (strcmp(qual, HAZMAT "rsa.generate_private_key") == 0) sized(ctx, "RSA", "key_size", 1);
    else if (strcmp(qual, HAZMAT "ec.generate_private_key") == 0) {
        struct dp_plug_lit curve = dp_plug_kw_value(ctx->node, "curve");
        if (!dp_plug_lit_truthy(curve)) curve = dp_plug_arg_at(ctx->node, 0);
        if (curve.kind == DP_PLUG_LIT_LIST || curve.kind == DP_PLUG_LIT_SET ||
            curve.kind == DP_PLUG_LIT_DICT)
            return;   /* unhashable: `curve in dict` raises */
        if (dp_plug_lit_in(curve, weak_curves)) {
            struct dp_py_node n = {0};   /* the curve's size as an int literal */
            n.kind = DP_PY_Constant;
            n.v.Constant.value.kind = DP_PY_CONST_INT;
            n.v.Constant.value.i_fits = true;
            n.v.Constant.value.i = curve.n == 9 && curve.s[3] == 'P' ? 192 : 163;
            struct dp_plug_lit size = {DP_PLUG_LIT_NUM, NULL, 0, &n};
            classify(ctx, "EC", size);
        }
    } else if (strcmp(qual, "Crypto.PublicKey.DSA.generate") == 0 ||
               strcmp(qual, "Cryptodome.PublicKey.DSA.generate") == 0)
        sized(ctx, "DSA", "bits", 0);
    else if (strcmp(qual, "Crypto.PublicKey.RSA.generate") == 0 ||
             strcmp(qual, "Cryptodome.PublicKey.RSA.generate") == 0)
        sized(ctx, "RSA", "bits", 0);
}
