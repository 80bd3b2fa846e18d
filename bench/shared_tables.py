"""What sharing the tables between threads costs the CPU kernel: one epoch of text8-head12M on 1 thread, on 2 threads
that share W and W′ (hogwild, what training does; each thread its own array objects over the same data, as
numba_epochs), and on 2 threads that each update a private copy (not a valid training run — each thread trains its own
model — but the same work without one core's writes invalidating the other's cache lines; the two copies still share the
last-level cache and memory). Best of --repeats; single runs on this machine vary by about 5%.

    python bench/shared_tables.py [--archs cbow sg] [--repeats 3]

The kernel is chapter 22's `fused_chunk_kernel`, called directly in Python threads (it releases the GIL), each thread on
half the sentences, as `numba_epochs` splits them. Prints a table of words/s (best of --repeats) and writes
bench/results/shared_tables.md; a script, not a timed test.
"""
import argparse, threading, time
from pathlib import Path
import numpy as np
from wordvec_nb.cpu_kernels import fused_chunk_kernel, kernel_inputs, kernel_settings
from wordvec_nb.data import read_sentences
from wordvec_nb.word2vec import Word2Vec
from common import corpus, header

HERE = Path(__file__).parent

def epoch(model, x, tables, threads):
    "Seconds for one epoch on `threads` threads; tables[t] = (W_in, W_out) of thread t."
    offsets = x.offsets; S = len(offsets) - 1
    settings = kernel_settings(model)._replace(total_words=len(x.ids))
    cuts = np.linspace(0, S, threads + 1).astype(int)
    done = np.zeros(threads, np.int64)
    def work(t):
        mine = x._replace(W_in=tables[t][0], W_out=tables[t][1])
        fused_chunk_kernel(mine, settings, cuts[t], cuts[t + 1], done, t, np.uint64(1 + t))
    t0 = time.perf_counter()
    pool = [threading.Thread(target=work, args=(t,)) for t in range(threads)]
    for p in pool: p.start()
    for p in pool: p.join()
    return time.perf_counter() - t0

def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--archs', nargs='+', default=['cbow', 'sg'], choices=['sg', 'cbow'])
    ap.add_argument('--repeats', type=int, default=3)
    args = ap.parse_args()
    sentences = list(read_sentences(corpus()))
    lines = [
        *header('shared tables'),
        f"text8-head12M, one epoch, negative sampling, vector_size 100, window 5; best of {args.repeats}",
        '',
        '| model | threads | tables | words/s | × 1 thread | × 2 threads sharing |',
        '|---|---|---|---|---|---|',
    ]
    for arch in args.archs:
        model = Word2Vec(sg=int(arch == 'sg'), vector_size=100, window=5, negative=5, min_count=5, epochs=1, seed=1,
                         # untrained: vocabulary, weights, encoded corpus
                         workers=1, progress=False).build_vocab(sentences)
        # skip-gram NEG's default kernel: negatives shared per window
        model.shared = model.sg == 1
        x = kernel_inputs(model)
        W_in, W_out = x.W_in, x.W_out
        fresh = lambda: (W_in.copy(), W_out.copy())
        epoch(model, x, [fresh()], 1)                                   # compiled outside the clock
        runs = {}
        for name, threads, private in (('1 thread', 1, False), ('shared', 2, False), ('private', 2, True)):
            best = float('inf')
            for _ in range(args.repeats):
                one = fresh()
                # own array objects, shared data, as numba_epochs
                tables = [fresh() for _ in range(threads)] if private else [(one[0].view(),
                                                                             one[1].view()) for _ in range(threads)]
                best = min(best, epoch(model, x, tables, threads))
            runs[name] = len(x.ids) / best
        for name, label, threads in (('1 thread', 'one', 1), ('shared', 'shared (hogwild)', 2), ('private',
                'a copy per thread', 2)):
            lines.append(
                f"| {'skip-gram (shared negatives)' if arch == 'sg' else 'CBOW'} | {threads} | "
                f"{label} | {runs[name]:,.0f} | "
                f"{runs[name] / runs['1 thread']:.2f}× | {runs[name] / runs['shared']:.2f}× |"
            )
    text = '\n'.join(lines) + '\n'
    print(text)
    (HERE/'results'/'shared_tables.md').write_text(text)

if __name__ == '__main__':
    main()
