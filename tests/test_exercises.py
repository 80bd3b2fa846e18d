"""The exercise checkers: each accepts a right answer and rejects typical wrong ones with a message that names the
mistake."""
import math
import numpy as np
import pytest
import torch
from wordvec_nb.exercises import ExerciseError, check_function, diagnose
from wordvec_nb.text import check_pairs
from wordvec_nb.onehot import check_context_input
from wordvec_nb.softmax import check_softmax_grads, check_temperature_grads, softmax_grads
from wordvec_nb.neg import check_neg_grads, check_shared_grads, neg_grads
from wordvec_nb.hsoftmax import check_leaf_probs
from wordvec_nb.nce import check_nce_posterior, check_z_grad
from wordvec_nb.glove import check_best_bias
from wordvec_nb.vectors import check_pair_direction

def rejects(check, answer, message):
    with pytest.raises(ExerciseError, match=message): check(answer)

def test_diagnose_names_the_mistake():
    r = 0.37 * np.arange(1.0, 7.0).reshape(2, 3)
    assert diagnose('x', r, r) is None
    assert 'wrong sign' in diagnose('x', -r, r)
    assert '2 × the right one' in diagnose('x', 2 * r, r)
    assert 'shape (3, 2), expected (2, 3) (transposed?)' in diagnose('x', r.T, r)
    assert diagnose('x', r + 1, r).startswith('x differs from the reference')

def test_check_function_reports_the_case_and_exceptions():
    make = lambda rng: (rng.normal(size=3),)
    with pytest.raises(ExerciseError, match=r'case 0 of 5, seed 7'): check_function(lambda x: x + 1, lambda x: x, make,
            ['y'], cases=5, seed=7)
    with pytest.raises(ExerciseError, match='raised KeyError'): check_function(lambda x: {}['a'], lambda x: x, make,
                                                                               ['y'])

def test_library_functions_pass_their_own_exercises():
    "The library's implementations are right answers (the references inside the checkers are written independently)."
    assert check_neg_grads(neg_grads).startswith('correct')
    assert check_softmax_grads(lambda h, W, t: tuple(softmax_grads(h, W, t))).startswith('correct')
    scaled = lambda h, W, t, T: (lambda g: (g[0] / T, g[1]))(softmax_grads(h / T, W, t))   # s/T = (h/T)·u
    assert check_temperature_grads(scaled).startswith('correct')
    rejects(check_temperature_grads, lambda h, W, t, T: softmax_grads(h / T, W, t), 'dL/dh')

def test_neg_checkers_reject_wrong_answers():
    rejects(check_neg_grads, lambda v, up, un: (lambda g: (g[0], g[1], -g[2]))(neg_grads(v, up, un)),
            'negative rows\\) has the wrong sign')
    rejects(check_neg_grads, lambda v, up, un: (lambda g: (g[0], 0.5 * g[1], g[2]))(neg_grads(v, up, un)),
            r'0\.5 × the right one')
    rejects(check_neg_grads, lambda v, up, un: neg_grads(v, up, un)[:2], 'returns 2 value')
    def shared(V, Up, Un):                                # noise rows collect every example's push
        ep, en = torch.sigmoid((Up * V).sum(-1)) - 1, torch.sigmoid(V @ Un.T)
        return ep[:, None] * Up + en @ Un, ep[:, None] * V, en.T @ V
    assert check_shared_grads(shared).startswith('correct')
    rejects(check_shared_grads, lambda V, Up, Un: (lambda g: (g[0], g[1], g[2] / len(V)))(shared(V, Up, Un)),
            'shared noise rows')

def test_other_checkers_accept_right_and_reject_wrong_answers():
    pairs = lambda ids, r: [(c, ids[j]) for i, c in enumerate(ids) for j in range(max(0, i - r), min(len(ids),
            i + r + 1)) if j != i]
    assert check_pairs(pairs).startswith('correct')
    rejects(check_pairs, lambda ids, r: pairs(ids, r)[::-1], 'differs|shape')
    assert check_context_input(lambda W, ctx: W[ctx].mean(1)).startswith('correct')
    rejects(check_context_input, lambda W, ctx: W[ctx].sum(1), r'the context means')
    rejects(check_softmax_grads, lambda h, W, t: (torch.zeros_like(h), torch.zeros_like(W)), 'dL/dh differs')
    leaf = lambda h, W, t: np.array(
        [
            math.prod(
                1 / (1 + math.exp(-(1 if t.codes[w][l] == 0 else -1) * float(W[t.points[w][l]] @ h)))
                for l in range(int(t.lengths[w]))
            )
            for w in range(len(t))
        ]
    )
    assert check_leaf_probs(leaf).startswith('correct')
    rejects(check_leaf_probs, lambda h, W, t: leaf(h, -W, t), 'differs')                       # left and right swapped
    assert check_nce_posterior(lambda s, q, k: 1 / (1 + np.exp(-(s - np.log(k * q))))).startswith('correct')
    rejects(check_nce_posterior, lambda s, q, k: 1 / (1 + np.exp(-s)), 'differs')
    z_grad = lambda so, sn, lo, ln, z: 1 - torch.sigmoid(so - z - lo) - torch.sigmoid(sn - z[:, None] - ln).sum(-1)
    assert check_z_grad(z_grad).startswith('correct')
    rejects(check_z_grad, lambda *a: -z_grad(*a), 'wrong sign')
    def pair_direction(n, a, b, c):
        off = n - n[c]
        score = off @ (n[b] - n[a]) / np.maximum(np.linalg.norm(off, axis=1), 1e-12)
        score[[a, b, c]] = -np.inf
        return int(np.argmax(score))
    assert check_pair_direction(pair_direction).startswith('correct')
    # 3CosAdd instead, and PairDirection with the query words not excluded
    rejects(check_pair_direction, lambda n, a, b, c: int(np.argmax(np.where(np.isin(np.arange(len(n)), [a, b, c]),
            -np.inf, n @ (n[b] - n[a] + n[c])))), 'answer row differs')
    rejects(check_pair_direction, lambda n, a, b, c: int(np.argmax((n - n[c]) @ (n[b] - n[a])
            / np.maximum(np.linalg.norm(n - n[c], axis=1), 1e-12))), 'answer row differs')

def test_training_checkers():
    from wordvec_nb.word2vec import check_sequential_step
    def sequential(v, U, outputs, labels, lr):             # word2vec.c's order, written with explicit gradients
        grads_v = []
        for o, y in zip(outputs.tolist(), labels.tolist()):
            err = torch.sigmoid(U[o] @ v) - y
            grads_v.append(err * U[o].clone())
            U[o] -= lr * err * v
        return v - lr * torch.stack(grads_v).sum(0), U
    assert check_sequential_step(sequential).startswith('correct')
    def batched(v, U, outputs, labels, lr):                # every gradient from the start: wrong when a row repeats
        g = lr * (labels - torch.sigmoid(U[outputs] @ v))
        return v + g @ U[outputs], U.index_add_(0, outputs, g[:, None] * v[None, :])
    rejects(check_sequential_step, batched, 'differs')

def test_gradient_checkers_for_hs_and_glove():
    from wordvec_nb.hsoftmax import check_path_hessian
    def hessian(h, th, sg):                               # Σ σ(s)(1 − σ(s)) θθᵀ, written as a loop over the nodes
        out = torch.zeros(len(h), len(h), dtype=h.dtype)
        for theta in th:
            p = torch.sigmoid(theta @ h)
            out += p * (1 - p) * torch.outer(theta, theta)
        return out
    assert check_path_hessian(hessian).startswith('correct')
    rejects(check_path_hessian, lambda h, th, sg: th.T @ th, 'differs')            # the weights σ(1 − σ) forgotten
    rejects(check_path_hessian, lambda h, th, sg: -hessian(h, th, sg), 'wrong sign')
    def best(W, Wt, bt, rows, cols, lx, fx):              # the weighted mean of the residuals, per row
        r = lx - (W[rows] * Wt[cols]).sum(-1) - bt[cols]
        num, den = (torch.zeros(len(W), dtype=r.dtype).index_add_(0, rows, v) for v in (fx * r, fx))
        return torch.where(den > 0, num / den.clamp_min(1e-300), torch.zeros_like(num))
    assert check_best_bias(best).startswith('correct')
    # the unweighted mean, and the residual's sign flipped
    rejects(check_best_bias, lambda W, Wt, bt, rows, cols, lx, fx: best(W, Wt, bt, rows, cols, lx, torch.ones_like(fx)),
            'best b differs')
    rejects(check_best_bias, lambda *a: -best(*a), 'best b has the wrong sign')
