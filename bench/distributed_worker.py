"""One process of bench/distributed.py, launched by torchrun: data-parallel Word2Vec on text8-head12M; rank 0 scores the
vectors and writes a JSON line to the file given by --out."""
import argparse, json, time
from pathlib import Path
import torch.distributed as dist
from wordvec_nb.data import read_sentences
from wordvec_nb.distributed import train_data_parallel, world
from wordvec_nb.word2vec import Word2Vec
from common import corpus, keyed, quality

ap = argparse.ArgumentParser()
ap.add_argument('--out', type=Path, required=True)
ap.add_argument('--sync', default='average')
ap.add_argument('--sync-words', type=int, default=250_000)
ap.add_argument('--workers', type=int, default=1)
ap.add_argument('--seed', type=int, default=1)
ap.add_argument('--alpha', type=float, default=None, help='default: the trainer\'s (0.025, scaled for averaging)')
args = ap.parse_args()
sentences = list(read_sentences(corpus()))
t0 = time.perf_counter()
m = train_data_parallel(Word2Vec, sentences, sync_words=args.sync_words, sync=args.sync, vector_size=100, window=5, negative=5,
                        sample=1e-3, min_count=5, epochs=5, workers=args.workers, seed=args.seed, alpha=args.alpha, progress=False)
rank, world_size = world()
n_words = sum(map(len, sentences))
if rank == 0:
    log = m.sync.log if m.sync else []
    row = {'alpha': m.alpha, 'ranks': world_size, 'threads': args.workers, 'sync': args.sync if world_size > 1 else '—', 'sync_words': args.sync_words,
           'train_seconds': m.train_seconds, 'words_per_second': n_words * m.epochs / m.train_seconds,
           'syncs': len(log), 'sync_bytes': log[0]['bytes'] if log else 0,
           'sync_seconds_mean': sum(s['seconds'] for s in log) / len(log) if log else 0.0, 'vocabulary': len(m.vocab),
           **quality(keyed(m.vocab.index_to_key, m.W_in.numpy()))}
    with open(args.out, 'a') as f: f.write(json.dumps(row, default=float) + '\n')
if dist.is_initialized(): dist.destroy_process_group()
