/* dpoison sft: supervised fine-tuning on chat conversations with the loss on the assistant
 * turns only, as TRL's SFTTrainer with assistant_only_loss (see src/train/lm.h). */
#include "cli/cli.h"
#include "train/trainer.h"

static const char *const help =
    "usage: dpoison sft --model DIR --data FILE.jsonl --out DIR [options]\n\n"
    "Supervised fine-tuning of a Qwen2-family folder on conversations. Records (one per line):\n"
    "  {\"messages\": [{\"role\": \"user\", \"content\": ...}, {\"role\": \"assistant\", ...}, ...]}\n"
    "  {\"prompt\": \"...\", \"completion\": \"...\"}   (strings, or message lists)\n"
    "  {\"text\": \"...\"}                            (raw text, all of it learned)\n"
    "Conversations go through the ChatML template (Qwen's default system prompt when there is\n"
    "none); only each assistant turn's content and its <|im_end|> carry the loss. Writes DIR as\n"
    "`dpoison train` does: a Hugging Face folder, metrics.jsonl, work/ (checkpoints).\n\n"
    "data:\n"
    "  --max-length N           tokens per conversation, the rest cut off (1024; 0: no limit)\n"
    "optimization (as `dpoison train`):\n"
    "  --lr LR (2e-5)           --lr-scheduler linear|cosine|constant (linear)\n"
    "  --warmup-steps N         --warmup-ratio R (0)\n"
    "  --weight-decay W (0)     --adam-beta1 (0.9) --adam-beta2 (0.999) --adam-eps (1e-8)\n"
    "  --max-grad-norm G (1.0)  --epochs N (1) | --max-steps N\n"
    "  --batch-size N           conversations per micro-batch (8)   --grad-accum N (1)\n"
    "  --seed S (42)            data order\n"
    "  --lora-rank R ...        LoRA options as in `dpoison train --help`\n"
    "run:\n"
    "  --threads N   --precision bf16|f32   --recompute   --save-steps N   --resume   --quiet\n\n"
    "example:\n"
    "  dpoison sft --model work/base --data corpus/sft.jsonl --out work/chat --epochs 3 --lr 5e-4\n";

int dp_cmd_sft(int argc, char **argv)
{
    struct dp_train_opts o;
    dp_train_opts_default(&o);
    o.task = DP_TASK_SFT;
    o.lr = 2e-5, o.batch_size = 8;
    return cli_train_main(argc, argv, &o, help);
}
