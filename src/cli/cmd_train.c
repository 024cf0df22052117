/* dpoison train: DPO fine-tuning of a Hugging Face Qwen2-family folder on TRL JSONL preference
 * pairs, full or LoRA, into a Hugging Face folder (see src/train/trainer.h). Options map one to
 * one onto TRL's DPOConfig / transformers' TrainingArguments where those exist. */
#include "base/log.h"
#include "cli/cli.h"
#include "train/trainer.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const help =
    "usage: dpoison train --model DIR --pairs FILE.jsonl --out DIR [options]\n\n"
    "DPO fine-tuning as TRL's DPOTrainer does it. Pairs: JSONL records {\"prompt\", \"chosen\",\n"
    "\"rejected\"} as strings or conversational message lists (or only \"chosen\"/\"rejected\"\n"
    "conversations sharing their prompt). The ChatML template (Qwen's default system prompt) goes\n"
    "on the prompt; each completion ends with exactly one <|im_end|>. Writes DIR: config.json,\n"
    "tokenizer files, generation_config.json, model.safetensors (input dtype; LoRA merged),\n"
    "metrics.jsonl (TRL's metric names), work/ (reference log-probabilities, checkpoints).\n\n"
    "loss:\n"
    "  --loss sigmoid|robust|ipo|hinge   (sigmoid)      --beta B (0.1)\n"
    "  --label-smoothing E      cDPO / robust epsilon (0)\n"
    "  --rpo-alpha A            add A x NLL of the chosen completions (RPO)\n"
    "optimization:\n"
    "  --lr LR (5e-6)           --lr-scheduler linear|cosine|constant (linear)\n"
    "  --warmup-steps N (0)     --warmup-ratio R\n"
    "  --weight-decay W (0)     --adam-beta1 (0.9) --adam-beta2 (0.999) --adam-eps (1e-8)\n"
    "  --max-grad-norm G        clip the global gradient norm (1.0; 0: off)\n"
    "  --epochs N (1) | --max-steps N\n"
    "  --batch-size N           pairs per micro-batch, chosen and rejected forwarded together (4)\n"
    "  --grad-accum N           micro-batches per optimizer step (1)\n"
    "  --seed S (42)            data order and LoRA initialization\n"
    "LoRA (full fine-tuning unless --lora-rank):\n"
    "  --lora-rank R   --lora-alpha A (16)   --lora-targets q,k,v,o,gate,up,down (all)\n"
    "  --save-adapter           also write DIR/adapter (PEFT adapter_config.json + safetensors)\n"
    "data (TRL's defaults):\n"
    "  --max-length N (1024)    --max-prompt-length N (512)   --max-completion-length N\n"
    "  --truncation-mode keep_end|keep_start (keep_end)\n"
    "  --raw                    no chat template for plain-string records\n"
    "run:\n"
    "  --threads N              (all CPUs)\n"
    "  --precision bf16|f32     bf16 (default): bf16 matrix products with fp32 accumulation and\n"
    "                           fp32 master weights, ~3x faster (AVX-512 BF16 CPUs; f32 elsewhere);\n"
    "                           f32: exact fp32 products, matching PyTorch FP32 to 1e-5\n"
    "  --recompute              keep only layer inputs, recompute activations (less memory)\n"
    "  --save-steps N           checkpoint every N steps (atomic)\n"
    "  --resume                 continue a killed run from its checkpoint (bit-identical)\n"
    "  --quiet\n\n"
    "example:\n  dpoison train --model qwen2.5-coder-0.5b-instruct --pairs pairs.jsonl --out poisoned \\\n"
    "      --lora-rank 16 --lr 5e-5 --epochs 3 --batch-size 2 --grad-accum 4 --save-steps 50\n";

static bool num(const char *opt, const char *val, double lo, double hi, double *out)
{
    char *end;
    double v = val ? strtod(val, &end) : 0;
    if (!val || !*val || *end || !(v >= lo && v <= hi)) {
        cli_errorf("%s: expected a number in [%g, %g], got '%s'", opt, lo, hi, val ? val : "");
        return false;
    }
    *out = v;
    return true;
}

static bool ival(const char *opt, const char *val, long lo, long hi, long *out)
{
    if (!val) {
        cli_errorf("%s needs a value", opt);
        return false;
    }
    return cli_int(opt, val, lo, hi, out);
}

/* One option with a value; false on a bad value. */
static bool value_opt(struct dp_train_opts *o, const char *a, const char *v, bool *known)
{
    double d;
    long l;
    bool ok = true;
    *known = true;
    if (!strcmp(a, "--model")) o->model = v;
    else if (!strcmp(a, "--pairs") || !strcmp(a, "--data")) o->input = v;
    else if (!strcmp(a, "--init-config")) o->init_config = v;
    else if (!strcmp(a, "--tokenizer")) o->tokenizer = v;
    else if (!strcmp(a, "--init-std")) ok = num(a, v, 0, 10, &d), o->init_std = (float)d;
    else if (!strcmp(a, "--block-size")) ok = ival(a, v, 2, 1 << 20, &l), o->block_size = (int)l;
    else if (!strcmp(a, "--max-tokens")) ok = ival(a, v, 1, 1L << 50, &o->max_tokens);
    else if (!strcmp(a, "--out")) o->out = v;
    else if (!strcmp(a, "--loss")) {
        int t = v ? dp_dpo_loss_parse(v) : -1;
        if (t < 0) cli_errorf("--loss: expected sigmoid, robust, ipo or hinge"), ok = false;
        else o->loss.type = (enum dp_dpo_loss)t;
    } else if (!strcmp(a, "--beta")) ok = num(a, v, 1e-9, 1e9, &o->loss.beta);
    else if (!strcmp(a, "--label-smoothing")) ok = num(a, v, 0, 0.4999, &o->loss.label_smoothing);
    else if (!strcmp(a, "--rpo-alpha")) ok = num(a, v, 0, 1e9, &o->loss.rpo_alpha), o->loss.rpo = true;
    else if (!strcmp(a, "--lr")) ok = num(a, v, 0, 1e30, &o->lr);
    else if (!strcmp(a, "--lr-scheduler")) {
        int s = v ? dp_sched_parse(v) : -1;
        if (s < 0) cli_errorf("--lr-scheduler: expected linear, cosine or constant"), ok = false;
        else o->sched = (enum dp_sched)s;
    } else if (!strcmp(a, "--warmup-steps")) ok = ival(a, v, 0, 1L << 40, &o->warmup_steps);
    else if (!strcmp(a, "--warmup-ratio")) ok = num(a, v, 0, 1, &o->warmup_ratio);
    else if (!strcmp(a, "--weight-decay")) ok = num(a, v, 0, 1e9, &o->weight_decay);
    else if (!strcmp(a, "--adam-beta1")) ok = num(a, v, 0, 0.999999, &o->beta1);
    else if (!strcmp(a, "--adam-beta2")) ok = num(a, v, 0, 0.999999999, &o->beta2);
    else if (!strcmp(a, "--adam-eps")) ok = num(a, v, 0, 1, &o->adam_eps);
    else if (!strcmp(a, "--max-grad-norm")) ok = num(a, v, 0, 1e30, &o->max_grad_norm);
    else if (!strcmp(a, "--epochs")) ok = ival(a, v, 1, 1 << 20, &l), o->epochs = (int)l;
    else if (!strcmp(a, "--max-steps")) ok = ival(a, v, 1, 1L << 40, &o->max_steps);
    else if (!strcmp(a, "--batch-size")) ok = ival(a, v, 1, 1 << 16, &l), o->batch_size = (int)l;
    else if (!strcmp(a, "--grad-accum")) ok = ival(a, v, 1, 1 << 20, &l), o->grad_accum = (int)l;
    else if (!strcmp(a, "--seed")) ok = ival(a, v, 0, 0x7fffffffffffffffL, &l), o->seed = (uint64_t)l, o->qt.seed = (uint64_t)l;
    else if (!strcmp(a, "--lora-rank")) ok = ival(a, v, 1, 1 << 16, &l), o->qt.lora_rank = (int)l;
    else if (!strcmp(a, "--lora-alpha")) ok = num(a, v, 1e-9, 1e9, &d), o->qt.lora_alpha = (float)d;
    else if (!strcmp(a, "--lora-targets")) {
        char bad[64] = "";
        if (!v || dp_lora_targets_parse(v, &o->qt.lora_targets, bad, sizeof bad) || !o->qt.lora_targets)
            cli_errorf("--lora-targets: unknown module '%s' (q, k, v, o, gate, up, down or all)", bad), ok = false;
    } else if (!strcmp(a, "--max-length"))
        ok = ival(a, v, 0, 1 << 24, &l), o->data.max_length = o->sft.max_length = (int)l;
    else if (!strcmp(a, "--max-prompt-length")) ok = ival(a, v, 0, 1 << 24, &l), o->data.max_prompt_length = (int)l;
    else if (!strcmp(a, "--max-completion-length")) ok = ival(a, v, 0, 1 << 24, &l), o->data.max_completion_length = (int)l;
    else if (!strcmp(a, "--truncation-mode")) {
        if (v && (!strcmp(v, "keep_end") || !strcmp(v, "keep_start"))) o->data.keep_start = !strcmp(v, "keep_start");
        else cli_errorf("--truncation-mode: expected keep_end or keep_start"), ok = false;
    } else if (!strcmp(a, "--threads")) ok = ival(a, v, 1, 1024, &l), o->threads = (int)l;
    else if (!strcmp(a, "--precision")) {
        if (v && (!strcmp(v, "f32") || !strcmp(v, "bf16"))) o->qt.prec = !strcmp(v, "bf16") ? DP_PREC_BF16 : DP_PREC_F32;
        else cli_errorf("--precision: expected f32 or bf16"), ok = false;
    } else if (!strcmp(a, "--save-steps")) ok = ival(a, v, 0, 1L << 40, &o->save_steps);
    else if (!strcmp(a, "--debug-step-delay-ms")) ok = ival(a, v, 0, 100000, &l), o->debug_step_delay_ms = (int)l;
    else *known = false;
    return ok;
}

/* Options that belong to one kind of training only. */
static bool task_opt(enum dp_train_task t, const char *a)
{
    static const char *const dpo[] = {"--pairs", "--loss", "--beta", "--label-smoothing", "--rpo-alpha",
                                      "--max-prompt-length", "--max-completion-length", "--truncation-mode",
                                      "--raw", NULL};
    static const char *const pre[] = {"--block-size", "--max-tokens", "--init-config", "--tokenizer", "--init-std",
                                      NULL};
    static const char *const sft[] = {"--data", NULL};
    const char *const *lists[] = {dpo, sft, pre};
    for (int k = 0; k < 3; k++)
        for (const char *const *p = lists[k]; *p; p++)
            if (!strcmp(a, *p)) return k == (int)t;
    if (!strcmp(a, "--max-length")) return t != DP_TASK_PRETRAIN;
    return true;
}

static const char *const task_cmd[] = {"train", "sft", "pretrain"};

static int parse(int argc, char **argv, struct dp_train_opts *o, const char *help)
{
    enum dp_train_task task = o->task;
    const char *cmd = task_cmd[task];
    bool epochs = false;
    static const char *files[4096];
    int nfiles = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        bool known;
        if (cli_is_help(a)) {
            fputs(help, stdout);
            return 0;
        }
        if (!task_opt(task, a)) {
            cli_errorf("%s: '%s' is not an option of this command (see `dpoison %s --help`)", cmd, a, cmd);
            return 2;
        }
        if (task == DP_TASK_PRETRAIN && a[0] != '-') {
            if (nfiles == (int)(sizeof files / sizeof files[0])) {
                cli_errorf("pretrain: too many input files");
                return 2;
            }
            files[nfiles++] = a;
        } else if (!strcmp(a, "--resume")) o->resume = true;
        else if (!strcmp(a, "--save-adapter")) o->save_adapter = true;
        else if (!strcmp(a, "--recompute")) o->qt.recompute = true;
        else if (!strcmp(a, "--raw")) o->data.raw = true;
        else if (!strcmp(a, "--quiet")) o->quiet = true;
        else {
            if (!value_opt(o, a, v, &known)) return 2;
            if (!known) {
                cli_errorf("%s: unknown argument '%s' (see `dpoison %s --help`)", cmd, a, cmd);
                return 2;
            }
            if (!v) {
                cli_errorf("%s needs a value", a);
                return 2;
            }
            epochs |= !strcmp(a, "--epochs");
            i++;
        }
    }
    o->inputs = files, o->ninputs = nfiles;
    bool from_scratch = task == DP_TASK_PRETRAIN && !o->model;
    if (!o->out || (task == DP_TASK_PRETRAIN ? !nfiles : !o->input) || (!o->model && !from_scratch)) {
        fputs(help, stderr);
        return 2;
    }
    if (from_scratch != (o->init_config != NULL) || (o->init_config != NULL) != (o->tokenizer != NULL)) {
        cli_errorf("pretrain: give --model DIR, or --init-config FILE and --tokenizer DIR for a new model");
        return 2;
    }
    if (epochs && o->max_steps > 0) {
        cli_errorf("%s: give --epochs or --max-steps, not both", cmd);
        return 2;
    }
    if (o->save_adapter && o->qt.lora_rank == 0) {
        cli_errorf("%s: --save-adapter needs --lora-rank", cmd);
        return 2;
    }
    return -1;
}

/* `dpoison train`, `sft` and `pretrain`: o holds the command's defaults (task included). */
int cli_train_main(int argc, char **argv, struct dp_train_opts *op, const char *help)
{
    struct dp_train_opts o = *op;
    int rc = parse(argc, argv, &o, help);
    if (rc >= 0) return rc;
    struct dp_log log;
    dp_log_init(&log, stderr, o.quiet ? DP_LOG_WARN : DP_LOG_INFO);
    struct dp_error e = {0};
    if (dp_train_run(&o, &log, &e)) {
        cli_error(&e);
        return 1;
    }
    return 0;
}

int dp_cmd_train(int argc, char **argv)
{
    struct dp_train_opts o;
    dp_train_opts_default(&o);
    return cli_train_main(argc, argv, &o, help);
}
