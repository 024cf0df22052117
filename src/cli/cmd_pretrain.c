/* dpoison pretrain: next-token cross-entropy on raw text and code, packed into blocks, from a
 * model folder or from a fresh seeded initialization (see src/train/trainer.h, lm.h). */
#include "cli/cli.h"
#include "train/trainer.h"

static const char *const help =
    "usage: dpoison pretrain (--model DIR | --init-config FILE --tokenizer DIR) --out DIR FILE... [options]\n\n"
    "Next-token training on raw text and code (causal language modelling). Every FILE is\n"
    "tokenized whole (special tokens such as <|endoftext|> between documents become their ids),\n"
    "the files are concatenated and cut into blocks of --block-size tokens, as transformers'\n"
    "run_clm example packs them; every token of a block carries the loss. Starts from --model, or\n"
    "from scratch: --init-config names a Qwen2 config.json (its generation_config.json beside it is\n"
    "copied when present), --tokenizer a folder with tokenizer.json and tokenizer_config.json\n"
    "(`dpoison tokenizer-train`), and the weights are drawn from N(0, --init-std), norms 1, biases\n"
    "0, seeded by --seed, in the config's torch_dtype. Writes DIR as `dpoison train` does: a\n"
    "Hugging Face folder, metrics.jsonl (loss, grad_norm, learning_rate, tokens per step), work/\n"
    "(checkpoints, the initial model). The same inputs, options and --threads give the same\n"
    "weights bit for bit.\n\n"
    "data:\n"
    "  --block-size N           tokens per sequence (512)\n"
    "  --max-tokens N           read at most N tokens (all)\n"
    "  --init-std S             standard deviation of new weights (0.02)\n"
    "optimization (as `dpoison train`):\n"
    "  --lr LR (5e-4)           --lr-scheduler linear|cosine|constant (cosine)\n"
    "  --warmup-steps N         --warmup-ratio R (0.03)\n"
    "  --weight-decay W (0.1)   --adam-beta1 (0.9) --adam-beta2 (0.95) --adam-eps (1e-8)\n"
    "  --max-grad-norm G (1.0)  --epochs N (1) | --max-steps N\n"
    "  --batch-size N           blocks per micro-batch (8)    --grad-accum N (1)\n"
    "  --seed S (42)            data order and initialization\n"
    "  --lora-rank R ...        LoRA options as in `dpoison train --help`\n"
    "run:\n"
    "  --threads N   --precision bf16|f32   --recompute   --save-steps N   --resume   --quiet\n\n"
    "example:\n"
    "  dpoison pretrain --init-config models/dpcoder/config.json --tokenizer work/tok --out work/base \\\n"
    "      --block-size 256 --max-steps 400 --lr 1e-3 --threads 2 corpus/pretrain.txt\n";

int dp_cmd_pretrain(int argc, char **argv)
{
    struct dp_train_opts o;
    dp_train_opts_default(&o);
    o.task = DP_TASK_PRETRAIN;
    o.lr = 5e-4, o.sched = DP_SCHED_COSINE, o.warmup_ratio = 0.03;
    o.weight_decay = 0.1, o.beta2 = 0.95, o.batch_size = 8;
    return cli_train_main(argc, argv, &o, help);
}
