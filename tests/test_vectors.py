"""WordVectors against gensim: the same vectors must give the same answers, and files must travel both ways."""
import numpy as np
import pytest
from wordvec_nb.vectors import WordVectors, load_vectors, load_word2vec_format

gensim = pytest.importorskip('gensim')
from gensim.models import KeyedVectors
from gensim.test.utils import datapath

@pytest.fixture(scope='module')
def vectors():
    "Vectors of real words with real structure: gensim's own small text-format test model (lee corpus)."
    kv = KeyedVectors.load_word2vec_format(datapath('word2vec_pre_kv_c'))
    return WordVectors(kv.index_to_key, kv.vectors), kv

def as_gensim(wv):
    kv = KeyedVectors(wv.vector_size); kv.add_vectors(wv.index_to_key, wv.vectors); return kv

def test_most_similar_and_cosmul_match_gensim(vectors):
    wv, kv = vectors
    for pos, neg in [(['the'], []), (['government', 'australia'], ['police']), (['man'], ['woman'])]:
        for ours, theirs in [(wv.most_similar(pos, neg, topn=8), kv.most_similar(pos, neg, topn=8)),
                             (wv.most_similar_cosmul(pos, neg, topn=8), kv.most_similar_cosmul(pos, neg, topn=8))]:
            assert [w for w, _ in ours] == [w for w, _ in theirs]
            np.testing.assert_allclose([s for _, s in ours], [s for _, s in theirs], rtol=1e-5, atol=1e-6)
    words = ['police', 'government', 'australia', 'the']
    assert wv.doesnt_match(words) == kv.doesnt_match(words)

@pytest.mark.parametrize('restrict_vocab, case_insensitive', [(300_000, True), (500, True), (300_000, False)])
def test_analogy_evaluation_matches_gensim(vectors, tmp_path, restrict_vocab, case_insensitive):
    wv, kv = vectors
    # the Google set barely overlaps this small vocabulary; add questions built from its own words, in mixed case
    words = wv.index_to_key[:400]
    rng = np.random.default_rng(0)
    quads = [list(rng.choice(words, 4, replace=False)) for _ in range(300)]
    for q in quads[::2]: q[3] = kv.most_similar(positive=q[1:3], negative=q[:1], topn=1)[0][0]   # half are answerable
    extra = '\n'.join(' '.join(w.upper() if rng.random() < .3 else w for w in q) for q in quads)
    path = tmp_path/'q.txt'
    path.write_text(open(datapath('questions-words.txt')).read() + ': made-up\n' + extra + '\n')
    ours, ours_sections = wv.evaluate_word_analogies(path, restrict_vocab=restrict_vocab,
                                                     case_insensitive=case_insensitive)
    theirs, their_sections = kv.evaluate_word_analogies(path, restrict_vocab=restrict_vocab,
                                                        case_insensitive=case_insensitive)
    assert ours == pytest.approx(theirs, abs=1e-12) and len(ours_sections[-1]['correct']) > 0
    assert [(s['section'], s['correct'], s['incorrect']) for s in ours_sections] == \
           [(s['section'], s['correct'], s['incorrect']) for s in their_sections]

@pytest.mark.parametrize('name', ['wordsim353.tsv', 'simlex999.txt'])
def test_pair_evaluation_matches_gensim(vectors, name):
    wv, kv = vectors
    (p, s, oov), (gp, gs, goov) = wv.evaluate_word_pairs(datapath(name)), kv.evaluate_word_pairs(datapath(name))
    assert p.statistic == pytest.approx(gp.statistic, abs=1e-6) and s.statistic == pytest.approx(gs.statistic, abs=1e-6)
    assert oov == pytest.approx(goov)
    # scipy's tests, as gensim's
    assert s.pvalue == pytest.approx(gs.pvalue, rel=1e-4) and p.pvalue == pytest.approx(gp.pvalue, rel=1e-4)

@pytest.fixture
def unicode_vectors():
    words = ['king', 'königin', 'épée', '王', 'naïve', 'z']
    return WordVectors(words, np.random.default_rng(2).standard_normal((len(words), 7)).astype(np.float32))

@pytest.mark.parametrize('binary', [False, True])
def test_our_files_load_in_gensim(unicode_vectors, tmp_path, binary):
    unicode_vectors.save_word2vec_format(tmp_path/'v', binary=binary)
    kv = KeyedVectors.load_word2vec_format(tmp_path/'v', binary=binary)
    assert kv.index_to_key == unicode_vectors.index_to_key
    # 9 significant digits: exact for float32
    np.testing.assert_array_equal(kv.vectors, unicode_vectors.vectors)

@pytest.mark.parametrize('binary', [False, True])
def test_gensim_files_load_in_ours(unicode_vectors, tmp_path, binary):
    as_gensim(unicode_vectors).save_word2vec_format(tmp_path/'g', binary=binary)
    back = load_word2vec_format(tmp_path/'g', binary=binary)
    assert back.index_to_key == unicode_vectors.index_to_key
    np.testing.assert_allclose(back.vectors, unicode_vectors.vectors, rtol=1e-6) if not binary else \
        np.testing.assert_array_equal(back.vectors, unicode_vectors.vectors)
    assert load_vectors(tmp_path/'g').index_to_key == unicode_vectors.index_to_key

def test_gensim_shipped_binary_file_and_limit():
    kv = KeyedVectors.load_word2vec_format(datapath('euclidean_vectors.bin'), binary=True)
    ours = load_vectors(datapath('euclidean_vectors.bin'), limit=3)
    assert ours.index_to_key == kv.index_to_key[:3]
    np.testing.assert_array_equal(ours.vectors, kv.vectors[:3])

def test_binary_round_trip_is_exact_and_written_atomically(unicode_vectors, tmp_path):
    path = tmp_path/'v.bin'
    unicode_vectors.save_word2vec_format(path, binary=True)
    assert load_word2vec_format(path, binary=True).vectors.tobytes() == unicode_vectors.vectors.tobytes()
    assert [p.name for p in tmp_path.iterdir()] == ['v.bin']

@pytest.mark.parametrize('content, binary, message', [
    (b'2 3\nking 1 2 3\nqueen 1 2\n', False, "line 3: expected 3 numbers after 'queen', got 2"),
    (b'2 3\nking 1 2 3\nqueen 1 x 3\n', False, "line 3: a value after 'queen' is not a number"),
    (b'3 3\nking 1 2 3\nqueen 1 2 3\n', False, 'promises 3 words but the file has 2'),
    (b'two three\nking 1 2 3\n', False, "line 1: expected a header 'V N'"),
    (b'1 2\nk\xffng 1 2\n', False, 'line 2: not valid UTF-8'),
    (b'2 2\nking ' + b'\x00' * 8 + b'queen \x00\x00', True, 'entry 2 of 2'),
    (b'', False, "expected a header 'V N'"),
    (b'1 2\nking 1 2\nking 1 2\n', False, "contains no vectors"),
])
def test_malformed_files_name_the_problem(tmp_path, content, binary, message):
    if message == 'contains no vectors':
        content, message = b'2 2\nking 1 2\nking 3 4\n', "a word occurs twice (e.g. 'king')"
    (tmp_path/'bad').write_bytes(content)
    with pytest.raises(ValueError, match=message.replace('(', r'\(').replace(')', r'\)')):
        load_word2vec_format(tmp_path/'bad', binary=binary)

@pytest.mark.parametrize('content, binary, kind', [
    (b'3 3\nking 1 2 3\nqueen 1 2 3\n', False, EOFError),                       # the header promises more words
    (b'2 2\nking ' + b'\x00' * 8 + b'queen \x00\x00', True, EOFError),           # a binary entry cut short
    (b'1 2\nk\xffng 1 2\n', False, UnicodeDecodeError),
    (b'1 2\nk\xffng ' + b'\x00' * 8, True, UnicodeDecodeError),
])
def test_errors_have_the_types_gensim_users_catch(tmp_path, content, binary, kind):
    "Each is also a ValueError with our message, and what a gensim script's except clause names."
    (tmp_path/'bad').write_bytes(content)
    with pytest.raises(kind) as ours: load_word2vec_format(tmp_path/'bad', binary=binary)
    assert isinstance(ours.value, ValueError) and 'bad' in str(ours.value)
    KeyedVectors = pytest.importorskip('gensim.models').KeyedVectors
    with pytest.raises(kind): KeyedVectors.load_word2vec_format(str(tmp_path/'bad'), binary=binary)

def test_unknown_words_and_missing_files(unicode_vectors, tmp_path):
    with pytest.raises(KeyError,
                       match="word 'khaleesi' not in vocabulary .* lower min_count"): unicode_vectors['khaleesi']
    with pytest.raises(KeyError, match="khaleesi"): unicode_vectors.most_similar_cosmul('khaleesi')
    with pytest.raises(FileNotFoundError, match='does not exist'): load_vectors(tmp_path/'nope.bin')
    with pytest.raises(ValueError, match='whitespace'): WordVectors(['a b'], np.ones((1,
            2))).save_word2vec_format(tmp_path/'x')
    assert not (tmp_path/'x').exists()

def test_maps_pca_tsne_and_their_errors(unicode_vectors):
    import matplotlib; matplotlib.use('Agg')
    from wordvec_nb.vectors import plot_words, tsne_2d
    ax = plot_words(unicode_vectors, ['king', 'königin', 'épée', '王', 'missing'], groups={'king': 'a'})
    assert [t.get_text() for t in ax.texts] == ['king', 'königin', 'épée', '王']        # unknown words left out
    with pytest.raises(ValueError, match="method must be 'pca' or 'tsne'"): plot_words(unicode_vectors, ['king', 'z',
            '王'], method='umap')
    with pytest.raises(ValueError, match='at least three words'): plot_words(unicode_vectors, ['king', 'nope'])
    with pytest.raises(ValueError, match='more points'): tsne_2d(np.ones((4, 3)), perplexity=5)
    rng = np.random.default_rng(3)
    X = np.concatenate([rng.normal(0, 1, (12, 8)), rng.normal(8, 1, (12, 8))])
    Y = tsne_2d(X, perplexity=4)
    d = ((Y[:, None] - Y[None]) ** 2).sum(-1); np.fill_diagonal(d, np.inf)
    assert ((d.argmin(1) < 12) == (np.arange(24) < 12)).all()

def _analogy_by_brute_force(E, words, a, b, c):
    "3CosAdd's and 3CosMul's answers to a : b :: c : ?, one candidate at a time, straight from the formulas."
    unit = [np.asarray(v, float) / np.linalg.norm(v) for v in E]
    cos = lambda i, j: float(unit[i] @ unit[j])
    ia, ib, ic = (words.index(w) for w in (a, b, c))
    shift = lambda s: (1 + s) / 2
    candidates = [d for d in range(len(words)) if d not in (ia, ib, ic)]
    add = max(candidates, key=lambda d: cos(d, ib) - cos(d, ia) + cos(d, ic))
    mul = max(candidates, key=lambda d: shift(cos(d, ib)) * shift(cos(d, ic)) / (shift(cos(d, ia)) + 1e-6))
    return words[add], words[mul]

def test_analogy_answers_match_a_brute_force_and_the_methods_can_disagree():
    words = ['a', 'b', 'c', 'x', 'y']                  # the chapter's example: x is nearly b, y mixes b and c
    E = np.array([[0, 0, 1, 0], [1, 0, 0, 0], [0, 1, 0, 0], [2, 0, 0, 1], [1, 1, 0, 2]], float)
    toy = WordVectors(words, E)
    assert _analogy_by_brute_force(E, words, 'a', 'b', 'c') == ('x', 'y')
    assert (toy.most_similar(['b', 'c'], ['a'], topn=1)[0][0], toy.most_similar_cosmul(['b', 'c'], ['a'],
            topn=1)[0][0]) == ('x', 'y')
    rng, disagreements = np.random.default_rng(0), 0
    for _ in range(200):                                # random vocabularies: same answers as the brute force
        E = rng.standard_normal((12, 5)); words = [f'w{i}' for i in range(12)]
        wv = WordVectors(words, E)
        want = _analogy_by_brute_force(E, words, 'w0', 'w1', 'w2')
        assert (wv.most_similar(['w1', 'w2'], ['w0'], topn=1)[0][0], wv.most_similar_cosmul(['w1', 'w2'], ['w0'],
                topn=1)[0][0]) == want
        disagreements += want[0] != want[1]
    assert disagreements > 0

@pytest.mark.parametrize('name, binary', [('v.txt.gz', False), ('v.bin.gz', True), ('glove.txt.gz', False)])
def test_gzip_files_round_trip_and_gensim_reads_them(unicode_vectors, tmp_path, name, binary):
    "A name ending in .gz is written compressed (atomically) and read back exactly, by us and by gensim."
    import gzip
    header = not name.startswith('glove')
    unicode_vectors.save_word2vec_format(tmp_path/name, binary=binary, write_header=header)
    gzip.open(tmp_path/name).read()                                     # a real gzip file
    assert [p.name for p in tmp_path.iterdir()] == [name]
    back = load_vectors(tmp_path/name)
    assert back.index_to_key == unicode_vectors.index_to_key and np.array_equal(back.vectors, unicode_vectors.vectors)
    if header:
        KeyedVectors = pytest.importorskip('gensim.models').KeyedVectors
        theirs = KeyedVectors.load_word2vec_format(str(tmp_path/name), binary=binary)
        assert np.array_equal(theirs.vectors, unicode_vectors.vectors)
