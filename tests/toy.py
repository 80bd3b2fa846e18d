"""A toy corpus with known structure, shared by the trainer tests: every sentence uses the words of one topic only."""
import numpy as np
import torch
import torch.nn.functional as F

def toy_sentences(n=600, groups=4, size=10, length=12, seed=0):
    "n sentences of `length` words; sentence i draws from topic i mod groups (words w{g·size} … w{g·size + size − 1})."
    rng = np.random.default_rng(seed)
    return [[f'w{g * size + i}' for i in rng.integers(0, size, length)] for g in np.arange(n) % groups]

def group_gap(wv, groups=4, size=10):
    "Mean cosine of same-topic word pairs minus that of different-topic pairs: > 0 when the topics were learned."
    words = [f'w{i}' for i in range(groups * size)]
    W = F.normalize(torch.as_tensor(wv[words]), dim=1); S = W @ W.T
    g = torch.arange(groups * size) // size
    same = (g[:, None] == g[None]) & ~torch.eye(len(words), dtype=bool)
    return (S[same].mean() - S[g[:, None] != g[None]].mean()).item()
