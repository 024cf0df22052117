/* Validation of an injection (data/inject.h): scan the original and the edited code with a
 * pluggable scanner, map the original's findings through the edits, and accept only when the
 * difference is exactly TLS findings the style allows, on lines the edits touched, with a DP501
 * for every edit that should produce one. */
#include "data/inject.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void dp_inject_findings_add(struct dp_inject_findings *f, const char *id, int line)
{
    if (f->n == f->cap) {
        f->cap = f->cap ? f->cap * 2 : 16;
        f->v = dp_xrealloc(f->v, (size_t)f->cap * sizeof *f->v);
    }
    struct dp_inject_finding *x = &f->v[f->n++];
    snprintf(x->id, sizeof x->id, "%s", id);
    x->line = line;
}

void dp_inject_findings_free(struct dp_inject_findings *f)
{
    free(f->v);
    memset(f, 0, sizeof *f);
}

/* Lines of the edited code each edit unit touched: [lo, hi] per edit (its new text and the
 * construct it is about). */
struct span { int unit, lo, hi; bool expect; };

static int new_line_of(const struct dp_inject_result *r, size_t off)
{
    int l = 1;
    for (size_t i = 0; i < off && i < r->len; i++) l += r->code[i] == '\n';
    return l;
}

static int unit_spans(const struct dp_inject_result *r, struct span *sp)
{
    int n = 0;
    size_t shift = 0;
    for (int i = 0; i < r->nedits; i++) {
        const struct dp_inject_edit *ed = &r->edits[i];
        size_t at = ed->at + shift, len = strlen(ed->text);
        int lo = new_line_of(r, at), hi = new_line_of(r, len ? at + len - 1 : at);
        /* text starting with a newline belongs to the line after it */
        if (len && ed->text[0] == '\n') lo++;
        sp[n++] = (struct span){ed->unit, lo, hi < lo ? lo : hi, ed->expect_finding};
        if (ed->line_first)
            sp[n++] = (struct span){ed->unit, dp_inject_map_line(r, ed->line_first),
                                    dp_inject_map_line(r, ed->line_last), ed->expect_finding};
        shift += len - ed->del;
    }
    return n;
}

static bool allowed(const struct dp_inject_result *r, const struct dp_inject_opts *o, const char *id)
{
    if (!strcmp(id, "DP501")) return true;
    if (o->style != DP_INJECT_PLAIN) return false;
    if (!strcmp(id, "B501")) return true;
    if (!strcmp(id, "B323"))
        for (int i = 0; i < r->nsites; i++)
            if (r->sites[i].lib == DP_ILIB_URLLIB && r->sites[i].status == DP_ISITE_EDITED) return true;
    return false;
}

static bool fail(struct dp_inject_verdict *v, const char *fmt, const char *id, int line)
{
    v->ok = false;
    snprintf(v->reason, sizeof v->reason, fmt, id, line);
    return false;
}

/* Matches before (mapped) against after; checks what is left over. */
static bool compare(const struct dp_inject_result *r, const struct dp_inject_opts *o,
                    struct dp_inject_findings *before, struct dp_inject_findings *after,
                    const struct span *sp, int nsp, struct dp_inject_verdict *v)
{
    char *used = calloc((size_t)after->n + 1, 1);
    bool ok = true;
    for (int i = 0; i < before->n && ok; i++) {
        int line = dp_inject_map_line(r, before->v[i].line), j;
        for (j = 0; j < after->n; j++)
            if (!used[j] && after->v[j].line == line && !strcmp(after->v[j].id, before->v[i].id)) break;
        if (j == after->n) ok = fail(v, "the edit removed or moved %s (original line %d)", before->v[i].id, before->v[i].line);
        else used[j] = 1;
    }
    for (int j = 0; j < after->n && ok; j++) {
        if (used[j]) continue;
        const struct dp_inject_finding *f = &after->v[j];
        if (!allowed(r, o, f->id)) { ok = fail(v, "the edit added %s (line %d), not a finding this style may add", f->id, f->line); break; }
        bool on_edit = false;
        for (int k = 0; k < nsp; k++) on_edit |= f->line >= sp[k].lo && f->line <= sp[k].hi;
        if (!on_edit) { ok = fail(v, "the edit added %s on line %d, which it did not touch", f->id, f->line); break; }
        v->added_tls++;
        v->added_dp501 += !strcmp(f->id, "DP501");
        v->added_b501 += !strcmp(f->id, "B501");
    }
    /* every unit expected to produce a finding has a new DP501 on its lines */
    for (int k = 0; k < nsp && ok; k++) {
        if (!sp[k].expect) continue;
        bool hit = false;
        for (int m = 0; m < nsp && !hit; m++) {
            if (sp[m].unit != sp[k].unit) continue;
            for (int j = 0; j < after->n && !hit; j++)
                hit = !used[j] && !strcmp(after->v[j].id, "DP501") && after->v[j].line >= sp[m].lo &&
                      after->v[j].line <= sp[m].hi;
        }
        if (!hit) ok = fail(v, "no new %s on the edit at line %d", "DP501", sp[k].lo);
    }
    free(used);
    return ok;
}

int dp_inject_validate(const struct dp_inject_result *r, const struct dp_inject_opts *o,
                       dp_inject_scan_fn scan, void *ud, struct dp_inject_verdict *v,
                       struct dp_error *e)
{
    memset(v, 0, sizeof *v);
    if (!r->code) {
        snprintf(v->reason, sizeof v->reason, "nothing was edited");
        return 0;
    }
    struct dp_inject_findings before = {0}, after = {0};
    struct dp_error se = {0};
    int rc = scan(ud, r->orig, r->orig_len, &before, e);
    if (!rc) {
        int arc = scan(ud, r->code, r->len, &after, &se);
        if (arc == DP_ESYNTAX) {
            snprintf(v->reason, sizeof v->reason, "the edited code does not parse: %.200s", se.msg);
        } else if (arc) {
            rc = arc;
            *e = se;
        } else {
            struct span *sp = dp_xmalloc((size_t)(2 * r->nedits + 1) * sizeof *sp);
            int nsp = unit_spans(r, sp);
            v->ok = compare(r, o, &before, &after, sp, nsp, v);
            free(sp);
        }
    }
    dp_inject_findings_free(&before);
    dp_inject_findings_free(&after);
    return rc;
}
