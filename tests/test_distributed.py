"""Data-parallel training (chapter 28), launched the way users launch it: torchrun, gloo over loopback, bounded in
time."""
import json, os, shutil, socket, subprocess, sys, textwrap, time
from pathlib import Path
import numpy as np
import pytest
import torch
from wordvec_nb.data import embedded_corpus
from wordvec_nb.text import Vocab
from wordvec_nb.word2vec import Word2Vec

pytestmark = pytest.mark.skipif(not torch.distributed.is_available(), reason='this PyTorch has no torch.distributed')

WORKER = textwrap.dedent("""
    import hashlib, json, os, sys, time
    from wordvec_nb.data import embedded_corpus
    from wordvec_nb import distributed
    from wordvec_nb.distributed import train_data_parallel, world
    from wordvec_nb.training import Callback
    from wordvec_nb.word2vec import Word2Vec
    out, die = sys.argv[1], sys.argv[2] == 'die'
    write = distributed.EpochCheckpoint.write
    def write_then_die(self, model, inside_epoch=None):   # the first attempt's rank 1 dies inside the second epoch,
        write(self, model, inside_epoch)                  # once its first checkpoint there exists
        first_try = os.environ.get('TORCHELASTIC_RESTART_COUNT', '0') == '0'
        if die and world()[0] == 1 and inside_epoch and inside_epoch['epoch'] == 1 and first_try: os._exit(3)
    distributed.EpochCheckpoint.write = write_then_die
    class Hang(Callback):                     # rank 1 stops progressing (alive, silent) as the second epoch begins
        def on_epoch_begin(self, model):
            if os.environ.get('HANG') and world()[0] == 1 and len(model.losses) == 1: time.sleep(600)
    if os.environ.get('FAIL') and os.environ['RANK'] == '1':    # rank 1's worker thread raises while training
        import wordvec_nb.cpu_kernels as ck
        kernel = ck.fused_chunk_kernel
        def failing(x, settings, a, b, *rest):
            if a < b: raise ValueError('injected fault in a worker thread')
            return kernel(x, settings, a, b, *rest)
        ck.fused_chunk_kernel = failing
    verses = list(embedded_corpus('kjv'))[:int(os.environ.get('VERSES', 5000))]
    env = lambda name, default: type(default)(os.environ.get(name, default))
    ckpt = out + (f"/ckpt{os.environ['RANK']}.pt" if os.environ.get('CKPT_PER_RANK') else '/ckpt.pt')
    m = train_data_parallel(Word2Vec, verses, sync_words=env('SYNC_WORDS', 15_000), sync=env('SYNC', 'average'),
                            checkpoint=ckpt, checkpoint_words=30_000, vector_size=env('SIZE', 24),
                            epochs=env('EPOCHS', 3), workers=1, min_count=3, seed=1, progress=False, callbacks=[Hang()],
                            backend=os.environ.get('BACKEND', 'auto'), timeout=env('TIMEOUT', 600.0))
    loss = m.evaluate_loss(verses, max_words=None)
    json.dump({'hash': hashlib.sha256(m.W_in.numpy().tobytes()).hexdigest(), 'words': m.vocab.index_to_key,
               'loss': loss, 'epochs': len(m.losses), 'backend': m.backend, 'syncs': len(m.plan.hook.log),
               'share': len(m.corpus),
               'restarts': int(os.environ.get('TORCHELASTIC_RESTART_COUNT', 0)), 'first_epoch': m.plan.first_epoch,
               'first_piece': m.plan.first_piece, 'pieces': m.plan.pieces}, open(out + f'/rank{world()[0]}.json', 'w'))
""")

GLOVE_WORKER = textwrap.dedent("""
    import json, os, sys
    import numpy as np
    from wordvec_nb.data import embedded_corpus
    from wordvec_nb import distributed
    from wordvec_nb.distributed import train_glove_data_parallel, world
    out, die = sys.argv[1], sys.argv[2] == 'die'
    write = distributed.EpochCheckpoint.write
    def write_then_die(self, model, inside_epoch=None):   # rank 1 dies inside the third epoch, after a checkpoint there
        write(self, model, inside_epoch)
        first_try = os.environ.get('TORCHELASTIC_RESTART_COUNT', '0') == '0'
        if die and world()[0] == 1 and inside_epoch and inside_epoch['epoch'] == 2 and first_try: os._exit(3)
    distributed.EpochCheckpoint.write = write_then_die
    verses = list(embedded_corpus('kjv'))[:5000]
    m = train_glove_data_parallel(verses, sync_nnz=40_000, checkpoint=out + '/glove.pt', checkpoint_nnz=80_000,
                                  vector_size=24, epochs=4, workers=1, min_count=3, seed=1, progress=False)
    c = m.cooc
    np.savez(out + f'/glove{world()[0]}.npz', rows=c.rows, cols=c.cols, X=c.X,
             **{k: v.numpy() for k, v in m.params.items()})
    json.dump({'words': m.vocab.index_to_key, 'epochs': len(m.losses), 'first_epoch': m.plan.first_epoch,
               'first_piece': m.plan.first_piece, 'pieces': m.plan.pieces,
               'syncs': len(m.plan.hook.shared.log), 'restarts': int(os.environ.get('TORCHELASTIC_RESTART_COUNT', 0))},
              open(out + f'/glove{world()[0]}.json', 'w'))
""")

def free_port() -> int:
    with socket.socket() as s: s.bind(('127.0.0.1', 0)); return s.getsockname()[1]

def torchrun(tmp_path, *args, restarts=0, env=None, timeout=240):
    (tmp_path/'worker.py').write_text(WORKER); (tmp_path/'glove_worker.py').write_text(GLOVE_WORKER)
    cmd = [sys.executable, '-m', 'torch.distributed.run', '--nproc-per-node', '2', '--max-restarts', str(restarts),
           # c10d rendezvous: a restart is a new round
           '--rdzv-backend', 'c10d', '--rdzv-endpoint', f'127.0.0.1:{free_port()}', *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env={**os.environ,
            'OMP_NUM_THREADS': '1', **(env or {})})

@pytest.fixture(scope='module')
def single():
    verses = list(embedded_corpus('kjv'))[:5000]
    m = Word2Vec(verses, vector_size=24, epochs=3, workers=1, min_count=3, seed=1, progress=False)
    return m, m.evaluate_loss(verses, max_words=None)

@pytest.fixture(scope='module')
def live(tmp_path_factory):
    "The folder of a 2-rank run that never stopped (averaging), with its checkpoint and each rank's summary."
    out = tmp_path_factory.mktemp('live')
    run = torchrun(out, str(out/'worker.py'), str(out), 'live')
    assert run.returncode == 0, run.stderr[-3000:]
    return out

@pytest.mark.parametrize('rule', ['average', 'sum'])
def test_two_ranks_agree_with_each_other_and_with_one_process(tmp_path, single, live, rule):
    if rule == 'average': tmp_path = live
    else:
        # sync_words = ⌈smaller share / 4⌉: that share alone would synchronise 4 times per epoch, the larger 5; the
        # ranks must agree (the largest share decides) or their collectives would not match
        verses = list(embedded_corpus('kjv'))[:5000]
        known = set(Vocab.build(verses, 3).index_to_key)
        shares = [sum(w in known for v in verses[r::2] for w in v) for r in (0, 1)]
        every = -(-min(shares) // 4)
        assert -(-min(shares) // every) == 4 and -(-max(shares) // every) == 5, (shares, every)
        run = torchrun(tmp_path, str(tmp_path/'worker.py'), str(tmp_path), 'live',
                       env={'SYNC': rule, 'SYNC_WORDS': str(every)})
        assert run.returncode == 0, run.stderr[-3000:]
    r0, r1 = (json.loads((tmp_path/f'rank{r}.json').read_text()) for r in (0, 1))
    if rule != 'average':                                      # 3 epochs of 5 syncs on both ranks
        assert sorted([r0['share'], r1['share']]) == sorted(shares) and r0['syncs'] == r1['syncs'] == 3 * 5
    assert r0['hash'] == r1['hash'] and r0['words'] == r1['words']
    model, loss = single
    assert r0['words'] == model.vocab.index_to_key
    # the final weights fit the whole corpus about as well
    assert abs(r0['loss'] - loss) < 0.05 * loss, (r0['loss'], loss)
    assert (tmp_path/'ckpt.pt').exists() and r0['epochs'] == 3

def test_a_killed_rank_resumes_from_the_checkpoint(tmp_path, live):
    run = torchrun(tmp_path, str(tmp_path/'worker.py'), str(tmp_path), 'die', restarts=1)
    assert run.returncode == 0, run.stderr[-3000:]
    r0, r1 = (json.loads((tmp_path/f'rank{r}.json').read_text()) for r in (0, 1))
    # restarted once, resumed inside epoch 2 (first_epoch counts from 0) after its first checkpoint there
    assert r0['restarts'] == 1 and r0['first_epoch'] == 1 and r0['epochs'] == 3
    assert 0 < r0['first_piece'] < r0['pieces'], r0
    assert r0['hash'] == r1['hash']
    # the tables of the run that never stopped, bit for bit
    assert r0['hash'] == json.loads((live/'rank0.json').read_text())['hash']

def test_a_failing_worker_thread_stops_every_rank_with_its_error(tmp_path):
    "Rank 1's thread raises mid-epoch: the job ends at once with that error, not after the group's 600 s timeout."
    start = time.perf_counter()
    run = torchrun(tmp_path, str(tmp_path/'worker.py'), str(tmp_path), 'live', env={'FAIL': '1'})
    assert run.returncode != 0 and 'injected fault in a worker thread' in run.stderr, run.stderr[-3000:]
    assert time.perf_counter() - start < 120 and not (tmp_path/'rank0.json').exists()

def test_a_hung_rank_is_detected_within_the_timeout(tmp_path):
    "Rank 1 stays alive but stops progressing: rank 0 gives up after --timeout seconds and says why; the job ends."
    start = time.perf_counter()
    run = torchrun(tmp_path, str(tmp_path/'worker.py'), str(tmp_path), 'live', env={'HANG': '1', 'TIMEOUT': '4'})
    took = time.perf_counter() - start
    assert run.returncode != 0 and 'RankTimeout' in run.stderr, run.stderr[-3000:]
    assert 'waited more than 4 s for the other ranks: one of them is hung or dead' in run.stderr
    assert took < 120, took                                    # rank 1 alone would sleep 600 s

def test_ranks_that_see_different_checkpoints_stop_before_training(tmp_path, live):
    "Rank 0 finds a checkpoint that rank 1 cannot see (no shared disk): every rank stops and says what each saw."
    shutil.copy(live/'ckpt.pt', tmp_path/'ckpt0.pt')
    run = torchrun(tmp_path, str(tmp_path/'worker.py'), str(tmp_path), 'live', env={'CKPT_PER_RANK': '1'})
    assert run.returncode != 0
    assert 'the ranks see different checkpoints' in run.stderr and 'rank 1: no checkpoint' in run.stderr, run.stderr[
        -3000:]
    assert 'rank 0: after epoch 3 of 3' in run.stderr and not (tmp_path/'rank0.json').exists()

def test_a_dead_rank_without_restarts_is_an_error_not_a_hang(tmp_path):
    run = torchrun(tmp_path, str(tmp_path/'worker.py'), str(tmp_path), 'die', restarts=0, timeout=180)
    assert run.returncode != 0
    assert 'exitcode  : 3' in run.stderr or 'exit code 3' in run.stderr or 'ChildFailedError' in run.stderr, run.stderr[
        -2000:
    ]
    assert not (tmp_path/'rank0.json').exists()

@pytest.mark.parametrize('command, sync', [('train', ['--sync-words', '20000']), ('glove', ['--sync-nnz', '30000'])])
def test_cli_under_torchrun_writes_once(tmp_path, command, sync):
    text = tmp_path/'kjv.txt'
    text.write_text(''.join(' '.join(s) + '.\n' for s in list(embedded_corpus('kjv'))[:3000]))
    run = torchrun(tmp_path, '-m', 'wordvec_nb.cli', command, str(text), '-o', str(tmp_path/'v.txt'), '--vector-size',
                   '16', '--epochs', '2', '--workers', '1', '--min-count', '3', '--quiet', *sync)
    assert run.returncode == 0, run.stderr[-3000:]
    assert run.stdout.count('wrote ') == 1                                     # rank 0 alone reports and writes
    unit = 'co-occurrences' if command == 'glove' else 'words'
    assert f'data-parallel over 2 processes (torchrun)' in run.stdout and f'{unit}/s in all' in run.stdout, run.stdout
    if command == 'train':                  # a command that only reads runs once, on rank 0
        one = subprocess.run([sys.executable, '-m', 'wordvec_nb.cli', 'similar', str(tmp_path/'v.txt'), 'lord'],
                             capture_output=True, text=True, timeout=120)
        two = torchrun(tmp_path, '-m', 'wordvec_nb.cli', 'similar', str(tmp_path/'v.txt'), 'lord')
        assert one.returncode == two.returncode == 0, two.stderr[-2000:]
        assert two.stdout == one.stdout and one.stdout.strip()
    header = (tmp_path/'v.txt').read_text().split('\n', 1)[0]
    assert header == f"{len(Vocab.build(list(embedded_corpus('kjv'))[:3000], 3))} 16"

LEAVER = textwrap.dedent("""
    import atexit, sys
    import torch.distributed as dist
    from wordvec_nb.distributed import setup
    out = sys.argv[1]
    # registered first, so it runs after setup's
    def after(): open(out + f'/left{rank}', 'w').write(str(dist.is_initialized()))
    atexit.register(after)
    rank, _ = setup('gloo')
    assert dist.is_initialized()
""")

def test_a_rank_leaves_the_group_at_exit(tmp_path):
    """setup registers leave(): by the time the process's last exit handler runs the group is destroyed, so no gloo
    thread outlives it."""
    (tmp_path/'leaver.py').write_text(LEAVER)
    run = torchrun(tmp_path, str(tmp_path/'leaver.py'), str(tmp_path))
    assert run.returncode == 0, run.stderr[-3000:]
    assert [(tmp_path/f'left{r}').read_text() for r in (0, 1)] == ['False', 'False']

def test_setup_outside_torchrun_says_how_to_launch(monkeypatch):
    from wordvec_nb.distributed import setup
    for k in ('RANK', 'WORLD_SIZE', 'MASTER_ADDR', 'MASTER_PORT'): monkeypatch.delenv(k, raising=False)
    with pytest.raises(RuntimeError, match='torchrun --nproc-per-node'): setup()

@pytest.fixture(scope='module')
def single_glove():
    from wordvec_nb.glove import GloVe
    return GloVe(list(embedded_corpus('kjv'))[:5000], vector_size=24, epochs=4, workers=1, min_count=3, seed=1,
                 progress=False)

def full_cost(params, cooc, model) -> float:
    "The GloVe objective of `params` on every non-zero of `cooc`, per non-zero."
    from wordvec_nb.glove import glove_loss
    t = lambda a, dt=torch.long: torch.as_tensor(np.asarray(a)).to(dt)
    return float(glove_loss(*(torch.as_tensor(params[k]) for k in ('W_in', 'W_out', 'b_in', 'b_out')), t(cooc.rows),
                            t(cooc.cols), t(cooc.X, torch.float64), x_max=model.x_max, alpha=model.alpha)) / len(cooc)

@pytest.fixture(scope='module')
def live_glove(tmp_path_factory):
    "The folder of a 2-rank GloVe run that never stopped."
    out = tmp_path_factory.mktemp('live_glove')
    run = torchrun(out, str(out/'glove_worker.py'), str(out), 'live')
    assert run.returncode == 0, run.stderr[-3000:]
    return out

def test_glove_two_ranks_split_the_counts_and_agree(live_glove, single_glove):
    tmp_path = live_glove
    g0, g1 = (np.load(tmp_path/f'glove{r}.npz') for r in (0, 1))
    j0, j1 = (json.loads((tmp_path/f'glove{r}.json').read_text()) for r in (0, 1))
    m = single_glove
    assert j0['words'] == j1['words'] == m.vocab.index_to_key
    for k in ('W_in', 'W_out', 'b_in', 'b_out', 'G_in', 'G_out', 'Gb_in', 'Gb_out'): assert np.array_equal(g0[k],
            g1[k]), k
    # each rank holds the rows it owns
    assert (g0['rows'] % 2 == 0).all() and (g1['rows'] % 2 == 1).all()
    key = lambda rows, cols: rows.astype(np.int64) * m.cooc.V + cols
    ours = np.concatenate([key(g0['rows'], g0['cols']), key(g1['rows'], g1['cols'])])
    a, b = np.argsort(ours), np.argsort(key(m.cooc.rows, m.cooc.cols))
    # the same pairs as one process ...
    assert np.array_equal(ours[a], key(m.cooc.rows, m.cooc.cols)[b])
    # ... with the same counts
    assert np.allclose(np.concatenate([g0['X'], g1['X']])[a], m.cooc.X[b], rtol=1e-12, atol=0)
    two, one = full_cost(g0, m.cooc, m), full_cost({k: v.numpy() for k, v in m.params.items()}, m.cooc, m)
    # fits the whole matrix about as well
    assert two < 1.1 * one, (two, one)
    assert j0['epochs'] == 4 and j0['syncs'] >= 8

def test_glove_killed_rank_resumes(tmp_path, live_glove):
    run = torchrun(tmp_path, str(tmp_path/'glove_worker.py'), str(tmp_path), 'die', restarts=1)
    assert run.returncode == 0, run.stderr[-3000:]
    j0 = json.loads((tmp_path/'glove0.json').read_text())
    assert (j0['restarts'], j0['first_epoch'], j0['epochs']) == (1, 2, 4) and 0 < j0['first_piece'] < j0['pieces'], j0
    g0, g1 = (np.load(tmp_path/f'glove{r}.npz') for r in (0, 1))
    assert all(np.array_equal(g0[k], g1[k]) for k in ('W_in', 'W_out', 'G_in', 'G_out'))
    whole = np.load(live_glove/'glove0.npz')                   # the run that never stopped, bit for bit
    assert all(np.array_equal(g0[k], whole[k]) for k in ('W_in', 'W_out', 'b_in', 'b_out', 'G_in', 'G_out'))

def test_glove_cost_guard_stops_a_diverged_run(single_glove):
    from wordvec_nb.distributed import CostGuard
    m = single_glove
    # a trained model's cost is far below the starting cost
    CostGuard().on_epoch_end(m)
    m.losses.append(1e6)
    try:
        with pytest.raises(FloatingPointError, match='diverged in epoch 5'): CostGuard().on_epoch_end(m)
    finally: m.losses.pop()

def test_two_nodes_on_loopback(tmp_path):
    "Two torchrun agents, one process each, as on two machines (--nnodes 2, one c10d rendezvous endpoint): one model."
    (tmp_path/'worker.py').write_text(WORKER)
    port = free_port()
    cmd = [sys.executable, '-m', 'torch.distributed.run', '--nnodes', '2', '--nproc-per-node', '1', '--rdzv-backend',
           'c10d',
           '--rdzv-endpoint', f'127.0.0.1:{port}', '--rdzv-id', 'two-nodes', str(tmp_path/'worker.py'), str(tmp_path),
           'live']
    env = {**os.environ, 'OMP_NUM_THREADS': '1'}
    nodes = [subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              env=env) for _ in range(2)]
    try: outs = [n.communicate(timeout=240) for n in nodes]
    finally:
        for n in nodes: n.kill()
    assert all(n.returncode == 0 for n in nodes), [o[1][-2000:] for o in outs]
    r0, r1 = (json.loads((tmp_path/f'rank{r}.json').read_text()) for r in (0, 1))
    assert r0['hash'] == r1['hash'] and r0['epochs'] == 3

def test_two_ranks_on_the_batched_pytorch_path(tmp_path, single):
    """The loop the GPU runs (chapter 07's batched path, or chapter 23's kernels), synchronised the same way; here on
    CPU with gloo."""
    run = torchrun(tmp_path, str(tmp_path/'worker.py'), str(tmp_path), 'live', env={'BACKEND': 'torch'})
    assert run.returncode == 0, run.stderr[-3000:]
    r0, r1 = (json.loads((tmp_path/f'rank{r}.json').read_text()) for r in (0, 1))
    assert r0['backend'] == 'torch' and r0['hash'] == r1['hash']
    assert r0['syncs'] == 3 * -(-max(r0['share'], r1['share']) // 15_000)
    model, loss = single
    assert r0['loss'] < 1.1 * loss, (r0['loss'], loss)

def test_two_ranks_on_the_triton_kernels(tmp_path):
    """Chapter 23's fused kernels (the GPU's loop), run by Triton's interpreter on CPU tensors: slow, so a few verses
    and one epoch."""
    run = torchrun(tmp_path, str(tmp_path/'worker.py'), str(tmp_path), 'live',
                   env={'BACKEND': 'triton', 'TRITON_INTERPRET': '1', 'VERSES': '60', 'SYNC_WORDS': '400',
                        'EPOCHS': '1', 'SIZE': '8'})
    assert run.returncode == 0, run.stderr[-3000:]
    r0, r1 = (json.loads((tmp_path/f'rank{r}.json').read_text()) for r in (0, 1))
    assert r0['backend'] == 'triton' and r0['hash'] == r1['hash']
    assert r0['syncs'] == -(-max(r0['share'], r1['share']) // 400) > 1
    assert np.isfinite(r0['loss'])
