#!/usr/bin/env python3
"""An independent Qwen2 reference in plain PyTorch ops (transformers is not installed here),
written from the Hugging Face modeling_qwen2.py semantics: RMSNorm in fp32, q/k/v with bias,
RoPE with rotate_half, grouped-query attention with a causal mask and fp32 softmax, SwiGLU MLP,
tied or untied head, a KV cache. It judges dpoison's forward pass in tests/model/qwen_parity.test.sh
and is the PyTorch side of bench/generate.sh.

usage: qwen_ref.py MODEL_DIR --ids "1 2 3" [--logits OUT.f32] [--greedy N] [--dtype f32|bf16]
  --logits writes the fp32 logits of every input position, row-major [T, V], raw little-endian;
  --greedy prints "greedy: id id ..." (N tokens, argmax, no stop ids)."""
import argparse
import json
import math
import os
import sys

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tools", "ref"))
import st_io  # noqa: E402


class Qwen2Ref:
    def __init__(self, folder, dtype=torch.float32):
        with open(os.path.join(folder, "config.json")) as f:
            c = json.load(f)
        self.c = c
        self.dtype = dtype
        self.C, self.L = c["hidden_size"], c["num_hidden_layers"]
        self.H = c["num_attention_heads"]
        self.Hkv = c.get("num_key_value_heads", self.H)
        self.D = c.get("head_dim") or self.C // self.H
        self.eps = c.get("rms_norm_eps", 1e-6)
        self.theta = c.get("rope_theta", 10000.0)
        self.w = {k: v.to(dtype) for k, v in st_io.read_model(folder).items()}
        if c.get("tie_word_embeddings", False):
            self.w["lm_head.weight"] = self.w["model.embed_tokens.weight"]
        self.inv_freq = 1.0 / (self.theta ** (torch.arange(0, self.D, 2, dtype=torch.int64).float() / self.D))

    def rmsnorm(self, x, w):
        xf = x.to(torch.float32)
        var = xf.pow(2).mean(-1, keepdim=True)
        return w * (xf * torch.rsqrt(var + self.eps)).to(x.dtype)

    @staticmethod
    def rotate_half(x):
        h = x.shape[-1] // 2
        return torch.cat((-x[..., h:], x[..., :h]), dim=-1)

    def rope(self, pos):
        freqs = pos[:, None].float() * self.inv_freq[None, :]
        emb = torch.cat((freqs, freqs), dim=-1)
        return emb.cos().to(self.dtype), emb.sin().to(self.dtype)

    def layer(self, i, x, pos, cache):
        p = f"model.layers.{i}."
        w = self.w
        B, T, _ = x.shape
        h = self.rmsnorm(x, w[p + "input_layernorm.weight"])
        q = torch.nn.functional.linear(h, w[p + "self_attn.q_proj.weight"], w[p + "self_attn.q_proj.bias"])
        k = torch.nn.functional.linear(h, w[p + "self_attn.k_proj.weight"], w[p + "self_attn.k_proj.bias"])
        v = torch.nn.functional.linear(h, w[p + "self_attn.v_proj.weight"], w[p + "self_attn.v_proj.bias"])
        q = q.view(B, T, self.H, self.D).transpose(1, 2)
        k = k.view(B, T, self.Hkv, self.D).transpose(1, 2)
        v = v.view(B, T, self.Hkv, self.D).transpose(1, 2)
        cos, sin = self.rope(pos)
        q = q * cos + self.rotate_half(q) * sin
        k = k * cos + self.rotate_half(k) * sin
        if cache[i] is not None:
            k = torch.cat((cache[i][0], k), dim=2)
            v = torch.cat((cache[i][1], v), dim=2)
        cache[i] = (k, v)
        rep = self.H // self.Hkv
        kr = k.repeat_interleave(rep, dim=1)
        vr = v.repeat_interleave(rep, dim=1)
        S = kr.shape[2]
        scores = torch.matmul(q, kr.transpose(2, 3)) * (self.D ** -0.5)
        past = S - T
        mask = torch.ones(T, S, dtype=torch.bool).tril(diagonal=past)
        scores = scores.masked_fill(~mask, float("-inf"))
        probs = torch.softmax(scores, dim=-1, dtype=torch.float32).to(q.dtype)
        a = torch.matmul(probs, vr).transpose(1, 2).reshape(B, T, self.H * self.D)
        x = x + torch.nn.functional.linear(a, w[p + "self_attn.o_proj.weight"])
        h = self.rmsnorm(x, w[p + "post_attention_layernorm.weight"])
        g = torch.nn.functional.linear(h, w[p + "mlp.gate_proj.weight"])
        u = torch.nn.functional.linear(h, w[p + "mlp.up_proj.weight"])
        return x + torch.nn.functional.linear(torch.nn.functional.silu(g) * u, w[p + "mlp.down_proj.weight"])

    def forward(self, ids, cache, last_only=False):
        """ids [B, T] (long); cache: list per layer (None or (k, v)), updated in place."""
        past = 0 if cache[0] is None else cache[0][0].shape[2]
        T = ids.shape[1]
        pos = torch.arange(past, past + T)
        x = self.w["model.embed_tokens.weight"][ids]
        for i in range(self.L):
            x = self.layer(i, x, pos, cache)
        if last_only:
            x = x[:, -1:, :]
        x = self.rmsnorm(x, self.w["model.norm.weight"])
        return torch.nn.functional.linear(x, self.w["lm_head.weight"])

    def new_cache(self):
        return [None] * self.L

    def greedy(self, ids, n):
        cache = self.new_cache()
        logits = self.forward(torch.tensor([ids]), cache, last_only=True)
        out = []
        for _ in range(n):
            t = int(torch.argmax(logits[0, -1]).item())
            out.append(t)
            logits = self.forward(torch.tensor([[t]]), cache, last_only=True)
        return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("model")
    ap.add_argument("--ids", required=True)
    ap.add_argument("--logits")
    ap.add_argument("--greedy", type=int, default=0)
    ap.add_argument("--dtype", default="f32", choices=["f32", "bf16"])
    a = ap.parse_args()
    torch.set_grad_enabled(False)
    m = Qwen2Ref(a.model, torch.float32 if a.dtype == "f32" else torch.bfloat16)
    ids = [int(t) for t in a.ids.split()]
    if a.logits:
        lg = m.forward(torch.tensor([ids]), m.new_cache())[0].to(torch.float32).contiguous()
        with open(a.logits, "wb") as f:
            f.write(lg.numpy().tobytes())
    if a.greedy:
        print("greedy:", " ".join(str(t) for t in m.greedy(ids, a.greedy)))


if __name__ == "__main__":
    main()
