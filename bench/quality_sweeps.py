"""Two rules of thumb from the sources, measured on text8-head12M and on its first fifth, plus how often word2vec.c's
saturated-node rule skips a confidently wrong node of hierarchical softmax.

    python bench/quality_sweeps.py [--zip ../shared/data/text8-head12M.zip] [--seeds 1 2] [--workers 2]

1. Negative samples k: Mikolov et al. (2013) advise k = 5–20 for small training sets and 2–5 for large ones.
   Skip-gram NEG with k in 2, 5, 10, 20 on both corpus sizes.
2. "CBOW is better for small datasets" (a belief Weng's post reports): skip-gram against CBOW, NEG k = 5, both sizes.
3. Skip-gram HS on the full corpus: `hs_saturation` (chapter "Training word2vec").
Settings otherwise the word2vec benchmark's: vector_size 100, window 5, sample 1e-3, min_count 5, 5 epochs, each
architecture at its default learning rate. Quality by gensim's evaluation functions (analogy restrict_vocab 30000,
WordSim-353, SimLex-999); mean ± std over the seeds. Writes bench/results/quality_sweeps.md (the table, as printed)
and quality_sweeps.json (every run).
"""
import argparse, json, statistics, sys
from pathlib import Path
import gensim
from wordvec_nb.data import read_sentences
from wordvec_nb.word2vec import Word2Vec, hs_saturation
from common import DEFAULT_ZIP, header, HERE, corpus, keyed, quality

SETTINGS = dict(vector_size=100, window=5, sample=1e-3, min_count=5, epochs=5)

def first_words(sentences, n):
    """The first `n` words of a corpus, as sentences (text8 is one long line, split into 10,000-word pieces by the
    reader)."""
    out, total = [], 0
    for s in sentences:
        if total >= n: break
        out.append(s[:n - total]); total += len(out[-1])
    return out

def run(sentences, seed, workers, **kw):
    m = Word2Vec(sentences, seed=seed, workers=workers, progress=False, **{**SETTINGS, **kw})
    return m, quality(keyed(m.vocab.index_to_key, m.W_in.numpy()))

def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--zip', type=Path, default=DEFAULT_ZIP)
    ap.add_argument('--seeds', type=int, nargs='+', default=[1, 2])
    ap.add_argument('--workers', type=int, default=2)
    ap.add_argument('--out', type=Path, default=HERE/'results'/'quality_sweeps')
    args = ap.parse_args()
    full = list(read_sentences(corpus(args.zip)))
    sizes = {'first 400k words': first_words(full, 400_000), 'all 2.05M words': full}
    lines = [
        *header('Quality sweeps', gensim=gensim.__version__),
        f"corpus: text8-head12M ({sum(map(len, full)):,} words) and its first 400,000 words; settings {SETTINGS}, "
        f"workers {args.workers}, seeds {args.seeds}",
        "",
    ]
    fmt = lambda xs, p=3: f"{statistics.mean(xs):.{p}f} ± {statistics.stdev(xs) if len(xs) > 1 else 0:.{p}f}"
    runs = []
    def sweep(title, configs):
        lines.extend([f"## {title}", "", "| corpus | model | analogy (30k) | WS-353 ρ | SimLex-999 ρ | words/s |",
                      "|---|---|---|---|---|---|"])
        for size, sents in sizes.items():
            for label, kw in configs:
                rs = []
                for seed in args.seeds:
                    m, q = run(sents, seed, args.workers, **kw)
                    rs.append({**q, 'speed': m.words_per_second}); runs.append({'sweep': title, 'corpus': size,
                                                                                'model': label, 'seed': seed, **rs[-1]})
                    print(f"  done: {size} {label} seed {seed}: {q}", file=sys.stderr)
                lines.append(
                    f"| {size} | {label} | {fmt([100 * r['analogy'] for r in rs], 1)}% | "
                    f"{fmt([r['ws353'] for r in rs])} | "
                    f"{fmt([r['simlex'] for r in rs])} | {statistics.mean(r['speed'] for r in rs):,.0f} |"
                )
        lines.append("")
    sweep('Negative samples k (skip-gram NEG)',
          [(f'skip-gram, k = {k}', dict(sg=1, negative=k)) for k in (2, 5, 10, 20)])
    sweep('Skip-gram or CBOW (NEG, k = 5)', [('skip-gram', dict(sg=1)), ('CBOW', dict(sg=0))])
    lines.extend(
        [
            "## Saturated nodes of hierarchical softmax (skip-gram HS, all 2.05M words)",
            "",
            "| seed | questions | saturated (abs(s) ≥ 6) | confidently wrong | their share of the loss | "
            "largest abs(s) | analogy (30k) |",
            "|---|---|---|---|---|---|---|",
        ]
    )
    for seed in args.seeds:
        m, q = run(full, seed, args.workers, sg=1, loss='hs')
        r = hs_saturation(m); runs.append({'sweep': 'hs_saturation', 'seed': seed, **r, **q})
        lines.append(f"| {seed} | {r['questions']:,} | {r['saturated']:.2%} | {r['confidently wrong']:.3%} | "
                     f"{r['loss share of the wrong ones']:.2%} | {r['largest |s|']:.1f} | {100 * q['analogy']:.1f}% |")
    text = '\n'.join(lines) + '\n'
    print(text)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.with_suffix('.md').write_text(text)
    args.out.with_suffix('.json').write_text(json.dumps(runs, indent=1))

if __name__ == '__main__': main()
