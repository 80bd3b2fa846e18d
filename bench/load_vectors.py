"""Benchmark: loading pretrained vectors — wordvec_nb's load_word2vec_format against gensim's, in the same run.

    python bench/load_vectors.py [--words 1000000] [--dim 100] [--repeats 2]

Generates (once, into bench/data/) a vector file of --words × --dim random float32 vectors in word2vec text format (as
fastText's .vec and, without the header line, GloVe's files) and in word2vec binary format (as GoogleNews-vectors), then
loads each with both libraries, each load in a fresh subprocess so that its peak memory (VmHWM, less the memory the
process held after its imports) is the load's own. Reports
the best wall time of --repeats loads, words per second, peak memory, and the ratio gensim / ours. Both loaders must
return the same words and vectors (checked on the last run). Prints a markdown table and writes
bench/results/load_vectors.md (and .json); a script, not a timed test.
"""
import argparse, json, subprocess, sys
from pathlib import Path
import numpy as np
from common import header

HERE = Path(__file__).parent
DATA, RESULTS = HERE/'data', HERE/'results'

def make_files(V: int, N: int) -> dict[str, Path]:
    "word2vec text and binary files of V random words × N dims (made once; seeded)."
    DATA.mkdir(parents=True, exist_ok=True)
    paths = {'text': DATA/f'random-{V}x{N}.vec', 'binary': DATA/f'random-{V}x{N}.bin'}
    if all(p.exists() for p in paths.values()): return paths
    rng = np.random.default_rng(0)
    words = [f'w{i}_{chr(97 + i % 26)}' for i in range(V)]
    X = rng.normal(0, 0.3, (V, N)).astype(np.float32)
    with open(paths['text'], 'w', encoding='utf-8') as f:
        f.write(f'{V} {N}\n')
        for s in range(0, V, 100_000):
            block = np.char.mod('%.6f', X[s:s + 100_000])
            f.write(''.join(w + ' ' + ' '.join(row) + '\n' for w, row in zip(words[s:s + 100_000], block)))
    with open(paths['binary'], 'wb') as f:
        f.write(f'{V} {N}\n'.encode())
        for w, row in zip(words, X): f.write(w.encode() + b' ' + row.tobytes() + b'\n')
    return paths

CHILD = r'''
import sys, time, numpy as np
lib, path, binary = sys.argv[1], sys.argv[2], sys.argv[3] == '1'
rss = lambda: next(int(l.split()[1]) for l in open('/proc/self/status') if l.startswith('VmRSS'))    # kB
if lib == 'ours':
    from wordvec_nb.vectors import load_word2vec_format
    base, t0 = rss(), time.perf_counter()
    wv = load_word2vec_format(path, binary=binary, progress=False)
    secs = time.perf_counter() - t0
    words, X = wv.index_to_key, wv.vectors
else:
    from gensim.models import KeyedVectors
    base, t0 = rss(), time.perf_counter()
    kv = KeyedVectors.load_word2vec_format(path, binary=binary)
    secs = time.perf_counter() - t0
    words, X = kv.index_to_key, kv.vectors
np.save(sys.argv[4], X[::997]); open(sys.argv[4] + '.words', 'w').write('\n'.join(words[::997]))
hwm = next(int(l.split()[1]) for l in open('/proc/self/status') if l.startswith('VmHWM'))   # this process's peak (kB)
print(secs, hwm - base, X.dtype, X.shape[0])
'''

def load_once(lib: str, path: Path, binary: bool) -> dict:
    out = DATA/f'check-{lib}-{int(binary)}.npy'
    r = subprocess.run([sys.executable, '-c', CHILD, lib, str(path), '1' if binary else '0', str(out)],
                       capture_output=True, text=True)
    if r.returncode: sys.exit(f'{lib} failed on {path}:\n{r.stderr[-2000:]}')
    secs, rss, dtype, n = r.stdout.split()[-4:]
    return {'seconds': float(secs), 'peak_mb': int(rss) / 1024, 'dtype': dtype, 'words': int(n), 'sample': out}

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--words', type=int, default=1_000_000); ap.add_argument('--dim', type=int, default=100)
    ap.add_argument('--repeats', type=int, default=2)
    args = ap.parse_args(argv)
    paths = make_files(args.words, args.dim)
    rows = []
    for fmt, path in paths.items():
        binary = fmt == 'binary'
        res = {lib: min((load_once(lib, path, binary) for _ in range(args.repeats)),
                        key=lambda r: r['seconds']) for lib in ('ours', 'gensim')}
        a, b = np.load(res['ours']['sample']), np.load(res['gensim']['sample'])
        same_words = (
            Path(str(res['ours']['sample']) + '.words').read_text()
            == Path(str(res['gensim']['sample']) + '.words').read_text()
        )
        if not (same_words and np.array_equal(a, b) and res['ours']['words'] == res['gensim']['words'] == args.words):
            sys.exit(f'{fmt}: the two loaders disagree')
        rows.append({'format': fmt, 'file_mb': path.stat().st_size / 2**20, **{f'{lib}_{k}': v for lib in res for k,
                                                                               v in res[lib].items() if k != 'sample'}})
    lines = [
        *header(f'Loading {args.words:,} × {args.dim} vectors: wordvec_nb vs gensim (same run)'),
        '',
        f'best of {args.repeats} loads, each in a fresh process; `python bench/load_vectors.py --words {args.words} '
        f'--dim {args.dim} --repeats {args.repeats}`',
        '',
        '| format | file | ours s | gensim s | gensim / ours | ours words/s | ours peak MB* | gensim peak MB* |',
        '|---|---:|---:|---:|---:|---:|---:|---:|',
    ]
    for r in rows:
        lines.append(
            f"| {r['format']} | {r['file_mb']:,.0f} MB | {r['ours_seconds']:.2f} | {r['gensim_seconds']:.2f} | "
            f"{r['gensim_seconds'] / r['ours_seconds']:.2f}× | {args.words / r['ours_seconds']:,.0f} | "
            f"{r['ours_peak_mb']:,.0f} | {r['gensim_peak_mb']:,.0f} |"
        )
    lines += [
        '',
        f'Both return float32 arrays of {args.words:,} × {args.dim} ({args.words * args.dim * 4 / 2**20:,.0f} MB) '
        'with the same words and bits (checked on every 997th row). *Peak memory of the load: the high-water mark '
        'of the process less what it held after importing the library.',
    ]
    text = '\n'.join(lines); print(text)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS/'load_vectors.md').write_text(text + '\n')
    (RESULTS/'load_vectors.json').write_text(json.dumps(rows, indent=1, default=str))

if __name__ == '__main__': main()
