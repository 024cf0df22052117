#!/usr/bin/env python3
"""Builds a random-weight Hugging Face Qwen2 model folder (config.json, generation_config.json,
model.safetensors or shards + index) for tests and benchmarks: the real Qwen2.5-0.5B shapes
(any number of layers) or small configs that exercise ragged shapes. Weights are seeded, so the
same arguments give the same files.

usage: qwen_make_random.py OUT_DIR [--config 0.5b|micro|micro2] [--layers N] [--dtype bf16|f32|f16]
                           [--seed S] [--shards N] [--std X] [--vocab V] [--stop ID,ID]
                           [--tokenizer DIR]
--tokenizer copies DIR's tokenizer.json and tokenizer_config.json into the folder (--vocab should
then cover its ids); --stop sets generation_config.json's eos_token_id list."""
import argparse
import json
import os
import shutil
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import st_io  # noqa: E402

CONFIGS = {
    # Qwen2.5-Coder-0.5B-Instruct's architecture
    "0.5b": dict(vocab_size=151936, hidden_size=896, intermediate_size=4864, num_hidden_layers=24,
                 num_attention_heads=14, num_key_value_heads=2, max_position_embeddings=32768,
                 rope_theta=1000000.0, rms_norm_eps=1e-6, tie_word_embeddings=True,
                 bos_token_id=151643, eos_token_id=151645),
    # the bundled model's shape (models/README): 4096-token vocabulary, 6 layers of width 256
    "tiny": dict(vocab_size=4096, hidden_size=256, intermediate_size=768, num_hidden_layers=6,
                 num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=2048,
                 rope_theta=10000.0, rms_norm_eps=1e-6, tie_word_embeddings=True,
                 bos_token_id=4093, eos_token_id=4095),
    # ragged: vocab and MLP width not multiples of 16, odd K for down_proj, GQA 2:1, untied head
    "micro": dict(vocab_size=300, hidden_size=64, intermediate_size=87, num_hidden_layers=3,
                  num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=4096,
                  rope_theta=10000.0, rms_norm_eps=1e-5, tie_word_embeddings=False,
                  bos_token_id=1, eos_token_id=2),
    # head dim 24 (the scalar attention path), one kv head, tied
    "micro2": dict(vocab_size=260, hidden_size=48, intermediate_size=64, num_hidden_layers=2,
                   num_attention_heads=2, num_key_value_heads=1, max_position_embeddings=4096,
                   rope_theta=500000.0, rms_norm_eps=1e-6, tie_word_embeddings=True,
                   bos_token_id=1, eos_token_id=2),
}
DT = {"bf16": torch.bfloat16, "f32": torch.float32, "f16": torch.float16}
TORCH_NAME = {"bf16": "bfloat16", "f32": "float32", "f16": "float16"}


def make_tensors(cfg, dtype, seed, std):
    g = torch.Generator().manual_seed(seed)
    C, F, V = cfg["hidden_size"], cfg["intermediate_size"], cfg["vocab_size"]
    H, Hkv = cfg["num_attention_heads"], cfg["num_key_value_heads"]
    D = C // H

    def normal(*shape, mean=0.0, s=std):
        return (torch.randn(*shape, generator=g) * s + mean).to(dtype)

    t = {"model.embed_tokens.weight": normal(V, C)}
    for i in range(cfg["num_hidden_layers"]):
        p = f"model.layers.{i}."
        t[p + "input_layernorm.weight"] = normal(C, mean=1.0, s=0.1)
        t[p + "self_attn.q_proj.weight"] = normal(H * D, C)
        t[p + "self_attn.q_proj.bias"] = normal(H * D, s=0.1)
        t[p + "self_attn.k_proj.weight"] = normal(Hkv * D, C)
        t[p + "self_attn.k_proj.bias"] = normal(Hkv * D, s=0.1)
        t[p + "self_attn.v_proj.weight"] = normal(Hkv * D, C)
        t[p + "self_attn.v_proj.bias"] = normal(Hkv * D, s=0.1)
        t[p + "self_attn.o_proj.weight"] = normal(C, H * D)
        t[p + "post_attention_layernorm.weight"] = normal(C, mean=1.0, s=0.1)
        t[p + "mlp.gate_proj.weight"] = normal(F, C)
        t[p + "mlp.up_proj.weight"] = normal(F, C)
        t[p + "mlp.down_proj.weight"] = normal(C, F)
    t["model.norm.weight"] = normal(C, mean=1.0, s=0.1)
    if not cfg["tie_word_embeddings"]:
        t["lm_head.weight"] = normal(V, C)
    return t


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--config", default="micro", choices=sorted(CONFIGS))
    ap.add_argument("--layers", type=int)
    ap.add_argument("--dtype", default="bf16", choices=sorted(DT))
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--shards", type=int, default=1)
    ap.add_argument("--std", type=float, default=0.02)
    ap.add_argument("--vocab", type=int)
    ap.add_argument("--stop")
    ap.add_argument("--tokenizer")
    a = ap.parse_args()
    cfg = dict(CONFIGS[a.config])
    if a.layers:
        cfg["num_hidden_layers"] = a.layers
    if a.vocab:
        cfg["vocab_size"] = a.vocab
    stop = [int(x) for x in a.stop.split(",")] if a.stop else None
    if stop:
        cfg["eos_token_id"] = stop[0]
    full = dict(architectures=["Qwen2ForCausalLM"], model_type="qwen2", hidden_act="silu",
                attention_dropout=0.0, initializer_range=a.std, use_cache=True,
                use_sliding_window=False, sliding_window=32768, max_window_layers=21,
                rope_scaling=None, torch_dtype=TORCH_NAME[a.dtype], transformers_version="4.43.1")
    full.update(cfg)
    os.makedirs(a.out, exist_ok=True)
    with open(os.path.join(a.out, "config.json"), "w") as f:
        json.dump(full, f, indent=2)
    eos = cfg["eos_token_id"]
    gen = dict(bos_token_id=cfg["bos_token_id"], pad_token_id=cfg["bos_token_id"], do_sample=True,
               eos_token_id=stop or [eos, cfg["bos_token_id"]], repetition_penalty=1.05, temperature=0.7,
               top_p=0.8, top_k=20, transformers_version="4.43.1")
    with open(os.path.join(a.out, "generation_config.json"), "w") as f:
        json.dump(gen, f, indent=2)
    if a.tokenizer:
        for fn in ("tokenizer.json", "tokenizer_config.json"):
            if os.path.exists(os.path.join(a.tokenizer, fn)):
                shutil.copy(os.path.join(a.tokenizer, fn), os.path.join(a.out, fn))
    tensors = make_tensors(cfg, DT[a.dtype], a.seed, a.std)
    for fn in os.listdir(a.out):
        if fn.endswith(".safetensors") or fn == "model.safetensors.index.json":
            os.remove(os.path.join(a.out, fn))
    if a.shards <= 1:
        st_io.write(os.path.join(a.out, "model.safetensors"), tensors, {"format": "pt"})
        return
    names = list(tensors)
    per = (len(names) + a.shards - 1) // a.shards
    wmap, total = {}, 0
    for s in range(a.shards):
        fn = f"model-{s + 1:05d}-of-{a.shards:05d}.safetensors"
        part = {n: tensors[n] for n in names[s * per:(s + 1) * per]}
        st_io.write(os.path.join(a.out, fn), part, {"format": "pt"})
        for n, t in part.items():
            wmap[n] = fn
            total += t.numel() * t.element_size()
    with open(os.path.join(a.out, "model.safetensors.index.json"), "w") as f:
        json.dump({"metadata": {"total_size": total}, "weight_map": wmap}, f, indent=2)


if __name__ == "__main__":
    main()
