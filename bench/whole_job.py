"""Benchmark: the whole job a user waits for — a fresh process that reads a text file, trains and writes the vectors —
for wordvec_nb's `wordvec` command against gensim 4.4 in its fastest mode (`corpus_file`), on the same file and
settings, each in its own process, timed the same way from outside (wall clock of the process, peak memory from
`/usr/bin/time`).

    python bench/whole_job.py [--zip ../shared/data/text8-head12M.zip] [--rounds 3] [--jobs sg cbow] [--epochs 5]

The corpus is text8-head12M cut into lines of 1,000 words (gensim's `corpus_file` reads one sentence per line; ours
reads the same file). Settings: vector_size 100, window 5, negative 5, sample 1e-3, min_count 5, 2 threads, each
library's default learning rate; vectors written in word2vec binary format. Rounds alternate the two libraries (ours,
gensim, ours, gensim, …); the first row of each job is ours with an empty numba cache (NUMBA_CACHE_DIR pointing to a new
folder): what the first run after installing costs. Our own log line gives the training-only seconds beside the whole
job, and a last fresh process per job times its phases (imports, reading and encoding, loading the compiled kernels,
training, writing) and its peak memory after the imports. Prints a markdown table; this is a script, not a timed test.
"""
import argparse, os, re, statistics, subprocess, sys, tempfile
from pathlib import Path
from common import DEFAULT_ZIP, corpus, header

SETTINGS = dict(vector_size=100, window=5, negative=5, sample=1e-3, min_count=5, workers=2)
ARCH = {'sg': 1, 'cbow': 0}

GENSIM = """
import sys
from gensim.models import Word2Vec
text, out, sg, epochs = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
m = Word2Vec(corpus_file=text, sg=sg, epochs=epochs, {settings})
m.wv.save_word2vec_format(out, binary=True)
"""

PHASES = """
import sys, time; t0 = time.perf_counter()
from wordvec_nb.word2vec import Word2Vec
from wordvec_nb.data import TextCorpus
t1 = time.perf_counter()
import resource; imported_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
m = Word2Vec(sg=int(sys.argv[2]), epochs=int(sys.argv[3]), progress=False, {settings})
m.build_vocab(TextCorpus(sys.argv[1]))
t2 = time.perf_counter()
m.train()
t3 = time.perf_counter()
m.wv.save_word2vec_format(sys.argv[4], binary=True)
t4 = time.perf_counter()
load = t3 - t2 - m.train_seconds
print(f"imports {{t1 - t0:.2f}} s, reading + vocabulary + encoding {{t2 - t1:.2f}} s "
      f"({{int(sys.argv[5]) / (t2 - t1) / 1e6:.1f}} MB/s), loading the compiled kernels {{load:.2f}} s, training "
      f"{{m.train_seconds:.2f}} s, writing {{t4 - t3:.2f}} s; peak memory {{imported_mb:.0f}} MB after the imports, "
      f"{{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f}} MB at the end")
"""

def lines_of(text: Path, words: int = 1000) -> Path:
    "text8-head12M as lines of `words` words (made once, beside it)."
    out = text.with_name(f'{text.name}.lines{words}')
    if not out.exists():
        tokens = text.read_text().split()
        out.write_text('\n'.join(' '.join(tokens[i:i + words]) for i in range(0, len(tokens), words)) + '\n')
    return out

def timed(cmd: list[str], env=None) -> tuple[float, float, str]:
    "(wall seconds, peak resident MB, stdout) of `cmd` in a fresh process, measured by /usr/bin/time."
    with tempfile.NamedTemporaryFile('r', suffix='.time') as t:
        r = subprocess.run(['/usr/bin/time', '-f', '%e %M', '-o', t.name, *cmd], capture_output=True, text=True,
                           env={**os.environ, **(env or {})})
        if r.returncode: sys.exit(f"{' '.join(cmd)[:300]} failed:\n{r.stderr[-3000:]}")
        seconds, kb = t.read().split()[-2:]
    return float(seconds), int(kb) / 1024, r.stdout

def ours(text: Path, out: Path, job: str, epochs: int, env=None) -> dict:
    args = [sys.executable, '-m', 'wordvec_nb.cli', 'train', str(text), '-o', str(out), '--quiet', '--epochs',
            str(epochs), *([] if job == 'sg' else ['--cbow'])]
    for k, v in SETTINGS.items(): args += [f"--{k.replace('_', '-')}", str(v)]
    seconds, mb, stdout = timed(args, env)
    speed = re.search(r'; ([\d,]+) words/s', stdout)
    words = re.search(r'read ([\d,]+) words', stdout)
    train = (epochs * int(words.group(1).replace(',', '')) / int(speed.group(1).replace(',', ''))
             if speed and words else float('nan'))
    return {'seconds': seconds, 'mb': mb, 'train': train}

def theirs(text: Path, out: Path, job: str, epochs: int) -> dict:
    script = GENSIM.format(settings=', '.join(f'{k}={v!r}' for k, v in SETTINGS.items()))
    seconds, mb, _ = timed([sys.executable, '-c', script, str(text), str(out), str(ARCH[job]), str(epochs)])
    return {'seconds': seconds, 'mb': mb, 'train': float('nan')}

def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--zip', type=Path, default=DEFAULT_ZIP)
    ap.add_argument('--rounds', type=int, default=3)
    ap.add_argument('--jobs', nargs='+', default=['sg', 'cbow'], choices=list(ARCH))
    ap.add_argument('--epochs', type=int, default=5)
    args = ap.parse_args()
    text = lines_of(corpus(args.zip))
    lines = header('whole job: text file → word2vec binary vectors, each run a fresh process',
                   corpus=f'{text.name} ({text.stat().st_size / 1e6:.1f} MB)', epochs=args.epochs, rounds=args.rounds,
                   settings=SETTINGS)
    print('\n'.join(lines), flush=True)
    rows = ['', '| job | ours, first run (empty numba cache) | ours, warm cache | ours, training only | gensim '
            '`corpus_file` | whole job ours / gensim (warm) | first run ours / gensim | peak MB ours / gensim |',
            '|---|---|---|---|---|---|---|---|']
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for job in args.jobs:
            cold = ours(text, tmp/'cold.bin', job, args.epochs, env={'NUMBA_CACHE_DIR': str(tmp/f'cache-{job}')})
            runs = {'ours': [], 'gensim': []}
            for r in range(args.rounds):                   # interleaved: ours, gensim, ours, gensim, …
                runs['ours'].append(ours(text, tmp/'ours.bin', job, args.epochs))
                runs['gensim'].append(theirs(text, tmp/'gensim.bin', job, args.epochs))
                print(f"{job} round {r + 1}: ours {runs['ours'][-1]}, gensim {runs['gensim'][-1]}", flush=True)
            med = {k: {m: statistics.median(x[m] for x in v) for m in ('seconds', 'mb', 'train')} for k, v in
                   runs.items()}
            spread = {k: max(x['seconds'] for x in v) - min(x['seconds'] for x in v) for k, v in runs.items()}
            o, g = med['ours'], med['gensim']
            rows.append(f"| {job} NEG | {cold['seconds']:.1f} s | {o['seconds']:.1f} s (±{spread['ours'] / 2:.1f}) | "
                        f"{o['train']:.1f} s | {g['seconds']:.1f} s (±{spread['gensim'] / 2:.1f}) | "
                        f"{g['seconds'] / o['seconds']:.2f}× | {g['seconds'] / cold['seconds']:.2f}× | "
                        f"{o['mb']:.0f} / {g['mb']:.0f} |")
        phases = []
        for job in args.jobs:
            script = PHASES.format(settings=', '.join(f'{k}={v!r}' for k, v in SETTINGS.items()))
            r = subprocess.run([sys.executable, '-c', script, str(text), str(ARCH[job]), str(args.epochs),
                                str(tmp/'phases.bin'), str(text.stat().st_size)], capture_output=True, text=True)
            if r.returncode: sys.exit(r.stderr[-3000:])
            phases.append(f"- {job} NEG, where our whole job goes (one fresh process): {r.stdout.strip()}")
    print('\n'.join(rows))
    print(f"\nmedians of {args.rounds} interleaved rounds (± half the range); ratios > 1: ours faster\n")
    print('\n'.join(phases))

if __name__ == '__main__': main()
