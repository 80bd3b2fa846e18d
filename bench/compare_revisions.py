"""Benchmark: is a change speed-neutral? wordvec_nb's own trainers at two git revisions, same corpus, same settings, same run.

    python bench/compare_revisions.py [--base REV] [--reps 2] [--zip ../shared/data/text8-head12M.zip]

The base revision is checked out (git worktree) under bench/build/; each configuration is trained alternately by the base
and by the working tree, `--reps` times each, in fresh processes (so numba compiles each side's kernels outside the clock
and neither side warms the other's caches). Word2Vec's five CPU paths with bench/word2vec_cpu.py's settings (vector_size 100,
window 5, negative 5, sample 1e-3, min_count 5, 5 epochs), fastText skip-gram (the same, 2 epochs, 2M buckets) and GloVe
(window 15, x_max 10, 5 epochs; non-zeros/s), all on 2 threads. Prints a table of speeds with the ratio working tree /
base; a script, not a timed test.
"""
import argparse, json, platform, statistics, subprocess, sys, time
from pathlib import Path
from common import DEFAULT_ZIP, corpus

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
cls = getattr(__import__(f"wordvec_nb.{ {'Word2Vec': 'word2vec', 'FastText': 'fasttext', 'GloVe': 'glove'}[name] }", fromlist=[name]), name)
m = cls(list(read_sentences(sys.argv[2])), seed=1, workers=2, progress=False, **kw)
speed = m.nnz_per_second if name == 'GloVe' else m.words_per_second
print(json.dumps({'file': wordvec_nb.__file__, 'words_per_second': speed, 'last_loss': m.losses[-1]}))
'''

def checkout(rev: str) -> Path:
    "A worktree of `rev` under bench/build/ (made once per commit)."
    sha = subprocess.run(['git', 'rev-parse', rev], capture_output=True, text=True, check=True, cwd=HERE).stdout.strip()
    path = HERE/'build'/f'rev-{sha[:10]}'
    if not path.exists():
        subprocess.run(['git', 'worktree', 'add', '--detach', '-f', str(path), sha], capture_output=True, check=True, cwd=HERE)
    return path

def run(root: Path, text: Path, cls: str, kw: dict) -> dict:
    out = subprocess.run([sys.executable, '-c', RUN, str(root), str(text), cls, json.dumps(kw)], capture_output=True, text=True)
    if out.returncode: sys.exit(f"training at {root} failed:\n{out.stderr[-3000:]}")
    r = json.loads(out.stdout.strip().splitlines()[-1])
    if not r['file'].startswith(str(root)): sys.exit(f"imported {r['file']}, not the code at {root}")
    return r

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--base', default='HEAD~1', help='the revision to compare the working tree with (default HEAD~1)')
    ap.add_argument('--reps', type=int, default=2)
    ap.add_argument('--zip', type=Path, default=DEFAULT_ZIP)
    args = ap.parse_args()
    text, base = corpus(args.zip), checkout(args.base)
    here = HERE.parent
    head = subprocess.run(['git', 'describe', '--always', '--dirty'], capture_output=True, text=True, cwd=here).stdout.strip()
    print(f"# revisions compared — {time.strftime('%Y-%m-%d %H:%M')}\nmachine: {platform.machine()}, python {platform.python_version()}; "
          f"base {args.base} ({base.name[4:]}), working tree {head}; corpus {text.name}; 2 threads, {args.reps} runs each, alternating\n", flush=True)
    rows = []
    for name, cls, kw in CONFIGS:
        speeds = {'base': [], 'tree': []}
        for _ in range(args.reps):
            for side, root in (('base', base), ('tree', here)):
                r = run(root, text, cls, kw); speeds[side].append(r['words_per_second'])
                print(f"  {name} {side}: {r['words_per_second']:,.0f} {'non-zeros' if cls == 'GloVe' else 'words'}/s, last-epoch loss {r['last_loss']:.4f}", flush=True)
        b, t = statistics.mean(speeds['base']), statistics.mean(speeds['tree'])
        rows.append(f"| {name} | {b:,.0f} ({', '.join(f'{s:,.0f}' for s in speeds['base'])}) | "
                    f"{t:,.0f} ({', '.join(f'{s:,.0f}' for s in speeds['tree'])}) | {t / b:.2f}× |")
    print('\n| model | base words/s (runs) | working tree words/s (runs) | tree / base |\n|---|---|---|---|\n' + '\n'.join(rows))

if __name__ == '__main__': main()
