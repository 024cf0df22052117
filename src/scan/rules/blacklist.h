/* Bandit's blacklists as data rows: B3xx calls (blacklist_calls.c) and B4xx imports
 * (blacklist_imports.c), in Bandit 1.9.4's order, with its names, messages ("{name}" is replaced
 * by what matched), severities and CWE ids. The matching is the B001 rule (b001_blacklist.c). */
#ifndef DP_SCAN_RULES_BLACKLIST_H
#define DP_SCAN_RULES_BLACKLIST_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct dp_scan_blacklist {
    const char *id, *name;              /* "B301", "pickle" */
    int cwe;
    uint8_t severity;                   /* enum dp_scan_level; confidence is always HIGH */
    const char *message;
    const char *const *qualnames;       /* NULL-terminated; calls: globs, imports: prefixes */
};

/* Both end with a row whose id is NULL. */
extern const struct dp_scan_blacklist dp_blacklist_calls[];
extern const struct dp_scan_blacklist dp_blacklist_imports[];

/* Whether name[0..n) is the first dotted part of some qualname of either table (b001). */
bool dp_blacklist_root_known(const char *name, size_t n);

/* The row with this id in either table, or NULL. */
const struct dp_scan_blacklist *dp_blacklist_find(const char *id);

#endif
