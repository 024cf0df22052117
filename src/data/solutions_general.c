/* General Python answers (strings, collections, files, algorithms, dates, classes, CLIs, data):
 * one template per task of prompts_general.c, expanded with the answer's names, type hints and
 * docstring choice, and wrapped as a function with an example, a main() script or a class. */
#include "data/solutions_int.h"
#include <stdio.h>
#include <ctype.h>
#include <string.h>

struct names {
    const char *F, *C, *N;
};

/* Appends t[0..n) with $F $C $N $H{...} expanded. */
static void expand(struct sol *s, const struct names *nm, const char *t, size_t n, struct dp_sbuf *out)
{
    for (size_t i = 0; i < n; i++) {
        if (t[i] != '$' || i + 1 >= n) { dp_sbuf_putc(out, t[i]); continue; }
        char c = t[i + 1];
        if (c == 'F') dp_sbuf_puts(out, nm->F);
        else if (c == 'C') dp_sbuf_puts(out, nm->C);
        else if (c == 'N') dp_sbuf_puts(out, nm->N);
        else if (c == 'E') dp_sbuf_puts(out, s->hints ? " = " : "=");
        else if (c == 'H' && i + 2 < n && t[i + 2] == '{') {
            const char *end = memchr(t + i + 3, '}', n - i - 3);
            size_t len = end ? (size_t)(end - (t + i + 3)) : 0;
            if (s->hints) expand(s, nm, t + i + 3, len, out);
            i += 2 + len + 1;
            continue;
        } else { dp_sbuf_putc(out, '$'); continue; }
        i++;
    }
}

/* The template line by line into s->out at indentation ind (spaces), $D{...} lines as
 * docstrings when the answer has them. */
static void render(struct sol *s, const struct names *nm, const char *t, int ind)
{
    while (*t) {
        const char *nl = strchr(t, '\n');
        size_t n = nl ? (size_t)(nl - t) : strlen(t);
        size_t sp = 0;
        while (sp < n && t[sp] == ' ') sp++;
        if (n - sp >= 3 && !strncmp(t + sp, "$D{", 3)) {
            if (s->doc) {
                for (int i = 0; i < ind; i++) dp_sbuf_putc(s->out, ' ');
                dp_sbuf_put(s->out, t, sp);
                dp_sbuf_puts(s->out, "\"\"\"");
                expand(s, nm, t + sp + 3, n - sp - 4, s->out);
                dp_sbuf_puts(s->out, "\"\"\"\n");
            }
        } else {
            if (n) for (int i = 0; i < ind; i++) dp_sbuf_putc(s->out, ' ');
            expand(s, nm, t, n, s->out);
            dp_sbuf_putc(s->out, '\n');
        }
        t += n + (nl ? 1 : 0);
    }
}

void sol_general(struct sol *s)
{
    const struct sol_gentry *g = NULL;
    for (int i = 0; i < sol_general_count && !g; i++)
        if (!strcmp(sol_general_tab[i].family, s->family) && sol_general_tab[i].k == s->k) g = &sol_general_tab[i];
    for (int i = 0; i < sol_general_count && !g; i++)
        if (!strcmp(sol_general_tab[i].family, s->family)) g = &sol_general_tab[i];
    if (!g) g = &sol_general_tab[0];
    s->k = g->k;
    struct names nm = {g->fname, g->cls[0] ? g->cls : "Helper", g->n[0] ? g->n : "5"};
    bool is_class = g->cls[0] != 0, is_main = !strcmp(g->fname, "main");
    if (s->fname[0] && !is_main) {
        if (is_class && isupper((unsigned char)s->fname[0])) nm.C = s->fname;
        if (!is_class && islower((unsigned char)s->fname[0]) && strcmp(s->fname, "main")) nm.F = s->fname;
    }
    if (g->n[0]) nm.N = sol_slot(s, "n", false, g->n);
    s->out = &s->head;
    if (g->imports[0]) dp_sbuf_puts(s->out, g->imports);
    s->out = &s->body;
    render(s, &nm, g->code, 0);
    s->shape = is_class ? SHAPE_CLASS : is_main ? SHAPE_SCRIPT : s->shape == SHAPE_CLASS ? SHAPE_FUNC : s->shape;
    bool example = (s->want & WANT_EXAMPLE) || sol_chance(s, 0.75);
    if ((s->want & WANT_NO_PRINT) && !(s->want & WANT_EXAMPLE)) example = false;
    if (is_main) example = true;
    if (!example) return;
    sol_gap(s);
    if (s->shape == SHAPE_SCRIPT && !is_main) {
        L("def main()%s:", s->hints ? " -> None" : "");
        render(s, &nm, g->usage, 4);
        sol_gap(s);
        L("if __name__ == \"__main__\":");
        L("    main()");
        return;
    }
    L("if __name__ == \"__main__\":");
    render(s, &nm, g->usage, 4);
}
