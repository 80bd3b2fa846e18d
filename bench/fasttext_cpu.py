"""Benchmark: wordvec_nb's FastText against gensim 4.4's FastText on the same corpus, settings, threads and machine.

    python bench/fasttext_cpu.py [--zip ../shared/data/text8-head12M.zip] [--seeds 1 2 3] [--archs sg cbow] [--bucket
    2000000]

Settings: vector_size 100, window 5, negative 5, sample 1e-3, min_count 5, min_n 3, max_n 6, bucket 2,000,000, 5 epochs,
2 threads, each library at its default learning rate (0.025 skip-gram; CBOW: ours 0.05 as word2vec.c, gensim 0.025).
Speed is raw words/s = corpus words × epochs / training seconds (vocabulary and n-gram tables excluded for both).
Quality by gensim's own evaluation functions on both models' vocabulary vectors: analogy (questions-words.txt,
restrict_vocab=30000), WordSim-353 and SimLex-999 Spearman; mean ± std over the seeds. Then, for the first seed: the
word-pair sets split by frequency — pairs with a word below min_count (no vector in word2vec; both fastText models build
one from n-grams), pairs whose rarer word occurs fewer than 100 times, the rest — scored by Spearman for both fastText
models and for our Word2Vec trained with the same settings; and the nearest vocabulary words of words never seen in
training (misspellings and rare inflections), ours beside gensim's. Prints markdown; a script, not a timed test. --sweep
instead trains our FastText once per n-gram range and bucket count (first seed, first architecture) and reports words/s,
rows per word, the input table's size, analogy, WS-353, SimLex-999, Spearman on the word pairs with a word below
min_count, and the share of one-letter typos of the 2,000 most frequent words (length ≥ 6, typo never in the corpus)
whose word is among their 5 nearest.
"""
import argparse, statistics, sys
from collections import Counter
from pathlib import Path
import numpy as np
import gensim
from gensim.models import FastText as GensimFastText
from gensim.test.utils import datapath
from scipy.stats import spearmanr
from wordvec_nb.data import read_sentences
from wordvec_nb.fasttext import FastText
from wordvec_nb.word2vec import Word2Vec
from common import DEFAULT_ZIP, header, corpus, keyed, quality

SETTINGS = dict(vector_size=100, window=5, negative=5, sample=1e-3, min_count=5, epochs=5)
UNSEEN = ['kingdoms', 'philosophies', 'mathematicaly', 'computr', 'goverment', 'recieved', 'electrons', 'programing',
          'beautifull']

def read_pairs(name):
    pairs = []
    for line in open(datapath(name), encoding='utf8'):
        if line.startswith('#'): continue
        a, b, s = line.lower().split('\t')[:3]
        pairs.append((a, b, float(s)))
    return pairs

def pair_scores(sim, pairs):
    "Spearman of `sim(a, b)` (None: cannot answer) against the gold scores, and how many pairs it answered."
    got = [(sim(a, b), s) for a, b, s in pairs]
    got = [(x, s) for x, s in got if x is not None]
    return (spearmanr([x for x, _ in got], [s for _, s in got]).statistic if len(got) > 2 else float('nan')), len(got)

def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--zip', type=Path, default=DEFAULT_ZIP)
    ap.add_argument('--seeds', type=int, nargs='+', default=[1, 2, 3])
    ap.add_argument('--workers', type=int, default=2)
    ap.add_argument('--archs', nargs='+', default=['sg'], choices=['sg', 'cbow'])
    ap.add_argument('--bucket', type=int, default=2_000_000)
    ap.add_argument('--min-n', type=int, default=3)
    ap.add_argument('--max-n', type=int, default=6)
    ap.add_argument('--sweep', action='store_true',
                    help='n-gram ranges and bucket counts instead of the comparison with gensim')
    args = ap.parse_args()
    sentences = list(read_sentences(corpus(args.zip)))
    n_words = sum(map(len, sentences))
    counts = Counter(w for s in sentences for w in s)
    sub = dict(min_n=args.min_n, max_n=args.max_n, bucket=args.bucket)
    print('\n'.join(header('fastText benchmark', gensim=gensim.__version__, device='cpu')))
    print(
        f"corpus: text8-head12M, {n_words:,} words; settings {SETTINGS}, {sub}, workers "
        f"{args.workers}, seeds {args.seeds}\n"
    )
    if args.sweep: return sweep(sentences, n_words, counts, args)
    table = ["| model | implementation | words/s | × gensim | analogy (30k) | WS-353 ρ | SimLex-999 ρ |",
             "|---|---|---|---|---|---|---|"]
    fmt = lambda xs, p=3: f"{statistics.mean(xs):.{p}f} ± {statistics.stdev(xs) if len(xs) > 1 else 0:.{p}f}"
    first = {}
    for arch in args.archs:
        sg = int(arch == 'sg')
        res = {}
        for seed in args.seeds:
            m = FastText(sentences, sg=sg, seed=seed, workers=args.workers, progress=False, **SETTINGS, **sub)
            q = quality(keyed(m.vocab.index_to_key, m.wv.vectors))
            res.setdefault('wordvec_nb', []).append((n_words * SETTINGS['epochs'] / m.train_seconds, q))
            print(f"  ours {arch} seed {seed}: {res['wordvec_nb'][-1][0]:,.0f} words/s {q}", file=sys.stderr,
                  flush=True)
            g = GensimFastText(sentences, sg=sg, seed=seed, workers=args.workers, **SETTINGS, **sub)
            gq = quality(g.wv)
            res.setdefault('gensim', []).append((n_words * SETTINGS['epochs'] / g.total_train_time, gq))
            print(f"  gensim {arch} seed {seed}: {res['gensim'][-1][0]:,.0f} words/s {gq}", file=sys.stderr, flush=True)
            if seed == args.seeds[0]: first[arch] = (m, g)
            else: del m, g
        base = statistics.mean(s for s, _ in res['gensim'])
        for name, runs in res.items():
            speed = statistics.mean(s for s, _ in runs)
            label = 'wordvec_nb FastText (numba/cpu)' if name == 'wordvec_nb' else 'gensim 4.4 FastText'
            table.append(
                f"| {'skip-gram' if sg else 'CBOW'} | {label} | {speed:,.0f} | {speed / base:.2f}× | "
                f"{fmt([100 * q['analogy'] for _, q in runs], 1)}% | {fmt([q['ws353'] for _, q in runs])} | "
                f"{fmt([q['simlex'] for _, q in runs])} |"
            )
    print('\n'.join(table))
    ours, theirs = first[args.archs[0]]
    w2v = Word2Vec(sentences, sg=int(args.archs[0] == 'sg'), seed=args.seeds[0], workers=args.workers, progress=False,
                   **SETTINGS)
    wv, gv, v2 = ours.wv, theirs.wv, w2v.wv
    print(f"\nWord pairs by frequency ({args.archs[0]}, seed {args.seeds[0]}; our Word2Vec with the same settings, "
          f"{w2v.words_per_second:,.0f} words/s): Spearman ρ (pairs answered)\n")
    print("| set | pairs | wordvec_nb FastText | gensim FastText | wordvec_nb Word2Vec |\n|---|---|---|---|---|")
    for name in ('wordsim353.tsv', 'simlex999.txt'):
        pairs = read_pairs(name)
        vocab = set(wv.index_to_key)
        groups = {
            'a word below min_count (unseen as a word)': [p for p in pairs if p[0] not in vocab or p[1] not in vocab],
            'rarer word seen 5–99 times': [
                p for p in pairs if p[0] in vocab and p[1] in vocab and min(counts[p[0]], counts[p[1]]) < 100
            ],
            'both seen 100 times or more': [
                p for p in pairs if p[0] in vocab and p[1] in vocab and min(counts[p[0]], counts[p[1]]) >= 100
            ],
        }
        for label, ps in groups.items():
            cells = []
            for vecs in (wv, gv, v2):
                def sim(a, b, vecs=vecs):
                    try: return float(vecs.similarity(a, b))
                    except KeyError: return None
                rho, n = pair_scores(sim, ps)
                cells.append(f"{rho:.3f} ({n})" if n > 2 else f"— ({n})")
            print(f"| {name.split('.')[0]}: {label} | {len(ps)} | " + ' | '.join(cells) + ' |')
    print(
        f"\nNearest vocabulary words of words not in the vocabulary ({args.archs[0]}, seed "
        f"{args.seeds[0]}; corpus count in brackets)\n"
    )
    print("| word | wordvec_nb FastText | gensim FastText |\n|---|---|---|")
    for w in UNSEEN:
        if w in wv: continue
        show = lambda pairs: ', '.join(f"{x} {s:.2f}" for x, s in pairs)
        print(f"| {w} ({counts.get(w, 0)}) | {show(wv.most_similar(w, topn=5))} | {show(gv.most_similar(w, topn=5))} |")

def oov_pairs_rho(wv) -> float:
    """Spearman on the WordSim-353 and SimLex-999 pairs (pooled, each set ranked separately then averaged) with a word
    outside the vocabulary."""
    rhos = []
    for name in ('wordsim353.tsv', 'simlex999.txt'):
        ps = [p for p in read_pairs(name) if p[0] not in wv or p[1] not in wv]
        rhos.append(pair_scores(lambda a, b: float(wv.similarity(a, b)), ps)[0])
    return rhos

def typos_of(words, counts, n=2000):
    """One-letter deletions (the middle letter) of the n most frequent words of length ≥ 6 that never occur in the
    corpus."""
    typos = {w: w[:len(w) // 2] + w[len(w) // 2 + 1:] for w in words[:n] if len(w) >= 6}
    return {w: t for w, t in typos.items() if t not in counts}

def sweep(sentences, n_words, counts, args):
    sg, seed = int(args.archs[0] == 'sg'), args.seeds[0]
    print(
        f"n-gram ranges and bucket counts ({args.archs[0]}, seed {seed}); typo: a frequent word "
        "with its middle letter deleted\n"
    )
    print(
        "| n | buckets | words/s | rows / word | input table (MiB) | analogy (30k) | WS-353 ρ | SimLex-999 ρ | ρ on "
        "pairs with an unseen word (WS / SimLex) | typos with their word in the top 5 |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for lo, hi, B in [(3, 6, 2_000_000), (3, 6, 200_000), (3, 6, 20_000), (2, 4, 2_000_000), (4, 6, 2_000_000)]:
        m = FastText(sentences, sg=sg, seed=seed, workers=args.workers, progress=False, min_n=lo, max_n=hi, bucket=B,
                     **SETTINGS)
        wv = m.wv
        q = quality(keyed(m.vocab.index_to_key, wv.vectors))
        typos = typos_of(m.vocab.index_to_key, counts)
        top5 = np.mean([int((wv.most_similar(t, topn=None) > wv.similarity(t, w)).sum()) < 5 for w, t in typos.items()])
        ws, sl = oov_pairs_rho(wv)
        print(
            f"| {lo}–{hi} | {B:,} | {m.words_per_second:,.0f} | {np.diff(m.sub_offsets).mean():.1f} | "
            f"{m.W_in.numel() * 4 / 2**20:,.0f} | "
            f"{100 * q['analogy']:.1f}% | {q['ws353']:.3f} | {q['simlex']:.3f} | {ws:.3f} / {sl:.3f} | "
            f"{top5:.0%} of {len(typos):,} |",
            flush=True,
        )

if __name__ == '__main__': main()
