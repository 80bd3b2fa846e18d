"""Benchmark: is a change speed-neutral? wordvec_nb's own trainers at two git revisions, same corpus, same settings,
same run.

    python bench/compare_revisions.py [--base REV] [--reps 2] [--zip ../shared/data/text8-head12M.zip]

The base revision is checked out (git worktree) under bench/build/; each configuration is trained alternately by the
base and by the working tree, `--reps` times each, in fresh processes (so numba compiles each side's kernels outside the
clock and neither side warms the other's caches). Word2Vec's five CPU paths with bench/word2vec_cpu.py's settings
(vector_size 100, window 5, negative 5, sample 1e-3, min_count 5, 5 epochs), fastText skip-gram (the same, 2 epochs, 2M
buckets) and GloVe (window 15, x_max 10, 5 epochs; non-zeros/s), all on 2 threads. Prints a table of speeds with the
ratio working tree / base; a script, not a timed test.
"""
import argparse, json, platform, statistics, subprocess, time
from pathlib import Path
from common import DEFAULT_ZIP, checkout, corpus, cpu_model, run_at

HERE = Path(__file__).resolve().parent
W2V = dict(vector_size=100, window=5, negative=5, sample=1e-3, min_count=5, epochs=5)
CONFIGS = [   # (name, trainer, keyword arguments); speed is words/s, or non-zeros/s for GloVe
    ('skip-gram NEG', 'Word2Vec', dict(sg=1, loss='neg', **W2V)),
    ('skip-gram NEG per pair', 'Word2Vec', dict(sg=1, loss='neg', shared_negatives=False, **W2V)),
    ('CBOW NEG', 'Word2Vec', dict(sg=0, loss='neg', **W2V)),
    ('skip-gram HS', 'Word2Vec', dict(sg=1, loss='hs', **W2V)),
    ('CBOW HS', 'Word2Vec', dict(sg=0, loss='hs', **W2V)),
    ('fastText skip-gram', 'FastText', dict(sg=1, **{**W2V, 'epochs': 2})),
    ('GloVe', 'GloVe', dict(vector_size=100, window=15, x_max=10, min_count=5, epochs=5)),
]
RUN = r'''
import json, sys; sys.path.insert(0, sys.argv[1])
import wordvec_nb
try: from wordvec_nb.data import read_sentences
except ImportError: from wordvec_nb.text import read_sentences          # revisions before the file readers moved
name, kw = sys.argv[3], json.loads(sys.argv[4])
module = {'Word2Vec': 'word2vec', 'FastText': 'fasttext', 'GloVe': 'glove'}[name]
cls = getattr(__import__(f"wordvec_nb.{module}", fromlist=[name]), name)
m = cls(list(read_sentences(sys.argv[2])), seed=1, progress=False, **kw)
speed = m.nnz_per_second if name == 'GloVe' else m.words_per_second
print(json.dumps({'file': wordvec_nb.__file__, 'words_per_second': speed, 'last_loss': m.losses[-1]}))
'''

def run(root: Path, text: Path, cls: str, kw: dict) -> dict:
    return run_at(root, RUN, str(text), cls, json.dumps(kw))

def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--base', default='HEAD~1', help='the revision to compare the working tree with (default HEAD~1)')
    ap.add_argument('--reps', type=int, default=2)
    ap.add_argument('--zip', type=Path, default=DEFAULT_ZIP)
    ap.add_argument('--only', nargs='+', choices=[n for n, _, _ in CONFIGS], help='these configurations only')
    ap.add_argument('--workers', type=int, default=2, help='threads per run (1: less noise from the two cores sharing)')
    ap.add_argument('--epochs', type=int, help='epochs of every run (default: each configuration\'s own)')
    args = ap.parse_args()
    text, base = corpus(args.zip), checkout(args.base)
    here = HERE.parent
    head = subprocess.run(['git', 'describe', '--always', '--dirty'], capture_output=True, text=True,
                          cwd=here).stdout.strip()
    print(
        f"# revisions compared — {time.strftime('%Y-%m-%d %H:%M')}\nmachine: {cpu_model()} ({platform.machine()}), "
        f"python {platform.python_version()}; "
        f"base {args.base} ({base.name[4:]}), working tree {head}; corpus {text.name}; {args.workers} thread(s), "
        f"{args.reps} runs each, alternating\n",
        flush=True,
    )
    rows = []
    for name, cls, kw in CONFIGS:
        if args.only and name not in args.only: continue
        kw = {**kw, 'workers': args.workers, **({'epochs': args.epochs} if args.epochs else {})}
        speeds = {'base': [], 'tree': []}
        for _ in range(args.reps):
            for side, root in (('base', base), ('tree', here)):
                r = run(root, text, cls, kw); speeds[side].append(r['words_per_second'])
                print(
                    f"  {name} {side}: {r['words_per_second']:,.0f} {'non-zeros' if cls == 'GloVe' else 'words'}/s, "
                    f"last-epoch loss {r['last_loss']:.4f}",
                    flush=True,
                )
        (b, t), (bb, tb) = (statistics.median(speeds[k]) for k in ('base', 'tree')), (max(speeds[k]) for k in ('base',
                'tree'))
        rows.append(f"| {name} | {b:,.0f} ({', '.join(f'{s:,.0f}' for s in speeds['base'])}) | "
                    f"{t:,.0f} ({', '.join(f'{s:,.0f}' for s in speeds['tree'])}) | {t / b:.2f}× | {tb / bb:.2f}× |")
    print(
        '\n| model | base speed, median (runs) | working tree speed, median (runs) | tree / base, '
        'medians | tree / base, best runs |'
        '\n|---|---|---|---|---|\n' + '\n'.join(rows)
    )

if __name__ == '__main__': main()
