"""Benchmark: small jobs, as a new user first tries the library — a fresh process that reads 3 MB of text, trains 2
epochs and writes the vectors — for wordvec_nb's `wordvec` command against gensim 4.4 (`corpus_file`, its fastest
mode), per model: skip-gram NEG, CBOW NEG and fastText skip-gram (n-grams 3–6, 2M buckets, both libraries'
defaults). On a small corpus the fixed costs decide: importing the libraries, loading (or compiling) the kernels,
preparing the n-gram table.

    python bench/small_jobs.py [--zip ../shared/data/text8-head12M.zip] [--megabytes 3] [--rounds 3]

The text is the first whole 1,000-word lines of text8-head12M up to --megabytes. Settings as in whole_job.py
(vector_size 100, window 5, negative 5, sample 1e-3, min_count 5, 2 threads) with 2 epochs. Each run is a fresh
process timed from outside (wall clock and peak memory by `/usr/bin/time`); ours and gensim alternate over the rounds,
after one untimed run of ours that fills the compile cache. Prints a markdown table; a script, not a timed test.
"""
import argparse, statistics, sys, tempfile
from pathlib import Path
from common import DEFAULT_ZIP, corpus, header
from whole_job import SETTINGS, lines_of, timed

JOBS = {'sg NEG': ('train', 'sg', 'Word2Vec'), 'CBOW NEG': ('train', 'cbow', 'Word2Vec'),
        'fastText sg': ('fasttext', 'sg', 'FastText')}

GENSIM = """
import sys
from gensim.models import {cls}
m = {cls}(corpus_file=sys.argv[1], sg={sg}, epochs={epochs}, {settings})
m.wv.save_word2vec_format(sys.argv[2], binary=True)
"""

def head_of(text: Path, megabytes: float) -> Path:
    "The first whole lines of `text` up to `megabytes` MB (made once, beside it)."
    out = text.with_name(f'{text.name}.head{megabytes:g}MB')
    if not out.exists():
        keep, size = [], 0
        for line in text.read_text().splitlines(keepends=True):
            if size + len(line) > megabytes * 1e6: break
            keep.append(line); size += len(line)
        out.write_text(''.join(keep))
    return out

def ours(text: Path, out: Path, job: str, epochs: int) -> tuple[float, float]:
    command, arch, _ = JOBS[job]
    args = [sys.executable, '-m', 'wordvec_nb.cli', command, str(text), '-o', str(out), '--quiet', '--epochs',
            str(epochs), '--cbow' if arch == 'cbow' else '--sg']
    for k, v in SETTINGS.items(): args += [f"--{k.replace('_', '-')}", str(v)]
    seconds, mb, _ = timed(args)
    return seconds, mb

def theirs(text: Path, out: Path, job: str, epochs: int) -> tuple[float, float]:
    _, arch, cls = JOBS[job]
    script = GENSIM.format(cls=cls, sg=int(arch == 'sg'), epochs=epochs,
                           settings=', '.join(f'{k}={v!r}' for k, v in SETTINGS.items()))
    seconds, mb, _ = timed([sys.executable, '-c', script, str(text), str(out)])
    return seconds, mb

def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--zip', type=Path, default=DEFAULT_ZIP)
    ap.add_argument('--megabytes', type=float, default=3.0)
    ap.add_argument('--rounds', type=int, default=3)
    ap.add_argument('--epochs', type=int, default=2)
    ap.add_argument('--jobs', nargs='+', default=list(JOBS), choices=list(JOBS))
    args = ap.parse_args()
    text = head_of(lines_of(corpus(args.zip)), args.megabytes)
    print('\n'.join(header('small jobs: text file → word2vec binary vectors, each run a fresh process',
                           corpus=f'{text.name} ({text.stat().st_size / 1e6:.1f} MB)', epochs=args.epochs,
                           rounds=args.rounds, settings=SETTINGS)), flush=True)
    rows = ['', '| job | ours (whole job) | gensim `corpus_file` | gensim time / ours | peak MB ours / gensim |',
            '|---|---|---|---|---|']
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for job in args.jobs:
            ours(text, tmp/'warm.bin', job, args.epochs)                # fills the compile cache, untimed
            runs = {'ours': [], 'gensim': []}
            for r in range(args.rounds):                                # interleaved: ours, gensim, ours, …
                runs['ours'].append(ours(text, tmp/'ours.bin', job, args.epochs))
                runs['gensim'].append(theirs(text, tmp/'gensim.bin', job, args.epochs))
                print(f"{job} round {r + 1}: ours {runs['ours'][-1]}, gensim {runs['gensim'][-1]}", flush=True)
            (o, om), (g, gm) = ((statistics.median(s for s, _ in v), statistics.median(m for _, m in v))
                                for v in (runs['ours'], runs['gensim']))
            spread = {k: (max(s for s, _ in v) - min(s for s, _ in v)) / 2 for k, v in runs.items()}
            rows.append(f"| {job} | {o:.1f} s (±{spread['ours']:.1f}) | {g:.1f} s (±{spread['gensim']:.1f}) | "
                        f"{g / o:.2f}× | {om:.0f} / {gm:.0f} |")
    print('\n'.join(rows))
    print(f"\nmedians of {args.rounds} interleaved rounds (± half the range); ratios > 1: ours faster")

if __name__ == '__main__': main()
