"""One process of bench/distributed.py, launched by torchrun: data-parallel Word2Vec (or GloVe, --model glove) on
text8-head12M; rank 0 scores the vectors and writes a JSON line to the file given by --out."""
import argparse, json, time
from pathlib import Path
import torch.distributed as dist
from wordvec_nb.data import read_sentences
import torch
from wordvec_nb.distributed import train_data_parallel, train_glove_data_parallel, world
from wordvec_nb.word2vec import Word2Vec
from common import corpus, keyed, quality

ap = argparse.ArgumentParser()
ap.add_argument('--out', type=Path, required=True)
ap.add_argument('--sync', default='average')
ap.add_argument('--sync-words', type=int, default=250_000)
ap.add_argument('--workers', type=int, default=1)
ap.add_argument('--seed', type=int, default=1)
ap.add_argument('--model', choices=['word2vec', 'glove'], default='word2vec')
ap.add_argument('--sync-nnz', type=int, default=1_000_000)
ap.add_argument('--gain', type=float, default=None,
                help='GloVe: gain of the summed output-side changes (default: the trainer\'s)')
ap.add_argument('--alpha', type=float, default=None, help='default: the trainer\'s (0.025, scaled for averaging)')
args = ap.parse_args()
sentences = list(read_sentences(corpus()))
t0 = time.perf_counter()
if args.model == 'glove':
    from glove_cpu import SETTINGS
    m = train_glove_data_parallel(sentences, sync_nnz=args.sync_nnz, sync=args.sync, gain=args.gain,
                                  workers=args.workers, seed=args.seed, progress=False, **SETTINGS)
    wall = time.perf_counter() - t0
    rank, world_size = world()
    shards = [len(m.cooc)]
    cost = torch.tensor([m.losses[-1] * len(m.cooc), len(m.cooc)], dtype=torch.float64)
    if world_size > 1:
        shards = [None] * world_size; dist.all_gather_object(shards, len(m.cooc)); dist.all_reduce(cost)
    if rank == 0:
        log, owned = ([dict(bytes=a['bytes'] + b['bytes'], seconds=a['seconds'] + b['seconds']) for a,
                       b in zip(m.plan.hook.shared.log, m.plan.hook.sums.log)],
                      m.plan.hook.owned.log) if m.plan.hook else ([], [])
        row = {'model': 'glove', 'sync': args.sync if world_size > 1 else '—',
               'gain': m.plan.hook.shared.gain if m.plan.hook else None, 'ranks': world_size, 'threads': args.workers,
               'sync_nnz': args.sync_nnz, 'wall_seconds': wall,
               'count_seconds': m.cooc_seconds, 'seconds_per_epoch': m.seconds_per_epoch, 'nnz': sum(shards),
               'shards': shards,
               'final_cost': float(cost[0] / cost[1]), 'syncs': len(log), 'sync_bytes': log[0]['bytes'] if log else 0,
               'sync_seconds_mean': sum(s['seconds'] for s in log) / len(log) if log else 0.0,
               'owned_syncs': len(owned), 'owned_bytes': owned[0]['bytes'] if owned else 0,
               'owned_seconds_mean': sum(s['seconds'] for s in owned) / len(owned) if owned else 0.0,
               'vocabulary': len(m.vocab), **quality(keyed(m.vocab.index_to_key, m.vectors('sum')))}
        with open(args.out, 'a') as f: f.write(json.dumps(row, default=float) + '\n')
    if dist.is_initialized(): dist.destroy_process_group()
    raise SystemExit(0)
m = train_data_parallel(Word2Vec, sentences, sync_words=args.sync_words, sync=args.sync, vector_size=100, window=5,
                        negative=5,
                        sample=1e-3, min_count=5, epochs=5, workers=args.workers, seed=args.seed, alpha=args.alpha,
                        progress=False)
rank, world_size = world()
n_words = sum(map(len, sentences))
if rank == 0:
    log = m.plan.hook.log if m.plan.hook else []
    row = {'alpha': m.alpha, 'seed': args.seed, 'ranks': world_size, 'threads': args.workers,
           'sync': args.sync if world_size > 1 else '—', 'sync_words': args.sync_words,
           'train_seconds': m.train_seconds, 'words_per_second': n_words * m.epochs / m.train_seconds,
           'syncs': len(log), 'sync_bytes': log[0]['bytes'] if log else 0,
           'sync_seconds_mean': sum(s['seconds'] for s in log) / len(log) if log else 0.0, 'vocabulary': len(m.vocab),
           **quality(keyed(m.vocab.index_to_key, m.W_in.numpy()))}
    with open(args.out, 'a') as f: f.write(json.dumps(row, default=float) + '\n')
if dist.is_initialized(): dist.destroy_process_group()
