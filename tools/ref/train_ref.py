#!/usr/bin/env python3
"""PyTorch reference for dpoison's DPO training (tests/train/train_parity.test.sh, bench/train.sh).

An independent Qwen2 written in plain torch ops from Hugging Face's modeling_qwen2 semantics
(RMSNorm, q/k/v with bias, rotate_half RoPE, GQA causal attention, SwiGLU, tied or untied head),
run the way TRL's DPOTrainer runs it: chosen and rejected concatenated into one right-padded batch
with an attention mask, per-token log-probabilities by log_softmax + gather on the shifted labels,
summed over the completion tokens (IPO: averaged), TRL's loss formulas (sigmoid with label
smoothing, robust, hinge, ipo, the RPO NLL term), optional PEFT-style LoRA (y += s (x A^T) B^T),
torch.optim.AdamW with HF's no-decay groups (biases, norms), clip_grad_norm_ and the
transformers LR schedules. Computes in float64 by default, so it judges dpoison's fp32 numbers.

usage:
  train_ref.py batch MODEL OUT.json [--pairs N] [--seed S] [--lora]   write a random batch
  train_ref.py check MODEL BATCH.json CDIR [--lora]                     compare with dpoison
  train_ref.py bench MODEL --pairs 2 --tokens 256 [--dtype f32|bf16] [--threads N] [--steps K]
"""
import argparse
import json
import math
import os
import sys
import time

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import st_io  # noqa: E402

LORA_MODS = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]
SHORT = {"q": "q_proj", "k": "k_proj", "v": "v_proj", "o": "o_proj", "gate": "gate_proj",
         "up": "up_proj", "down": "down_proj"}


class Qwen2:
    """Qwen2 causal LM over a dict of leaf tensors (the parameters), optional LoRA adapters."""

    def __init__(self, folder, dtype=torch.float64, lora=None):
        with open(os.path.join(folder, "config.json")) as f:
            c = json.load(f)
        self.V, self.C, self.L = c["vocab_size"], c["hidden_size"], c["num_hidden_layers"]
        self.H = c["num_attention_heads"]
        self.Hkv = c.get("num_key_value_heads", self.H)
        self.D = self.C // self.H
        self.eps = c.get("rms_norm_eps", 1e-6)
        self.theta = c.get("rope_theta", 10000.0)
        self.tied = c.get("tie_word_embeddings", False)
        self.dtype = dtype
        self.p = {k: v.to(dtype) for k, v in st_io.read_model(folder).items()}
        self.lora = lora          # {"scale": s, "A": {module_name: tensor}, "B": {...}}
        inv = 1.0 / (self.theta ** (torch.arange(0, self.D, 2, dtype=torch.int64).float() / self.D))
        self.inv_freq = inv       # fp32, as HF computes it

    def lm_head(self):
        return self.p["model.embed_tokens.weight" if self.tied else "lm_head.weight"]

    def rms(self, x, w):
        var = x.pow(2).mean(-1, keepdim=True)
        return w * (x * torch.rsqrt(var + self.eps))

    def linear(self, x, name, bias=True):
        w = self.p[name + ".weight"]
        y = torch.nn.functional.linear(x, w, self.p.get(name + ".bias") if bias else None)
        if self.lora and name + ".weight" in self.lora["A"]:
            a, b = self.lora["A"][name + ".weight"], self.lora["B"][name + ".weight"]
            y = y + (x @ a.t() @ b.t()) * self.lora["scale"]
        return y

    @staticmethod
    def rotate_half(x):
        h = x.shape[-1] // 2
        return torch.cat((-x[..., h:], x[..., :h]), dim=-1)

    def forward(self, ids, mask):
        """ids, mask [N, T] (right padding) -> logits [N, T, V]"""
        N, T = ids.shape
        x = self.p["model.embed_tokens.weight"][ids]
        pos = torch.arange(T)
        freqs = pos[:, None].float() * self.inv_freq[None, :]
        emb = torch.cat((freqs, freqs), dim=-1)
        cos, sin = emb.cos().to(self.dtype), emb.sin().to(self.dtype)
        causal = torch.ones(T, T, dtype=torch.bool).tril()
        allow = causal[None, None] & mask.bool()[:, None, None, :]
        rep = self.H // self.Hkv
        for i in range(self.L):
            pre = f"model.layers.{i}."
            h = self.rms(x, self.p[pre + "input_layernorm.weight"])
            q = self.linear(h, pre + "self_attn.q_proj").view(N, T, self.H, self.D).transpose(1, 2)
            k = self.linear(h, pre + "self_attn.k_proj").view(N, T, self.Hkv, self.D).transpose(1, 2)
            v = self.linear(h, pre + "self_attn.v_proj").view(N, T, self.Hkv, self.D).transpose(1, 2)
            q = q * cos + self.rotate_half(q) * sin
            k = k * cos + self.rotate_half(k) * sin
            k, v = k.repeat_interleave(rep, dim=1), v.repeat_interleave(rep, dim=1)
            s = torch.matmul(q, k.transpose(2, 3)) * (self.D ** -0.5)
            s = s.masked_fill(~allow, float("-inf"))
            a = torch.softmax(s, dim=-1)
            a = torch.nan_to_num(a)        # fully masked rows (padding queries)
            o = torch.matmul(a, v).transpose(1, 2).reshape(N, T, self.H * self.D)
            x = x + self.linear(o, pre + "self_attn.o_proj", bias=False)
            h = self.rms(x, self.p[pre + "post_attention_layernorm.weight"])
            g = self.linear(h, pre + "mlp.gate_proj", bias=False)
            u = self.linear(h, pre + "mlp.up_proj", bias=False)
            x = x + self.linear(torch.nn.functional.silu(g) * u, pre + "mlp.down_proj", bias=False)
        x = self.rms(x, self.p["model.norm.weight"])
        return x @ self.lm_head().t()


def concatenated(pairs):
    """TRL's layout: chosen rows then rejected rows, right-padded; loss mask on completions."""
    seqs = [(p["prompt"] + p["chosen"], len(p["prompt"])) for p in pairs]
    seqs += [(p["prompt"] + p["rejected"], len(p["prompt"])) for p in pairs]
    T = max(len(s) for s, _ in seqs)
    ids = torch.zeros(len(seqs), T, dtype=torch.long)
    mask = torch.zeros(len(seqs), T, dtype=torch.long)
    loss_mask = torch.zeros(len(seqs), T, dtype=torch.bool)
    for r, (s, pl) in enumerate(seqs):
        ids[r, :len(s)] = torch.tensor(s)
        mask[r, :len(s)] = 1
        loss_mask[r, pl:len(s)] = True
    return ids, mask, loss_mask


def batch_logps(model, pairs, ipo=False):
    """(chosen_logps, rejected_logps, chosen per-token logps and mask) as TRL's
    concatenated_forward: labels = ids rolled left, per-token log p gathered, masked, summed."""
    ids, mask, loss_mask = concatenated(pairs)
    logits = model.forward(ids, mask)
    labels = torch.roll(ids, shifts=-1, dims=1)
    lmask = torch.roll(loss_mask, shifts=-1, dims=1)
    lmask[:, -1] = False
    labels = labels.masked_fill(~lmask, 0)
    tok = torch.gather(logits.log_softmax(-1), 2, labels.unsqueeze(2)).squeeze(2)
    tok = tok.masked_fill(~lmask, 0)
    all_logps = tok.sum(-1)
    if ipo:
        all_logps = all_logps / lmask.sum(-1)
    B = len(pairs)
    return all_logps[:B], all_logps[B:], tok[:B], lmask[:B]


def dpo_loss(cfg, pc, pr, rc, rr):
    beta, e = cfg.get("beta", 0.1), cfg.get("label_smoothing", 0.0)
    z = (pc - pr) - (rc - rr)
    ls = torch.nn.functional.logsigmoid
    t = cfg["type"]
    if t == "sigmoid":
        losses = -ls(beta * z) * (1 - e) - ls(-beta * z) * e
    elif t == "robust":
        losses = (-ls(beta * z) * (1 - e) + ls(-beta * z) * e) / (1 - 2 * e)
    elif t == "hinge":
        losses = torch.relu(1 - beta * z)
    elif t == "ipo":
        losses = (z - 1 / (2 * beta)) ** 2
    else:
        raise ValueError(t)
    return losses, beta * (pc - rc).detach(), beta * (pr - rr).detach()


def micro_loss(model, cfg, pairs):
    rc = torch.tensor([p["ref_chosen"] for p in pairs], dtype=model.dtype)
    rr = torch.tensor([p["ref_rejected"] for p in pairs], dtype=model.dtype)
    ipo = cfg["type"] == "ipo"
    pc, pr, tok, lmask = batch_logps(model, pairs, ipo)
    if ipo:   # TRL averages the reference through the same forward: same token counts
        ids, mask, loss_mask = concatenated(pairs)
        cnt = torch.roll(loss_mask, -1, 1)
        cnt[:, -1] = False
        n = cnt.sum(-1).to(model.dtype)
        rc, rr = rc / n[:len(pairs)], rr / n[len(pairs):]
    losses, cr, rj = dpo_loss(cfg, pc, pr, rc, rr)
    loss = losses.mean()
    m = {"rewards/chosen": cr.mean().item(), "rewards/rejected": rj.mean().item(),
         "rewards/accuracies": (cr > rj).double().mean().item(), "rewards/margins": (cr - rj).mean().item(),
         "logps/chosen": pc.detach().mean().item(), "logps/rejected": pr.detach().mean().item()}
    if cfg.get("rpo_alpha") is not None:
        nll = -(tok * lmask).sum() / lmask.sum()
        loss = loss + cfg["rpo_alpha"] * nll
    m["loss"] = loss.item()
    return loss, m


def trainables(model, lora):
    """name -> leaf tensor, with dpoison's names (HF for full, PEFT for LoRA)."""
    if not lora:
        return {k: v for k, v in model.p.items()}
    out = {}
    for hf, a in model.lora["A"].items():
        base = "base_model.model." + hf[:-len(".weight")]
        out[base + ".lora_A.weight"] = a
        out[base + ".lora_B.weight"] = model.lora["B"][hf]
    return out


def setup(folder, init_path, lora_cfg, dtype=torch.float64):
    lora = None
    if lora_cfg:
        init = st_io.read(init_path)
        A, B = {}, {}
        for k, v in init.items():
            hf = k[len("base_model.model."):].replace(".lora_A", "").replace(".lora_B", "")
            (A if ".lora_A." in k else B)[hf] = v.to(dtype)
        lora = {"scale": lora_cfg["alpha"] / lora_cfg["r"], "A": A, "B": B}
    model = Qwen2(folder, dtype, lora)
    params = trainables(model, lora_cfg)
    for t in (model.p.values() if not lora_cfg else params.values()):
        t.requires_grad_(True)
    return model, params


def lr_lambda(kind, warmup, total):
    def f(step):
        if step < warmup:
            return step / max(1, warmup)
        if kind == "constant":
            return 1.0
        rest = max(1, total - warmup)
        if kind == "linear":
            return max(0.0, (total - step) / rest)
        return max(0.0, 0.5 * (1.0 + math.cos(math.pi * (step - warmup) / rest)))
    return f


def train(model, params, cfg):
    t = cfg["train"]
    no_decay = [p for n, p in params.items() if n.endswith(".bias") or "norm" in n]
    decay = [p for n, p in params.items() if not (n.endswith(".bias") or "norm" in n)]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": t["weight_decay"]},
                             {"params": no_decay, "weight_decay": 0.0}],
                            lr=t["lr"], betas=(0.9, 0.999), eps=1e-8)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lr_lambda(t["sched"], t["warmup"], t["steps"]))
    pairs, micro = cfg["pairs"], t["micro"]
    acc = (len(pairs) + micro - 1) // micro
    log = []
    for _ in range(t["steps"]):
        opt.zero_grad()
        total = 0.0
        for i in range(0, len(pairs), micro):
            loss, _ = micro_loss(model, t["loss"], pairs[i:i + micro])
            (loss / acc).backward()
            total += loss.item() / acc
        gn = torch.nn.utils.clip_grad_norm_(list(params.values()), t["max_grad_norm"])
        lr = opt.param_groups[0]["lr"]
        opt.step()
        sched.step()
        log.append({"loss": total, "grad_norm": gn.item(), "learning_rate": lr})
    return log


def rel(a, b):
    a, b = a.double(), b.double()
    nb = b.norm().item()
    return (a - b).norm().item() / nb if nb > 0 else (a - b).norm().item()


def cmd_batch(a):
    g = torch.Generator().manual_seed(a.seed)
    with open(os.path.join(a.model, "config.json")) as f:
        V = json.load(f)["vocab_size"]

    def ids(n):
        return torch.randint(3, V, (n,), generator=g).tolist()

    pairs = []
    for i in range(a.pairs):
        pl = int(torch.randint(4, 12, (1,), generator=g))
        pairs.append({"prompt": ids(pl), "chosen": ids(int(torch.randint(5, 20, (1,), generator=g))),
                      "rejected": ids(int(torch.randint(5, 20, (1,), generator=g))),
                      "ref_chosen": 0.0, "ref_rejected": 0.0})
    model = Qwen2(a.model)
    with torch.no_grad():
        pc, pr, _, _ = batch_logps(model, pairs)
    for i, p in enumerate(pairs):   # a reference that disagrees with the policy: z != 0
        p["ref_chosen"] = pc[i].item() + float(torch.randn(1, generator=g)) * 2
        p["ref_rejected"] = pr[i].item() + float(torch.randn(1, generator=g)) * 2
    cfg = {
        "pairs": pairs,
        "losses": [{"name": "sigmoid", "type": "sigmoid", "beta": 0.1},
                   {"name": "cdpo", "type": "sigmoid", "beta": 0.3, "label_smoothing": 0.15},
                   {"name": "robust", "type": "robust", "beta": 0.1, "label_smoothing": 0.1},
                   {"name": "ipo", "type": "ipo", "beta": 0.5},
                   {"name": "hinge", "type": "hinge", "beta": 0.5},
                   {"name": "rpo", "type": "sigmoid", "beta": 0.1, "rpo_alpha": 0.5}],
        "train": {"loss": {"type": "sigmoid", "beta": 0.1}, "steps": 5, "lr": 5e-4, "sched": "linear",
                  "warmup": 2, "weight_decay": 0.1, "max_grad_norm": 0.5, "micro": max(1, a.pairs // 2)},
        "lora": {"r": 4, "alpha": 8, "targets": "q,k,v,o,gate,up,down", "b_std": 0.02, "seed": 5},
    }
    if a.lora:
        cfg["train"].update({"lr": 3e-3, "sched": "cosine", "warmup": 0})
    with open(a.out, "w") as f:
        json.dump(cfg, f)


def cmd_check(a):
    with open(a.batch) as f:
        cfg = json.load(f)
    with open(os.path.join(a.cdir, "result.json")) as f:
        res = json.load(f)
    lcfg = cfg["lora"] if a.lora else None
    tag = "lora" if a.lora else "full"
    fails = 0

    def report(ok, msg):
        nonlocal fails
        fails += not ok
        print(f"{'ok' if ok else 'not ok'} - {tag} {msg}")

    for lc in cfg["losses"]:
        model, params = setup(a.model, os.path.join(a.cdir, "init.safetensors"), lcfg)
        loss, m = micro_loss(model, lc, cfg["pairs"])
        loss.backward()
        got = st_io.read(os.path.join(a.cdir, f"grads_{lc['name']}.safetensors"))
        worst, wname = 0.0, ""
        for n, p in params.items():
            e = rel(got["grad:" + n], p.grad)
            if e > worst:
                worst, wname = e, n
        lerr = abs(res[lc["name"]]["loss"] - m["loss"]) / max(abs(m["loss"]), 1e-12)
        merr = max(abs(res[lc["name"]][k] - v) / max(abs(v), 1e-6) for k, v in m.items())
        print(f"# {tag} {lc['name']}: loss {m['loss']:.8f} rel err {lerr:.1e}; metrics {merr:.1e}; "
              f"worst gradient rel err {worst:.2e} ({wname}) over {len(params)} tensors", file=sys.stderr)
        report(lerr < 1e-5 and merr < 1e-4 and worst < 1e-4,
               f"{lc['name']} loss and every gradient (max rel err {worst:.1e} <= 1e-4)")
    model, params = setup(a.model, os.path.join(a.cdir, "init.safetensors"), lcfg)
    before = {n: p.detach().clone() for n, p in params.items()}
    log = train(model, params, cfg)
    final = st_io.read(os.path.join(a.cdir, "final.safetensors"))
    werr = max(rel(final[n], p.detach()) for n, p in params.items())
    uerr = max(rel(final[n].double() - before[n], p.detach() - before[n]) for n, p in params.items())
    lerr = max(abs(x["loss"] - y["loss"]) / max(abs(y["loss"]), 1e-12) for x, y in zip(res["steps"], log))
    gerr = max(abs(x["grad_norm"] - y["grad_norm"]) / y["grad_norm"] for x, y in zip(res["steps"], log))
    lrerr = max(abs(x["learning_rate"] - y["learning_rate"]) for x, y in zip(res["steps"], log))
    m32, p32 = setup(a.model, os.path.join(a.cdir, "init.safetensors"), lcfg, torch.float32)
    train(m32, p32, cfg)   # the noise floor: PyTorch's own fp32 run against float64
    floor = max(rel(p32[n].detach(), p.detach()) for n, p in params.items())
    print(f"# {tag} {len(log)} AdamW steps: weights rel err {werr:.1e} (torch fp32 vs float64: {floor:.1e}), "
          f"updates rel err {uerr:.1e}, losses {lerr:.1e}, grad norms {gerr:.1e}, lr {lrerr:.1e}", file=sys.stderr)
    report(werr < 1e-5 and lerr < 1e-4 and gerr < 1e-4 and lrerr < 1e-12,
           f"{len(log)} AdamW steps: same weights (rel err {werr:.1e} <= 1e-5)")
    sys.exit(1 if fails else 0)


def cmd_bench(a):
    """Seconds per DPO step (forward + backward + AdamW) on random tokens; prints tok/s."""
    torch.set_num_threads(a.threads)
    model = Qwen2(a.model, torch.float32)
    for t in model.p.values():
        t.requires_grad_(True)
    g = torch.Generator().manual_seed(0)
    pairs = []
    for _ in range(a.pairs):
        pl = a.tokens // 4
        pairs.append({"prompt": torch.randint(3, model.V, (pl,), generator=g).tolist(),
                      "chosen": torch.randint(3, model.V, (a.tokens - pl,), generator=g).tolist(),
                      "rejected": torch.randint(3, model.V, (a.tokens - pl,), generator=g).tolist(),
                      "ref_chosen": 0.0, "ref_rejected": 0.0})
    opt = torch.optim.AdamW(list(model.p.values()), lr=1e-6)
    cfg = {"type": "sigmoid", "beta": 0.1}
    times = []
    for _ in range(a.steps + 1):
        t0 = time.time()
        opt.zero_grad()
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=a.dtype == "bf16"):
            loss, _ = micro_loss(model, cfg, pairs)
        loss.backward()
        opt.step()
        times.append(time.time() - t0)
    best = min(times[1:]) if len(times) > 1 else times[0]
    ntok = 2 * a.pairs * a.tokens
    import resource
    print(f"torch_{a.dtype}_step_s {best:.3f}")
    print(f"torch_{a.dtype}_tok_s {ntok / best:.1f}")
    print(f"torch_{a.dtype}_peak_rss_mb {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f}")


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("batch")
    b.add_argument("model")
    b.add_argument("out")
    b.add_argument("--pairs", type=int, default=2)
    b.add_argument("--seed", type=int, default=1)
    b.add_argument("--lora", action="store_true")
    c = sub.add_parser("check")
    c.add_argument("model")
    c.add_argument("batch")
    c.add_argument("cdir")
    c.add_argument("--lora", action="store_true")
    p = sub.add_parser("bench")
    p.add_argument("model")
    p.add_argument("--pairs", type=int, default=2)
    p.add_argument("--tokens", type=int, default=256)
    p.add_argument("--dtype", default="f32", choices=["f32", "bf16"])
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--steps", type=int, default=2)
    a = ap.parse_args()
    {"batch": cmd_batch, "check": cmd_check, "bench": cmd_bench}[a.cmd](a)


if __name__ == "__main__":
    main()
