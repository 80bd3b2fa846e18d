"""Benchmark: data-parallel word2vec on torch.distributed (chapter 28) — quality as ranks grow, and speed of 2 ranks × 1
thread against 1 process × 2 threads, on text8-head12M (skip-gram NEG, vector_size 100, window 5, 5 epochs, seed 1).

    python bench/distributed.py [--ranks 1 2 4 8] [--rules average sum] [--sync-words 250000] python
    bench/distributed.py --model glove [--ranks 2] [--sync-nnz 1000000]     (GloVe: the glove_cpu.py settings, 15
    epochs) python bench/distributed.py --rows      (no training: how often skip-gram NEG updates the output rows per
    10,000 words of text8)

Each configuration is one `torchrun --nproc-per-node R` launch on this machine (gloo over loopback; more ranks than
cores is fine for the quality columns, each rank runs one thread); rank 0 scores the vectors with gensim's evaluation
functions (analogy restrict 30k, WS-353, SimLex-999). Bytes per sync are the tensors all-reduced (W and W′, float32);
the seconds are the mean wall time of one sync as rank 0 saw it (waiting for the slowest rank included). Writes
bench/results/distributed.md and .jsonl (--out changes the stem); a script, not a timed test.
"""
import argparse, json, os, subprocess, sys, time
from wordvec_nb.distributed import LR_EXPONENT
from common import header
from pathlib import Path
HERE = Path(__file__).parent

def launch(ranks, threads, rule, sync_words, out, port, alpha=None, model='word2vec', sync_nnz=1_000_000, gain=None,
           seed=1):
    cmd = [sys.executable, '-m', 'torch.distributed.run', '--nproc-per-node', str(ranks), '--master-addr', '127.0.0.1',
           '--master-port', str(port), str(HERE/'distributed_worker.py'), '--out', str(out), '--sync', rule,
           '--sync-words', str(sync_words), '--workers', str(threads), '--model', model, '--sync-nnz', str(sync_nnz),
           '--seed', str(seed)] + (['--alpha', str(alpha)] if alpha else []) + (['--gain', str(gain)] if gain else [])
    env = {**os.environ, 'OMP_NUM_THREADS': '1', 'PYTHONPATH': str(HERE) + os.pathsep + os.environ.get('PYTHONPATH',
            '')}
    run = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if run.returncode:
        why = [l for l in run.stderr.splitlines() if 'Error' in l and 'ChildFailedError' not in l]
        # the rank that failed, not the ranks that lost it
        why = [l for l in why if 'Connection closed by peer' not in l] or why
        with open(out, 'a') as f: f.write(json.dumps({'ranks': ranks, 'threads': threads, 'sync': rule,
                                                      'sync_words': sync_words, 'alpha': alpha, 'seed': seed,
                                                      'failed': (why or ['exit ' + str(run.returncode)])[-1][:300]})
                                                      + '\n')

def fresh(stem):
    "The results file bench/results/STEM.jsonl, emptied."
    out = HERE/'results'/f'{stem}.jsonl'; out.parent.mkdir(exist_ok=True); out.unlink(missing_ok=True)
    return out

def read_back(out):
    "The rows the workers wrote, and the 1 process × 2 threads row every ratio is taken against."
    rows = [json.loads(l) for l in out.read_text().splitlines()]
    return rows, next(r for r in rows if r['ranks'] == 1 and r['threads'] == 2 and 'failed' not in r)

def row_counts(args):
    "chapter 28's row_traffic on text8-head12M, written to bench/results/distributed_rows.md and .json."
    from common import corpus
    from wordvec_nb.data import read_sentences
    from wordvec_nb.distributed import row_traffic, traffic_summary
    interval = args.sync_words if args.sync_words != 250_000 else 10_000
    t = row_traffic(list(read_sentences(corpus())), interval=interval, seed=args.seed)
    (HERE/'results'/'distributed_rows.json').write_text(json.dumps(t, indent=1) + '\n')
    text = (
        '\n'.join(header('skip-gram NEG row traffic on text8-head12M')) + '\n'
        + f"window 5, negative 5, sample 1e-3, min_count 5, seed {args.seed}; counted, not trained (`python "
        "bench/distributed.py --rows`)\n\n"
        + traffic_summary(t)
        + '\n'
    )
    (HERE/'results'/'distributed_rows.md').write_text(text); print(text)

def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--ranks', type=int, nargs='+', default=[1, 2, 4, 8])
    ap.add_argument('--rules', nargs='+', default=['average', 'sum', 'touched'])
    ap.add_argument('--sync-words', type=int, default=250_000)
    ap.add_argument(
        '--alpha',
        type=float,
        default=None,
        help="learning rate of the ranked runs (default: the trainer's, 0.025 × R ** LR_EXPONENT when averaging; "
             "the 1 × 2 baseline keeps 0.025)",
    )
    ap.add_argument('--alpha-exponent', type=float, default=None,
                    help='learning rate of the ranked runs 0.025 × R ** this (instead of --alpha)')
    ap.add_argument('--seed', type=int, default=1, help='seed of every run (word2vec)')
    ap.add_argument('--out', default='distributed', help='results file stem under bench/results/')
    ap.add_argument('--model', choices=['word2vec', 'glove'], default='word2vec')
    ap.add_argument(
        '--gain',
        type=float,
        default=None,
        help="GloVe, rule 'sum': gain of the summed output-side changes (default: the trainer's, min(1, 2 / R))",
    )
    ap.add_argument('--sync-nnz', type=int, nargs='+', default=[1_000_000],
                    help='GloVe: non-zeros of each share between syncs of the output side (several: one run each)')
    ap.add_argument(
        '--rows',
        action='store_true',
        help="only count the output rows' updates per --sync-words words (chapter 28's row_traffic) on text8",
    )
    args = ap.parse_args()
    if args.rows: return row_counts(args)
    if args.model == 'glove': return glove(args)
    out = fresh(args.out)
    port = 29600
    runs = [(1, 2, 'average')] + [(r, 1, rule) for r in args.ranks for rule in (args.rules if r > 1 else ['average'])]
    for ranks, threads, rule in runs:
        port += 1; t0 = time.perf_counter()
        alpha = 0.025 * ranks ** args.alpha_exponent if args.alpha_exponent is not None else args.alpha
        launch(ranks, threads, rule, args.sync_words, out, port, alpha if ranks > 1 else None, seed=args.seed)
        print(f"  done: {ranks} rank(s) × {threads} thread(s), {rule}: {time.perf_counter() - t0:.0f} s",
              file=sys.stderr, flush=True)
    rows, base = read_back(out)
    lines = [
        *header('data-parallel word2vec'),
        f"text8-head12M, skip-gram NEG, vector_size 100, window 5, 5 epochs, seed {args.seed}; sync every "
        f"{args.sync_words:,} words of each rank's share "
        f"and at each epoch's end; gloo on loopback, {os.cpu_count()} cores",
        '',
        "learning rate: 0.025 for one process; ranked runs "
        + (f'0.025 × R ** {args.alpha_exponent}' if args.alpha_exponent is not None else None or args.alpha
           or f'the trainer default (0.025 × R ** {LR_EXPONENT} when averaging, 0.025 otherwise)'),
        '',
        "| ranks × threads | sync rule | alpha | words/s | × 1 process × 2 threads | syncs | MB per sync | s per "
        "sync | analogy (30k) | WS-353 ρ | SimLex-999 ρ |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        if 'failed' in r:
            lines.append(
                f"| {r['ranks']} × {r['threads']} | {r['sync']} | {r.get('alpha') or ''} | "
                f"failed: {r['failed']} | | | | | | | |"
            )
            continue
        lines.append(
            f"| {r['ranks']} × {r['threads']} | {r['sync']} | {r['alpha']:.3g} | {r['words_per_second']:,.0f} | "
            f"{r['words_per_second'] / base['words_per_second']:.2f}× | "
            f"{r['syncs']} | {r['sync_bytes'] / 1e6:.1f} | {r['sync_seconds_mean']:.3f} | {quality_cells(r)}"
        )
    write_table(lines, args.out)

def glove(args):
    "GloVe at 1 process × 2 threads, 1 × 1, and `--ranks` ranks × 1 thread for each --sync-nnz."
    stem = args.out if args.out != 'distributed' else 'distributed_glove'
    out = fresh(stem)
    port = 29700
    runs = [(1, 2, None, '—'), (1, 1, None, '—')] + [(r, 1, n,
                                                      rule) for r in args.ranks if r > 1 for n in args.sync_nnz
                                                      for rule in args.rules]
    for ranks, threads, nnz, rule in runs:
        port += 1; t0 = time.perf_counter()
        launch(ranks, threads, rule if ranks > 1 else 'sum', 0, out, port, model='glove', sync_nnz=nnz or 1,
               gain=args.gain)
        print(
            f"  done: GloVe {ranks} rank(s) × {threads} thread(s), {rule}, sync every {nnz} non-zeros: "
            f"{time.perf_counter() - t0:.0f} s",
            file=sys.stderr,
            flush=True,
        )
    rows, base = read_back(out)
    from glove_cpu import SETTINGS
    lines = [
        *header('data-parallel GloVe'),
        f"text8-head12M, {SETTINGS}, seed 1; counts split by sentences and exchanged by row owner "
        "(row mod R); the output side's "
        "weights W̃, b̃ combined by the rule shown and its accumulators summed every N non-zeros of the largest "
        f"shard, the input side once per epoch; gloo on loopback, {os.cpu_count()} cores",
        '',
        "counting: each rank's co-occurrence count of its share + the all-to-all exchange and merge (vocabulary and "
        "encoding not included; the same code at every R); "
        "final cost: mean ½f(X)(w·w̃ + b + b̃ − log X)² of the last epoch over all non-zeros",
        '',
        "| ranks × threads | output weights | gain | sync every (non-zeros) | counting s | s / epoch | × 1 process "
        "× 2 threads (epoch) | non-zeros per rank | output-side syncs | MB per sync | s per sync | input-side MB "
        "per epoch | final cost | analogy (30k) | WS-353 ρ | SimLex-999 ρ |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        if 'failed' in r:
            lines.append(
                f"| {r['ranks']} × {r['threads']} | {r['sync']} | | | failed: {r['failed']} | | | | | | | | | | | |"
            )
            continue
        every = f"{r['sync_nnz']:,}" if r['ranks'] > 1 else '—'
        gain = f"{r['gain']:.3g}" if r.get('gain') is not None and r['sync'] == 'sum' else '—'
        lines.append(
            f"| {r['ranks']} × {r['threads']} | {r['sync']} | {gain} | {every} | {r['count_seconds']:.2f} | "
            f"{r['seconds_per_epoch']:.3f} | "
            f"{base['seconds_per_epoch'] / r['seconds_per_epoch']:.2f}× | "
            f"{' / '.join(f'{n:,}' for n in r['shards'])} | {r['syncs']} | "
            f"{r['sync_bytes'] / 1e6:.1f} | {r['sync_seconds_mean']:.3f} | "
            f"{r['owned_bytes'] / 1e6:.1f} | {r['final_cost']:.4f} | {quality_cells(r)}"
        )
    write_table(lines, stem)

def quality_cells(r: dict) -> str:
    "The last three cells of a row: analogy accuracy, WordSim-353 and SimLex-999 Spearman ρ."
    return f"{100 * r['analogy']:.1f}% | {r['ws353']:.3f} | {r['simlex']:.3f} |"

def write_table(lines: list[str], stem: str):
    "Print the table and write it to bench/results/<stem>.md."
    text = '\n'.join(lines) + '\n'
    print(text); (HERE/'results'/f'{stem}.md').write_text(text)

if __name__ == '__main__': main()
