"""The Game-of-Thrones chapter's helpers: stopwords, the example's corpora and settings, neighbour lists and what makes
them meaningful."""
import contextlib, inspect, io
from collections import Counter
import numpy as np
import pytest
import torch
from toy import toy_sentences
from wordvec_nb.data import GOT_ENV, GOT_FILES, embedded_corpus
from wordvec_nb.got import (DEMO_SETTINGS, MALORY_KINGS, MALORY_WOMEN, MAP_WORDS, POST_NEIGHBOURS, POST_SETTINGS,
                            STOPWORDS, TITLES, centred, example_sentences, in_top, neighbour_report, neighbours,
                            random_pair_cosine, rank_of, run_example, without_stopwords)
from wordvec_nb.vectors import WordVectors
from wordvec_nb.word2vec import Word2Vec

@pytest.fixture(scope='module')
def malory_counts():
    return Counter(w for s in embedded_corpus('malory') for w in s)

def _books(folder, n=200):
    "Five small book files: toy sentences, every other one ending 'the king', the rest 'queen thou'."
    sents = toy_sentences(n)
    for i, f in enumerate(GOT_FILES):
        (folder/f).write_text(' '.join(' '.join(s + (['the', 'king'] if j % 2 else ['queen', 'thou'])) + '.'
                                       for j, s in enumerate(sents[i::5])))
    return folder

def test_without_stopwords():
    text = [['the', 'king', 'is', 'dead'], ['the', 'end'], ['thou', 'art', 'king', 'arthur'], []]
    assert without_stopwords(text) == [['king', 'dead'], ['king', 'arthur']]       # 'the end' keeps one word: dropped
    assert without_stopwords(text, STOPWORDS) == [['king', 'dead'], ['thou', 'art', 'king', 'arthur']]
    assert without_stopwords(text, frozenset()) == [s for s in text if len(s) > 1]

def test_example_sentences_books_then_embedded(tmp_path, monkeypatch):
    monkeypatch.delenv(GOT_ENV, raising=False)
    sents, name = example_sentences(_books(tmp_path))
    words = Counter(w for s in sents for w in s)
    # modern stopwords only
    assert name == 'A Song of Ice and Fire' and len(sents) == 200 and words['thou'] == 100 and 'the' not in words
    monkeypatch.setenv(GOT_ENV, str(tmp_path))
    assert example_sentences() == (sents, name)
    monkeypatch.delenv(GOT_ENV)
    sents, name = example_sentences()
    words = Counter(w for s in sents for w in s)
    assert 'Malory' in name and words['queen'] > 500 and not {'thou', 'the', 'ye'} & set(words)   # archaic ones too
    assert all(len(s) > 1 for s in sents)
    with pytest.raises(ValueError, match="'kjv'.*'malory'"): example_sentences(corpus='arthur')

def test_post_settings_are_the_posts_call_on_gensims_defaults():
    "Weng's call was Word2Vec(sentences, size=128, window=3, min_count=5): everything else is gensim's default."
    gensim = pytest.importorskip('gensim')
    defaults = {k: p.default for k, p in inspect.signature(gensim.models.Word2Vec).parameters.items()}
    assert POST_SETTINGS == {**{k: defaults[k] for k in POST_SETTINGS}, 'vector_size': 128, 'window': 3, 'min_count': 5}

def test_post_neighbours_are_two_sorted_top_ten_lists():
    assert set(POST_NEIGHBOURS) == {'king', 'queen'}
    for word, col in POST_NEIGHBOURS.items():
        sims = [s for _, s in col]
        assert len(col) == len({w for w, _ in col}) == 10 and sims == sorted(sims,
                                                                             reverse=True) and word not in dict(col)
    assert POST_NEIGHBOURS['king'][0] == ('kings', 0.897245) and POST_NEIGHBOURS['queen'][0] == ('cersei', 0.942618)

def _fan(words, step=0.15):
    "2-D unit vectors at angles 0, step, 2·step, …: cosine to the first word falls with rank, exactly cos(rank·step)."
    a = step * np.arange(len(words))
    return np.stack([np.cos(a), np.sin(a)], 1), a

def test_neighbours_columns():
    words = ['king', 'queen', 'lord'] + [f'x{i}' for i in range(10)]
    wv = WordVectors(words, _fan(words)[0])
    cols = neighbours({'ours': wv, 'theirs': wv}, 'king', topn=3)
    assert list(cols) == ['ours: king', 'theirs: king', 'the post (books): king']
    assert [w for w, _ in cols['ours: king']] == ['queen', 'lord', 'x0'] and cols[
        'the post (books): king'
    ] == POST_NEIGHBOURS['king'][:3]
    assert list(neighbours({'ours': wv}, 'king', post=False)) == ['ours: king']
    assert list(neighbours({'ours': wv}, 'lord')) == ['ours: lord']          # the post has no list for 'lord'

def test_random_pair_cosine_extremes():
    rng = np.random.default_rng(0)
    words = [f'w{i}' for i in range(1000)]
    same = WordVectors(words, np.outer(rng.uniform(0.5, 2, 1000), rng.normal(size=16)))     # one direction, any length
    assert random_pair_cosine(same) == pytest.approx(1.0, abs=1e-6)
    # random directions: orthogonal
    assert abs(random_pair_cosine(WordVectors(words, rng.normal(size=(1000, 1000))))) < 0.01
    e = np.eye(4)
    # two orthogonal groups: a pair is alike half the time
    halves = WordVectors(words, np.repeat(e[:2], 500, 0))
    signs = WordVectors(words, np.repeat([e[0], -e[0]], 500, 0))              # opposite groups: +1 and −1 cancel
    assert abs(random_pair_cosine(halves, n=20_000) - 0.5) < 0.02 and abs(random_pair_cosine(signs, n=20_000)) < 0.03
    assert random_pair_cosine(halves, seed=1) == random_pair_cosine(halves, seed=1) != random_pair_cosine(halves,
            seed=2)

def test_neighbour_report_on_a_hand_built_model():
    sents = [['king'] * 7 + ['queen'] * 3 + ['lord'] * 2 + [f'x{i}' for i in range(10)]]
    m = Word2Vec(vector_size=2, min_count=1, progress=False).build_vocab(sents)
    # queen 4th, lord 12th from king
    order = ['king', 'x0', 'x1', 'x2', 'queen'] + [f'x{i}' for i in range(3, 10)] + ['lord']
    vecs, angles = _fan(order)
    W = np.zeros((len(m.vocab), 2)); W[[m.vocab[w] for w in order]] = vecs
    m.W_in = torch.tensor(W, dtype=torch.float32)
    r = neighbour_report(m, 'king', 'queen')
    # the mean over all V² pairs, self-pairs included
    every_pair = np.cos(angles[:, None] - angles[None]).mean()
    assert r['count'] == 7 and r['rank'] == 4 and r['top-10 cosines'] == f'{np.cos(1.5):.2f}–{np.cos(0.15):.2f}'
    assert abs(r['random pairs'] - every_pair) < 0.05
    assert neighbour_report(m, 'queen', 'lord')['count'] == 3 and neighbour_report(m, 'king', 'lord')['rank'] == 12
    assert neighbour_report(m, 'king', 'knight')['rank'] is None
    with pytest.raises(KeyError, match='knight'): neighbour_report(m, 'knight', 'king')

def test_map_words_of_the_embedded_corpora_are_in_their_vocabularies(malory_counts):
    "plot_characters needs every listed word: each occurs min_count times in its corpus once stopwords are gone."
    kjv = Counter(w for s in without_stopwords(embedded_corpus('kjv')) for w in s)
    for source, counts in (("Malory's Le Morte d'Arthur (embedded)", malory_counts),
                           ('King James Bible (embedded)', kjv)):
        rare = [w for ws in MAP_WORDS[source].values() for w in ws if counts[w] < POST_SETTINGS['min_count']]
        assert rare == [], (source, rare)

def test_malory_kings_are_called_king_in_the_text():
    """Each name in MALORY_KINGS follows 'king' within two words somewhere in the book (King Uther Pendragon, King
    Arthur's …)."""
    titled = Counter(x for s in embedded_corpus('malory') for i,
                     w in enumerate(s) if w == 'king' for x in s[i + 1:i + 3])
    assert sorted(k for k in MALORY_KINGS if titled[k] == 0) == []

def test_malory_kings_are_in_the_vocabulary(malory_counts):
    assert all(malory_counts[k] >= POST_SETTINGS['min_count'] for k in MALORY_KINGS)

def test_run_example_on_small_books(tmp_path, monkeypatch):
    monkeypatch.delenv(GOT_ENV, raising=False)
    out = io.StringIO()
    with contextlib.redirect_stdout(out): r = run_example(_books(tmp_path), compare_gensim=False, progress=False)
    text = out.getvalue()
    # 200·12 + 300
    assert text.startswith('corpus: A Song of Ice and Fire — 200 sentences, 2,700 words without stopwords, names '
                           'joined\n')
    m = r['model']
    assert r['gensim'] is None and len(r['sentences']) == 200 and len(m.vocab) == 43 and 'thou' in m.vocab
    assert all(getattr(m, k) == v for k, v in DEMO_SETTINGS.items()) and len(m.losses) == DEMO_SETTINGS['epochs']
    for word in ('king', 'queen'):
        assert f'wordvec_nb: {word}' in text and f'the post (books): {word}' in text
        assert m.wv.most_similar(word, topn=1)[0][0] in text
    assert f"random-pair cosine of our space: {random_pair_cosine(m.wv):.2f}" in text

def test_names_are_joined_but_titles_are_not(malory_counts):
    "Step 1 of the worked example: La Cote Male Taile becomes one token; 'queen' keeps every occurrence."
    joined, _ = example_sentences()
    plain, _ = example_sentences(phrases=False)
    counts = Counter(w for s in joined for w in s)
    assert counts['la_cote_male_taile'] >= 50 and counts['morgan_le_fay'] >= 50 and counts['taile'] < 5
    assert not [w for w in counts if '_' in w and set(w.split('_')) & TITLES]
    assert counts['queen'] == sum(s.count('queen') for s in plain) > 500
    assert sum(map(len, joined)) < sum(map(len, plain))

def test_malory_women_are_in_the_vocabulary_of_the_joined_text():
    counts = Counter(w for s in example_sentences()[0] for w in s)
    assert sorted(w for w in MALORY_WOMEN if counts[w] < DEMO_SETTINGS['min_count']) == []

def test_in_top_rank_of_and_centred_on_a_fan():
    words = ['king', 'queen', 'lord'] + [f'x{i}' for i in range(10)]
    wv = WordVectors(words, _fan(words)[0])
    assert rank_of(wv, 'king', 'queen') == 1 and rank_of(wv, 'king', 'x9') == 12
    assert rank_of(wv, 'king', 'nobody') is None
    assert in_top(wv, 'king', {'queen', 'x0', 'x9'}, topn=3) == 2
    rng = np.random.default_rng(0)
    shifted = WordVectors([f'w{i}' for i in range(500)], rng.normal(size=(500, 8)) + 20)    # one shared direction
    assert random_pair_cosine(shifted) > 0.99 and abs(random_pair_cosine(centred(shifted))) < 0.05
    np.testing.assert_allclose(centred(shifted).vectors.mean(0), 0, atol=1e-4)
