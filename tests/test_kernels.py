"""The fused kernels against their plain-PyTorch references: under Triton's interpreter on CPU (TRITON_INTERPRET=1,
set by conftest.py when there is no GPU), on CUDA when there is one."""
import math
import numpy as np
import pytest
import torch

triton = pytest.importorskip('triton', reason='the fused kernels need triton (a dev requirement on Linux)')
from wordvec_nb.kernels import (HS_SKIP, NUM_WARPS, best_warps, cbow_neg_launch, cbow_neg_reference, cbow_neg_step,
                                compile_report,
                                glove_adagrad_launch, glove_adagrad_step, prepare_windows, programs_per_sm,
                                sg_hs_launch, sg_hs_reference,
                                sg_hs_step, sg_neg_launch, sg_neg_reference, sg_neg_step, warps_per_program)
from wordvec_nb.training import triton_ready
from wordvec_nb.hsoftmax import huffman_tree
from toy import group_gap as _gap, toy_sentences as _toy

DEV = 'cuda' if torch.cuda.is_available() else 'cpu'
pytestmark = pytest.mark.skipif(not triton_ready(DEV), reason='needs CUDA or TRITON_INTERPRET=1')

def windows(V=30, n_sent=3, length=14, window=3, seed=0):
    g = torch.Generator().manual_seed(seed)
    ids = torch.randint(0, V, (n_sent * length,), generator=g, dtype=torch.int32)
    sent = torch.arange(n_sent, dtype=torch.int32).repeat_interleave(length)
    return prepare_windows(ids, sent, torch.ones(V), window, g)

def tables(V, D, scale=0.4, seed=1):
    g = torch.Generator().manual_seed(seed)
    return scale * torch.randn(V, D, generator=g), scale * torch.randn(V, D, generator=g)

def to(*ts): return [t.to(DEV) for t in ts]

def test_prepare_windows_stay_inside_sentences():
    ids = torch.arange(40, dtype=torch.int32); sent = torch.tensor([0] * 10 + [1] * 25 + [2] * 5, dtype=torch.int32)
    kid, lo, hi = prepare_windows(ids, sent, torch.ones(40), 4, torch.Generator().manual_seed(0))
    bounds = {0: (0, 10), 1: (10, 35), 2: (35, 40)}
    for i in range(40):
        s0, s1 = bounds[int(sent[i])]
        assert s0 <= lo[i] <= i < hi[i] <= s1 and i - lo[i] <= 4 and hi[i] - i - 1 <= 4
    assert len(prepare_windows(ids, sent, torch.zeros(40), 4)[0]) == 0          # keep probability 0 drops everything
    kid, lo, hi = prepare_windows(ids, sent, (torch.arange(40) % 2).float(), 2, torch.Generator().manual_seed(0))
    # compaction keeps the kept ids in order
    assert (kid % 2 == 1).all() and len(kid) == 20

@pytest.mark.parametrize('launcher,reference,D,window,alpha_end,spread', [(sg_neg_launch, sg_neg_reference, 20, 3, None,
                                                                           4096),
                                                                          (sg_neg_launch, sg_neg_reference, 100, 3,
                                                                           0.001, 4),
                                                                          (cbow_neg_launch, cbow_neg_reference, 24, 2,
                                                                           0.001, 4)])
def test_neg_kernels_match_their_references(launcher, reference, D, window, alpha_end, spread):
    V, K = 30, 5
    ids, lo, hi = windows(V, window=window)
    negs = torch.randint(0, V, (len(ids), K), generator=torch.Generator().manual_seed(2), dtype=torch.int32)
    # a negative equal to its center is skipped
    negs[0, 1] = ids[0]
    W_in, W_out = tables(V, D)
    A_in, A_out = W_in.clone(), W_out.clone()
    # alpha_end: α falls center by center
    ref = reference(A_in, A_out, ids, lo, hi, negs, 0.05, alpha_end=alpha_end, spread=spread)
    # spread 4: centers in a spread-out order
    B_in, B_out, *args = to(W_in, W_out, ids, lo, hi, negs)
    launch, got = launcher(B_in, B_out, *args, 0.05, alpha_end=alpha_end, spread=spread)
    # serial: each program sees the ones before it
    launch.run(serial=True); got = got.cpu()
    torch.testing.assert_close(got, ref, rtol=1e-4, atol=1e-4)
    torch.testing.assert_close(B_in.cpu(), A_in, rtol=1e-4, atol=1e-5)
    torch.testing.assert_close(B_out.cpu(), A_out, rtol=1e-4, atol=1e-5)
    assert not torch.equal(A_in, W_in) and not torch.equal(A_out, W_out)

@pytest.mark.parametrize('kind', ['neg', 'hs'])
def test_skipgram_kernels_read_each_context_row_one_position_ahead(kind, monkeypatch):
    """Three words only: the same word is often the next context too, so a kernel that read rows at another moment than
    its reference (prefetched one position ahead) would differ."""
    V, D = 3, 16
    ids, lo, hi = windows(V, n_sent=2, length=12, window=3, seed=4)
    assert (ids[1:] == ids[:-1]).sum() >= 3
    W_in, W_out = tables(V, D, scale=0.8)
    A_in, A_out = W_in.clone(), W_out.clone()
    B_in, B_out, *args = to(W_in, W_out, ids, lo, hi)
    if kind == 'neg':
        negs = torch.randint(0, V, (len(ids), 2), generator=torch.Generator().manual_seed(5), dtype=torch.int32)
        ref = sg_neg_reference(A_in, A_out, ids, lo, hi, negs, 0.2)
        launch, got = sg_neg_launch(B_in, B_out, *args, *to(negs), 0.2); launch.run(serial=True); got = got.cpu()
    else:
        tree = huffman_tree(np.array([5, 3, 2]))
        codes, points, lengths = (torch.as_tensor(a) for a in (tree.codes, tree.points, tree.lengths))
        ref = sg_hs_reference(A_in, A_out, ids, lo, hi, (codes, points, lengths), 0.2)
        launch, got = sg_hs_launch(B_in, B_out, *args, tuple(to(codes, points, lengths)),
                                   0.2); launch.run(serial=True); got = got.cpu()
    torch.testing.assert_close(got, ref, rtol=1e-4, atol=1e-4)
    torch.testing.assert_close(B_in.cpu(), A_in, rtol=1e-4, atol=1e-5)
    torch.testing.assert_close(B_out.cpu(), A_out, rtol=1e-4, atol=1e-5)
    if kind == 'neg':                       # and the moment of reading matters here: rows read at use would differ
        import wordvec_nb.kernels as k
        monkeypatch.setattr(k, '_contexts_as_read', lambda W, ids, i, lo, hi: ((int(ids[j]),
                                                                                W[int(ids[j])].clone())
                                                                                for j in range(lo, hi) if j != i))
        C_in, C_out = W_in.clone(), W_out.clone()
        k.sg_neg_reference(C_in, C_out, ids, lo, hi, negs, 0.2)
        assert (C_in - A_in).abs().max() > 0.05

def test_sg_hs_kernel_matches_reference_including_saturated_nodes():
    V, D = 30, 20
    tree = huffman_tree(np.random.default_rng(0).integers(1, 200, V))
    codes, points, lengths = (torch.as_tensor(a) for a in (tree.codes, tree.points, tree.lengths))
    ids, lo, hi = windows(V)
    W_in, W_node = tables(V, D, scale=0.5)
    W_node[0] *= 8                                                               # the root: some scores beyond ±6
    A_in, A_node = W_in.clone(), W_node.clone()
    ref = sg_hs_reference(A_in, A_node, ids, lo, hi, (codes, points, lengths), 0.05, alpha_end=0.001, spread=4)
    B_in, B_node, *args = to(W_in, W_node, ids, lo, hi, codes, points, lengths)
    launch, got = sg_hs_launch(B_in, B_node, *args[:3], tuple(args[3:]), 0.05, alpha_end=0.001,
                               spread=4); launch.run(serial=True); got = got.cpu()
    torch.testing.assert_close(got, ref, rtol=1e-4, atol=1e-4)
    torch.testing.assert_close(B_in.cpu(), A_in, rtol=1e-4, atol=1e-5)
    torch.testing.assert_close(B_node.cpu(), A_node, rtol=1e-4, atol=1e-5)
    s = W_in[ids.long()] @ W_node[0]
    assert (s.abs() >= HS_SKIP).any() and (s.abs() < HS_SKIP).any()

def test_glove_kernel_equals_adagrad_step_block_by_block():
    from wordvec_nb.glove import adagrad_step, init_params, weight
    g = torch.Generator().manual_seed(0)
    V, D, n, block = 12, 20, 100, 16
    rows, cols = torch.randint(0, V, (n,), generator=g, dtype=torch.int32), torch.randint(0, V, (n,), generator=g,
            dtype=torch.int32)
    X = torch.rand(n, generator=g) * 30 + 0.5
    P = init_params(V, D, g); P['W_in'] *= 30                                    # large residuals: clipping exercised
    Q = {k: v.clone().to(DEV) for k, v in P.items()}
    logx, fx = torch.log(X), weight(X, 10.0)
    ref = 0.0
    for a in range(0, n, block):
        c, bad = adagrad_step(P, rows[a:a+block].long(), cols[a:a+block].long(), logx[a:a+block], fx[a:a+block], 0.05,
                              clip=1.0)
        ref += float(c); assert bad == -1
    launch, cost, bad = glove_adagrad_launch(Q, *to(rows, cols, logx, fx), 0.05, clip=1.0,
                                             block=block); launch.run(serial=True)
    assert int(bad.sum()) == 0 and float(cost.sum(dtype=torch.float64)) == pytest.approx(ref, rel=1e-4)
    for k in P: torch.testing.assert_close(Q[k].cpu(), P[k], rtol=1e-4, atol=1e-5)

def test_glove_kernel_block_with_a_non_finite_entry_writes_nothing():
    from wordvec_nb.glove import init_params
    V, D = 6, 8
    P = {k: v.to(DEV) for k, v in init_params(V, D, torch.Generator().manual_seed(0)).items()}
    before = {k: v.clone() for k, v in P.items()}
    rows = torch.tensor([0, 1, 2, 3], dtype=torch.int32); cols = torch.tensor([1, 2, 3, 4], dtype=torch.int32)
    logx = torch.tensor([0.5, float('nan'), 1.0, 2.0]); fx = torch.ones(4)
    cost, bad = glove_adagrad_step(P, *to(rows, cols, logx, fx), 0.05, block=4)
    assert bad == 1
    for k in P: assert torch.equal(P[k], before[k])

def toy_sentences(n=30): return _toy(n, groups=3, size=4, length=6)     # tiny: the interpreter simulates every program

def group_gap(wv): return _gap(wv, groups=3, size=4)

@pytest.mark.parametrize('sg,loss,epochs', [(1, 'neg', 3), (0, 'neg', 6), (1, 'hs', 3)])
def test_word2vec_trains_with_the_kernels(sg, loss, epochs):
    from wordvec_nb.word2vec import Word2Vec
    m = Word2Vec(toy_sentences(), sg=sg, loss=loss, vector_size=8, window=2, min_count=1, sample=0, epochs=epochs,
                 alpha=0.1, backend='triton', device=DEV, progress=False)
    assert m.backend == 'triton' and m.losses[-1] < 0.8 * m.losses[0] and group_gap(m.wv) > 0.2, (m.losses,
            group_gap(m.wv))

def test_glove_trains_with_the_kernel():
    from wordvec_nb.glove import GloVe
    m = GloVe(toy_sentences(120), vector_size=16, window=4, min_count=1, x_max=10, epochs=15, backend='triton',
              device=DEV, progress=False)
    assert m.backend == 'triton' and m.losses[-1] < 0.5 * m.losses[0] and group_gap(m.wv) > 0.3

def test_glove_nan_guard_names_the_pair():
    "The fused kernel writes nothing when an entry is non-finite; the error names a pair of that entry's words."
    from wordvec_nb.glove import GloVe
    m = GloVe(vector_size=8, window=4, min_count=1, epochs=2, backend='triton', device=DEV, progress=False)
    m.build_vocab(toy_sentences(20))
    word = m.vocab.index_to_key[3]
    m.params['W_in'][m.vocab[word]] = float('nan')                          # a poisoned parameter
    with pytest.raises(FloatingPointError, match=rf"'{word}'.*eta"):
        m.train()
    others = ('W_out', 'b_in', 'b_out', 'G_in', 'G_out', 'Gb_in', 'Gb_out')
    assert all(torch.isfinite(m.params[k]).all() for k in others)           # no NaN reached the other rows

def test_backend_errors_are_clear():
    from wordvec_nb.word2vec import Word2Vec
    with pytest.raises(ValueError, match="backend='triton'"):
        Word2Vec(toy_sentences(10), loss='nce', min_count=1, backend='triton', device=DEV, progress=False)
    with pytest.raises(ValueError, match="backend='triton'"):
        Word2Vec(toy_sentences(10), sg=0, loss='hs', min_count=1, backend='triton', device=DEV, progress=False)

def test_kernels_compile_for_hopper_without_fences_or_spills_and_the_warps_table_is_the_compilers_choice():
    rows = compile_report(90, dims=(100, 300), warps=[1, 2, 4, 8])      # the real compiler and ptxas, no GPU needed
    assert {(r['kernel'], r['dim']) for r in rows} == {(k, d) for k in ('sg_neg', 'cbow_neg', 'sg_hs') for d in (100,
            300)} | {('glove', 100)}
    for r in rows:                          # hogwild adds: relaxed, fire-and-forget; nothing orders or waits on them
        assert r['fences'] == 0 and r['returning_atomics'] == 0 and r['atomic_adds'] > 0, r
    for r in rows:
        if NUM_WARPS[(r['kernel'], triton.next_power_of_2(r['dim']))] == r['warps']:
            assert r['spilled_bytes'] == 0 and r['vector_atomic_adds'] > 0 and r['programs_per_sm'] >= 8, r
    assert best_warps(rows) == NUM_WARPS

def test_kernels_also_compile_for_ampere():
    rows = compile_report(80, dims=(100,))
    assert len(rows) == 4 and all(r['fences'] == 0 and r['spilled_bytes'] == 0 for r in rows)

def test_programs_per_sm_follows_the_hardware_limits():
    assert programs_per_sm(32, 0, 1) == 32                     # the 32-programs cap
    assert programs_per_sm(128, 0, 1) == 16                    # 64k registers / (128 × 32)
    assert programs_per_sm(255, 0, 4) == 2                     # 255 → 256 per thread: 8 warps' worth of registers
    assert programs_per_sm(32, 100_000, 1) == 2                # shared memory (+1 kB each) of 228 kB
    assert programs_per_sm(32, 0, 8, arch=86) == 6             # 1536 threads on sm_86
    assert programs_per_sm(32, 0, 1, arch=75) is None          # unknown part: no guess

def test_learning_rate_falls_center_by_center():
    from wordvec_nb.kernels import _alphas
    a0, step = _alphas(0.025, 0.005, 100)
    assert a0 == 0.025 and a0 + 100 * step == pytest.approx(0.005) and _alphas(0.025, None, 100) == (0.025, 0.0)
    ids, lo, hi = windows(30)
    negs = torch.randint(0, 30, (len(ids), 5), generator=torch.Generator().manual_seed(2), dtype=torch.int32)
    W_in, W_out = tables(30, 12)
    A = [t.clone() for t in (W_in, W_out)]; B = [t.clone() for t in (W_in, W_out)]
    sg_neg_reference(*A, ids, lo, hi, negs, 0.05)
    sg_neg_reference(*B, ids, lo, hi, negs, 0.05, alpha_end=0.0)
    assert (A[0] - B[0]).abs().max() > 1e-3                   # the schedule changes the updates

@pytest.mark.skipif(DEV != 'cuda',
                    reason='programs run concurrently only on a GPU (the interpreter runs them in order)')
@pytest.mark.parametrize('ids_from', ['uniform', 'zipf'])
def test_hogwild_launch_stays_close_to_the_serial_order(ids_from):
    """Thousands of programs in flight read rows that others are about to change. With uniform ids rows rarely
    collide; with Zipfian ids and negatives drawn from q ∝ count^¾ (a real corpus) the most frequent row is written by
    ~15% of windows, so each of its reads misses hundreds of concurrent updates (chapter 23's `stale_reads`). Either
    way the launch must end close to the serial order, and no worse a fit of the windows it trained on."""
    V, D, n, K = 20_000, 100, 20_000, 5
    g = torch.Generator().manual_seed(0)
    if ids_from == 'uniform':
        ids = torch.randint(0, V, (n,), generator=g, dtype=torch.int32)
        noise = torch.ones(V)
    else:
        counts = 1.0 / torch.arange(1, V + 1, dtype=torch.float64)                    # Zipf: count ∝ 1 / rank
        ids = torch.multinomial(counts, n, replacement=True, generator=g).int()
        noise = counts ** 0.75
    kid, lo, hi = prepare_windows(ids, torch.zeros(n, dtype=torch.int32), torch.ones(V), 5, g)
    negs = torch.multinomial(noise.float(), len(kid) * K, replacement=True, generator=g).view(-1, K).int()
    W_in, W_out = tables(V, D, scale=0.1)
    S_in, S_out, H_in, H_out = to(W_in, W_out, W_in, W_out)
    args = to(kid, lo, hi, negs)
    sg_neg_launch(S_in, S_out, *args, 0.025)[0].run(serial=True)
    sg_neg_step(H_in, H_out, *args, 0.025)
    W_in, W_out = to(W_in, W_out)
    bound = 0.01 if ids_from == 'uniform' else 0.05        # Zipf: an estimate, first to be checked on a GPU run
    for S, H, W in ((S_in, H_in, W_in), (S_out, H_out, W_out)):
        assert float((H - S).abs().sum() / (S - W).abs().sum()) < bound
    c, l, h, ng = (t.long() for t in args)
    sign = torch.tensor([1.0] + [-1.0] * K, device=DEV)
    def fit(A, B) -> float:
        "Negative-sampling loss of every (context, center) pair of the windows under tables A (input), B (output)."
        U, total = B[torch.cat([c[:, None], ng], 1)], 0.0                               # (centers, K + 1, D)
        valid = torch.cat([torch.ones_like(c[:, None]), ng != c[:, None]], 1)           # as the kernels: a negative
        # that is the center is skipped
        for d in [d for d in range(-5, 6) if d]:
            j = torch.arange(len(c), device=DEV) + d
            ok = (j >= l) & (j < h)
            s = (U[ok] @ A[c[j[ok]]][:, :, None]).squeeze(-1) * sign
            total += float(-(torch.nn.functional.logsigmoid(s) * valid[ok]).sum())
        return total
    assert fit(H_in, H_out) <= 1.01 * fit(S_in, S_out)

def test_programs_visit_every_center_once_and_neighbours_far_apart():
    from wordvec_nb.kernels import _centers, _stride
    for n, spread in [(10, 4096), (1000, 8), (3_000_000, 4096), (4096 * 7, 4096)]:
        s = _stride(n, spread)
        assert math.gcd(s, n) == 1 and s >= max(1, n // spread)
        if n <= 10_000: assert sorted(_centers(n, spread)) == list(range(n))
    order = _centers(1000, 8)                          # any 8 consecutive programs: about 1000 / 8 positions apart
    gaps = [min(b - a for a, b in zip(g, g[1:])) for g in (sorted(order[p:p + 8]) for p in range(993))]
    assert min(gaps) >= 100

def test_warps_table_is_read_only_and_a_benchmark_overrides_it_only_inside_a_with_block():
    with pytest.raises(TypeError): NUM_WARPS[('sg_neg', 128)] = 8
    ids, lo, hi = windows(30)
    launch, _ = sg_neg_launch(*tables(30, 100), ids, lo, hi, torch.zeros(len(ids), 5, dtype=torch.int32), 0.05)
    assert launch.warps == NUM_WARPS[('sg_neg', 128)]
    with warps_per_program({('sg_neg', 128): 8}):
        assert launch.warps == 8
        # nested: the outer choice still holds
        with warps_per_program({('sg_hs', 128): 4}): assert launch.warps == 8
    assert launch.warps == NUM_WARPS[('sg_neg', 128)]
