"""Check that a refactor changes no trained number: every CPU training path, seeded, one worker, trained at two
revisions in fresh processes; prints each table's SHA-256 side by side and whether they agree bit for bit.

    python bench/fingerprint.py [--base REV] [--only NAME ...]

Paths: word2vec's five compiled paths (skip-gram NEG with shared negatives and per pair, skip-gram HS, CBOW NEG, CBOW
HS), word2vec's batched PyTorch path, GloVe (compiled and PyTorch) and fastText (compiled and PyTorch), on the first 800
verses of the embedded King James Bible, 2 epochs. A script, not a timed test.
"""
import argparse, json, platform, subprocess, sys, time
from pathlib import Path
from common import checkout, cpu_model, run_at

HERE = Path(__file__).resolve().parent
PATHS = {   # name: (trainer, keyword arguments)
    'sg-neg-shared': ('Word2Vec', dict(sg=1, loss='neg', backend='numba')),
    'sg-neg-pair': ('Word2Vec', dict(sg=1, loss='neg', backend='numba', shared_negatives=False)),
    'sg-hs': ('Word2Vec', dict(sg=1, loss='hs', backend='numba')),
    'cbow-neg': ('Word2Vec', dict(sg=0, loss='neg', backend='numba')),
    'cbow-hs': ('Word2Vec', dict(sg=0, loss='hs', backend='numba')),
    'sg-neg-torch': ('Word2Vec', dict(sg=1, loss='neg', backend='torch')),
    'glove': ('GloVe', dict(backend='numba', epochs=3)),
    'glove-torch': ('GloVe', dict(backend='torch', epochs=3)),
    'fasttext': ('FastText', dict(sg=1, backend='numba', bucket=20_000)),
    'fasttext-torch': ('FastText', dict(sg=1, backend='torch', bucket=20_000)),
}
RUN = r'''
import hashlib, json, sys; sys.path.insert(0, sys.argv[1])
import numpy as np, torch, wordvec_nb
from wordvec_nb.data import embedded_corpus
cls_name, kw = sys.argv[2], json.loads(sys.argv[3])
mod = {'Word2Vec': 'word2vec', 'GloVe': 'glove', 'FastText': 'fasttext'}[cls_name]
cls = getattr(__import__(f'wordvec_nb.{mod}', fromlist=[cls_name]), cls_name)
sentences = [s for s, _ in zip(embedded_corpus('kjv'), range(800))]
kw = {'vector_size': 32, 'min_count': 2, 'epochs': 2, 'seed': 3, 'workers': 1, 'progress': False, **kw}
m = cls(sentences, **kw)
if cls_name == 'GloVe': tables = dict(m.params)
else: tables = {'W_in': m.W_in, **{n: getattr(m.objective, n) for n in m.objective.params}}
digest = lambda t: hashlib.sha256(np.ascontiguousarray(torch.as_tensor(t).cpu().numpy()).tobytes()).hexdigest()[:16]
print(json.dumps({'file': wordvec_nb.__file__, 'tables': {k: digest(v) for k, v in sorted(tables.items())},
                  'losses': [float(x) for x in m.losses]}))
'''

def run(root: Path, name: str) -> dict:
    cls_name, kw = PATHS[name]
    return run_at(root, RUN, cls_name, json.dumps(kw))

def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--base', default='HEAD', help='the revision to compare the working tree with (default HEAD)')
    ap.add_argument('--only', nargs='*', choices=sorted(PATHS), help='these paths only')
    args = ap.parse_args()
    base, here = checkout(args.base), HERE.parent
    head = subprocess.run(['git', 'describe', '--always', '--dirty'], capture_output=True, text=True,
                          cwd=here).stdout.strip()
    print(
        f"# trained tables, base {args.base} ({base.name[4:]}) vs working tree {head}\n\n"
        f"{time.strftime('%Y-%m-%d %H:%M')}; {cpu_model()}; python {platform.python_version()}; "
        "one thread, seed 3, 800 verses\n"
    )
    print('| path | table | base | working tree | equal |\n|---|---|---|---|---|')
    differ = 0
    for name in args.only or PATHS:
        a, b = run(base, name), run(here, name)
        for k in a['tables']:
            same = a['tables'][k] == b['tables'].get(k)
            differ += not same
            print(f"| {name} | {k} | {a['tables'][k]} | {b['tables'].get(k)} | {'yes' if same else '**no**'} |",
                  flush=True)
        if a['losses'] != b['losses']:
            differ += 1
            print(f"| {name} | losses | {a['losses']} | {b['losses']} | **no** |")
    print(f"\n{'all tables bit-identical' if not differ else f'{differ} differences'}")
    sys.exit(1 if differ else 0)

if __name__ == '__main__': main()
