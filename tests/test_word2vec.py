"""The word2vec trainer: fast path vs reference, learning, reproducibility, errors, save/load."""
import numpy as np
import pytest
import torch
from toy import group_gap as _gap, toy_sentences
from wordvec_nb.neg import NegativeSampling, cbow_step, neg_loss, skipgram_step
from wordvec_nb.word2vec import Callback, Word2Vec, _neg_example, init_input_vectors, numba

needs_numba = pytest.mark.skipif(numba is None, reason='numba not installed')

def group_gap(model, groups=4, size=10): return _gap(model.wv, groups, size)

@needs_numba
@pytest.mark.parametrize('arch', ['sg', 'cbow'])
def test_kernel_matches_reference_over_a_sequence_of_examples(arch):
    "Same examples, same negatives, one at a time: the fused update equals the PyTorch objective's update."
    gen = torch.Generator().manual_seed(5)
    V, dim, k = 25, 10, 4
    W0, Wo0 = init_input_vectors(V, dim, gen), 0.2 * torch.randn(V, dim, generator=gen)
    W_ref, obj = W0.clone(), NegativeSampling(torch.ones(V), dim, negative=k)
    obj.W_out = Wo0.clone()
    W_fast, Wo_fast = W0.numpy().copy(), Wo0.numpy().copy()
    rng = np.random.default_rng(0)
    for step in range(30):
        pos = int(rng.integers(V)); negs = [int(x) for x in rng.choice([w for w in range(V) if w != pos], k, replace=False)]
        obj.sampler = lambda shape, generator=None, n=negs: torch.tensor([n])
        neu1e = np.zeros(dim, np.float32)
        if arch == 'sg':
            c = int(rng.integers(V))
            skipgram_step(obj, W_ref, torch.tensor([c]), torch.tensor([pos]), 0.05)
            _neg_example(Wo_fast, W_fast[c], np.array([pos] + negs), k + 1, 0.05, neu1e); W_fast[c] += neu1e
        else:
            ctx = rng.choice(V, 4, replace=False)
            cbow_step(obj, W_ref, torch.from_numpy(ctx[None]), torch.ones(1, 4, dtype=torch.bool), torch.tensor([pos]), 0.05)
            h = W_fast[ctx].mean(0).astype(np.float32)
            _neg_example(Wo_fast, h, np.array([pos] + negs), k + 1, 0.05, neu1e); W_fast[ctx] += neu1e
    np.testing.assert_allclose(W_fast, W_ref.numpy(), atol=2e-6)
    np.testing.assert_allclose(Wo_fast, obj.W_out.numpy(), atol=2e-6)

@pytest.mark.parametrize('backend', ['torch', pytest.param('numba', marks=needs_numba)])
@pytest.mark.parametrize('sg', [1, 0])
def test_loss_falls_and_structure_is_learned(backend, sg):
    m = Word2Vec(toy_sentences(), sg=sg, vector_size=16, window=3, min_count=1, epochs=4, sample=0, seed=1,
                 backend=backend, workers=1, progress=False)
    assert m.backend == backend and len(m.losses) == 4
    assert m.losses[-1] < m.losses[0] < 6 * np.log(2)
    assert group_gap(m) > 0.3

@pytest.mark.parametrize('backend', ['torch', pytest.param('numba', marks=needs_numba)])
def test_seeded_single_worker_runs_are_identical(backend):
    kw = dict(vector_size=8, min_count=1, epochs=2, workers=1, backend=backend, progress=False)
    a, b, c = (Word2Vec(toy_sentences(100), seed=s, **kw) for s in (3, 3, 4))
    assert torch.equal(a.W_in, b.W_in) and a.losses == b.losses and not torch.equal(a.W_in, c.W_in)

def test_callbacks_see_every_epoch():
    calls = []
    class Log(Callback):
        def on_train_begin(self, m): calls.append('begin')
        def on_epoch_begin(self, m): calls.append('e<')
        def on_epoch_end(self, m): calls.append(f'e>{len(m.losses)}')
        def on_train_end(self, m): calls.append('end')
    Word2Vec(toy_sentences(50), vector_size=4, min_count=1, epochs=2, callbacks=[Log()], progress=False)
    assert calls == ['begin', 'e<', 'e>1', 'e<', 'e>2', 'end']

def test_errors_are_clear(tmp_path):
    with pytest.raises(ValueError, match='contains no words'): Word2Vec([[], []])
    with pytest.raises(ValueError, match='no word occurs min_count=5'): Word2Vec([['a', 'b', 'a']])
    with pytest.raises(TypeError, match='one-shot iterator'): Word2Vec(s for s in toy_sentences(5))
    with pytest.raises(ValueError, match="loss='glove' is not available"): Word2Vec(toy_sentences(5), loss='glove', min_count=1)
    with pytest.raises(ValueError, match="backend must be"): Word2Vec(backend='gpu')
    (tmp_path/'empty.txt').write_text('')
    with pytest.raises(ValueError, match='contains no words'): Word2Vec(str(tmp_path/'empty.txt'))

@pytest.mark.skipif(torch.cuda.is_available(), reason='this machine has CUDA')
def test_cuda_without_cuda_is_a_clear_error():
    with pytest.raises(ValueError, match="asked for CUDA, but this PyTorch .* sees no CUDA GPU"):
        Word2Vec(toy_sentences(5), min_count=1, device='cuda')

@pytest.mark.skipif(not torch.cuda.is_available(), reason='needs CUDA')
def test_trains_on_cuda():
    m = Word2Vec(toy_sentences(), vector_size=16, window=3, min_count=1, epochs=3, sample=0, device='cuda', progress=False)
    assert m.backend == 'torch' and m.W_in.is_cuda and m.losses[-1] < m.losses[0] and group_gap(m) > 0.3

@pytest.mark.parametrize('backend', ['torch', pytest.param('numba', marks=needs_numba)])
def test_nan_stops_training_with_a_reason(backend):
    with pytest.raises(FloatingPointError, match='training diverged.*Lower alpha'):
        Word2Vec(toy_sentences(200), min_count=1, alpha=1e8, epochs=1, backend=backend, workers=1, progress=False)

def test_oversized_batch_diverges_with_a_message_and_auto_batch_does_not():
    "The measured hazard: summed updates per row. 1,024 CBOW rows on a 40-word corpus blow up; the auto size learns."
    kw = dict(sg=0, vector_size=16, window=3, min_count=1, epochs=4, sample=0, seed=1, backend='torch', progress=False)
    with pytest.raises(FloatingPointError, match='batch_size=1024 .* too large.*smaller batch_size'):
        Word2Vec(toy_sentences(), batch_size=1024, **kw)
    m = Word2Vec(toy_sentences(), **kw)
    assert 256 <= m.torch_batch_size < 512 and m.losses[-1] < m.losses[0]

def test_save_load_roundtrip_and_bad_file(tmp_path):
    m = Word2Vec(toy_sentences(100), vector_size=8, min_count=1, epochs=1, progress=False)
    m.save(tmp_path/'m.pt')
    back = Word2Vec.load(tmp_path/'m.pt')
    assert torch.equal(back.W_in, m.W_in) and torch.equal(back.objective.W_out, m.objective.W_out)
    assert back.vocab.index_to_key == m.vocab.index_to_key and back.losses == m.losses and back.sg == m.sg
    (tmp_path/'bad.pt').write_bytes(b'\x00' * 10)
    with pytest.raises(ValueError, match='not a saved Word2Vec model'): Word2Vec.load(tmp_path/'bad.pt')
    assert sorted(p.name for p in tmp_path.iterdir()) == ['bad.pt', 'm.pt']     # no temp files left

@needs_numba
def test_kernel_loss_is_finite_when_a_negative_saturates():
    "A negative scoring s = 50 has 1 − σ(s) = 0 in float64; the loss must still be finite (≈ 50), as the reference says."
    W_out = np.zeros((3, 4), np.float32); W_out[2] = 25.0
    h = np.full(4, 0.5, np.float32)                                  # s(positive 1) = 0, s(negative 2) = 50
    loss = _neg_example(W_out.copy(), h, np.array([1, 2]), 2, 0.0, np.zeros(4, np.float32))
    ref = neg_loss(torch.tensor(h[None], dtype=torch.float64), torch.tensor(W_out[[1]], dtype=torch.float64),
                   torch.tensor(W_out[None, [2]], dtype=torch.float64)).item()
    assert np.isfinite(loss) and abs(loss - ref) < 1e-6

@needs_numba
def test_hs_kernel_matches_reference_over_a_sequence_of_examples():
    "The fused kernel's hierarchical-softmax update equals the PyTorch objective's, example after example."
    from wordvec_nb.hsoftmax import HierarchicalSoftmax
    from wordvec_nb.word2vec import _hs_example
    gen = torch.Generator().manual_seed(2)
    V, dim = 30, 8
    counts = np.random.default_rng(0).integers(1, 100, V)
    obj = HierarchicalSoftmax(counts, dim); obj.W_node = 0.3 * torch.randn(V - 1, dim, generator=gen)
    W_ref = init_input_vectors(V, dim, gen)
    W_fast, Wn_fast = W_ref.numpy().copy(), obj.W_node.numpy().copy()
    t, rng = obj.tree, np.random.default_rng(1)
    for _ in range(40):
        c, target = int(rng.integers(V)), int(rng.integers(V))
        loss_ref = skipgram_step(obj, W_ref, torch.tensor([c]), torch.tensor([target]), 0.05).item()
        neu1e = np.zeros(dim, np.float32)
        loss_fast = _hs_example(Wn_fast, W_fast[c], t.codes[target], t.points[target], t.lengths[target], 0.05, neu1e)
        W_fast[c] += neu1e
        assert abs(loss_fast - loss_ref) < 1e-4
    np.testing.assert_allclose(W_fast, W_ref.numpy(), atol=2e-6)
    np.testing.assert_allclose(Wn_fast, obj.W_node.numpy(), atol=2e-6)

@pytest.mark.parametrize('loss', ['softmax', 'hs', 'nce', 'neg'])
@pytest.mark.parametrize('sg', [1, 0])
def test_every_objective_learns_the_toy_corpus_on_cpu(loss, sg):
    m = Word2Vec(toy_sentences(), sg=sg, loss=loss, vector_size=16, window=3, min_count=1, epochs=4, sample=0, seed=1,
                 workers=1, progress=False)
    assert m.losses[-1] < m.losses[0] and group_gap(m) > 0.3, (m.backend, m.losses, group_gap(m))

@pytest.mark.parametrize('loss', ['softmax', 'hs', 'nce'])
def test_save_load_keeps_each_objectives_parameters(tmp_path, loss):
    m = Word2Vec(toy_sentences(60), loss=loss, vector_size=8, min_count=1, epochs=1, progress=False)
    m.save(tmp_path/'m.pt'); back = Word2Vec.load(tmp_path/'m.pt')
    for name in m.objective.params: assert torch.equal(getattr(back.objective, name), getattr(m.objective, name))

def test_full_softmax_on_a_large_vocabulary_warns(monkeypatch):
    import wordvec_nb.word2vec as w2v
    monkeypatch.setattr(w2v, 'SOFTMAX_WARN_V', 10)
    with pytest.warns(UserWarning, match=r"loss='softmax' costs O\(V\).*'hs' or 'neg'"):
        Word2Vec(toy_sentences(30), loss='softmax', vector_size=4, min_count=1, epochs=1, progress=False)
