"""Bad input, edge cases and file sizes for wordvec_nb.text (the derivations are tested in nbs/01_words.ipynb; the file
readers now live in wordvec_nb.data)."""
import math, subprocess, sys, textwrap
import numpy as np
import pytest
import torch
from wordvec_nb.data import ReadStats, TextCorpus, read_sentences
from wordvec_nb.text import (Vocab, Phrases, chi2_test, cbow_examples, keep_probability,
                             sample_radii, skipgram_pairs, split_sentences, tokenize, window_distance_probs)

def test_tokenize_unicode_and_apostrophes():
    assert tokenize("Jon’s direwolf GHOST, naïve Ærys; x_y 42") == ["jon's", 'direwolf', 'ghost', 'naïve', 'ærys', 'x',
                                                                    'y', '42']
    assert tokenize('') == [] and split_sentences('') == []

def test_empty_file_gives_clear_error(tmp_path):
    (tmp_path/'empty.txt').write_bytes(b'')
    assert list(read_sentences(tmp_path/'empty.txt')) == []
    with pytest.raises(ValueError, match='contains no words'): Vocab.build(TextCorpus(tmp_path/'empty.txt'))

def test_all_words_under_min_count(tmp_path):
    (tmp_path/'c.txt').write_text('winter is coming. winter came.')
    with pytest.raises(ValueError, match=r"no word occurs 5 times or more .*'winter', occurs 2.*lower min_count=2"):
        Vocab.build(TextCorpus(tmp_path / 'c.txt'))
    assert Vocab.build(TextCorpus(tmp_path/'c.txt'), min_count=2).index_to_key == ['winter']
    with pytest.raises(TypeError,
                       match=r"token lists, not a file name .*TextCorpus\(path\)"): Vocab.build(tmp_path/'c.txt')

def test_missing_and_folder_paths(tmp_path):
    with pytest.raises(FileNotFoundError, match='does not exist'): Vocab.build(TextCorpus(tmp_path/'nope.txt'))
    with pytest.raises(IsADirectoryError, match='is a folder'): list(read_sentences(tmp_path))

def test_invalid_utf8_replaced_and_counted(tmp_path):
    raw = 'le roi'.encode() + b'\xff\xc3' + ' est mort. '.encode() + 'Ser Barristan'.encode('cp1252') + b' \x80\x81'
    (tmp_path/'bad.txt').write_bytes(raw)
    st = ReadStats()
    assert list(read_sentences(tmp_path/'bad.txt', stats=st)) == [['le', 'roi', 'est', 'mort'], ['ser', 'barristan']]
    assert st.invalid_bytes == 4 and st.bytes == len(raw)

def test_multibyte_character_split_across_blocks(tmp_path):
    text = 'é' * 5 + ' ' + 'ß' * 7 + '. ' + 'д' * 3
    (tmp_path/'u.txt').write_text(text, encoding='utf-8')
    for block in (1, 2, 3, 5):
        st = ReadStats()
        assert list(read_sentences(tmp_path/'u.txt', stats=st, block_size=block)) == [['é' * 5, 'ß' * 7], ['д' * 3]]
        assert st.invalid_bytes == 0

def test_hundred_megabyte_single_line_in_bounded_memory(tmp_path):
    "text8-like: 100 MB, one line, no newline; reading must not hold the file (peak RSS growth < 64 MB)."
    rng = np.random.default_rng(0)
    words = np.array([''.join(rng.choice(list('abcdefghij'), rng.integers(1, 9))) for _ in range(3000)])
    block = ' '.join(words[rng.integers(0, len(words), 180_000)]) + ' '
    reps = 100_000_000 // len(block) + 1
    path = tmp_path/'big.txt'
    with open(path, 'w') as f:
        for _ in range(reps): f.write(block)
    size, n_tokens = path.stat().st_size, reps * 180_000
    assert size >= 100_000_000
    script = textwrap.dedent(f'''
        import resource
        from wordvec_nb.data import read_sentences, ReadStats
        base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        st, longest = ReadStats(), 0
        for s in read_sentences({str(path)!r}, stats=st): longest = max(longest, len(s))
        print(st.tokens, st.sentences, longest, (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - base) // 1024)
    ''')
    out = subprocess.run([sys.executable, '-c', script], capture_output=True, text=True, check=True).stdout.split()
    tokens, sentences, longest, grew_mb = map(int, out)
    assert tokens == n_tokens and longest == 10_000 and sentences == math.ceil(n_tokens / 10_000)
    assert grew_mb < 64, f'reading a {size/1e6:.0f} MB file grew peak memory by {grew_mb} MB'

def test_vocab_unicode_save_load_and_bad_files(tmp_path):
    v = Vocab.build([['königin', 'king', 'königin', '王']], min_count=1)
    assert v.index_to_key == ['königin', 'king', '王'] and v['王'] == 2
    v.save(tmp_path/'v.json')
    w = Vocab.load(tmp_path/'v.json')
    assert w.index_to_key == v.index_to_key and (w.counts == v.counts).all()
    (tmp_path/'broken.json').write_bytes(b'\x00\xff not json')
    with pytest.raises(ValueError, match='not a saved Vocab'): Vocab.load(tmp_path/'broken.json')

def test_max_vocab_keeps_most_frequent_deterministically():
    v = Vocab.build([list('aaabbbccd')], min_count=1, max_vocab=2)
    assert v.index_to_key == ['a', 'b'] and v.dropped_words == 2 and v.dropped_count == 3
    with pytest.raises(KeyError, match="'c' not in vocabulary.*dropped 2 words"): v['c']

def test_keep_probability_matches_word2vec_c_expression():
    counts = np.array([50_000, 9_000, 700, 30, 1])
    sample, total = 1e-3, counts.sum()
    c_rule = [min(1.0, (math.sqrt(c / (sample * total)) + 1) * (sample * total) / c) for c in counts]
    assert np.allclose(keep_probability(counts, sample), c_rule)
    assert np.allclose(keep_probability(counts, sample, 'paper'), np.minimum(1, np.sqrt(sample * total / counts)))
    assert (keep_probability(counts, 0) == 1).all()
    with pytest.raises(ValueError, match="'word2vec' or 'paper'"): keep_probability(counts, 1e-3, 'gensim')

def test_chi2_pvalue_matches_scipy():
    from scipy.stats import chisquare
    obs, p = [30, 52, 18, 100], [0.15, 0.25, 0.1, 0.5]
    stat, pval = chi2_test(obs, p)
    ref = chisquare(obs, np.array(p) * sum(obs))
    assert math.isclose(stat, ref.statistic, rel_tol=1e-12) and math.isclose(pval, ref.pvalue, rel_tol=1e-9)

def test_window_probs_are_not_one_over_d():
    assert np.allclose(window_distance_probs(5), [1, .8, .6, .4, .2])
    with pytest.raises(ValueError, match='window must be'): sample_radii(3, 0)

@pytest.mark.parametrize('n', [0, 1, 2])
def test_pairs_tiny_inputs(n):
    ids = torch.arange(n, dtype=torch.int32)
    c, o = skipgram_pairs(ids, None, window=3, radius=torch.full((n,), 3))
    assert len(c) == len(o) == n * (n - 1)
    X, M, y = cbow_examples(ids, None, window=3, radius=torch.full((n,), 3))
    assert X.shape == (len(y), 6) and len(y) == (n if n > 1 else 0)

def test_pairs_respect_sentence_boundaries_and_check_inputs():
    ids = torch.arange(6, dtype=torch.int32)
    c, o = skipgram_pairs(ids, [0, 3, 3, 6], window=5, radius=torch.full((6,), 5))
    assert all((a < 3) == (b < 3) for a, b in zip(c.tolist(), o.tolist())) and len(c) == 12
    with pytest.raises(ValueError, match='offsets must rise'): skipgram_pairs(ids, [0, 4, 2, 6])
    with pytest.raises(ValueError, match='1-D'): skipgram_pairs(ids.view(2, 3))
    with pytest.raises(ValueError, match='radius has 2 entries for 6'): skipgram_pairs(ids, None, 2,
            radius=torch.ones(2))

@pytest.mark.skipif(not torch.cuda.is_available(), reason='needs CUDA')
def test_pairs_same_on_cuda():
    g = torch.Generator().manual_seed(0)
    ids = torch.randint(0, 50, (10_000,), generator=g, dtype=torch.int32)
    keep = torch.rand(10_000, generator=g) < 0.8
    radius = sample_radii(int(keep.sum()), 5, g)
    cpu = skipgram_pairs(ids, [0, 4000, 10_000], 5, keep, radius)
    gpu = skipgram_pairs(ids.cuda(), [0, 4000, 10_000], 5, keep.cuda(), radius.cuda())
    assert all(torch.equal(a, b.cpu()) for a, b in zip(cpu, gpu))

def test_phrases_min_count_and_repr():
    sents = [['new', 'york']] * 4
    assert Phrases(sents, min_count=5, threshold=0.0).export_phrases() == {}
    assert 'new_york' in Phrases(sents, min_count=3, threshold=0.0).export_phrases()

from hypothesis import given, settings, strategies as st

@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab Z9_'’.,-!?\n\tçé") + ['ß', 'İ', '\u00a0', '½']), max_size=60))
def test_fast_tokenize_is_tokenize(text):
    "The reader's fast path gives chapter 01's tokens (the regular expression, the definition) for any string."
    from wordvec_nb.data import fast_tokenize
    from wordvec_nb.text import tokenize
    assert fast_tokenize(text) == tokenize(text)

@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("abc xyz'.!?\n _9")), max_size=80), st.integers(1, 7))
def test_reading_once_gives_the_counts_and_the_encoded_corpus_of_two_passes(text, min_count):
    from wordvec_nb.data import encode_corpus, read_once
    from wordvec_nb.text import Vocab, count_words, split_sentences
    sentences = split_sentences(text)
    first = read_once(sentences)
    assert first.count_dict() == dict(count_words(sentences))
    if not first.words: return
    try: vocab = Vocab.build(sentences, min_count)
    except ValueError: return                                 # no word that often: no vocabulary to encode with
    try: twice = encode_corpus(sentences, vocab)
    except ValueError as e:                                   # nothing left: both say so
        with pytest.raises(ValueError, match=str(e)): first.encoded(vocab)
        return
    once = first.encoded(vocab)
    assert once.ids.tolist() == twice.ids.tolist() and once.offsets.tolist() == twice.offsets.tolist()
