"""Data-parallel training (chapter 28), launched the way users launch it: torchrun, gloo over loopback, bounded in time."""
import json, os, socket, subprocess, sys, textwrap
from pathlib import Path
import numpy as np
import pytest
import torch
from wordvec_nb.data import embedded_corpus
from wordvec_nb.text import Vocab
from wordvec_nb.word2vec import Word2Vec

pytestmark = pytest.mark.skipif(not torch.distributed.is_available(), reason='this PyTorch has no torch.distributed')

WORKER = textwrap.dedent("""
    import hashlib, json, os, sys
    from wordvec_nb.data import embedded_corpus
    from wordvec_nb.distributed import train_data_parallel, world
    from wordvec_nb.training import Callback
    from wordvec_nb.word2vec import Word2Vec
    out, die = sys.argv[1], sys.argv[2] == 'die'
    class Die(Callback):                      # the first attempt's rank 1 dies when the second epoch begins
        def on_epoch_begin(self, model):
            if die and world()[0] == 1 and len(model.losses) == 1 and os.environ.get('TORCHELASTIC_RESTART_COUNT', '0') == '0': os._exit(3)
    verses = list(embedded_corpus('kjv'))[:5000]
    m = train_data_parallel(Word2Vec, verses, sync_words=15_000, sync=os.environ.get('SYNC', 'average'), checkpoint=out + '/ckpt.pt',
                            vector_size=24, epochs=3, workers=1, min_count=3, seed=1, progress=False, callbacks=[Die()])
    loss = m.evaluate_loss(verses, max_words=None)
    json.dump({'hash': hashlib.sha256(m.W_in.numpy().tobytes()).hexdigest(), 'words': m.vocab.index_to_key, 'loss': loss,
               'epochs': len(m.losses), 'restarts': int(os.environ.get('TORCHELASTIC_RESTART_COUNT', 0)), 'first_epoch': m.first_epoch},
              open(out + f'/rank{world()[0]}.json', 'w'))
""")

def free_port() -> int:
    with socket.socket() as s: s.bind(('127.0.0.1', 0)); return s.getsockname()[1]

def torchrun(tmp_path, *args, restarts=0, env=None, timeout=240):
    (tmp_path/'worker.py').write_text(WORKER)
    cmd = [sys.executable, '-m', 'torch.distributed.run', '--nproc-per-node', '2', '--max-restarts', str(restarts),
           '--rdzv-backend', 'c10d', '--rdzv-endpoint', f'127.0.0.1:{free_port()}', *args]   # c10d rendezvous: a restart is a new round
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env={**os.environ, 'OMP_NUM_THREADS': '1', **(env or {})})

@pytest.fixture(scope='module')
def single():
    verses = list(embedded_corpus('kjv'))[:5000]
    m = Word2Vec(verses, vector_size=24, epochs=3, workers=1, min_count=3, seed=1, progress=False)
    return m, m.evaluate_loss(verses, max_words=None)

@pytest.mark.parametrize('rule', ['average', 'sum'])
def test_two_ranks_agree_with_each_other_and_with_one_process(tmp_path, single, rule):
    run = torchrun(tmp_path, str(tmp_path/'worker.py'), str(tmp_path), 'live', env={'SYNC': rule})
    assert run.returncode == 0, run.stderr[-3000:]
    r0, r1 = (json.loads((tmp_path/f'rank{r}.json').read_text()) for r in (0, 1))
    assert r0['hash'] == r1['hash'] and r0['words'] == r1['words']
    model, loss = single
    assert r0['words'] == model.vocab.index_to_key
    assert abs(r0['loss'] - loss) < 0.05 * loss, (r0['loss'], loss)          # the final weights fit the whole corpus about as well
    assert (tmp_path/'ckpt.pt').exists() and r0['epochs'] == 3

def test_a_killed_rank_resumes_from_the_checkpoint(tmp_path):
    run = torchrun(tmp_path, str(tmp_path/'worker.py'), str(tmp_path), 'die', restarts=1)
    assert run.returncode == 0, run.stderr[-3000:]
    r0, r1 = (json.loads((tmp_path/f'rank{r}.json').read_text()) for r in (0, 1))
    assert r0['restarts'] == 1 and r0['first_epoch'] == 1 and r0['epochs'] == 3    # restarted once, resumed after epoch 1
    assert r0['hash'] == r1['hash']

def test_a_dead_rank_without_restarts_is_an_error_not_a_hang(tmp_path):
    run = torchrun(tmp_path, str(tmp_path/'worker.py'), str(tmp_path), 'die', restarts=0, timeout=180)
    assert run.returncode != 0
    assert 'exitcode  : 3' in run.stderr or 'exit code 3' in run.stderr or 'ChildFailedError' in run.stderr, run.stderr[-2000:]
    assert not (tmp_path/'rank0.json').exists()

def test_cli_under_torchrun_writes_once(tmp_path):
    text = tmp_path/'kjv.txt'
    text.write_text(''.join(' '.join(s) + '.\n' for s in list(embedded_corpus('kjv'))[:3000]))
    run = torchrun(tmp_path, '-m', 'wordvec_nb.cli', 'train', str(text), '-o', str(tmp_path/'v.txt'), '--vector-size', '16',
                   '--epochs', '2', '--workers', '1', '--min-count', '3', '--quiet', '--sync-words', '20000')
    assert run.returncode == 0, run.stderr[-3000:]
    assert run.stdout.count('wrote ') == 1                                     # rank 0 alone reports and writes
    header = (tmp_path/'v.txt').read_text().split('\n', 1)[0]
    assert header == f"{len(Vocab.build(list(embedded_corpus('kjv'))[:3000], 3))} 16"

def test_setup_outside_torchrun_says_how_to_launch(monkeypatch):
    from wordvec_nb.distributed import setup
    for k in ('RANK', 'WORLD_SIZE', 'MASTER_ADDR', 'MASTER_PORT'): monkeypatch.delenv(k, raising=False)
    with pytest.raises(RuntimeError, match='torchrun --nproc-per-node'): setup()
