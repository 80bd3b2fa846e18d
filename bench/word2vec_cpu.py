"""Benchmark: wordvec_nb's Word2Vec against gensim 4.4 on the same corpus, settings, threads and machine.

    python bench/word2vec_cpu.py [--zip ../shared/data/text8-head12M.zip] [--seeds 1 2 3] [--device cpu] [--loss neg|hs]
    [--shared] [--archs sg cbow]

Settings: vector_size 100, window 5, negative 5, sample 1e-3, min_count 5, 5 epochs, 2 threads, skip-gram and CBOW, each
library at its default learning rate; for CBOW, whose defaults differ (ours 0.05 as word2vec.c, gensim 0.025), gensim
also runs at 0.05. Speed is raw words/s = corpus words × epochs / training seconds (vocabulary building excluded for
both). Quality is measured by gensim's own evaluation functions on both models' vectors: analogy accuracy
(questions-words.txt, restrict_vocab=30000), WordSim-353 and SimLex-999 Spearman. Mean ± std over the seeds. Skip-gram
NEG on the CPU kernel shares one set of negatives per window by default; --shared adds skip-gram rows for the per-pair
kernel (shared_negatives=False) and for shared negatives at negative 10. --roofline adds, for the skip-gram rows, the
machine's limits (float32 matmul GFLOP/s, copy GB/s; chapter 22's `machine_limits`) beside each run's arithmetic rate —
6N(k+1) flops per (context, center) pair, pairs counted by our trainer; gensim trains the same expected number of pairs,
so our per-pair kernel's count stands in for it — and an estimate of the embedding-row traffic per word: a pair moves
its input row and k+1 output rows (read and write, 8N bytes each) in the per-pair kernels; with shared negatives the k+1
output rows move once per window of about window+1 pairs (the mean of 2b for b uniform in 1..window). --archs limits the
architectures. Mikolov's word2vec.c runs in the same run when its source is at ../shared/reference-tools/word2vec
(--reference): built in bench/build/word2vec with its makefile's flags, same settings and threads, its default learning
rates (those of ours); it has no seed option, so each seed is a repeat. Its words/s are corpus words / ((time of 5
epochs − time of 1 epoch) / 4), so reading the text, building its vocabulary and unigram table and saving the vectors do
not count; its vectors are read back and scored like the others. Without the source the row says so. Prints a markdown
table; this is a script, not a timed test.
"""
import argparse, shutil, statistics, subprocess, sys, time
from pathlib import Path
import torch
import gensim
from gensim.models import Word2Vec as GensimWord2Vec
from wordvec_nb.data import read_sentences
from wordvec_nb.word2vec import Word2Vec
from common import DEFAULT_ZIP, header, corpus, keyed, quality

SETTINGS = dict(vector_size=100, window=5, negative=5, sample=1e-3, min_count=5, epochs=5)

GENSIM_LOSS = {'neg': {}, 'hs': {'hs': 1, 'negative': 0}}      # gensim spells hierarchical softmax hs=1, negative=0
REFERENCE = Path(__file__).resolve().parent.parent.parent/'shared'/'reference-tools'/'word2vec'

def build_reference(source: Path = REFERENCE) -> Path | None:
    "word2vec.c compiled (as its makefile does) in bench/build/word2vec; None without the source."
    if not (source/'word2vec.c').exists(): return None
    build = Path(__file__).parent/'build'/'word2vec'
    if not (build/'word2vec').exists():
        shutil.rmtree(build, ignore_errors=True); shutil.copytree(source, build)
        subprocess.run(['gcc', 'word2vec.c', '-o', 'word2vec', '-lm', '-pthread', '-O3', '-march=native',
                        '-funroll-loops'],
                       cwd=build, check=True, capture_output=True)
    return build/'word2vec'

def reference(tool: Path, text: Path, n_words: int, sg: bool, workers: int, loss: str, one_epoch: list):
    """Train word2vec.c on `text`: (seconds for the 5 epochs minus one epoch's setup, quality, label). `one_epoch`
    caches the 1-epoch time."""
    out = tool.parent/'vectors.bin'
    loss_args = ['-negative', str(SETTINGS['negative']), '-hs', '0'] if loss == 'neg' else ['-negative', '0', '-hs',
            '1']
    def run(epochs):
        cmd = [str(tool), '-train', str(text), '-output', str(out), '-cbow', str(int(not sg)), '-size',
               str(SETTINGS['vector_size']),
               '-window', str(SETTINGS['window']), '-sample', str(SETTINGS['sample']), '-min-count',
               str(SETTINGS['min_count']), '-threads', str(workers), '-binary', '1', '-iter', str(epochs), *loss_args]
        t0 = time.perf_counter(); subprocess.run(cmd, check=True, capture_output=True)
        return time.perf_counter() - t0
    if not one_epoch: one_epoch.append(run(1))
    full = run(SETTINGS['epochs'])
    per_epoch = (full - one_epoch[0]) / (SETTINGS['epochs'] - 1)
    kv = gensim.models.KeyedVectors.load_word2vec_format(str(out), binary=True)
    return per_epoch * SETTINGS['epochs'], quality(kv), 'word2vec.c'

def ours(sentences, sg, seed, workers, device, loss='neg', **extra):
    m = Word2Vec(sentences, sg=sg, seed=seed, workers=workers, device=device, loss=loss, progress=False,
                 **{**SETTINGS, **extra})
    q = quality(keyed(m.vocab.index_to_key, m.W_in.cpu().numpy()))
    return m.train_seconds, {**q, 'pairs': m.examples_trained, 'shared': float(m.shared),
                             'k': float(m.negative)}, f'{m.backend}/{m.device}'

def theirs(sentences, sg, seed, workers, **extra):
    m = GensimWord2Vec(sentences, sg=sg, seed=seed, workers=workers, **{**SETTINGS, **extra})
    return m.total_train_time, quality(m.wv), 'gensim'

def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--zip', type=Path, default=DEFAULT_ZIP)
    ap.add_argument('--seeds', type=int, nargs='+', default=[1, 2, 3])
    ap.add_argument('--workers', type=int, default=2)
    ap.add_argument('--device', default='cpu')
    ap.add_argument('--skip-gensim', action='store_true')
    ap.add_argument('--loss', default='neg', choices=sorted(GENSIM_LOSS), help='output layer (default neg)')
    ap.add_argument('--shared', action='store_true',
                    help='also skip-gram with the per-pair kernel, and shared negatives at negative 10')
    ap.add_argument('--archs', nargs='+', default=['sg', 'cbow'], choices=['sg', 'cbow'])
    ap.add_argument('--roofline', action='store_true',
                    help="the machine's limits beside the skip-gram rows' GFLOP/s and row traffic")
    ap.add_argument('--reference', type=Path, default=REFERENCE,
                    help="word2vec.c's source folder (default: ../shared/reference-tools/word2vec)")
    args = ap.parse_args()
    tool = build_reference(args.reference)
    sentences = list(read_sentences(corpus(args.zip)))
    n_words = sum(map(len, sentences))
    gpu = {'gpu': torch.cuda.get_device_name()} if torch.cuda.is_available() and 'cuda' in args.device else {}
    print('\n'.join(header('word2vec benchmark', gensim=gensim.__version__, device=args.device, loss=args.loss, **gpu)))
    print(
        f"corpus: text8-head12M, {n_words:,} words; settings {SETTINGS}, workers {args.workers}, seeds {args.seeds}\n"
    )
    rows = []
    for sg in [a == 'sg' for a in args.archs]:
        results = {}
        runners = [('wordvec_nb', lambda s: ours(sentences, sg, s, args.workers, args.device, args.loss))]
        if args.shared and sg and args.loss == 'neg':
            runners += [('wordvec_nb per-pair kernel', lambda s: ours(sentences, sg, s, args.workers, args.device,
                                                                      args.loss, shared_negatives=False)),
                        ('wordvec_nb shared negatives, k=10', lambda s: ours(sentences, sg, s, args.workers,
                                                                             args.device, args.loss, negative=10))]
        if not args.skip_gensim: runners.append(('gensim', lambda s: theirs(sentences, sg, s, args.workers,
                                                                            **GENSIM_LOSS[args.loss])))
        # CBOW defaults differ (ours: word2vec.c's 0.05); show gensim at 0.05 too
        if not args.skip_gensim and not sg and args.loss == 'neg':
            runners.append(('gensim alpha=0.05', lambda s: theirs(sentences, sg, s, args.workers, alpha=0.05)))
        if tool:
            cache = []
            runners.append(('word2vec.c', lambda s: reference(tool, corpus(args.zip), n_words, sg, args.workers,
                                                              args.loss, cache)))
        for name, run in runners:
            runs = [run(seed) for seed in args.seeds]
            speeds = [n_words * SETTINGS['epochs'] / r[0] for r in runs]
            results[name] = {'speed': speeds, 'path': runs[0][2], **{k: [r[1][k] for r in runs] for k in runs[0][1]}}
            print(f"  done: {'skip-gram' if sg else 'CBOW'} {name}: {statistics.mean(speeds):,.0f} words/s",
                  file=sys.stderr)
        rows.append((sg, results))
    fmt = lambda xs, p=3: f"{statistics.mean(xs):.{p}f} ± {statistics.stdev(xs) if len(xs) > 1 else 0:.{p}f}"
    print("| model | implementation | words/s | × gensim | analogy (30k) | WS-353 ρ | SimLex-999 ρ |")
    print("|---|---|---|---|---|---|---|")
    for sg, results in rows:
        base = statistics.mean(results['gensim']['speed']) if 'gensim' in results else None
        for name, r in results.items():
            speed = statistics.mean(r['speed'])
            ratio = f"{speed / base:.2f}×" if base else '—'
            label = f"{name} ({r['path']})" if name.startswith('wordvec_nb') else name.replace('gensim', 'gensim 4.4')
            if name == 'word2vec.c': label = f"word2vec.c ({args.workers} threads; seeds are repeats)"
            print(f"| {'skip-gram' if sg else 'CBOW'} | {label} | {speed:,.0f} | {ratio} | "
                  f"{fmt([100 * a for a in r['analogy']], 1)}% | {fmt(r['ws353'])} | {fmt(r['simlex'])} |")
        if not tool:
            print(f"| {'skip-gram' if sg else 'CBOW'} | word2vec.c: not run, no source at {args.reference} | | | | | |")
    if args.roofline and args.loss == 'neg':
        from wordvec_nb.cpu_kernels import machine_limits
        limits, N, w = machine_limits(), SETTINGS['vector_size'], SETTINGS['window']
        print(
            f"\nmachine limits, measured after the runs: {limits['matmul GFLOP/s']} GFLOP/s (float32 matmul), "
            f"{limits['copy GB/s']} GB/s (copy)\n"
        )
        print(
            "| skip-gram | pairs / word | GFLOP/s | of matmul | row bytes / word (est.) | row GB/s (est.) | of copy |"
        )
        print("|---|---|---|---|---|---|---|")
        for sg, results in rows:
            if not sg: continue
            ref_pairs = statistics.mean(results.get('wordvec_nb per-pair kernel', results['wordvec_nb'])['pairs'])
            for name, r in results.items():
                speed, pairs = statistics.mean(r['speed']), statistics.mean(r['pairs']) if 'pairs' in r else ref_pairs
                k = statistics.mean(r['k']) if 'k' in r else SETTINGS['negative']
                shared = 'shared' in r and statistics.mean(r['shared']) > 0.5
                per_word = pairs / (n_words * SETTINGS['epochs'])
                flops = per_word * 6 * N * (k + 1) * speed
                row_bytes = per_word * 8 * N * (1 + (k + 1) / (w + 1) if shared else k + 2)
                print(
                    f"| {name} | {per_word:.2f} | {flops / 1e9:.1f} | "
                    f"{flops / 1e9 / limits['matmul GFLOP/s']:.1%} | {row_bytes:,.0f} | "
                    f"{row_bytes * speed / 1e9:.1f} | {row_bytes * speed / 1e9 / limits['copy GB/s']:.0%} |"
                )

if __name__ == '__main__': main()
