"""The word2vec trainer: fast path vs reference, learning, reproducibility, errors, save/load."""
import importlib.util, math
import numpy as np
import pytest
import torch
from toy import group_gap as _gap, toy_sentences
from wordvec_nb.neg import NegativeSampling, neg_loss
from wordvec_nb.cpu_kernels import cbow_neg_example, neg_example
from wordvec_nb.training import numba
from wordvec_nb.word2vec import (
    Callback,
    Word2Vec,
    cbow_step,
    hs_saturation,
    init_input_vectors,
    plot_losses,
    skipgram_step,
)

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
        pos = int(rng.integers(V)); negs = [int(x)
                                            for x in rng.choice([w for w in range(V) if w != pos], k, replace=False)]
        obj.sampler = lambda shape, generator=None, n=negs: torch.tensor([n])
        neu1e = np.zeros(dim, np.float32)
        if arch == 'sg':
            c = int(rng.integers(V))
            skipgram_step(obj, W_ref, torch.tensor([c]), torch.tensor([pos]), 0.05)
            neg_example(Wo_fast, W_fast[c], np.array([pos] + negs), k + 1, 0.05, neu1e); W_fast[c] += neu1e
        else:
            ctx = rng.choice(V, 4, replace=False)
            cbow_step(obj, W_ref, torch.from_numpy(ctx[None]), torch.ones(1, 4, dtype=torch.bool), torch.tensor([pos]),
                      0.05)
            # the kernel's CBOW NEG example
            cbow_neg_example(W_fast, Wo_fast, ctx, np.array([pos] + negs), 0.05, np.zeros(dim, np.float32), neu1e,
                             np.zeros(k + 1, np.float32))
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
    with pytest.raises(ValueError, match='no word occurs 5 times or more'): Word2Vec([['a', 'b', 'a']])
    with pytest.raises(TypeError, match='one-shot iterator'): Word2Vec(s for s in toy_sentences(5))
    with pytest.raises(ValueError, match="loss='glove' is not available"): Word2Vec(toy_sentences(5), loss='glove',
            min_count=1)
    with pytest.raises(ValueError, match="backend must be"): Word2Vec(backend='gpu')
    (tmp_path/'empty.txt').write_text('')
    with pytest.raises(ValueError, match='contains no words'): Word2Vec(str(tmp_path/'empty.txt'))

@pytest.mark.skipif(torch.cuda.is_available(), reason='this machine has CUDA')
def test_cuda_without_cuda_is_a_clear_error():
    with pytest.raises(ValueError, match="asked for CUDA, but this PyTorch .* sees no CUDA GPU"):
        Word2Vec(toy_sentences(5), min_count=1, device='cuda')

@pytest.mark.skipif(not torch.cuda.is_available(), reason='needs CUDA')
def test_trains_on_cuda():
    m = Word2Vec(toy_sentences(), vector_size=16, window=3, min_count=1, epochs=3, sample=0, device='cuda',
                 progress=False)
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
    """A negative scoring s = 50 has 1 − σ(s) = 0 in float64; the loss must still be finite (≈ 50), as the reference
    says."""
    W_out = np.zeros((3, 4), np.float32); W_out[2] = 25.0
    h = np.full(4, 0.5, np.float32)                                  # s(positive 1) = 0, s(negative 2) = 50
    loss = neg_example(W_out.copy(), h, np.array([1, 2]), 2, 0.0, np.zeros(4, np.float32))
    ref = neg_loss(torch.tensor(h[None], dtype=torch.float64), torch.tensor(W_out[[1]], dtype=torch.float64),
                   torch.tensor(W_out[None, [2]], dtype=torch.float64)).item()
    assert np.isfinite(loss) and abs(loss - ref) < 1e-6

@needs_numba
def test_hs_kernel_matches_reference_over_a_sequence_of_examples():
    "The fused kernel's hierarchical-softmax update equals the PyTorch objective's, example after example."
    from wordvec_nb.hsoftmax import HierarchicalSoftmax
    from wordvec_nb.cpu_kernels import hs_example
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
        loss_fast = hs_example(Wn_fast, W_fast[c], t.codes[target], t.points[target], t.lengths[target], 0.05, neu1e)
        W_fast[c] += neu1e
        assert abs(loss_fast - loss_ref) < 1e-4
    np.testing.assert_allclose(W_fast, W_ref.numpy(), atol=2e-6)
    np.testing.assert_allclose(Wn_fast, obj.W_node.numpy(), atol=2e-6)

@pytest.mark.parametrize('loss', ['softmax', 'hs', 'nce', 'neg'])
@pytest.mark.parametrize('sg', [1, 0])
def test_every_objective_learns_the_toy_corpus_on_cpu(loss, sg):
    m = Word2Vec(toy_sentences(300), sg=sg, loss=loss, vector_size=16, window=3, min_count=1, epochs=4, sample=0,
                 seed=1, workers=1, progress=False)
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

# --- evaluate_loss, hs_saturation,
# plot_losses -------------------------------------------------------------------------

def _ragged_toy(n=24):
    "Toy sentences cut to lengths 12, 5, 2, 7, 1, 9, … (a one-word sentence has no skip-gram pair and no CBOW context)."
    return [s[:k] for s, k in zip(toy_sentences(n), [12, 5, 2, 7, 1, 9] * n)]

def _random_weights(m, seed=0, scale=0.5):
    """Replace W_in and the objective's parameters of a model with seeded Gaussian values (so the loss is not a
    constant)."""
    g = torch.Generator().manual_seed(seed)
    m.W_in = scale * torch.randn(m.W_in.shape, generator=g)
    for name in m.objective.params: setattr(m.objective, name,
                                            scale * torch.randn(getattr(m.objective, name).shape, generator=g))
    return m

def _hand_loss(m, sentences, negs=None) -> float:
    """The mean loss written out example by example in float64 with window=1 and no subsampling: every neighbour pair
    (skip-gram: the neighbour's row asks the center's question) or every center with its one or two neighbours
    (CBOW)."""
    logsig = lambda x: -np.logaddexp(0.0, -x)
    W, losses = m.W_in.double().numpy(), []
    for s in sentences:
        ids = [m.vocab[w] for w in s if w in m.vocab]
        for i, c in enumerate(ids):
            nb = [ids[j] for j in (i - 1, i + 1) if 0 <= j < len(ids)]
            for ctx in ([[x] for x in nb] if m.sg else [nb] if nb else []):
                h = W[ctx].mean(0)
                if m.loss == 'hs':
                    t, Wn = m.objective.tree, m.objective.W_node.double().numpy()
                    losses.append(
                        -sum(
                            logsig((1 - 2 * int(t.codes[c][l])) * (Wn[t.points[c][l]] @ h)) for l in range(t.lengths[c])
                        )
                    )
                else:
                    Wo = m.objective.W_out.double().numpy()
                    losses.append(-logsig(Wo[c] @ h) - sum(logsig(-(Wo[n] @ h)) for n in negs))
    return float(np.mean(losses))

def _frozen_model(loss, sg, sentences, **kw):
    """A built (untrained) model with random weights; NEG's sampler replaced by fixed negatives so the loss is
    reproducible by hand."""
    m = _random_weights(Word2Vec(sg=sg, loss=loss, vector_size=8, window=1, min_count=1, sample=0, seed=3,
                                 progress=False, **kw).build_vocab(sentences))
    negs = None
    if loss == 'neg':
        # a repeat, and words that are also positives elsewhere
        negs = [3, 17, 3, 0, 25]
        m.objective.sampler = lambda shape, generator=None: torch.tensor(negs).expand(*shape)
    return m, negs

@pytest.mark.parametrize('loss', ['neg', 'hs'])
@pytest.mark.parametrize('sg', [1, 0])
def test_evaluate_loss_equals_the_loss_written_out_by_hand(loss, sg):
    sents = _ragged_toy()
    m, negs = _frozen_model(loss, sg, sents)
    assert abs(m.evaluate_loss(max_words=None) - _hand_loss(m, sents, negs)) < 1e-5
    # unknown words are dropped before pairing
    other = [['w0', 'unseen', 'w1', 'w2'], ['w30', 'w31'], ['w5', 'alsounseen']]
    assert abs(m.evaluate_loss(other, max_words=None) - _hand_loss(m, other, negs)) < 1e-5

@pytest.mark.parametrize('loss', ['softmax', 'hs', 'nce', 'neg'])
@pytest.mark.parametrize('sg', [1, 0])
def test_evaluate_loss_changes_nothing(loss, sg):
    m = _random_weights(Word2Vec(sg=sg, loss=loss, vector_size=8, min_count=1, seed=2,
                                 progress=False).build_vocab(toy_sentences(60)))
    before = [m.W_in.clone()] + [getattr(m.objective, n).clone() for n in m.objective.params]
    first = m.evaluate_loss(max_words=300)
    after = [m.W_in] + [getattr(m.objective, n) for n in m.objective.params]
    assert all(torch.equal(a, b) for a, b in zip(before, after)) and m.losses == []
    # same seed, same weights: same number
    assert np.isfinite(first) and first > 0 and m.evaluate_loss(max_words=300) == first

def test_evaluate_loss_max_words_caps_the_words_used(monkeypatch):
    import wordvec_nb.word2vec as w2v
    used, real = [], w2v.train_chunk_torch
    monkeypatch.setattr(Word2Vec, 'torch_chunk', lambda model, ids, *a,
                        **k: used.append(len(ids)) or real(model, ids, *a, **k))
    # 60 sentences of 12 words
    m = Word2Vec(vector_size=4, min_count=1, progress=False).build_vocab(toy_sentences(60))
    for cap in (1, 50, 100):
        m.evaluate_loss(max_words=cap, seed=cap)
        # whole sentences, within one of the cap
        assert used[-1] % 12 == 0 and abs(used[-1] - cap) < 12, (cap, used[-1])
    m.evaluate_loss(max_words=None); assert used[-1] == 720
    a, b = m.evaluate_loss(max_words=24, seed=0), m.evaluate_loss(max_words=24, seed=1)
    # the seed picks the sentences
    assert a != b

def test_evaluate_loss_errors_are_clear():
    with pytest.raises(ValueError, match='no vocabulary yet.*build_vocab'): Word2Vec().evaluate_loss()
    m = Word2Vec(vector_size=4, min_count=1, progress=False).build_vocab(toy_sentences(10))
    with pytest.raises(ValueError, match='no token of the corpus is in the vocabulary'): m.evaluate_loss([['nothing',
            'known']])

@needs_numba
@pytest.mark.parametrize('loss', ['neg', 'hs'])
@pytest.mark.parametrize('sg', [1, 0])
def test_kernel_epoch_at_alpha_zero_reports_the_evaluate_loss(loss, sg):
    """One more kernel epoch at α = 0 changes no weight and its running loss is the loss of the frozen weights.
    NEG's kernel skips a negative equal to the positive (the reference keeps it): on 40 words that is about 1% lower."""
    import copy
    m = Word2Vec(toy_sentences(300), sg=sg, loss=loss, vector_size=16, window=3, min_count=1, sample=0, epochs=1,
                 seed=1, workers=1, backend='numba', progress=False)
    frozen = copy.deepcopy(m); frozen.alpha = frozen.min_alpha = 0.0; frozen.losses, frozen.seed = [], 5
    frozen.train()
    assert torch.equal(frozen.W_in, m.W_in) and frozen.losses[0] < m.losses[0]
    ref = m.evaluate_loss(max_words=None)
    assert abs(frozen.losses[0] - ref) < (0.02 if loss == 'neg' else 0.005) * ref, (frozen.losses, ref)

def _saturation_model():
    """Skip-gram HS on five words, every input row e₀ and every node j scoring s_j = SCORES[j] (6.0: exactly on the
    threshold)."""
    sents = [list('abacabdaeab'), list('cadbe'), list('ab')]
    m = Word2Vec(sg=1, loss='hs', vector_size=3, window=1, min_count=1, sample=0, progress=False).build_vocab(sents)
    scores = [10.0, -7.0, 0.5, 6.0]
    assert len(m.objective.tree) - 1 == len(scores)
    m.W_in = torch.zeros(len(m.vocab), 3); m.W_in[:, 0] = 1.0
    m.objective.W_node = torch.zeros(len(scores), 3); m.objective.W_node[:, 0] = torch.tensor(scores)
    return m, sents, scores

def test_hs_saturation_matches_a_hand_count():
    m, sents, scores = _saturation_model()
    t, rows = m.objective.tree, []
    # window=1, no subsampling: every neighbour pair, once
    for s in sents:
        for i, c in enumerate(s):
            for j in (i - 1, i + 1):
                if 0 <= j < len(s):
                    w = m.vocab[c]
                    rows.append(
                        [scores[t.points[w][l]] * (1 if t.codes[w][l] == 0 else -1) for l in range(t.lengths[w])]
                    )
    z = np.concatenate([np.array(r) for r in rows])                # P(correct answer) = σ(z), one entry per question
    node_loss = np.logaddexp(0, -z)
    r = hs_saturation(m, n_examples=10_000)
    assert r['questions'] == len(z) == 65
    assert r['saturated'] == pytest.approx((np.abs(z) >= 6).mean()) and r['confidently wrong'] == pytest.approx(
        (z <= -6).mean()
    )
    # the example tells them apart
    assert 0 < r['confidently wrong'] < r['saturated'] < 1
    assert r['loss share of the wrong ones'] == pytest.approx(node_loss[z <= -6].sum() / node_loss.sum(), rel=1e-5)
    assert r['largest |s|'] == 10.0 and r['loss per example'] == pytest.approx(np.mean([np.logaddexp(0,
            -np.array(q)).sum() for q in rows]), rel=1e-5)
    few = hs_saturation(m, n_examples=5)
    assert 5 <= few['questions'] <= 5 * int(t.lengths.max())

def test_hs_saturation_refuses_other_models():
    for kw in (dict(loss='neg', sg=1), dict(loss='hs', sg=0)):
        m = Word2Vec(vector_size=4, min_count=1, progress=False, **kw).build_vocab(toy_sentences(10))
        with pytest.raises(ValueError, match="skip-gram model with loss='hs'"): hs_saturation(m)

def test_plot_losses_labels():
    matplotlib = pytest.importorskip('matplotlib'); matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    kw = dict(vector_size=4, min_count=1, progress=False, workers=1)
    a, b = Word2Vec(toy_sentences(40), epochs=1, **kw), Word2Vec(toy_sentences(40), epochs=2, **kw)
    with pytest.raises(ValueError, match='1 labels for 2 models'): plot_losses(a, b, labels=['only one'])
    ax = plot_losses(a, b)
    labels = ax.get_legend_handles_labels()[1]
    assert len(set(labels)) == 2 and '1 epochs' in labels[0] and '2 epochs' in labels[1]
    assert [list(l.get_ydata()) for l in ax.get_lines()] == [a.losses, b.losses]
    assert list(ax.get_lines()[1].get_xdata()) == [1, 2]
    ax2 = plot_losses(a, b, labels=['first', 'second'])
    assert ax2.get_legend_handles_labels()[1] == ['first', 'second']
    plt.close('all')

def test_divergence_guard_is_measured_against_the_starting_weights():
    """The yardstick is the loss of the untrained model (log V for the full softmax: W_out starts at 0), so a run that
    blows up in its first chunk is caught."""
    m = Word2Vec(toy_sentences(200), sg=0, loss='softmax', vector_size=8, min_count=1, epochs=1, seed=1, progress=False)
    assert m._first_loss == pytest.approx(math.log(len(m.vocab)), rel=1e-6)
    m._check_finite(9 * m._first_loss * 100, 100, 0)                       # 9× the start: allowed
    with pytest.raises(FloatingPointError, match='training diverged'):
        m._check_finite(11 * m._first_loss * 100, 100, 0)                  # 11×: stopped, even in the first chunk

numba_only = pytest.mark.skipif(importlib.util.find_spec('numba') is None, reason='needs numba')

def _window_transcription(W_in, W_out, ctx, rows, alpha):
    """Shared-negatives window rule in float64 torch: rows[0] the positive, the rest negatives, each read as the window
    reaches it."""
    H, E, loss = torch.from_numpy(W_in[ctx]).double(), None, 0.0
    E = torch.zeros_like(H)
    for l, r in enumerate(rows):
        u, y = torch.from_numpy(W_out[r]).double(), 1.0 if l == 0 else 0.0
        s = H @ u
        loss -= float(torch.nn.functional.logsigmoid(s if y else -s).sum())
        g = alpha * (y - torch.sigmoid(s))
        E += g[:, None] * u; W_out[r] += (g @ H).float().numpy()
    np.add.at(W_in, ctx, E.float().numpy())
    return loss

@numba_only
def test_shared_negatives_window_equals_its_transcription():
    from wordvec_nb.cpu_kernels import shared_window
    rng = np.random.default_rng(5)
    for trial in range(20):
        V, dim, k = 30, int(rng.integers(2, 20)), int(rng.integers(1, 8))
        W_in0, W_out0 = rng.normal(0, 0.7, (V, dim)).astype(np.float32), rng.normal(0, 0.7, (V, dim)).astype(np.float32)
        ctx, rows = rng.integers(0, V, int(rng.integers(1, 11))), rng.integers(0, V, k + 1)
        codes = np.r_[0, np.ones(k)].astype(np.int8)
        A_in, A_out, B_in, B_out = W_in0.copy(), W_out0.copy(), W_in0.copy(), W_out0.copy()
        ref = _window_transcription(A_in, A_out, ctx, rows, 0.05)
        scratch = (np.zeros((len(ctx), dim), np.float32), np.zeros(dim, np.float32), np.zeros(len(ctx)),
                   np.ones(len(ctx)))
        got = shared_window(B_in, B_out, ctx, codes, rows, 0.05, np.inf, scratch)
        assert got == pytest.approx(ref, rel=1e-4)
        np.testing.assert_allclose(B_in, A_in, atol=1e-5); np.testing.assert_allclose(B_out, A_out, atol=1e-5)

@numba_only
def test_shared_negatives_train_like_the_per_pair_kernel(tmp_path):
    from wordvec_nb.data import embedded_corpus
    sents = list(embedded_corpus())[:8000]
    pair = Word2Vec(sents, vector_size=32, epochs=2, seed=1, backend='numba', shared_negatives=False, progress=False)
    # the default for skip-gram NEG
    shared = Word2Vec(sents, vector_size=32, epochs=2, seed=1, backend='numba', progress=False)
    assert (shared.shared, pair.shared) == (True, False)
    # CBOW: per pair
    assert Word2Vec(sents[:300], sg=0, min_count=1, epochs=1, backend='numba', progress=False).shared is False
    assert Word2Vec(sents[:300], min_count=1, epochs=1, backend='torch', progress=False).shared is False
    assert shared.losses[-1] < shared.losses[0] and abs(shared.losses[-1] - pair.losses[-1]) / pair.losses[-1] < 0.05
    # the same pairs, trained differently
    assert shared.examples_trained == pytest.approx(pair.examples_trained, rel=0.02)
    pair.save(tmp_path/'m.pt'); assert Word2Vec.load(tmp_path/'m.pt').shared_negatives is False
    for kw in (dict(sg=0), dict(loss='hs'), dict(backend='torch')):
        with pytest.raises(ValueError,
                           match="shared_negatives is an option of the CPU kernel's skip-gram negative sampling"):
            Word2Vec(sents[:300], min_count=1, epochs=1, shared_negatives=True, progress=False,
                     **{'backend': 'numba', **kw})

def test_cli_has_a_shared_negatives_switch():
    from wordvec_nb.cli import make_parser
    p = make_parser()
    assert p.parse_args(['train', 'x.txt', '-o', 'v.bin', '--shared-negatives']).shared_negatives is True
    assert p.parse_args(['train', 'x.txt', '-o', 'v.bin', '--no-shared-negatives']).shared_negatives is False
    assert p.parse_args(['train', 'x.txt', '-o', 'v.bin']).shared_negatives is None                        # automatic

@pytest.mark.parametrize('loss', ['neg', 'hs'])
def test_online_update_keeps_every_trained_row(loss):
    "gensim's build_vocab(update=True): new words appended with fresh rows; old rows of W and of the output layer kept."
    sents = toy_sentences(300)
    m = Word2Vec(sents, loss=loss, negative=5 if loss == 'neg' else 0, vector_size=12, min_count=1, epochs=2,
                 workers=1, progress=False)
    W, out = m.W_in.clone(), {n: t.clone() for n, t in m.output_tensors().items()}
    m.build_vocab([['w1', 'brand', 'new', 'w2']] * 5, update=True)
    assert len(m.vocab) == 42 and set(m.vocab.index_to_key[-2:]) == {'brand', 'new'}
    assert torch.equal(m.W_in[:40], W) and not torch.equal(m.W_in[40], m.W_in[41])
    for n, t in m.output_tensors().items(): assert torch.equal(t[:len(out[n])], out[n])
    m.train([['w1', 'brand', 'new', 'w2']] * 5, total_examples=5, epochs=1)
    assert torch.isfinite(m.W_in).all() and m.corpus_count == 5

def test_reset_from_shares_the_vocabulary_and_starts_afresh():
    a = Word2Vec(toy_sentences(200), vector_size=8, min_count=1, epochs=1, workers=1, progress=False)
    b = Word2Vec(vector_size=8, min_count=1, epochs=1, workers=1, seed=2, progress=False).reset_from(a)
    assert b.vocab is a.vocab and b.corpus is a.corpus and b.corpus_count == a.corpus_count == 200
    b.train()
    assert not torch.equal(a.W_in, b.W_in)

def test_corpus_file_reads_gensim_line_format(tmp_path):
    "corpus_file: a line is a sentence, tokens as written (no lower-casing), the same as token lists."
    sents = [['The', 'King'] + s for s in toy_sentences(100)]
    (tmp_path/'c.txt').write_text('\n'.join(' '.join(s) for s in sents) + '\n')
    a = Word2Vec(corpus_file=str(tmp_path/'c.txt'), vector_size=8, min_count=1, epochs=1, workers=1, progress=False)
    b = Word2Vec(sents, vector_size=8, min_count=1, epochs=1, workers=1, progress=False)
    assert 'King' in a.wv and a.corpus_count == 100 and torch.equal(a.W_in, b.W_in)
    encoded = a.corpus                                          # the same file, named by an equal string: not re-read
    a.train(corpus_file=f'{tmp_path}/c.txt', total_examples=100, epochs=1)
    assert a.corpus is encoded
    with pytest.raises(ValueError, match='not both'): Word2Vec(sents, corpus_file=str(tmp_path/'c.txt'))

def test_both_output_layers_train_and_save(tmp_path):
    "gensim's hs=1 with negative > 0: both paths learn the toy topics; the tables survive save/load."
    for backend in ('torch', 'numba'):
        t = Word2Vec(toy_sentences(600), hs=1, negative=5, vector_size=16, min_count=1, epochs=5, workers=1, seed=1,
                     backend=backend, progress=False)
        assert t.backend == backend and group_gap(t) > 0.2
    m = t
    assert m.loss == 'hs+neg' and m.hs == 1
    assert m.syn1.shape == (39, 16) and m.syn1neg.shape == (40, 16) and np.abs(m.syn1neg).sum() > 0
    assert m.predict_output_word(['w1', 'w2'], topn=1)[0][0] in {f'w{i}' for i in range(10)}
    m.save(tmp_path/'both.pt'); back = Word2Vec.load(tmp_path/'both.pt')
    assert back.loss == 'hs+neg' and np.array_equal(back.syn1, m.syn1) and np.array_equal(back.syn1neg, m.syn1neg)
