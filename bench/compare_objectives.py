"""Every objective on one corpus: softmax, hierarchical softmax, NCE and NEG (skip-gram and CBOW), beside gensim's NEG
and HS.

    python bench/compare_objectives.py --out bench/results/compare_objectives.md \
        --curves bench/results/compare_objectives_curves.json [--zip ../shared/data/text8-head12M.zip] [--epochs 5]

All runs use the same corpus and settings (vector_size 100, window 5, sample 1e-3, min_count 5, negative 5, 2 threads,
seed 1, each library's default learning rate). The full softmax costs O(V) per pair, which on a CPU makes a
71k-word run take hours; it therefore runs on a restricted problem — the `--softmax-vocab` most frequent words and
`--softmax-epochs` epochs — and NEG is run on exactly that problem too, so the softmax row has a like-for-like partner.
Quality by gensim's own evaluation functions (analogies restrict_vocab=30000, WordSim-353, SimLex-999 Spearman).
Skip-gram NEG runs twice: with the CPU kernel's default (negatives shared by a window) and with one draw per pair
(`shared_negatives=False`, word2vec.c's rule). A run the trainer stops as diverged is a row that says so.

With --paths it runs only NEG on the batched PyTorch path (`backend='torch'`, the path NCE and the full softmax take),
on the full problem for skip-gram and CBOW and on the softmax's restricted problem for skip-gram: NCE and NEG, and the
softmax and NEG, then differ in the objective alone, and NEG on its two paths shows what the path changes.

    python bench/compare_objectives.py --paths --out bench/results/compare_objectives_paths.md
Prints a markdown table (and writes it to --out, atomically, once every run has finished) and, with --curves, writes
the per-epoch losses as JSON. A script, not a timed test.
"""
import argparse, json, os, sys
from pathlib import Path
import gensim
from gensim.models import Word2Vec as GensimWord2Vec
sys.path.insert(0, str(Path(__file__).parent))
from common import DEFAULT_ZIP, header, corpus, keyed, quality
from wordvec_nb.data import read_sentences
from wordvec_nb.word2vec import Word2Vec

SETTINGS = dict(vector_size=100, window=5, sample=1e-3, min_count=5, negative=5)

def run_ours(sentences, loss, sg, epochs, max_vocab=None, **extra):
    try:
        m = Word2Vec(sentences, sg=sg, loss=loss, epochs=epochs, max_vocab=max_vocab, seed=1, workers=2, progress=False,
                     **SETTINGS, **extra)
    except FloatingPointError as e:                      # the trainer's divergence guard stopped it: a result too
        return {'diverged': str(e).split(';')[0]}
    return {'seconds': m.train_seconds, 'path': m.backend, 'V': len(m.vocab), 'losses': m.losses,
            **quality(keyed(m.vocab.index_to_key, m.W_in.cpu().numpy()))}

def run_gensim(sentences, loss, sg, epochs):
    extra = {'hs': 1, 'negative': 0} if loss == 'hs' else {}
    m = GensimWord2Vec(sentences, sg=sg, epochs=epochs, seed=1, workers=2, **{**SETTINGS, **extra})
    return {'seconds': m.total_train_time, 'path': 'gensim', 'V': len(m.wv), 'losses': None, **quality(m.wv)}

def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--zip', type=Path, default=DEFAULT_ZIP)
    ap.add_argument('--epochs', type=int, default=5)
    ap.add_argument('--softmax-vocab', type=int, default=2000)
    ap.add_argument('--softmax-epochs', type=int, default=1)
    ap.add_argument('--curves', type=Path, help='write per-epoch losses here (JSON)')
    ap.add_argument('--out', type=Path, help='also write the printed table here (markdown)')
    ap.add_argument('--paths', action='store_true', help="only NEG on the batched PyTorch path (backend='torch')")
    args = ap.parse_args()
    sentences = list(read_sentences(corpus(args.zip)))
    n_words = sum(map(len, sentences))
    out = header('NEG on the batched PyTorch path, text8-head12M' if args.paths else 'every objective on text8-head12M',
                 gensim=gensim.__version__)
    out.append(f"corpus: {n_words:,} words; settings {SETTINGS}, 2 threads, seed 1; {args.epochs} epochs "
          f"(softmax problem: {args.softmax_vocab:,} words, {args.softmax_epochs} epoch)\n")
    print('\n'.join(out), flush=True)
    rows = []
    for sg in (1, 0):
        if args.paths:
            plan = [('wordvec_nb neg (torch path)',
                     lambda: run_ours(sentences, 'neg', sg, args.epochs, backend='torch'))]
            if sg: plan.append((f'wordvec_nb neg (torch path, V={args.softmax_vocab:,}, {args.softmax_epochs} ep.)',
                                lambda: run_ours(sentences, 'neg', sg, args.softmax_epochs, args.softmax_vocab,
                                                 backend='torch')))
            for name, run in plan:
                r = run(); rows.append((sg, name, r))
            continue
        plan = [(f'wordvec_nb {loss}', lambda loss=loss: run_ours(sentences, loss, sg, args.epochs)) for loss in ('hs',
                'nce', 'neg')]
        if sg: plan.append(('wordvec_nb neg (per pair)', lambda: run_ours(sentences, 'neg', sg, args.epochs,
                                                                          shared_negatives=False)))
        plan += [(f'gensim {loss}', lambda loss=loss: run_gensim(sentences, loss, sg, args.epochs)) for loss in ('hs',
                'neg')]
        plan += [(f'wordvec_nb {loss} (V={args.softmax_vocab:,}, {args.softmax_epochs} ep.)',
                  lambda loss=loss: run_ours(sentences, loss, sg, args.softmax_epochs,
                                             args.softmax_vocab)) for loss in ('softmax', 'neg')]
        for name, run in plan:
            r = run(); rows.append((sg, name, r))
            print(f"  done: {'skip-gram' if sg else 'CBOW'} {name}: {r.get('seconds', float('nan')):.0f} s",
                  file=sys.stderr, flush=True)
    table = ["| model | objective | path | V | train s | words/s | analogy (30k) | WS-353 ρ | SimLex-999 ρ |",
             "|---|---|---|---|---|---|---|---|---|"]
    for sg, name, r in rows:
        epochs = args.softmax_epochs if 'V=' in name else args.epochs
        if 'diverged' in r:
            table.append(f"| {'skip-gram' if sg else 'CBOW'} | {name} | stopped: {r['diverged']} | | | | | | |")
            continue
        table.append(
            f"| {'skip-gram' if sg else 'CBOW'} | {name} | {r['path']} | {r['V']:,} | {r['seconds']:.1f} | "
            f"{n_words * epochs / r['seconds']:,.0f} | {100 * r['analogy']:.1f}% | "
            f"{r['ws353']:.3f} | {r['simlex']:.3f} |"
        )
    print('\n'.join(table))
    if args.out:
        tmp = args.out.with_name(args.out.name + '.tmp')
        tmp.write_text('\n'.join(out + table) + '\n'); os.replace(tmp, args.out)
    if args.curves:
        args.curves.write_text(json.dumps([{'sg': sg, 'name': name, 'losses': r['losses']} for sg, name,
                                           r in rows if r.get('losses')], indent=1))

if __name__ == '__main__': main()
