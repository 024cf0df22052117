#!/usr/bin/env python3
"""PyTorch reference for dpoison's next-token cross-entropy training (`dpoison pretrain`, `dpoison
sft`; tests/train/lm_parity.test.sh).

The model is train_ref.py's independent float64 Qwen2 (imported, not copied). The loss is
computed the way transformers' causal LM loss does it: right-padded batch with an attention
mask, labels = input ids with -100 wherever a token carries no loss (padding, positions before
the label mask, masked tokens), logits[:, :-1] against labels[:, 1:], cross_entropy with
ignore_index=-100 and mean reduction: -sum(log p) / number of labels over the whole batch.
AdamW: torch.optim.AdamW with HF's no-decay groups (biases, norms), clip_grad_norm_, the
transformers LR schedules (train_ref.lr_lambda).

usage:
  lm_ref.py batch MODEL OUT.json [--seed S]     write random sequences: "sft" (label masks,
                                                ragged, one without a mask) and "pretrain"
                                                (equal blocks, no mask)
  lm_ref.py check MODEL BATCH.json CDIR         compare with test_lm_parity's outputs
"""
import argparse
import json
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import st_io  # noqa: E402
from train_ref import Qwen2, lr_lambda, rel  # noqa: E402


def layout(seqs):
    """ids, attention mask, labels (-100 where no loss), all [N, T], right-padded."""
    T = max(len(s["ids"]) for s in seqs)
    ids = torch.zeros(len(seqs), T, dtype=torch.long)
    attn = torch.zeros(len(seqs), T, dtype=torch.long)
    labels = torch.full((len(seqs), T), -100, dtype=torch.long)
    for r, s in enumerate(seqs):
        n = len(s["ids"])
        ids[r, :n] = torch.tensor(s["ids"])
        attn[r, :n] = 1
        start = max(s.get("plen", 0), 1)
        for t in range(start, n):
            if s.get("mask") is None or s["mask"][t]:
                labels[r, t] = s["ids"][t]
    return ids, attn, labels


def ce_loss(model, seqs):
    """(mean cross-entropy of the next-token predictions, number of labels)"""
    ids, attn, labels = layout(seqs)
    logits = model.forward(ids, attn)
    V = logits.shape[-1]
    loss = torch.nn.functional.cross_entropy(logits[:, :-1].reshape(-1, V), labels[:, 1:].reshape(-1),
                                             ignore_index=-100, reduction="mean")
    return loss, int((labels[:, 1:] != -100).sum())


def setup(folder, dtype=torch.float64):
    model = Qwen2(folder, dtype)
    for t in model.p.values():
        t.requires_grad_(True)
    return model, dict(model.p)


def train(model, params, cfg, seqs):
    t = cfg["train"]
    no_decay = [p for n, p in params.items() if n.endswith(".bias") or "norm" in n]
    decay = [p for n, p in params.items() if not (n.endswith(".bias") or "norm" in n)]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": t["weight_decay"]},
                             {"params": no_decay, "weight_decay": 0.0}],
                            lr=t["lr"], betas=(t["beta1"], t["beta2"]), eps=1e-8)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lr_lambda(t["sched"], t["warmup"], t["steps"]))
    log = []
    for _ in range(t["steps"]):
        opt.zero_grad()
        loss, _ = ce_loss(model, seqs)
        loss.backward()
        gn = torch.nn.utils.clip_grad_norm_(list(params.values()), t["max_grad_norm"])
        lr = opt.param_groups[0]["lr"]
        opt.step()
        sched.step()
        log.append({"loss": loss.item(), "grad_norm": gn.item(), "learning_rate": lr})
    return log


def cmd_batch(a):
    g = torch.Generator().manual_seed(a.seed)
    with open(os.path.join(a.model, "config.json")) as f:
        V = json.load(f)["vocab_size"]

    def ids(n):
        return torch.randint(0, V, (n,), generator=g).tolist()

    def rint(lo, hi):
        return int(torch.randint(lo, hi, (1,), generator=g))

    sft = []
    for i in range(5):
        # a conversation: header (no loss), then turns of assistant (loss) and user (no loss)
        n = rint(12, 40)
        mask, t, on = [], 0, False
        while t < n:
            run = rint(2, 9)
            mask += [1 if on else 0] * run
            t += run
            on = not on
        mask = mask[:n]
        rec = {"ids": ids(n), "mask": mask}
        if i == 3:
            rec = {"ids": ids(n)}               # a {"text"} record: every token
        if i == 4:
            rec["mask"] = [1] * n               # all ones, but position 0 never counts
        sft.append(rec)
    sft[0]["mask"][-1] = 0                      # the last token without a loss
    sft[1]["mask"][1] = 1                       # the first possible label
    pretrain = [{"ids": ids(24)} for _ in range(3)]
    cfg = {"groups": [{"name": "sft", "seqs": sft}, {"name": "pretrain", "seqs": pretrain}],
           "train": {"group": "sft", "steps": 4, "lr": 5e-4, "sched": "cosine", "warmup": 1, "beta1": 0.9,
                     "beta2": 0.95, "weight_decay": 0.1, "max_grad_norm": 1.0}}
    with open(a.out, "w") as f:
        json.dump(cfg, f)


def cmd_check(a):
    with open(a.batch) as f:
        cfg = json.load(f)
    with open(os.path.join(a.cdir, "result.json")) as f:
        res = json.load(f)
    fails = 0

    def report(ok, msg):
        nonlocal fails
        fails += not ok
        print(f"{'ok' if ok else 'not ok'} - lm parity {msg}")

    for grp in cfg["groups"]:
        model, params = setup(a.model)
        loss, count = ce_loss(model, grp["seqs"])
        loss.backward()
        for suffix in ("", "_recompute"):
            name = grp["name"] + suffix
            got = st_io.read(os.path.join(a.cdir, f"grads_{name}.safetensors"))
            worst, wname = 0.0, ""
            missing = [n for n in params if "grad:" + n not in got]
            for n, p in params.items():
                if "grad:" + n in got:
                    e = rel(got["grad:" + n], p.grad)
                    if e > worst:
                        worst, wname = e, n
            lerr = abs(res[name]["loss"] - loss.item()) / abs(loss.item())
            print(f"# {name}: loss {loss.item():.8f} rel err {lerr:.1e} over {count} labels; worst gradient rel "
                  f"err {worst:.2e} ({wname}) over {len(params)} tensors", file=sys.stderr)
            report(not missing and res[name]["labels"] == count and lerr < 1e-5 and worst < 1e-4,
                   f"{name}: loss ({count} labels) and every gradient (max rel err {worst:.1e} <= 1e-4)"
                   + (f"; missing {missing[:3]}" if missing else ""))
    seqs = next(g["seqs"] for g in cfg["groups"] if g["name"] == cfg["train"]["group"])
    model, params = setup(a.model)
    before = {n: p.detach().clone() for n, p in params.items()}
    log = train(model, params, cfg, seqs)
    final = st_io.read(os.path.join(a.cdir, "final.safetensors"))
    werr = max(rel(final[n], p.detach()) for n, p in params.items())
    uerr = max(rel(final[n].double() - before[n], p.detach() - before[n]) for n, p in params.items())
    steps = res["steps"]
    lerr = max(abs(x["loss"] - y["loss"]) / abs(y["loss"]) for x, y in zip(steps, log))
    gerr = max(abs(x["grad_norm"] - y["grad_norm"]) / y["grad_norm"] for x, y in zip(steps, log))
    lrerr = max(abs(x["learning_rate"] - y["learning_rate"]) for x, y in zip(steps, log))
    m32, p32 = setup(a.model, torch.float32)
    train(m32, p32, cfg, seqs)   # the noise floor: PyTorch's own fp32 run against float64
    floor = max(rel(p32[n].detach(), p.detach()) for n, p in params.items())
    tol = max(1e-5, floor)       # Adam turns rounding noise in near-zero gradients into full steps
    print(f"# {len(log)} AdamW steps on {cfg['train']['group']}: weights rel err {werr:.1e} (torch fp32 vs "
          f"float64: {floor:.1e}), updates {uerr:.1e}, losses {lerr:.1e}, grad norms {gerr:.1e}, lr {lrerr:.1e}; "
          f"loss {log[0]['loss']:.4f} -> {log[-1]['loss']:.4f}", file=sys.stderr)
    report(len(steps) == len(log) and werr <= tol and lerr < 1e-4 and gerr < 1e-4 and lrerr < 1e-12,
           f"{len(log)} AdamW steps: same weights (rel err {werr:.1e} <= max(1e-5, torch fp32's {floor:.1e}))")
    sys.exit(1 if fails else 0)


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("batch")
    b.add_argument("model")
    b.add_argument("out")
    b.add_argument("--seed", type=int, default=1)
    c = sub.add_parser("check")
    c.add_argument("model")
    c.add_argument("batch")
    c.add_argument("cdir")
    a = ap.parse_args()
    {"batch": cmd_batch, "check": cmd_check}[a.cmd](a)


if __name__ == "__main__":
    main()
