/* Internals shared by corpus.c (SFT, manifest) and corpus_pretrain.c (pretraining text). */
#ifndef DP_DATA_CORPUS_INT_H
#define DP_DATA_CORPUS_INT_H
#include "data/corpus.h"

struct corpus_pretrain_stats {
    long files_seen, files_kept, duplicates, too_large, not_utf8, generated_like, empty;
    long over_cap;                 /* files left out because the size cap was reached */
    uint64_t bytes;
    long http_files;               /* kept files that call requests / httpx / urllib / aiohttp */
    long http_files_dp501;         /* ... of which DP501 finds verification turned off */
    long requests_get_files, requests_get_dp501;   /* files calling requests.get, and with DP501 */
};

/* Writes dir/pretrain.txt from the folders of o. */
int corpus_pretrain(const struct dp_corpus_opts *o, const char *dir, struct corpus_pretrain_stats *st,
                    FILE *log, struct dp_error *e);

#endif
