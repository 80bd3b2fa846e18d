"""gensim's KeyedVectors query API on WordVectors: every method against gensim 4 on the same random vectors, bad input,
the bridges to gensim and PyTorch, and pretrained files read as gensim reads them."""
import numpy as np
import pytest
import torch
# the keyed methods come with the class
from wordvec_nb.vectors import WordVectors, load_vectors, load_word2vec_format

gensim = pytest.importorskip('gensim')
from gensim.models import KeyedVectors
from gensim.test.utils import datapath

V, N = 400, 12

@pytest.fixture(scope='module')
def pair():
    rng = np.random.default_rng(7)
    words = [f'w{i}' for i in range(V)]
    X = rng.normal(size=(V, N)).astype(np.float32)
    kv = KeyedVectors(N); kv.add_vectors(words, X)
    return WordVectors(words, X), kv, rng

def same_list(a, b, eps=1e-5):
    assert [w for w, _ in a] == [w for w, _ in b]
    # (3CosMul scores can be large)
    np.testing.assert_allclose([s for _, s in a], [s for _, s in b], atol=eps, rtol=1e-4)

QUERIES = [dict(positive=['w1']), dict(positive=['w1', 'w2'], negative=['w3']), dict(positive=[5, 'w9']),
           dict(positive=[('w1', 2.0), ('w4', 0.5)], negative=[('w2', -1.0)]), dict(negative=['w8']),
           dict(positive='w6', negative='w7')]

@pytest.mark.parametrize('query', QUERIES)
@pytest.mark.parametrize('topn', [1, 10, V + 5])
def test_most_similar_matches_gensim(pair, query, topn):
    wv, kv, _ = pair
    same_list(wv.most_similar(**query, topn=topn), kv.most_similar(**query, topn=topn))
    items = [x for k in ('positive', 'negative')
             for x in ([query[k]] if isinstance(query.get(k), str) else query.get(k, []))]
    # gensim's cosmul takes words and vectors only
    if 'positive' in query and all(isinstance(x, str) for x in items):
        same_list(wv.most_similar_cosmul(**query, topn=topn), kv.most_similar_cosmul(**query, topn=topn))

def test_vectors_in_queries_and_topn_none_and_clipping(pair):
    wv, kv, rng = pair
    v, u = rng.normal(size=N).astype(np.float32), rng.normal(size=N).astype(np.float32)
    for q in [dict(positive=[v]), dict(positive=[v, 'w3'], negative=[u]), dict(positive=['w2', (v, 0.3)])]:
        same_list(wv.most_similar(**q), kv.most_similar(**q))
        np.testing.assert_allclose(wv.most_similar(**q, topn=None), kv.most_similar(**q, topn=None), atol=1e-5)
    same_list(wv.most_similar('w3', clip_start=50, clip_end=200), kv.most_similar('w3', clip_start=50, clip_end=200))
    same_list(wv.most_similar('w3', restrict_vocab=100), kv.most_similar('w3', restrict_vocab=100))
    same_list(wv.most_similar_cosmul([v, 'w1'], [u]), kv.most_similar_cosmul([v, 'w1'], [u]))
    np.testing.assert_allclose(wv.most_similar_cosmul('w1', topn=None), kv.most_similar_cosmul('w1', topn=None),
                               atol=1e-5)
    assert wv.most_similar('w1', topn=0) == kv.most_similar('w1', topn=0) == []
    same_list(wv.similar_by_vector(v, topn=7), kv.similar_by_vector(v, topn=7))
    same_list(wv.similar_by_key(17), kv.similar_by_key(17))
    same_list(wv.similar_by_word('w17', restrict_vocab=60), kv.similar_by_word('w17', restrict_vocab=60))
    same_list(wv.most_similar(torch.from_numpy(v)), kv.most_similar(v))     # a tensor where a vector goes

def test_scalar_and_list_methods_match_gensim(pair):
    wv, kv, rng = pair
    v = rng.normal(size=N).astype(np.float32)
    for a, b in [('w1', 'w2'), ('w10', 'w300'), (3, 'w4')]:
        assert wv.similarity(a, b) == pytest.approx(kv.similarity(a, b), abs=1e-6)
        assert wv.distance(a, b) == pytest.approx(kv.distance(a, b), abs=1e-6)
        assert wv.rank(a, b) == kv.rank(a, b)
        assert wv.closer_than(a, b) == kv.closer_than(a, b)
        with pytest.warns(DeprecationWarning): assert wv.words_closer_than(a, b) == wv.closer_than(a, b)
        assert wv.relative_cosine_similarity(a, b, topn=5) == pytest.approx(kv.relative_cosine_similarity(a, b, topn=5),
                                                                            abs=1e-6)
    assert wv.n_similarity(['w1', 'w2'], ['w3']) == pytest.approx(kv.n_similarity(['w1', 'w2'], ['w3']), abs=1e-6)
    np.testing.assert_allclose(wv.distances('w5'), kv.distances('w5'), atol=1e-6)
    np.testing.assert_allclose(wv.distances(v, ['w1', 'w9']), kv.distances(v, ['w1', 'w9']), atol=1e-6)
    np.testing.assert_allclose(WordVectors.cosine_similarities(v, wv.vectors[:9]), KeyedVectors.cosine_similarities(v,
            kv.vectors[:9]), atol=1e-6)
    assert wv.most_similar_to_given('w1', ['w2', 'w3', 'w40']) == kv.most_similar_to_given('w1', ['w2', 'w3', 'w40'])
    group = ['w1', 'w2', 'w3', 'w4', 'w5']
    assert wv.doesnt_match(group) == kv.doesnt_match(group)
    for use_norm in (True, False):
        ours, theirs = wv.rank_by_centrality(group, use_norm), kv.rank_by_centrality(group, use_norm)
        assert [w for _, w in ours] == [w for _, w in theirs]
        np.testing.assert_allclose([s for s, _ in ours], [s for s, _ in theirs], atol=1e-6)

def test_lookup_methods_match_gensim(pair):
    wv, kv, rng = pair
    for key in ['w3', 3, np.int64(7)]:
        assert wv.get_index(key) == kv.get_index(key)
        np.testing.assert_allclose(wv.get_vector(key, norm=True), kv.get_vector(key, norm=True), atol=1e-6)
        np.testing.assert_array_equal(wv[key], kv[key])
    assert wv.get_index('nope', -1) == kv.get_index('nope', -1) == -1
    assert [wv.has_index_for(k) for k in ('w1', V - 1, V, 'nope')] == [kv.has_index_for(k) for k in ('w1', V - 1, V,
            'nope')]
    # `in`: words and row numbers
    assert [k in wv for k in ('w1', 3, V, 'nope')] == [k in kv for k in ('w1', 3, V, 'nope')]
    np.testing.assert_array_equal(wv[['w1', 'w2']], kv[['w1', 'w2']])
    with pytest.raises(ValueError): wv.get_vector('w1').__setitem__(0, 1.0)           # read-only, as gensim's
    v = rng.normal(size=N).astype(np.float32)
    for kw in [{}, dict(pre_normalize=False), dict(post_normalize=True), dict(weights=[2.0, -1.0, 0.5])]:
        np.testing.assert_allclose(wv.get_mean_vector(['w1', v, 'w2'], **kw), kv.get_mean_vector(['w1', v, 'w2'], **kw),
                                   atol=1e-6)
    # ignore_missing=True
    np.testing.assert_allclose(wv.get_mean_vector(['w1', 'nope']), kv.get_mean_vector(['w1', 'nope']), atol=1e-6)
    np.testing.assert_allclose(wv.norms, np.linalg.norm(kv.vectors, axis=1), rtol=1e-6)
    np.testing.assert_allclose(wv.get_normed_vectors(), kv.get_normed_vectors(), atol=1e-6)

def test_changes_match_gensim(pair):
    _, _, rng = pair
    words, X = [f'w{i}' for i in range(30)], rng.normal(size=(30, N)).astype(np.float32)
    mine, theirs = WordVectors(words, X), KeyedVectors(N); theirs.add_vectors(words, X)
    add = rng.normal(size=(4, N)).astype(np.float32)
    for s in (mine, theirs):
        s.add_vectors(['a', 'w2', 'b'], add[:3]); s.add_vectors(['w5', 'c'], add[2:4], replace=True)
        s['w6'] = add[0]; s[['d', 'w7']] = add[1:3]; s.add_vector('e', add[3])
    assert mine.index_to_key == theirs.index_to_key and mine.key_to_index == theirs.key_to_index
    np.testing.assert_array_equal(mine.vectors, theirs.vectors)
    sub = ['w9', 'zz', 'w1', 'w9', 'a']
    assert mine.vectors_for_all(sub).index_to_key == theirs.vectors_for_all(sub).index_to_key
    np.testing.assert_array_equal(mine.vectors_for_all(sub).vectors, theirs.vectors_for_all(sub).vectors)
    mine.unit_normalize_all(); theirs.unit_normalize_all()
    np.testing.assert_allclose(mine.vectors, theirs.vectors, atol=1e-6)
    with pytest.warns(DeprecationWarning): np.testing.assert_array_equal(mine.word_vec('w1'), mine['w1'])

def test_sort_by_descending_frequency_matches_gensim(pair):
    _, _, rng = pair
    words, X, counts = [f'w{i}' for i in range(50)], rng.normal(size=(50, N)).astype(np.float32), rng.integers(1, 4, 50)
    mine, theirs = WordVectors(words, X, counts), KeyedVectors(N); theirs.add_vectors(words, X)
    theirs.allocate_vecattrs(['count'], [np.int64]); theirs.expandos['count'][:] = counts
    mine.sort_by_descending_frequency(); theirs.sort_by_descending_frequency()
    assert mine.index_to_key == theirs.index_to_key and mine.get_vecattr('w3', 'count') == theirs.get_vecattr('w3',
            'count')
    np.testing.assert_array_equal(mine.vectors, theirs.vectors)
    with pytest.raises(ValueError, match='no counts'): WordVectors(words, X).sort_by_descending_frequency()

def test_bad_input_is_one_clear_error_and_never_nan(pair):
    wv, _, rng = pair
    calls = [lambda m: m.most_similar('zz'), lambda m: m.most_similar_cosmul(['w1'], ['zz']),
             lambda m: m.similar_by_word('zz'),
             lambda m: m.similarity('w1', 'zz'), lambda m: m.distance('zz', 'w1'), lambda m: m.distances('zz'),
             lambda m: m.distances('w1', ['zz']),
             lambda m: m.n_similarity(['w1', 'zz'], ['w2']), lambda m: m.closer_than('w1', 'zz'), lambda m: m.rank('zz',
                     'w1'),
             lambda m: m.most_similar_to_given('w1', ['zz']), lambda m: m.relative_cosine_similarity('w1', 'zz'),
             lambda m: m.doesnt_match(['w1', 'zz']),
             lambda m: m.rank_by_centrality(['zz']), lambda m: m.get_vector('zz'), lambda m: m['zz'], lambda m: m[['w1',
                     'zz']],
             lambda m: m.get_mean_vector(['w1', 'zz'], ignore_missing=False), lambda m: m.get_index(V + 3)]
    for call in calls:
        with pytest.raises(KeyError, match=r"not in vocabulary .*min_count"): call(wv)
    for call in [lambda: wv.n_similarity([], ['w1']), lambda: wv.most_similar(),
                 lambda: wv.most_similar_cosmul(negative=['w1']),
                 lambda: wv.doesnt_match([]), lambda: wv.get_mean_vector([]), lambda: wv.most_similar_to_given('w1',
                         [])]:
        with pytest.raises(ValueError): call()
    # what gensim raises, still caught as before
    with pytest.raises(ZeroDivisionError): wv.n_similarity(['w1'], [])
    for bad in (np.ones(N + 1), np.ones((2, N)), [1.0, 2.0]):
        with pytest.raises(ValueError, match=f'shape \\({N},\\)'): wv.most_similar(positive=['w1', np.asarray(bad)])
    with pytest.raises(ValueError, match='length'): wv.copy().add_vectors(['x'], np.ones((1, N + 2)))
    with pytest.raises(NotImplementedError): wv.most_similar('w1', indexer=object())
    Z = rng.normal(size=(6, 4)).astype(np.float32); Z[2] = 0
    zero = WordVectors(list('abcdef'), Z)
    outs = [zero.most_similar('a', topn=None), zero.most_similar('c', topn=None), zero.distances('c'),
            zero.distances(np.zeros(4)),
            zero.most_similar_cosmul('c', topn=None), [s for _, s in zero.most_similar('c')], [zero.similarity('a',
                    'c'), zero.n_similarity(['c'], ['a'])],
            [s for s, _ in zero.rank_by_centrality(['a', 'c'])], zero.similar_by_vector(np.zeros(4), topn=None),
            zero.get_mean_vector([np.zeros(4)], post_normalize=True)]
    assert not any(np.isnan(np.asarray(o, dtype=float)).any() for o in outs)

def test_views_refuse_changes_and_copies_take_them():
    from wordvec_nb.word2vec import Word2Vec
    from wordvec_nb.data import embedded_corpus
    m = Word2Vec(list(embedded_corpus())[:1500], vector_size=8, epochs=1, progress=False)
    for change in [lambda w: w.add_vector('x', np.zeros(8)), lambda w: w.__setitem__('x', np.zeros(8)),
                   lambda w: w.unit_normalize_all(),
                   lambda w: w.sort_by_descending_frequency(), lambda w: w.add_vectors(['x'], np.zeros((1, 8)))]:
        with pytest.raises(TypeError, match=r'model.wv.copy\(\)'): change(m.wv)
    with pytest.raises(TypeError, match='cannot be given others'): m.wv.vectors = np.zeros((len(m.wv), 8), np.float32)
    c = m.wv.copy(); c.add_vector('x', np.ones(8)); c.sort_by_descending_frequency()
    assert len(c) == len(m.wv) + 1 and c.index_to_key[-1] == 'x' and len(m.wv) == len(m.vocab)

def test_gensim_bridge_round_trip_in_memory(pair):
    wv, kv, _ = pair
    counted = WordVectors(wv.index_to_key, wv.vectors, np.arange(V)[::-1] + 1)
    g = counted.to_gensim()
    assert isinstance(g, KeyedVectors) and g.index_to_key == wv.index_to_key and g.get_vecattr('w3', 'count') == V - 3
    np.testing.assert_array_equal(g.vectors, wv.vectors)
    back = WordVectors.from_gensim(g)
    assert back.index_to_key == wv.index_to_key and back.counts.tolist() == counted.counts.tolist()
    np.testing.assert_array_equal(back.vectors, wv.vectors)
    same_list(WordVectors.from_gensim(kv).most_similar('w1'), kv.most_similar('w1'))
    assert WordVectors.from_gensim(kv).counts is None

def test_torch_bridge_embedding_padding_unknown_and_back(pair):
    wv, _, _ = pair
    emb, index = wv.to_torch()
    assert isinstance(emb, torch.nn.Embedding) and emb.padding_idx == 0 and not emb.weight.requires_grad
    assert (index['<pad>'], index['<unk>'], index['w0'], len(index)) == (0, 1, 2, V + 2)
    np.testing.assert_array_equal(emb.weight[0].numpy(), np.zeros(N))
    np.testing.assert_allclose(emb.weight[1].numpy(), wv.vectors.mean(0), atol=1e-6)
    from wordvec_nb.keyed import token_ids
    ids = token_ids([['w3', 'zz'], ['w4']], index)
    with pytest.raises(TypeError, match='not a string'): token_ids('w3 w4', index)
    with pytest.raises(KeyError, match='pad= and unk='): token_ids([['w3']], wv.to_torch(pad='[PAD]')[1])
    assert ids.tolist() == [[index['w3'], 1], [index['w4'], 0]]
    np.testing.assert_array_equal(emb(ids)[0, 0].numpy(), wv['w3'])
    trainable, _ = wv.to_torch(freeze=False, pad=None, unk=None)
    assert trainable.weight.requires_grad and trainable.padding_idx is None and trainable.num_embeddings == V
    trainable(torch.tensor([3])).sum().backward()
    assert trainable.weight.grad[3].abs().sum() > 0 and trainable.weight.grad[4].abs().sum() == 0
    np.testing.assert_array_equal(WordVectors.from_torch(emb, index).vectors, wv.vectors)
    with pytest.raises(ValueError, match='is a word'): wv.to_torch(pad='w1')
    with pytest.raises(KeyError, match='no unknown-word row'): token_ids([['zz']], index, unk=None)
    with pytest.raises(ValueError, match='pad token'): token_ids([['w1'], ['w1', 'w2']], index, pad=None)

@pytest.mark.parametrize('name,how', [('lee_fasttext.vec', {}), ('test_glove.txt', dict(no_header=True)),
                                      ('euclidean_vectors.bin', dict(binary=True)),
                                      ('EN.1-10.cbow1_wind5_hs0_neg10_size300_smpl1e-05.txt', {}),
                                      ('crime-and-punishment.vec', {})])
def test_real_files_read_as_gensim_reads_them(name, how):
    path = datapath(name)
    theirs = KeyedVectors.load_word2vec_format(path, **how)
    for ours in (load_vectors(path), load_word2vec_format(path, **how)):
        assert ours.index_to_key == theirs.index_to_key and ours.vectors.dtype == np.float32
        np.testing.assert_array_equal(ours.vectors, theirs.vectors)
    for limit in (1, 7):
        assert load_word2vec_format(path, limit=limit, **how).index_to_key == KeyedVectors.load_word2vec_format(path,
                limit=limit, **how).index_to_key

def test_loader_options_and_broken_files(tmp_path, pair):
    wv, _, _ = pair
    small = WordVectors(['king', 'königin', 'x'], wv.vectors[:3])
    small.save_word2vec_format(tmp_path/'v.txt')
    WordVectors(small.index_to_key, small.vectors, [10, 4, 1]).save_word2vec_format(tmp_path/'c.txt',
            fvocab=tmp_path/'vocab.txt')
    # counts travel with the file
    assert load_word2vec_format(tmp_path/'c.txt', fvocab=tmp_path/'vocab.txt').counts.tolist() == [10, 4, 1]
    # gensim reads it too
    assert KeyedVectors.load_word2vec_format(tmp_path/'c.txt', fvocab=tmp_path/'vocab.txt').get_vecattr('königin',
            'count') == 4
    (tmp_path/'latin1.txt').write_bytes('1 2\nk\xf6nig 1 2\n'.encode('latin-1'))
    with pytest.raises(ValueError, match='line 2: not valid UTF-8'): load_word2vec_format(tmp_path/'latin1.txt')
    assert load_word2vec_format(tmp_path/'latin1.txt', encoding='latin-1').index_to_key == ['könig']
    assert load_word2vec_format(tmp_path/'latin1.txt', unicode_errors='replace').index_to_key == ['k\ufffdnig']
    text = (tmp_path/'v.txt').read_bytes()
    (tmp_path/'cut.txt').write_bytes(text[:-20])
    with pytest.raises(ValueError, match=f'line 4: expected {N} numbers'): load_word2vec_format(tmp_path/'cut.txt')
    (tmp_path/'more.txt').write_bytes(text.replace(b'3 ', b'2 ', 1))
    with pytest.raises(ValueError,
                       match='promises 2 words but the file has more'): load_word2vec_format(tmp_path/'more.txt')
    assert len(load_word2vec_format(tmp_path/'more.txt', limit=2)) == 2
    (tmp_path/'fewer.txt').write_bytes(text.replace(b'3 ', b'5 ', 1))
    with pytest.raises(ValueError,
                       match='promises 5 words but the file has 3'): load_word2vec_format(tmp_path/'fewer.txt')
    small.save_word2vec_format(tmp_path/'v.bin', binary=True)
    (tmp_path/'cut.bin').write_bytes((tmp_path/'v.bin').read_bytes()[:-7])
    with pytest.raises(ValueError, match='entry 3 of 3'): load_word2vec_format(tmp_path/'cut.bin', binary=True)
    (tmp_path/'dup.txt').write_text('2 2\na 1 2\na 3 4\n')
    with pytest.raises(ValueError, match="'a'"): load_word2vec_format(tmp_path/'dup.txt')

def test_loader_reads_across_blocks_exactly(tmp_path, pair):
    """Lines that straddle the 1 MB blocks are parsed whole: a file of several blocks reads back bit for bit, with a
    header or without."""
    _, _, rng = pair
    words = [f'w{i}' for i in range(40_000)]
    X = rng.normal(size=(40_000, 10)).astype(np.float32)
    big = WordVectors(words, X)
    big.save_word2vec_format(tmp_path/'big.txt'); big.save_word2vec_format(tmp_path/'glove.txt', write_header=False)
    assert (tmp_path/'big.txt').stat().st_size > 3 << 20
    for back in (load_word2vec_format(tmp_path/'big.txt'), load_word2vec_format(tmp_path/'glove.txt', no_header=True),
                 load_vectors(tmp_path/'big.txt', progress=True)):
        assert back.index_to_key == words
        np.testing.assert_array_equal(back.vectors, X)
    assert load_word2vec_format(tmp_path/'glove.txt', no_header=True, limit=33_333).index_to_key == words[:33_333]
