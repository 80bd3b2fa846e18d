"""GPU benchmark of the fused Triton kernels: speed against the plain-PyTorch path on the same GPU, quality on
text8-head12M.

    python bench/gpu.py [--zip ../shared/data/text8-head12M.zip] [--tile-words 17000000] [--out gpu]

    python bench/gpu.py --smoke                  # the same code on CPU under Triton's interpreter, a tiny corpus:
    checks the script

One command, one device call. Prints (and writes to bench/results/<out>.md) the GPU (nvidia-smi), torch and triton
versions, the device-to-device copy bandwidth, then for skip-gram NEG, CBOW NEG and skip-gram HS (dim 100 and 300) raw
words/s of 1 epoch on text8-head12M tiled to at least --tile-words (17M, text8's size, so that the GPU is busy) with
backend='triton' and backend='torch', the ratio, bytes moved per raw word against the copy bandwidth, and quality (5
epochs on text8-head12M: analogy restrict 30000, WordSim-353) next to gensim's CPU figures from
bench/results/word2vec_cpu*.md; and GloVe dim 100 (window 15, x_max 10): non-zeros/s per epoch with both paths and
quality after 15 epochs; last, skip-gram NEG, skip-gram HS and GloVe (dim 100) timed with 1, 2, 4 and 8 warps per
program, to check the compiler-based choice of kernels.NUM_WARPS. Every timed run follows a short untimed one that
compiles the kernels. Settings otherwise as bench/word2vec_cpu.py. A script, not a timed test. bench/gpu_device.sh runs
it, with the kernel tests on CUDA first, in one call of the device tool.
"""
import argparse, os, shutil, subprocess, sys, time, traceback
from pathlib import Path
if '--smoke' in sys.argv: os.environ.setdefault('TRITON_INTERPRET', '1')   # before triton is imported
import torch
from wordvec_nb.text import Vocab, keep_probability
from wordvec_nb.data import read_sentences
from wordvec_nb.data import encode_corpus
from wordvec_nb.word2vec import Word2Vec
from wordvec_nb.glove import GloVe, cooccurrence
from wordvec_nb import kernels
from wordvec_nb.kernels import bytes_per_center
from common import DEFAULT_ZIP, corpus, keyed, quality

HERE = Path(__file__).parent
W2V = dict(window=5, negative=5, sample=1e-3, min_count=5)
CONFIGS = [('skip-gram NEG', 1, 'neg', 100), ('CBOW NEG', 0, 'neg', 100), ('skip-gram HS', 1, 'hs', 100),
           ('skip-gram HS', 1, 'hs', 300)]

def model_on(vocab, enc, **kw) -> Word2Vec:
    "A Word2Vec on an already counted and encoded corpus (what build_vocab does, minus the counting)."
    return Word2Vec(**kw, progress=False).set_corpus(vocab, enc)

def copy_bandwidth(gib: float = 1.0, reps: int = 20) -> float:
    "Device-to-device copy bandwidth in GB/s (bytes read + bytes written)."
    a = torch.empty(int(gib * 2**30) // 4, device='cuda'); b = torch.empty_like(a)
    b.copy_(a); torch.cuda.synchronize()
    t = time.perf_counter()
    for _ in range(reps): b.copy_(a)
    torch.cuda.synchronize()
    return 2 * a.numel() * 4 * reps / (time.perf_counter() - t) / 1e9

def gensim_cpu() -> dict:
    "gensim's CPU figures (words/s, analogy, WS-353) from the committed CPU benchmark outputs."
    found = {}
    for name, loss in (('word2vec_cpu.md', 'neg'), ('word2vec_cpu_hs.md', 'hs')):
        f = HERE/'results'/name
        if not f.exists(): continue
        for line in f.read_text().splitlines():
            cols = [c.strip() for c in line.strip('|').split('|')]
            if len(cols) >= 6 and cols[1] == 'gensim 4.4':
                found[(cols[0], loss)] = (cols[2], cols[4], cols[5])
    return found

def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--zip', type=Path, default=DEFAULT_ZIP)
    ap.add_argument('--tile-words', type=int, default=17_000_000)
    ap.add_argument('--quality-epochs', type=int, default=5)
    ap.add_argument('--skip-torch', action='store_true', help='skip the plain-PyTorch speed runs')
    ap.add_argument('--warps', default='1,2,4,8',
                    help='warps per program to time for skip-gram NEG and GloVe (dim 100); empty: none')
    ap.add_argument(
        '--smoke',
        action='store_true',
        help="CPU, Triton's interpreter, the first --smoke-words words: checks the script, measures nothing",
    )
    ap.add_argument('--smoke-words', type=int, default=300)
    ap.add_argument('--out', default='gpu')
    args = ap.parse_args()
    if args.smoke: dev, args.tile_words, args.quality_epochs, args.warps = 'cpu', 2 * args.smoke_words, 1, '1,2'
    elif torch.cuda.is_available(): dev = 'cuda'
    else: sys.exit('bench/gpu.py needs a CUDA GPU (or --smoke to check the script on CPU)')
    import triton
    smi = subprocess.run(['nvidia-smi'], capture_output=True,
                         text=True).stdout if shutil.which('nvidia-smi') else '(nvidia-smi not found)'
    name = (
        torch.cuda.get_device_name()
        if dev == 'cuda'
        else "CPU, Triton's interpreter (smoke run: the numbers mean nothing)"
    )
    out = [f"# GPU benchmark — {time.strftime('%Y-%m-%d %H:%M')}", '', '```', smi.strip(), '```', '',
           f"device: {name}; torch {torch.__version__}; triton {triton.__version__}; python {sys.version.split()[0]}",
           f"warps per program (kernels.NUM_WARPS): {dict(kernels.NUM_WARPS)}"]
    bw = copy_bandwidth() if dev == 'cuda' else None
    out.append(f"device-to-device copy bandwidth: {bw:,.0f} GB/s (read + write)" if bw
               else 'device-to-device copy bandwidth: – (no GPU)')
    print('\n'.join(out), flush=True)
    dest = HERE/'results'/f'{args.out}.md' if not args.smoke else HERE.parent/'build'/f'{args.out}_smoke.md'
    dest.parent.mkdir(parents=True, exist_ok=True)
    sents = list(read_sentences(corpus(args.zip)))
    if args.smoke:
        head = [w for s in sents[:1 + args.smoke_words // 100] for w in s][:args.smoke_words]
        sents = [head[i:i + 100] for i in range(0, len(head), 100)]
    n_words = sum(map(len, sents))
    tiles = -(-args.tile_words // n_words)
    vocab = Vocab.build(sents, min_count=1 if args.smoke else W2V['min_count'])
    enc_small = encode_corpus(sents, vocab)
    enc_big = encode_corpus(sents * tiles, vocab)
    # a short run before each timed one: compiles the kernels
    enc_warm = encode_corpus(sents[:max(1, len(sents) // 20)], vocab)
    out.append(
        f"corpus: text8-head12M{' (smoke: its first words)' if args.smoke else ''}, {n_words:,} words; "
        f"speed runs on it tiled ×{tiles} = "
        f"{len(enc_big):,} in-vocabulary words, 1 epoch; quality runs on it once, "
        f"{args.quality_epochs} epochs; settings {W2V}"
    )
    print(out[-1], flush=True)
    ref = gensim_cpu()
    rows = [
        "| model | dim | triton words/s | torch words/s | triton / torch | bytes per raw word | % of copy bandwidth "
        "| analogy (30k) | WS-353 | gensim CPU words/s, analogy, WS-353 |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    sweep = ["| kernel (dim 100) | warps per program | words/s (GloVe: non-zeros/s) |", "|---|---|---|"]
    def save():
        dest.write_text('\n'.join(out) + '\n\n' + '\n'.join(rows) + '\n'
                        + ('\n' + '\n'.join(sweep) + '\n' if len(sweep) > 2 else ''))
    w2v = {k: v for k, v in W2V.items() if k != 'min_count'}
    keep = float((keep_probability(vocab.counts, W2V['sample']) * vocab.counts).sum() / vocab.counts.sum())
    def guarded(label: str, run):
        """One row's work; if it fails, the error goes into the table and the rest still runs (one device call is all
        there is)."""
        try: return run()
        except Exception as e:
            traceback.print_exc()
            rows.append(f"| {label} | failed: {type(e).__name__}: {str(e).splitlines()[0][:200] if str(e) else ''} |")
            save()

    def word2vec_row(name, sg, loss, dim):
        speeds = {}
        for backend in ('triton', 'torch'):
            if backend == 'torch' and args.skip_torch: continue
            # compile first
            model_on(vocab, enc_warm, sg=sg, loss=loss, vector_size=dim, epochs=1, device=dev, backend=backend,
                     **w2v).train()
            m = model_on(vocab, enc_big, sg=sg, loss=loss, vector_size=dim, epochs=1, device=dev, backend=backend,
                         **w2v).train()
            speeds[backend] = m.words_per_second
            print(f"  {name} {dim} {backend}: {m.words_per_second:,.0f} words/s", flush=True)
        q = model_on(vocab, enc_small, sg=sg, loss=loss, vector_size=dim, epochs=args.quality_epochs, device=dev,
                     backend='triton', **w2v).train()
        qq = quality(keyed(vocab.index_to_key, q.W_in.cpu().numpy())); analogy, ws = qq['analogy'], qq['ws353']
        # mean contexts per kept center (radius uniform in 1..5)
        c = 2 * 3.0 * keep
        path = float((vocab.counts * q.objective.tree.lengths).sum() / vocab.counts.sum()) if loss == 'hs' else None
        per_word = keep * bytes_per_center(dim, W2V['negative'], c, path)  # CBOW moves the same rows, once each
        g = ref.get(('skip-gram' if sg else 'CBOW', loss), ('–', '–', '–'))
        t, p = speeds.get('triton'), speeds.get('torch')
        rows.append(
            f"| {name} | {dim} | {t:,.0f} | {f'{p:,.0f}' if p else '–'} | "
            f"{f'{t / p:.1f}×' if p else '–'} | {per_word / 1e3:.1f} kB | "
            f"{f'{100 * t * per_word / (bw * 1e9):.0f}%' if bw else '–'} | {100 * analogy:.1f}% "
            f"| {ws:.3f} | {' / '.join(g)} |"
        )
        print(rows[-1], flush=True); save()

    def glove_row():
        gl = {}
        for backend in ('triton', 'torch'):
            if backend == 'torch' and args.skip_torch: continue
            make = lambda epochs: GloVe(vector_size=100, window=15, x_max=10, epochs=epochs, device=dev,
                                        backend=backend, progress=False).set_cooccurrence(cooc, vocab)
            make(1).train()                                            # compile first
            m = make((15 if backend == 'triton' else 2) if not args.smoke else 1).train(); gl[backend] = m
            print(f"  GloVe {backend}: {m.nnz_per_second:,.0f} non-zeros/s", flush=True)
        qq = quality(keyed(vocab.index_to_key, gl['triton'].vectors('sum'))); analogy, ws = qq['analogy'], qq['ws353']
        t, p = gl['triton'].nnz_per_second, gl.get('torch') and gl['torch'].nnz_per_second
        glove_bytes = 4 * 100 * 2 * 2 * 3 + 16                         # W and G rows of i and j: read + atomic add
        rows.append(
            f"| GloVe ({len(cooc):,} non-zeros; per non-zero) | 100 | {t:,.0f} | {f'{p:,.0f}' if p else '–'} | "
            f"{f'{t / p:.1f}×' if p else '–'} | "
            f"{glove_bytes / 1e3:.1f} kB | {f'{100 * t * glove_bytes / (bw * 1e9):.0f}%' if bw else '–'} | "
            f"{100 * analogy:.1f}% | {ws:.3f} | CPU numba: bench/results/glove_cpu.md |"
        )
        print(rows[-1], flush=True); save()

    def sweep_rows(w):
        with kernels.warps_per_program({('sg_neg', 128): w, ('sg_hs', 128): w, ('glove', 128): w}): sweep_with(w)

    def sweep_with(w):
        # compile first
        model_on(vocab, enc_warm, sg=1, loss='neg', vector_size=100, epochs=1, device=dev, backend='triton',
                 **w2v).train()
        m = model_on(vocab, enc_big, sg=1, loss='neg', vector_size=100, epochs=1, device=dev, backend='triton',
                     **w2v).train()
        sweep.append(
            "| skip-gram NEG | "
            f"{w}{' (default)' if default[('sg_neg', 128)] == w else ''} | {m.words_per_second:,.0f} |"
        )
        model_on(vocab, enc_warm, sg=1, loss='hs', vector_size=100, epochs=1, device=dev, backend='triton',
                 **w2v).train()
        h = model_on(vocab, enc_big, sg=1, loss='hs', vector_size=100, epochs=1, device=dev, backend='triton',
                     **w2v).train()
        sweep.append(
            f"| skip-gram HS | {w}{' (default)' if default[('sg_hs', 128)] == w else ''} | {h.words_per_second:,.0f} |"
        )
        GloVe(vector_size=100, window=15, x_max=10, epochs=1, device=dev, backend='triton',
              progress=False).set_cooccurrence(cooc, vocab).train()
        g = GloVe(vector_size=100, window=15, x_max=10, epochs=2, device=dev, backend='triton',
                  progress=False).set_cooccurrence(cooc, vocab).train()
        sweep.append(f"| GloVe | {w}{' (default)' if default[('glove', 128)] == w else ''} | {g.nnz_per_second:,.0f} |")
        print('\n'.join(sweep[-3:]), flush=True); save()

    for name, sg, loss, dim in CONFIGS: guarded(f'{name} {dim}', lambda: word2vec_row(name, sg, loss, dim))
    cooc = cooccurrence(enc_small, len(vocab), window=15)
    guarded('GloVe 100', glove_row)
    default = kernels.NUM_WARPS
    # is the compiler-based choice of warps the fastest?
    for w in [int(x) for x in args.warps.split(',') if x]:
        guarded(f'warps {w}', lambda: sweep_rows(w))
    print('\n' + '\n'.join(rows) + '\n\n' + '\n'.join(sweep) + f'\n\nwritten to {dest}')

if __name__ == '__main__': main()
