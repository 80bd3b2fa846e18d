"""Benchmark: wordvec_nb's GloVe on text8-head12M with the reference tool's demo settings.

    python bench/glove_cpu.py [--zip ../shared/data/text8-head12M.zip] [--seeds 1 2 3] [--workers 2] [--torch] [--device
    cpu]

Settings (the reference tool's demo.sh, except vector_size 100 where demo.sh uses 50): window 15, min_count 5, x_max 10,
15 epochs, eta 0.05, alpha 0.75, symmetric 1/d-weighted counts. Reports the co-occurrence time, seconds per epoch,
non-zeros/s and quality measured with gensim's evaluation functions (analogy restrict_vocab=30000, WordSim-353 and
SimLex-999 Spearman), mean ± std over the seeds. The reference C tool (Stanford's GloVe) runs in the same run when its
source is at ../shared/reference-tools/glove (--reference): built in bench/build/, then vocab_count, cooccur, shuffle
and glove with the same settings and threads; its seconds per epoch are (time of 15 epochs − time of 1 epoch) / 14, so
loading and saving do not count. Counting is timed on both sides (ours: vocabulary + co-occurrence; the tool's:
vocab_count + cooccur + shuffle, which it needs before training) and a last column gives counting + 15 epochs, so the
ratio with counting included is in the table too. Without the source the row says so and no ratio is printed. --torch
adds the batched PyTorch path (the GPU path) on --device, first seed only (slow on CPU). Also writes the ice/steam ratio
table of ch. 08. Prints a markdown table and writes bench/results/glove_cpu.json (and .md); a script, not a timed test.
"""
import argparse, json, re, shutil, statistics, subprocess, time
from pathlib import Path
import torch
from wordvec_nb.text import Vocab
from wordvec_nb.data import read_sentences
from wordvec_nb.data import encode_corpus
from wordvec_nb.glove import GloVe, cooccurrence, ratio_table
from gensim.models import KeyedVectors
from common import DEFAULT_ZIP, header, corpus, keyed, quality

SETTINGS = dict(vector_size=100, window=15, min_count=5, x_max=10.0, epochs=15, eta=0.05, alpha=0.75)
RESULTS = Path(__file__).parent/'results'
REFERENCE = Path(__file__).resolve().parent.parent.parent/'shared'/'reference-tools'/'glove'

def run_reference(text: Path, workers: int, source: Path = REFERENCE) -> dict | None:
    """Build Stanford's GloVe from `source` and train it on `text` with SETTINGS: seconds per epoch, final cost,
    quality; None without the source."""
    if not (source/'src'/'glove.c').exists(): return None
    build = Path(__file__).parent/'build'/'glove'
    if not (build/'build'/'glove').exists():
        shutil.rmtree(build, ignore_errors=True); shutil.copytree(source, build)
        subprocess.run(['make', '-s'], cwd=build, check=True, capture_output=True)
    tool = lambda name: str(build/'build'/name)
    work = build/'run'; work.mkdir(exist_ok=True)
    sh = lambda cmd, stdin, stdout: subprocess.run(cmd, stdin=open(stdin, 'rb'), stdout=open(stdout, 'wb'),
                                                   stderr=subprocess.PIPE, check=True)
    t0 = time.perf_counter()
    sh([tool('vocab_count'), '-min-count', str(SETTINGS['min_count']), '-verbose', '0'], text, work/'vocab.txt')
    sh([tool('cooccur'), '-memory', '4', '-vocab-file', str(work/'vocab.txt'), '-verbose', '0', '-window-size',
        str(SETTINGS['window'])], text, work/'cooc.bin')
    sh([tool('shuffle'), '-memory', '4', '-verbose', '0'], work/'cooc.bin', work/'cooc.shuf.bin')
    counting = time.perf_counter() - t0
    def train(epochs: int) -> tuple[float, str]:
        cmd = [tool('glove'), '-input-file', str(work/'cooc.shuf.bin'), '-vocab-file', str(work/'vocab.txt'),
               '-save-file', str(work/'vectors'),
               '-threads', str(workers), '-iter', str(epochs), '-vector-size', str(SETTINGS['vector_size']), '-x-max',
               str(SETTINGS['x_max']),
               '-eta', str(SETTINGS['eta']), '-alpha', str(SETTINGS['alpha']), '-binary', '0', '-write-header', '1',
               '-model', '2', '-verbose', '2']
        t0 = time.perf_counter(); r = subprocess.run(cmd, capture_output=True, text=True, check=True)
        return time.perf_counter() - t0, r.stderr
    one, _ = train(1)
    full, log = train(SETTINGS['epochs'])
    costs = [float(c) for c in re.findall(r'iter: \d+, cost: ([\d.eE+-]+)', log)]
    kv = KeyedVectors.load_word2vec_format(str(work/'vectors.txt'), binary=False)
    return {'seconds_per_epoch': (full - one) / (SETTINGS['epochs'] - 1), 'counting_seconds': counting,
            'final_cost': costs[-1], 'vocabulary': len(kv), **quality(kv)}

def fmt(xs, pct=False):
    xs = [100 * x if pct else x for x in xs]
    m = statistics.mean(xs); s = statistics.stdev(xs) if len(xs) > 1 else 0.0
    return f"{m:.1f} ± {s:.1f}%" if pct else f"{m:.3f} ± {s:.3f}"

def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--zip', type=Path, default=DEFAULT_ZIP)
    ap.add_argument('--seeds', type=int, nargs='+', default=[1, 2, 3])
    ap.add_argument('--workers', type=int, default=2)
    ap.add_argument('--torch', action='store_true', help='also run the batched PyTorch path')
    ap.add_argument('--device', default='cpu')
    ap.add_argument('--out', default='glove_cpu', help='results file stem under bench/results/')
    ap.add_argument('--reference', type=Path, default=REFERENCE,
                    help="Stanford GloVe's source folder (default: ../shared/reference-tools/glove)")
    args = ap.parse_args()
    gpu = {'gpu': torch.cuda.get_device_name()} if torch.cuda.is_available() else {}
    lines = [*header('GloVe benchmark', threads=args.workers, **gpu), f"settings: {SETTINGS}", '']
    print('\n'.join(lines), flush=True)
    sentences = list(read_sentences(corpus(args.zip)))
    small = Vocab.build(sentences[:1], min_count=1)
    # compile the counting kernels
    cooccurrence(encode_corpus(sentences[:1], small), len(small), window=2, chunk_words=1000)
    t0 = time.perf_counter()
    vocab = Vocab.build(sentences, min_count=SETTINGS['min_count'])
    enc = encode_corpus(sentences, vocab)
    cooc = cooccurrence(enc, len(vocab), window=SETTINGS['window'])
    cooc_s = time.perf_counter() - t0
    info = (f"corpus: {len(enc):,} words, vocabulary {len(vocab):,}, {len(cooc):,} non-zeros; "
            f"counting (vocabulary + co-occurrence) {cooc_s:.2f} s")
    print(info, flush=True)
    runs = {}
    variants = [('numba', 'cpu')] + ([('torch', args.device)] if args.torch else [])
    for backend, device in variants:
        for seed in (args.seeds if backend == 'numba' else args.seeds[:1]):
            m = GloVe(**{k: v for k, v in SETTINGS.items() if k != 'min_count'}, seed=seed, workers=args.workers,
                      backend=backend, device=device, progress=False)
            m.set_cooccurrence(cooc, vocab).train()
            q = quality(keyed(vocab.index_to_key, m.vectors('sum')))
            r = {'seconds_per_epoch': m.seconds_per_epoch, 'nnz_per_second': m.nnz_per_second,
                 'final_cost': m.losses[-1], **q}
            runs.setdefault(f'{backend}/{device}', []).append(r)
            print(f"{backend}/{device} seed {seed}: {r}", flush=True)
    ref = run_reference(corpus(args.zip), args.workers, args.reference)
    print(f"reference tool: {ref}" if ref else f"reference tool: no source at {args.reference}; not run", flush=True)
    E = SETTINGS['epochs']
    table = [
        "| path | s / epoch | × reference tool (same run) | final cost | analogy | WS-353 | SimLex-999 | counting "
        f"+ {E} epochs (s) | × reference tool |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for name, rs in runs.items():
        spe = [r['seconds_per_epoch'] for r in rs]
        ratio = f"{ref['seconds_per_epoch'] / statistics.mean(spe):.2f}×" if ref else '–'
        total = cooc_s + E * statistics.mean(spe)
        total_ratio = f"{(ref['counting_seconds'] + E * ref['seconds_per_epoch']) / total:.2f}×" if ref else '–'
        table.append(
            f"| wordvec_nb GloVe, {name} | {fmt(spe)} | {ratio} | {statistics.mean(r['final_cost'] for r in rs):.4f} | "
            f"{fmt([r['analogy'] for r in rs], True)} | {fmt([r['ws353'] for r in rs])} | "
            f"{fmt([r['simlex'] for r in rs])} | "
            f"{cooc_s:.1f} + {E * statistics.mean(spe):.1f} | {total_ratio} |"
        )
    if ref:
        table.append(
            f"| Stanford GloVe (glove.c, {args.workers} threads, vocabulary {ref['vocabulary']:,}) | "
            f"{ref['seconds_per_epoch']:.3f} | 1.00× | "
            f"{ref['final_cost']:.4f} | {100 * ref['analogy']:.1f}% | {ref['ws353']:.3f} | {ref['simlex']:.3f} | "
            f"{ref['counting_seconds']:.1f} + {E * ref['seconds_per_epoch']:.1f} | 1.00× |"
        )
    else: table.append(f"| Stanford GloVe | not run: no source at {args.reference} | | | | | | | |")
    table = '\n'.join(table)
    print('\n' + info + '\n\n' + table)
    ice = {'count_i': int(vocab.counts[vocab['ice']]), 'count_j': int(vocab.counts[vocab['steam']]),
           'window': SETTINGS['window'],
           'rows': ratio_table(cooc, vocab, 'ice', 'steam', ['solid', 'gas', 'water', 'fashion'])}
    RESULTS.mkdir(exist_ok=True)
    (RESULTS/f'{args.out}.json').write_text(json.dumps({'header': lines, 'info': info, 'cooc_seconds': cooc_s,
                                                        'runs': runs, 'reference': ref,
                                                        'table': info + '\n\n' + table, 'ice_steam': ice}, indent=1,
                                                        default=float))
    (RESULTS/f'{args.out}.md').write_text('\n'.join(lines) + '\n' + info + '\n\n' + table + '\n')

if __name__ == '__main__': main()
