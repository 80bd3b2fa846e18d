"""What gensim's hs=1 with negative > 0 (both output layers at once) costs here, on the compiled kernel (word2vec.c's
rule: per (context, centre) pair, both layers' gradients summed before the input row moves). Skip-gram on the embedded
King James Bible (789,668 words), vector_size 100, window 5, 2 epochs, 2 workers; each configuration in a fresh process
(the whole job: corpus → trained model, including the vocabulary), in turn, --repeats times; gensim 4.4 beside it in
the same run, and our hs=1, negative=0 (the hierarchical softmax alone) for scale.

    python bench/both_layers.py [--repeats 2]

Prints a table and writes bench/results/both_layers.md; a script, not a timed test.
"""
import argparse, subprocess, sys, time
from pathlib import Path
from common import header

HERE = Path(__file__).parent
RUNS = {
    'gensim 4.4, hs=1, negative=5': "from gensim.models import Word2Vec\n"
                                    "m = Word2Vec(s, sg=1, hs=1, negative=5, vector_size=100, epochs=2, workers=2)",
    'wordvec_nb, hs=1, negative=5 (compiled kernel)': "from wordvec_nb.word2vec import Word2Vec\n"
                                                   "m = Word2Vec(s, sg=1, hs=1, negative=5, vector_size=100, epochs=2, "
                                                   "workers=2, progress=False)",
    'wordvec_nb, hs=1, negative=0 (HS alone)': "from wordvec_nb.word2vec import Word2Vec\n"
                                                      "m = Word2Vec(s, sg=1, hs=1, negative=0, vector_size=100, "
                                                      "epochs=2, workers=2, progress=False)",
}
PROGRAM = """import time
from wordvec_nb.data import embedded_corpus
s = list(embedded_corpus())
start = time.perf_counter()
{train}
print(time.perf_counter() - start, sum(map(len, s)))
"""

def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--repeats', type=int, default=2)
    args = ap.parse_args()
    seconds, walls = {name: [] for name in RUNS}, {name: [] for name in RUNS}
    for _ in range(args.repeats):
        for name, train in RUNS.items():
            start = time.perf_counter()
            out = subprocess.run([sys.executable, '-c', PROGRAM.format(train=train)], capture_output=True, text=True,
                                 check=True).stdout.split()
            walls[name].append(time.perf_counter() - start)
            seconds[name].append(float(out[0])); words = int(out[1])
    base = min(seconds['gensim 4.4, hs=1, negative=5'])
    lines = header('Both output layers at once (hs=1, negative=5) against gensim', corpus='King James Bible',
                   repeats=args.repeats)
    lines += ['', '| configuration | whole process, s | training, s | words/s (training) | × gensim (training) |',
              '|---|---|---|---|---|']
    for name, secs in seconds.items():
        lines.append(f'| {name} | {min(walls[name]):.1f} | {min(secs):.1f} | {2 * words / min(secs):,.0f} | '
                     f'{base / min(secs):.2f}× |')
    text = '\n'.join(lines) + '\n'
    print(text)
    (HERE/'results'/'both_layers.md').write_text(text)

if __name__ == '__main__': main()
