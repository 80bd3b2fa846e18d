"""Benchmark: wordvec_nb's GloVe on text8-head12M with the reference tool's demo settings.

    python bench/glove_cpu.py [--zip ../shared/data/text8-head12M.zip] [--seeds 1 2 3] [--workers 2] [--torch] [--device cpu]

Settings (the reference tool's demo.sh, except vector_size 100 where demo.sh uses 50): window 15, min_count 5, x_max 10, 15 epochs,
eta 0.05, alpha 0.75, symmetric 1/d-weighted counts. Reports the co-occurrence time, seconds per epoch, non-zeros/s
and quality measured with gensim's evaluation functions (analogy restrict_vocab=30000, WordSim-353 and SimLex-999
Spearman), mean ± std over the seeds. The reference C tool is not run here (its source is not part of this project);
its per-epoch time on this corpus with 2 threads is quoted as 11 s, a single outside timing not made by this script.
--torch adds the batched PyTorch path (the GPU path) on --device, first seed only (slow on CPU). Also writes the ice/steam ratio table of ch. 08.
Prints a markdown table and writes bench/results/glove_cpu.json (and .md); a script, not a timed test.
"""
import argparse, json, platform, statistics, time
from pathlib import Path
import torch
from wordvec_nb.text import Vocab
from wordvec_nb.data import read_sentences
from wordvec_nb.data import encode_corpus
from wordvec_nb.glove import GloVe, cooccurrence, ratio_table
from common import DEFAULT_ZIP, corpus, keyed, quality

SETTINGS = dict(vector_size=100, window=15, min_count=5, x_max=10.0, epochs=15, eta=0.05, alpha=0.75)
REFERENCE_SECONDS_PER_EPOCH = 11.0     # a quoted outside timing of the reference C tool, 2 threads, this corpus (not measured here)
RESULTS = Path(__file__).parent/'results'

def fmt(xs, pct=False):
    xs = [100 * x if pct else x for x in xs]
    m = statistics.mean(xs); s = statistics.stdev(xs) if len(xs) > 1 else 0.0
    return f"{m:.1f} ± {s:.1f}%" if pct else f"{m:.3f} ± {s:.3f}"

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--zip', type=Path, default=DEFAULT_ZIP)
    ap.add_argument('--seeds', type=int, nargs='+', default=[1, 2, 3])
    ap.add_argument('--workers', type=int, default=2)
    ap.add_argument('--torch', action='store_true', help='also run the batched PyTorch path')
    ap.add_argument('--device', default='cpu')
    ap.add_argument('--out', default='glove_cpu', help='results file stem under bench/results/')
    args = ap.parse_args()
    lines = [f"# GloVe benchmark — {time.strftime('%Y-%m-%d %H:%M')}",
             f"machine: {platform.machine()}, python {platform.python_version()}, torch {torch.__version__}, "
             f"{args.workers} threads" + (f", {torch.cuda.get_device_name()}" if torch.cuda.is_available() else ''),
             f"settings: {SETTINGS}", '']
    print('\n'.join(lines), flush=True)
    sentences = list(read_sentences(corpus(args.zip)))
    vocab = Vocab.build(sentences, min_count=SETTINGS['min_count'])
    enc = encode_corpus(sentences, vocab)
    cooccurrence(enc, len(vocab), window=2, chunk_words=1000)           # compile the counting kernels
    t0 = time.perf_counter()
    cooc = cooccurrence(enc, len(vocab), window=SETTINGS['window'])
    cooc_s = time.perf_counter() - t0
    info = f"corpus: {len(enc):,} words, vocabulary {len(vocab):,}, {len(cooc):,} non-zeros; co-occurrence counting {cooc_s:.2f} s"
    print(info, flush=True)
    runs = {}
    variants = [('numba', 'cpu')] + ([('torch', args.device)] if args.torch else [])
    for backend, device in variants:
        for seed in (args.seeds if backend == 'numba' else args.seeds[:1]):
            m = GloVe(**{k: v for k, v in SETTINGS.items() if k != 'min_count'}, seed=seed, workers=args.workers,
                      backend=backend, device=device, progress=False)
            m.set_cooccurrence(cooc, vocab).train()
            q = quality(keyed(vocab.index_to_key, m.vectors('sum')))
            r = {'seconds_per_epoch': m.seconds_per_epoch, 'nnz_per_second': m.nnz_per_second, 'final_cost': m.losses[-1], **q}
            runs.setdefault(f'{backend}/{device}', []).append(r)
            print(f"{backend}/{device} seed {seed}: {r}", flush=True)
    table = ["| path | s / epoch | non-zeros / s | vs reference tool (11 s/epoch) | final cost | analogy | WS-353 | SimLex-999 |",
             "|---|---|---|---|---|---|---|---|"]
    for name, rs in runs.items():
        spe = [r['seconds_per_epoch'] for r in rs]
        table.append(f"| wordvec_nb GloVe, {name} | {fmt(spe)} | {statistics.mean(r['nnz_per_second'] for r in rs) / 1e6:.2f}M | "
                     f"{REFERENCE_SECONDS_PER_EPOCH / statistics.mean(spe):.2f}× | {statistics.mean(r['final_cost'] for r in rs):.4f} | "
                     f"{fmt([r['analogy'] for r in rs], True)} | {fmt([r['ws353'] for r in rs])} | {fmt([r['simlex'] for r in rs])} |")
    table.append(f"| reference C tool (quoted, 2 threads) | {REFERENCE_SECONDS_PER_EPOCH:.0f} | {len(cooc) / REFERENCE_SECONDS_PER_EPOCH / 1e6:.2f}M | 1.00× | | | | |")
    table = '\n'.join(table)
    print('\n' + info + '\n\n' + table)
    ice = {'count_i': int(vocab.counts[vocab['ice']]), 'count_j': int(vocab.counts[vocab['steam']]), 'window': SETTINGS['window'],
           'rows': ratio_table(cooc, vocab, 'ice', 'steam', ['solid', 'gas', 'water', 'fashion'])}
    RESULTS.mkdir(exist_ok=True)
    (RESULTS/f'{args.out}.json').write_text(json.dumps({'header': lines, 'info': info, 'cooc_seconds': cooc_s, 'runs': runs,
                                                        'table': info + '\n\n' + table, 'ice_steam': ice}, indent=1, default=float))
    (RESULTS/f'{args.out}.md').write_text('\n'.join(lines) + '\n' + info + '\n\n' + table + '\n')

if __name__ == '__main__': main()
