"""GloVe: co-occurrence counts vs the slow definition, weighting, gradients, AdaGrad paths, training, guards,
save/load."""
import numpy as np
import pytest
import torch
from wordvec_nb.data import EncodedCorpus
from wordvec_nb.glove import (ACCUMULATORS, PARAMS, Cooccurrence, GloVe, adagrad_step, cooccurrence,
                              cooccurrence_reference, glove_grads, glove_loss, init_params, ratio_table, weight)
from wordvec_nb.cpu_kernels import GloveNonzeros, glove_kernel, glove_tables

from toy import group_gap, toy_sentences as _toy

def toy_sentences(n=400): return _toy(n, groups=4, size=8, length=12)

def encoded(sentences):
    return EncodedCorpus(np.concatenate(sentences).astype(np.int32),
                         np.r_[0, np.cumsum([len(s) for s in sentences])].astype(np.int64))

def dense(pairs, V):
    D = np.zeros((V, V))
    for (i, j), x in pairs.items(): D[i, j] = x
    return D

@pytest.mark.parametrize('symmetric', [True, False])
@pytest.mark.parametrize('weighting', [True, False])
@pytest.mark.parametrize('chunk,merge_at', [(5, 1), (40, 1 << 24), (1 << 19, 1 << 24)])
def test_cooccurrence_matches_the_slow_definition(symmetric, weighting, chunk, merge_at):
    rng = np.random.default_rng(1)
    sents = [rng.integers(0, 9, rng.integers(1, 25)).tolist() for _ in range(50)]
    fast = cooccurrence(encoded(sents), 9, window=5, symmetric=symmetric, distance_weighting=weighting,
                        chunk_words=chunk, merge_at=merge_at)
    ref = cooccurrence_reference(sents, window=5, symmetric=symmetric, distance_weighting=weighting)
    np.testing.assert_allclose(fast.to_dense(), dense(ref, 9), rtol=1e-12)
    assert len(fast) == len(ref)                                        # one entry per distinct pair
    assert len(set(zip(fast.rows.tolist(), fast.cols.tolist()))) == len(fast)

def test_cooccurrence_small_example_by_hand():
    X = cooccurrence(encoded([[0, 1, 2, 1]]), 3, window=2).to_dense()
    # pairs: (0,1) d1, (0,2) d2, (1,2) d1, (1,1) d2, (2,1) d1 — each counted both ways
    np.testing.assert_allclose(X, [[0, 1, 0.5], [1, 1, 2], [0.5, 2, 0]])
    left = cooccurrence(encoded([[0, 1]]), 2, window=1, symmetric=False).to_dense()
    np.testing.assert_allclose(left, [[0, 0], [1, 0]])                  # X[1, 0]: word 0 is to the left of word 1

def test_cooccurrence_errors():
    with pytest.raises(ValueError, match='empty'): cooccurrence(encoded([np.zeros(0, int)]), 3)
    with pytest.raises(ValueError, match='window'): cooccurrence(encoded([[0, 1]]), 2, window=0)
    with pytest.raises(ValueError, match='GiB'): Cooccurrence(np.zeros(1, np.int32), np.zeros(1, np.int32), np.ones(1),
                                                              10**5).to_dense()
    with pytest.raises(ValueError, match='no co-occurrences'):
        Cooccurrence(np.zeros(0, np.int32), np.zeros(0, np.int32), np.zeros(0), 3).validate()
    for bad in (0.0, -1.0, np.nan, np.inf):
        with pytest.raises(ValueError, match='not positive finite'):
            Cooccurrence(np.array([0, 1], np.int32), np.array([1, 0], np.int32), np.array([1.0, bad]), 2).validate()
    with pytest.raises(ValueError, match='ids must lie'):
        Cooccurrence(np.array([0, 5], np.int32), np.array([1, 0], np.int32), np.ones(2), 2).validate()

def test_weighting_function():
    x = np.array([0.0, 1.0, 10.0, 50.0, 100.0, 101.0, 1e9])
    np.testing.assert_allclose(weight(x, 100, 0.75), [0, 0.01 ** 0.75, 0.1 ** 0.75, 0.5 ** 0.75, 1, 1, 1])
    np.testing.assert_allclose(weight(torch.tensor(x), 10, 1.0).numpy(), np.minimum(x / 10, 1))
    assert np.all(np.diff(weight(np.linspace(0, 200, 500), 100, 0.75)) >= 0)   # non-decreasing, saturates at 1

def test_gradients_match_autograd_in_float64():
    g = torch.Generator().manual_seed(3)
    V, dim, n = 7, 5, 60
    rows, cols = torch.randint(0, V, (n,), generator=g), torch.randint(0, V, (n,), generator=g)
    X = torch.rand(n, generator=g, dtype=torch.float64) * 200 + 0.01          # both sides of x_max
    params = [torch.randn(*s, generator=g, dtype=torch.float64, requires_grad=True)
              for s in [(V, dim), (V, dim), (V,), (V,)]]
    glove_loss(*params, rows, cols, X, x_max=100, alpha=0.75).backward()
    for mine, p in zip(glove_grads(*(p.detach() for p in params), rows, cols, X, x_max=100, alpha=0.75), params):
        torch.testing.assert_close(mine, p.grad, rtol=1e-10, atol=1e-12)

def test_kernel_equals_batched_step_one_entry_at_a_time():
    g = torch.Generator().manual_seed(0)
    V, dim, n = 11, 6, 200
    rows, cols = torch.randint(0, V, (n,), generator=g).int(), torch.randint(0, V, (n,), generator=g).int()
    X = torch.rand(n, generator=g) * 30 + 0.5
    P = init_params(V, dim, g); P['W_in'] *= 40                             # large residuals: the clip is exercised
    Q = {k: v.clone() for k, v in P.items()}
    logx, fx = torch.log(X), weight(X, 10.0)
    for e in range(n): adagrad_step(P, rows[e:e+1].long(), cols[e:e+1].long(), logx[e:e+1], fx[e:e+1], 0.05, clip=0.01)
    blocks = np.arange(n // 4, dtype=np.int64)[::-1].copy()                  # blocks of 4 in reverse order
    order = np.concatenate([np.arange(b * 4, b * 4 + 4) for b in blocks])
    R = {k: v.clone() for k, v in Q.items()}
    for e in order: adagrad_step(R, rows[e:e+1].long(), cols[e:e+1].long(), logx[e:e+1], fx[e:e+1], 0.05, clip=0.01)
    cost, done, bad = glove_kernel(glove_tables(Q), GloveNonzeros(rows.numpy(), cols.numpy(), logx.numpy(), fx.numpy()),
                                   blocks, 4, 0, len(blocks), np.float32(0.05), np.float32(0.01))
    assert bad == -1 and done == n
    for k in P: torch.testing.assert_close(Q[k], R[k], rtol=1e-5, atol=1e-6)

@pytest.mark.parametrize('backend,workers', [('numba', 1), ('numba', 2), ('torch', 1)])
def test_cost_falls_and_structure_is_learned(backend, workers):
    m = GloVe(toy_sentences(), vector_size=16, window=4, min_count=1, x_max=10, epochs=20, backend=backend,
              workers=workers, batch_size=256, progress=False)
    assert m.backend == backend and len(m.losses) == 20
    assert m.losses[-1] < 0.5 * m.losses[0]
    assert group_gap(m.wv, 4, 8) > 0.3

def test_seeded_runs_are_identical_and_cost_is_the_reference_tools():
    a = GloVe(toy_sentences(), vector_size=8, min_count=1, epochs=3, workers=1, progress=False)
    b = GloVe(toy_sentences(), vector_size=8, min_count=1, epochs=3, workers=1, progress=False)
    np.testing.assert_array_equal(a.wv.vectors, b.wv.vectors)
    # cost of one epoch = mean over non-zeros of ½ f δ², each measured just before its own update: with a tiny eta
    # the parameters barely move, so it equals the loss at the starting point
    m = GloVe(vector_size=8, min_count=1, epochs=1, eta=1e-9, workers=1, progress=False).build_vocab(toy_sentences())
    P0 = {k: v.double() for k, v in m.params.items()}
    c = m.cooc
    start = glove_loss(P0['W_in'], P0['W_out'], P0['b_in'], P0['b_out'], torch.as_tensor(c.rows).long(),
                       torch.as_tensor(c.cols).long(), torch.as_tensor(c.X), x_max=m.x_max, alpha=m.alpha).item()
    m.train()
    assert m.losses[0] == pytest.approx(start / len(c), rel=1e-5)

@pytest.mark.parametrize('backend', ['numba', 'torch'])
def test_nan_guard_stops_before_the_bad_update(backend):
    m = GloVe(vector_size=8, min_count=1, epochs=2, backend=backend, workers=1, batch_size=64, progress=False)
    m.build_vocab(toy_sentences())
    m.params['W_in'][m.vocab['w3']] = float('nan')                          # a poisoned parameter
    with pytest.raises(FloatingPointError, match=r"'w3'.*eta"):
        m.train()
    others = [k for k in ('W_out', 'b_in', 'b_out', 'G_in', 'G_out', 'Gb_in', 'Gb_out')]
    assert all(torch.isfinite(m.params[k]).all() for k in others)          # nothing non-finite was written

def test_nan_guard_on_poisoned_counts_after_validation():
    m = GloVe(vector_size=8, min_count=1, epochs=1, workers=1, progress=False).build_vocab(toy_sentences())
    m.cooc.X[5] = np.nan
    with pytest.raises(FloatingPointError, match='non-finite'):
        m.train()

def test_bad_counts_are_refused_before_training():
    m = GloVe(vector_size=8, min_count=1, progress=False).build_vocab(toy_sentences())
    c = m.cooc
    with pytest.raises(ValueError, match='not positive finite'):
        GloVe(progress=False).set_cooccurrence(Cooccurrence(c.rows, c.cols, -c.X, c.V), m.vocab)
    with pytest.raises(ValueError, match='vocabulary has'):
        GloVe(progress=False).set_cooccurrence(Cooccurrence(c.rows, c.cols, c.X, c.V + 1), m.vocab)

def test_errors_are_clear(tmp_path):
    with pytest.raises(ValueError, match='no co-occurrence counts'): GloVe(progress=False).train()
    with pytest.raises(ValueError, match='backend'): GloVe(backend='fast')
    with pytest.raises(ValueError, match='eta'): GloVe(eta=0)
    with pytest.raises(ValueError, match='train it first'): GloVe().wv
    with pytest.raises(ValueError, match='no two in-vocabulary words'):
        GloVe([['a'], ['b']], min_count=1, progress=False)
    m = GloVe(toy_sentences(40), vector_size=4, min_count=1, epochs=1, progress=False)
    with pytest.raises(ValueError, match='kind'): m.vectors('both')
    with pytest.raises(KeyError, match='nope'): ratio_table(m.cooc, m.vocab, 'w1', 'nope', ['w2'])

@pytest.mark.skipif(torch.cuda.is_available(), reason='this machine has CUDA')
def test_cuda_without_cuda_is_a_clear_error():
    with pytest.raises(ValueError, match='CUDA'): GloVe(device='cuda')

@pytest.mark.skipif(not torch.cuda.is_available(), reason='needs CUDA')
def test_trains_on_cuda():
    m = GloVe(toy_sentences(), vector_size=16, window=4, min_count=1, x_max=10, epochs=20, device='cuda',
              batch_size=256, progress=False)
    assert m.backend == 'torch' and m.params['W_in'].is_cuda and m.losses[-1] < 0.5 * m.losses[0] and group_gap(m.wv, 4,
            8) > 0.3

def test_save_load_roundtrip_and_bad_file(tmp_path):
    m = GloVe(toy_sentences(), vector_size=8, min_count=1, epochs=2, progress=False)
    m.save(tmp_path/'g.pt')
    r = GloVe.load(tmp_path/'g.pt')
    np.testing.assert_array_equal(r.wv.vectors, m.wv.vectors)
    assert r.losses == m.losses and r.x_max == m.x_max and r.vocab.index_to_key == m.vocab.index_to_key
    (tmp_path/'junk.pt').write_bytes(b'not a model')
    with pytest.raises(ValueError, match='not a saved GloVe model'): GloVe.load(tmp_path/'junk.pt')
    torch.save({'format': 'something else'}, tmp_path/'other.pt')
    with pytest.raises(ValueError, match='reads format'): GloVe.load(tmp_path/'other.pt')
    with pytest.raises(ValueError, match='nothing to save'): GloVe().save(tmp_path/'empty.pt')
    assert not (tmp_path/'empty.pt').exists()

def test_callbacks_see_every_epoch():
    from wordvec_nb.word2vec import Callback
    seen = []
    class Rec(Callback):
        def on_epoch_end(self, model): seen.append(len(model.losses))
    GloVe(toy_sentences(40), vector_size=4, min_count=1, epochs=3, callbacks=[Rec()], progress=False)
    assert seen == [1, 2, 3]

def test_gensim_style_keywords(tmp_path):
    "corpus_file reads gensim's line format; a keyword GloVe does not take is a one-line error with the alternative."
    (tmp_path/'c.txt').write_text('\n'.join(['the King rode north to the sea'] * 50) + '\n')
    m = GloVe(corpus_file=tmp_path/'c.txt', vector_size=4, min_count=1, epochs=2, workers=1, progress=False)
    assert 'King' in m.wv and len(m.vocab) == 6
    with pytest.raises(TypeError, match="does not take the keyword 'iter'; use epochs"): GloVe(iter=5)
