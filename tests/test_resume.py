"""A run killed after an epoch, or inside one after a checkpoint saved there, and resumed from its checkpoint ends with
the tables of the run that never stopped, on every path that runs here: bit for bit where the path is deterministic
(numba with one thread, PyTorch, Triton under its interpreter, GloVe), and measured against the run-to-run spread
where threads race (numba with two threads)."""
import os, subprocess, sys, textwrap
from dataclasses import replace
import numpy as np
import pytest
import torch
from wordvec_nb.data import embedded_corpus
from wordvec_nb.distributed import checkpointed, model_tensors
from wordvec_nb.fasttext import FastText
from wordvec_nb.glove import GloVe
from wordvec_nb.training import Callback, triton_ready
from wordvec_nb.word2vec import Word2Vec

VERSES = list(embedded_corpus('kjv'))[:1500]

class Killed(Exception):
    "Stands for the process dying."

class KillAfter(Callback):
    "Dies at the end of epoch `epochs`, after the checkpoint of that epoch was written (it comes after it)."
    def __init__(self, epochs: int): self.epochs = epochs
    def on_epoch_end(self, model):
        if len(model.losses) == self.epochs: raise Killed

def train(cls, path, kill=None, corpus=VERSES, every=None, kill_inside=None, **settings):
    """Build, resume from `path` if it holds a checkpoint, train (dying after epoch `kill`, or after the checkpoint
    saved inside epoch `kill_inside[0]` after part `kill_inside[1]`): as `wordvec train` does."""
    m = cls(progress=False, **settings).build_vocab(corpus)
    plan = checkpointed(m, path, every=every)
    if kill: m.callbacks.append(KillAfter(kill))
    if kill_inside:
        save = plan.save
        def save_then_die(epoch, part, *loss):
            save(epoch, part, *loss)
            if (epoch, part) == kill_inside: raise Killed
        plan = replace(plan, save=save_then_die)
    return m.train(plan=plan)

def tables(m) -> list[np.ndarray]:
    return [t.detach().cpu().numpy().copy() for t in model_tensors(m)]

def killed_and_resumed(cls, tmp_path, every=None, **settings):
    """(the uninterrupted run, the run killed after epoch 1 of 3 — or with `every`, in epoch 2 after part 3 of its
    parts of about `every` words — and resumed in a fresh model)"""
    whole = train(cls, tmp_path/'whole.pt', every=every, **settings)
    with pytest.raises(Killed): train(cls, tmp_path/'cut.pt', every=every, **settings,
                                      **({'kill_inside': (1, 3)} if every else {'kill': 1}))
    resumed = train(cls, tmp_path/'cut.pt', every=every, **settings)
    assert resumed.plan.first_epoch == 1 and resumed.plan.first_piece == (3 if every else 0)
    if every: assert resumed.plan.pieces >= 5
    assert len(resumed.losses) == 3
    return whole, resumed

W2V = dict(vector_size=16, epochs=3, min_count=3, seed=3)
CASES = {
    'word2vec numba skip-gram NEG': (Word2Vec, dict(workers=1, **W2V)),
    'word2vec numba CBOW HS': (Word2Vec, dict(workers=1, sg=0, loss='hs', **W2V)),
    'word2vec torch': (Word2Vec, dict(backend='torch', **W2V)),
    'fastText numba': (FastText, dict(workers=1, bucket=5000, **W2V)),
    'fastText torch': (FastText, dict(backend='torch', bucket=5000, **W2V)),
    'GloVe numba': (GloVe, dict(workers=1, vector_size=16, epochs=3, min_count=3, seed=3)),
    'GloVe torch': (GloVe, dict(backend='torch', vector_size=16, epochs=3, min_count=3, seed=3)),
}

@pytest.mark.parametrize('inside', [False, True], ids=['after an epoch', 'inside an epoch'])
@pytest.mark.parametrize('case', CASES)
def test_resumed_run_is_the_run_that_never_stopped(tmp_path, case, inside):
    cls, settings = CASES[case]
    whole, resumed = killed_and_resumed(cls, tmp_path, 5_000 if inside else None, **settings)
    assert resumed.backend == whole.backend
    for a, b in zip(tables(whole), tables(resumed)): np.testing.assert_array_equal(a, b)
    assert resumed.losses == whole.losses

@pytest.mark.skipif(not triton_ready(torch.device('cuda' if torch.cuda.is_available() else 'cpu')),
                    reason='needs CUDA or TRITON_INTERPRET=1')
@pytest.mark.parametrize('inside', [False, True], ids=['after an epoch', 'inside an epoch'])
@pytest.mark.parametrize('cls', [Word2Vec, GloVe])
def test_resumed_triton_run_is_the_run_that_never_stopped(tmp_path, cls, inside):
    settings = dict(vector_size=8, window=2, epochs=3, min_count=1, seed=3, backend='triton', corpus=VERSES[:6])
    whole, resumed = killed_and_resumed(cls, tmp_path, 15 if inside else None, **settings)    # 6 verses: 79 words
    assert resumed.backend == 'triton'
    for a, b in zip(tables(whole), tables(resumed)): np.testing.assert_array_equal(a, b)

def test_two_threads_resume_within_the_spread_of_two_uninterrupted_runs(tmp_path):
    """Two hogwild threads race on shared rows, so no two runs are bit-identical, resumed or not (on a corpus this
    small the tables of two runs drift far apart). What must hold is the quality: the resumed run's loss on the corpus
    differs from an uninterrupted run's by no more than two uninterrupted runs differ (or 1%). A resume that lost the
    tables or restarted the learning rate misses by far more."""
    settings = dict(workers=2, **W2V)
    one, resumed = killed_and_resumed(Word2Vec, tmp_path, 5_000, **settings)           # killed inside epoch 2
    two = train(Word2Vec, tmp_path/'two.pt', every=5_000, **settings)
    loss = {name: m.evaluate_loss(VERSES, max_words=None) for name, m in [('one', one), ('two', two),
                                                                           ('resumed', resumed)]}
    spread, after_resume = abs(loss['one'] - loss['two']), abs(loss['one'] - loss['resumed'])
    print(f"corpus loss: {loss}; two uninterrupted runs differ by {spread:.4f}, resumed by {after_resume:.4f}")
    assert after_resume <= max(3 * spread, 0.01 * loss['one'])
    fresh = train(Word2Vec, tmp_path/'fresh.pt', **{**settings, 'epochs': 2})      # tables lost: 2 epochs' worth
    assert abs(fresh.evaluate_loss(VERSES, max_words=None) - loss['one']) > max(3 * spread, 0.01 * loss['one'])

KILLER = textwrap.dedent("""
    import os, sys
    from wordvec_nb import cli, distributed
    write = distributed.EpochCheckpoint.write
    def write_then_die(self, model, inside_epoch=None):   # the process dies (no clean-up) after the checkpoint at the
        write(self, model, inside_epoch)                  # end of epoch 2, or with INSIDE the first one in epoch 3
        if os.environ.get('INSIDE'): dies = inside_epoch is not None and inside_epoch['epoch'] == 2
        else: dies = inside_epoch is None and len(model.losses) == 2
        if dies: os._exit(9)
    distributed.EpochCheckpoint.write = write_then_die
    sys.exit(cli.main(sys.argv[1:]))
""")

@pytest.mark.parametrize('inside', [False, True], ids=['after an epoch', 'inside an epoch'])
def test_cli_checkpoint_in_one_process_survives_a_killed_process(tmp_path, inside):
    """`wordvec train --checkpoint` in one process: killed after epoch 2 (or with --checkpoint-words, inside epoch 3),
    run again, it writes the vectors of the run that never stopped."""
    text = tmp_path/'c.txt'
    text.write_text('\n'.join(' '.join(v) for v in VERSES))
    (tmp_path/'killer.py').write_text(KILLER)
    args = ['train', str(text), '--vector-size', '16', '--epochs', '4', '--min-count', '3', '--workers', '1', '--quiet',
            *(['--checkpoint-words', '5000'] if inside else [])]
    run = lambda *a, script=('-m', 'wordvec_nb.cli'): subprocess.run(
        [sys.executable, *script, *args, *a], capture_output=True, text=True, timeout=120,
        env={**os.environ, 'OMP_NUM_THREADS': '1', **({'INSIDE': '1'} if inside else {})})
    # the same parts as the killed run: --checkpoint-words cuts the epochs (each part its own random numbers)
    whole = run('-o', str(tmp_path/'whole.txt'), *(['--checkpoint', str(tmp_path/'whole.pt')] if inside else []))
    assert whole.returncode == 0, whole.stderr
    ck = ['--checkpoint', str(tmp_path/'run.pt'), '-o', str(tmp_path/'cut.txt')]
    dead = run(*ck, script=(str(tmp_path/'killer.py'),))
    assert dead.returncode == 9 and (tmp_path/'run.pt').exists() and not (tmp_path/'cut.txt').exists()
    again = run(*ck)
    assert again.returncode == 0, again.stderr
    where = 'in epoch 3 of 4, after part 1 of ' if inside else 'after epoch 2 of 4'
    assert 'resumed from' in again.stdout and where in again.stdout, again.stdout
    assert (tmp_path/'cut.txt').read_bytes() == (tmp_path/'whole.txt').read_bytes()

def test_a_checkpoint_saved_inside_an_epoch_is_resumed_only_with_the_same_parts(tmp_path):
    with pytest.raises(Killed): train(Word2Vec, tmp_path/'c.pt', every=5_000, kill_inside=(0, 2), workers=1, **W2V)
    with pytest.raises(ValueError, match=r'saved inside an epoch cut into \d+ parts; this run cuts its epochs into 1'):
        train(Word2Vec, tmp_path/'c.pt', workers=1, **W2V)                   # the same run without every=
    resumed = train(Word2Vec, tmp_path/'c.pt', every=5_000, workers=1, **W2V)
    assert (resumed.plan.first_epoch, resumed.plan.first_piece) == (0, 2)

def test_checkpoint_words_without_a_checkpoint_is_refused():
    from wordvec_nb.distributed import train_data_parallel, train_glove_data_parallel
    refused = lambda: pytest.raises(ValueError, match='give checkpoint too')
    with refused(): train_data_parallel(Word2Vec, VERSES, checkpoint_words=9)
    with refused(): train_glove_data_parallel(VERSES, checkpoint_nnz=9)
