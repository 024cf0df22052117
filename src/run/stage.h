/* What lets `dpoison run` and `dpoison eval` reuse earlier work safely: fingerprints of files and
 * model folders, stage records (workdir/STAGE/stage.json: the fingerprint of the stage's inputs
 * and options, written when the stage starts and again, marked complete, when it ends), "answers
 * meta" files that say which model and settings an answers file was generated with, and finding
 * the bundled model. Not here: running the stages (cli/cmd_run.c). */
#ifndef DP_RUN_STAGE_H
#define DP_RUN_STAGE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "base/error.h"
#include "base/str.h"

/* The bundled default model, relative to the folder of the dpoison executable, its parent, or the
 * current folder (dp_run_bundled_model tries them in that order). */
#define DP_RUN_BUNDLED_MODEL "models/dpcoder"

/* A stage's inputs and options as "key=value" lines, in a fixed order: its fingerprint is the
 * hash of that text, and two descriptions can be compared key by key to say what changed. */
struct dp_run_desc { struct dp_sbuf text; };
void dp_run_desc_add(struct dp_run_desc *d, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
uint64_t dp_run_desc_fp(const struct dp_run_desc *d);
void dp_run_desc_free(struct dp_run_desc *d);
/* "key: old -> new" for each key whose value differs (or that one side lacks), joined by "; ",
 * into out (at most n bytes); "" when they are equal. */
void dp_run_desc_diff(const char *old_text, const char *new_text, char *out, size_t n);

/* Content hash of a file. */
int dp_run_fp_file(const char *path, uint64_t *fp, struct dp_error *e);
/* A model folder's fingerprint: its real path and the name, size and modification time of every
 * top-level *.json and *.safetensors file (a retrained model gets a new one). Errors, one line
 * each: DP_ENOTFOUND "model folder DIR: not found" / "...: not a Hugging Face model folder (no
 * config.json)". */
int dp_run_fp_model(const char *dir, uint64_t *fp, struct dp_error *e);

/* workdir/STAGE/stage.json */
struct dp_run_stage {
    char fp[17];            /* 16 hex digits, "" when there is no record */
    bool complete;
    double seconds;         /* wall time of the attempt that completed */
    char *desc;             /* the description text (malloc'd), or NULL */
};
/* Reads DIR/stage.json; absent: st->fp is "" (not an error). A malformed record is DP_EFORMAT. */
int dp_run_stage_read(const char *dir, struct dp_run_stage *st, struct dp_error *e);
/* Writes DIR/stage.json atomically (creating DIR). */
int dp_run_stage_write(const char *dir, const char *stage, const struct dp_run_desc *d, bool complete,
                       double seconds, struct dp_error *e);
void dp_run_stage_free(struct dp_run_stage *st);
/* Removes DIR and everything in it, but only when DIR/stage.json exists (a folder dpoison run
 * made); DP_EINVAL otherwise, so a user's folder is never deleted. A missing DIR is fine. */
int dp_run_stage_wipe(const char *dir, struct dp_error *e);

/* Answers files: ANSWERS.meta holds the description of what generated ANSWERS. Returns true when
 * it matches d (the answers can be resumed); otherwise removes ANSWERS, writes the new meta and
 * returns false (with *why saying what changed, when an old meta existed). */
int dp_run_answers_meta(const char *answers, const struct dp_run_desc *d, bool *reuse, char *why,
                        size_t nwhy, struct dp_error *e);

/* Finds DP_RUN_BUNDLED_MODEL next to the executable (exe_dir, its parent, exe_dir/../share/
 * dpoison) or in the current folder. exe_dir: the folder of the running program (NULL: from
 * /proc/self/exe). *out is malloc'd. DP_ENOTFOUND with the places looked at. */
int dp_run_bundled_model(const char *exe_dir, char **out, struct dp_error *e);

#endif
