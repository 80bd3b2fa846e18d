"""FastText (chapter 12): n-grams and hashes against gensim's implementation of fastText's rules, the compiled window
rule against its PyTorch transcription, both training paths, unseen words, saving and loading, and bad input."""
import numpy as np
import pytest
import torch
from wordvec_nb.data import embedded_corpus
from wordvec_nb.cpu_kernels import bag_window
from wordvec_nb.fasttext import (FastText, FastTextVectors, bag_window_reference, char_ngrams, fnv1a, fnv1a_many,
                                 subword_table)
from wordvec_nb.word2vec import Word2Vec

gensim_inner = pytest.importorskip('gensim.models.fasttext_inner')

WORDS = ['where', 'café', 'naïve', 'a', '', '日本語', 'Ωμέγα', 'x' * 40, 'banana']

@pytest.mark.parametrize('lo,hi', [(3, 6), (1, 1), (1, 4), (2, 5), (6, 6)])
def test_ngrams_match_gensim(lo, hi):
    for w in WORDS:
        assert sorted(char_ngrams(w, lo, hi)) == sorted(g.decode() for g in gensim_inner.compute_ngrams_bytes(w, lo,
                hi)), w

def test_hash_matches_gensim_including_non_ascii():
    grams = [g for w in WORDS for g in char_ngrams(w, 1, 6)]
    want = [gensim_inner.ft_hash_bytes(g.encode()) for g in grams]
    assert [int(h) for h in fnv1a_many(grams)] == want
    assert [fnv1a(g.encode()) for g in grams] == want
    assert fnv1a('é'.encode()) != fnv1a(bytes([0xC3 & 0x7F, 0xA9 & 0x7F]))     # the signed-char reading matters

def test_subword_table_layout():
    offs, rows = subword_table(['where', 'banana', 'a'], 3, 6, 1000)
    assert list(np.diff(offs)) == [1 + len(char_ngrams(w)) for w in ['where', 'banana', 'a']]
    assert [rows[o] for o in offs[:-1]] == [0, 1, 2]
    assert all(3 <= r < 1003 for i, r in enumerate(rows) if i not in offs[:-1])
    # 'ana' and 'nan' twice: repeats kept
    assert len(rows[offs[1]:offs[2]]) - len(set(char_ngrams('banana'))) == 2

def test_kernel_window_equals_transcription():
    rng = np.random.default_rng(3)
    for _ in range(30):
        V, B, N, k = int(rng.integers(3, 9)), int(rng.integers(2, 12)), int(rng.integers(2, 9)), int(rng.integers(1, 5))
        W = (rng.normal(size=(V + B, N)) * 0.4).astype(np.float32); U = (rng.normal(size=(V,
                N)) * 0.4).astype(np.float32)
        bag, m = rng.integers(0, V + B, int(rng.integers(1, 9))), int(rng.integers(1, 8))
        tg = [list(rng.integers(0, V, int(rng.integers(1, k + 2)))) for _ in range(m)]
        T, nT = np.zeros((m, k + 1), np.int64), np.array([len(t) for t in tg])
        for p, t in enumerate(tg): T[p, :len(t)] = t
        W64, U64 = torch.tensor(W, dtype=torch.float64), torch.tensor(U, dtype=torch.float64)
        want = bag_window_reference(W64, U64, torch.as_tensor(bag), tg, 0.05)
        got = bag_window(W, U, bag.astype(np.int64), T, nT, 0.05, tuple(np.zeros(N, np.float32) for _ in range(3)))
        assert abs(got - want) < 1e-4 * max(1, abs(want))
        np.testing.assert_allclose(W, W64.numpy(), atol=1e-5); np.testing.assert_allclose(U, U64.numpy(), atol=1e-5)

@pytest.fixture(scope='module')
def verses():
    return [s for s in embedded_corpus('kjv')][:6000]

@pytest.fixture(scope='module')
def model(verses):
    return FastText(verses, bucket=20_000, vector_size=32, epochs=3, workers=2, seed=1, progress=False)

def test_trains_and_answers_unseen_words(model):
    assert model.backend == 'numba' and np.isfinite(model.losses).all() and model.losses[-1] < model.losses[0] + 0.2
    wv = model.wv
    assert isinstance(wv, FastTextVectors) and 'jerusalm' not in wv
    v = wv['jerusalm']
    rows = wv.ngram_rows('jerusalm')
    np.testing.assert_allclose(v, wv.vectors_ngrams[rows].mean(0), rtol=1e-6)
    assert [w for w, _ in wv.most_similar('jerusalm', topn=3)][0] == 'jerusalem'
    assert wv.similarity('jerusalm', 'jerusalem') > 0.5
    assert wv[['god', 'jerusalm']].shape == (2, 32)
    # a known word's vector is the mean of its own row and its n-gram rows
    i = wv.get_index('god')
    rows = model.sub_rows[model.sub_offsets[i]:model.sub_offsets[i + 1]]
    np.testing.assert_allclose(wv['god'], model.W_in[torch.as_tensor(rows)].mean(0).numpy(), rtol=1e-5, atol=1e-7)

def test_view_is_live_and_copy_is_not(model):
    wv, snap = model.wv, model.wv.copy()
    before = wv['jerusalm'].copy()
    model.W_in[len(model.vocab):] += 1.0                                           # n-gram rows moved
    try:
        assert not np.allclose(wv['jerusalm'], before) and np.allclose(snap['jerusalm'], before)
    finally:
        model.W_in[len(model.vocab):] -= 1.0

def test_torch_path_trains(verses):
    m = FastText(verses[:1500], bucket=5_000, vector_size=16, epochs=2, workers=1, seed=2, backend='torch',
                 progress=False)
    assert m.backend == 'torch' and np.isfinite(m.losses).all() and m.losses[-1] < 4.2
    cbow = FastText(verses[:1500], sg=0, bucket=5_000, vector_size=16, epochs=2, workers=1, seed=2, progress=False)
    assert cbow.backend == 'numba' and np.isfinite(cbow.losses).all()

def test_save_load_round_trip_and_other_versions(model, tmp_path):
    model.save(tmp_path/'ft.pt')
    back = FastText.load(tmp_path/'ft.pt')
    assert (back.min_n, back.max_n, back.bucket) == (model.min_n, model.max_n, model.bucket)
    np.testing.assert_array_equal(back.wv['jerusalm'], model.wv['jerusalm'])
    state = torch.load(tmp_path/'ft.pt', weights_only=True); state['format'] = 'wordvec_nb.FastText/0'
    torch.save(state, tmp_path/'old.pt')
    with pytest.raises(ValueError, match="the file is 'wordvec_nb.FastText/0'"): FastText.load(tmp_path/'old.pt')
    Word2Vec([['a', 'b'] * 5] * 3, min_count=1, epochs=1, progress=False).save(tmp_path/'w2v.pt')
    with pytest.raises(ValueError, match='not a saved FastText model'): FastText.load(tmp_path/'w2v.pt')
    model.wv.save_word2vec_format(tmp_path/'ft.vec')
    assert (tmp_path/'ft.vec').read_text().split('\n', 1)[0] == f"{len(model.vocab)} 32"

def test_bad_input(model):
    with pytest.raises(ValueError, match='min_n=4 > max_n=3'): FastText(min_n=4, max_n=3)
    with pytest.raises(ValueError, match='bucket=0 asks for vectors without n-grams'): FastText(bucket=0)
    with pytest.raises(ValueError, match='bucket=-1 is out of range'): FastText(bucket=-1)
    with pytest.raises(ValueError, match='min_n=0 is out of range'): FastText(min_n=0)
    with pytest.raises(ValueError, match='negative sampling'): FastText(loss='hs')
    with pytest.raises(ValueError, match='negative sampling'): FastText(shared_negatives=True)
    with pytest.raises(KeyError, match='the empty string is not a word'): model.wv['']
    two = model.wv.copy(); two.min_n = 2
    with pytest.raises(KeyError, match='the empty string'): two['']                  # even when '<>' is an n-gram
    short = model.wv.copy(); short.min_n, short.max_n = 5, 6
    with pytest.raises(KeyError, match="'<ab>' has 4"): short['ab']
    assert short['god'].shape == (32,)                                           # a known word needs no n-gram
    with pytest.raises(ValueError, match='no corpus'): FastText().train()
    with pytest.raises(ValueError, match='no fused GPU kernel'): FastText([['a', 'b'] * 5] * 3, min_count=1,
                                                                          backend='triton', progress=False)

@pytest.mark.parametrize('name', ['crime-and-punishment.bin', 'lee_fasttext_new.bin', 'lee_fasttext.bin',
                                  'non_ascii_fasttext.bin', 'toy-model.bin'])
def test_facebook_models_load_as_trainable_models_like_gensim(name):
    "load_facebook_model: gensim's settings and output table, the same vectors for unseen words, and it trains on."
    from gensim.models.fasttext import load_facebook_model as gensim_load
    from gensim.test.utils import datapath
    from wordvec_nb.fasttext import load_facebook_model
    ours, theirs = load_facebook_model(datapath(name)), gensim_load(datapath(name))
    assert (ours.sg, ours.window, ours.negative, ours.min_n, ours.max_n) == (theirs.sg, theirs.window,
                                                                             theirs.negative, theirs.wv.min_n,
                                                                             theirs.wv.max_n)
    np.testing.assert_array_equal(ours.syn1neg, theirs.syn1neg)
    for w in ['nightz', 'xyzzyq', 'résumé']: np.testing.assert_allclose(ours.wv[w], theirs.wv[w], atol=1e-5)
    more = [['the', 'zorblax', 'said']] * 5
    ours.build_vocab(more, update=True); ours.train(more, total_examples=5, epochs=1)
    assert 'zorblax' in ours.wv and np.isfinite(ours.W_in.numpy()).all()

@pytest.mark.parametrize('name', ['crime-and-punishment.bin', 'lee_fasttext_new.bin', 'lee_fasttext.bin',
                                  'non_ascii_fasttext.bin', 'toy-model.bin'])
def test_facebook_models_read_like_gensim(name):
    from gensim.models.fasttext import load_facebook_vectors as gensim_load
    from gensim.test.utils import datapath
    from wordvec_nb.fasttext import load_facebook_vectors
    fb, gv = load_facebook_vectors(datapath(name)), gensim_load(datapath(name))
    assert fb.index_to_key == list(gv.index_to_key) and fb.vector_size == gv.vector_size
    for w in [w for w in fb.index_to_key if w != '</s>'] + ['nightz', 'xyzzyq', 'résumé', 'tkf', 'a']:
        np.testing.assert_allclose(fb[w], gv[w], atol=1e-5)
    if '</s>' in fb: np.testing.assert_array_equal(fb['</s>'], fb.vectors[fb.get_index('</s>')])

def test_facebook_bad_files(tmp_path):
    from gensim.test.utils import datapath
    from wordvec_nb.fasttext import load_facebook_vectors
    with pytest.raises(ValueError,
                       match='supervised'): load_facebook_vectors(datapath('pang_lee_polarity_fasttext.bin'))
    with pytest.raises(ValueError,
                       match='not a fastText model file'): load_facebook_vectors(datapath('questions-words.txt'))
    good = open(datapath('crime-and-punishment.bin'), 'rb').read()
    (tmp_path/'cut.bin').write_bytes(good[:len(good) // 2])
    with pytest.raises(ValueError, match='ends'): load_facebook_vectors(tmp_path/'cut.bin')
    (tmp_path/'v9.bin').write_bytes(good[:4] + (9).to_bytes(4, 'little') + good[8:])
    with pytest.raises(ValueError, match='version 9'): load_facebook_vectors(tmp_path/'v9.bin')

def test_cli_queries_facebook_models(capsys):
    from gensim.test.utils import datapath
    from wordvec_nb.cli import main
    assert main(['similar', datapath('crime-and-punishment.bin'), 'xyzzyq', '--topn', '2']) == 0      # an unseen word
    assert len(capsys.readouterr().out.strip().splitlines()) == 2

def test_online_update_keeps_word_and_ngram_rows():
    "After build_vocab(update=True) the old word rows and every n-gram row are where they were; new words get rows."
    sents = [s[:12] for s in list(embedded_corpus())[:1500]]
    m = FastText(sents, vector_size=8, min_count=3, bucket=5000, epochs=1, workers=1, progress=False)
    V, W = len(m.vocab), m.W_in.clone()
    m.build_vocab([['zerubbabel', 'builded', 'jerusalem']] * 4, update=True)
    assert 'zerubbabel' in m.vocab.key_to_index and len(m.vocab) > V
    assert torch.equal(m.W_in[:V], W[:V]) and torch.equal(m.W_in[len(m.vocab):], W[V:])
    before = m.wv['zerubbabel'].copy()
    m.train([['zerubbabel', 'builded', 'jerusalem']] * 4, total_examples=4, epochs=1)
    assert not np.array_equal(m.wv['zerubbabel'], before)

def test_gensim_keywords_without_subwords_say_what_to_use():
    for kw in [dict(bucket=0), dict(max_n=0), dict(hs=1, negative=0)]:
        with pytest.raises(ValueError, match='Word2Vec|negative sampling'): FastText(**kw)
