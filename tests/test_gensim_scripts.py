"""Scripts written the way gensim's users write them, run unchanged on both libraries: only the import block differs.
Each runs in a fresh interpreter on the same corpus file (the first 12,000 verses of the King James Bible, one verse
per line, gensim's LineSentence format) and prints the quality of what it trained: the mean reciprocal rank of a
word's partner among its neighbours, over twelve pairs that belong together in this text. The test prints both
libraries' numbers side by side (pytest -s shows them) and asserts that ours is not far below gensim's (a loose floor:
with two threads neither library's runs repeat exactly)."""
import subprocess, sys, textwrap, time
import pytest

pytest.importorskip('gensim')

IMPORTS = {
    'gensim': """
        from gensim.models import Word2Vec, FastText, KeyedVectors
        from gensim.models.fasttext import FastTextKeyedVectors
        from gensim.models.word2vec import LineSentence
        from gensim.utils import RULE_DISCARD, RULE_DEFAULT
    """,
    'wordvec_nb': """
        from wordvec_nb.word2vec import Word2Vec
        from wordvec_nb.fasttext import FastText, FastTextVectors as FastTextKeyedVectors
        from wordvec_nb.vectors import WordVectors as KeyedVectors
        from wordvec_nb.data import LineSentence
        from wordvec_nb.training import RULE_DISCARD, RULE_DEFAULT
    """,
}

QUALITY = """
    import numpy as np
    PAIRS = [('moses', 'aaron'), ('david', 'solomon'), ('israel', 'judah'), ('gold', 'silver'), ('sheep', 'goats'),
             ('bread', 'wine'), ('sword', 'spear'), ('egypt', 'assyria'), ('heaven', 'earth'), ('brother', 'sister'),
             ('son', 'daughter'), ('morning', 'evening')]
    def quality(wv):
        ranks = [wv.rank(a, b) for a, b in PAIRS if a in wv.key_to_index and b in wv.key_to_index]
        return float(np.mean([1 / r for r in ranks]))
"""

SCRIPTS = {
    # the two-step idiom on a corpus file, the loss, save and load, online training, predict_output_word
    'word2vec two steps, corpus_file, loss, save/load, online update, predict_output_word': """
        model = Word2Vec(vector_size=64, window=5, min_count=5, sg=1, negative=5, workers=2, seed=1,
                         compute_loss=True)
        model.build_vocab(corpus_file='kjv.txt')
        model.train(corpus_file='kjv.txt', total_examples=model.corpus_count,
                    total_words=model.corpus_total_words, epochs=3, compute_loss=True)
        print('sentences', model.corpus_count, 'words', model.corpus_total_words, 'vocabulary', len(model.wv))
        loss = model.get_latest_training_loss()
        assert loss > 0, loss
        model.save('w2v.model')
        model = Word2Vec.load('w2v.model')
        new = [['zerubbabel', 'builded', 'the', 'house', 'of', 'the', 'lord']] * 20
        before = model.wv['house'].copy()
        model.build_vocab(new, update=True)
        assert np.array_equal(model.wv['house'], before)
        model.train(new, total_examples=len(new), epochs=model.epochs)
        assert 'zerubbabel' in model.wv.key_to_index
        print(model.wv.most_similar('zerubbabel', topn=3))
        print(model.predict_output_word(['moses', 'spake', 'unto'], topn=3))
        QUALITY_OF = model.wv
    """,
    # CBOW with the hierarchical softmax, gensim's vocabulary keywords, and each sentence's log-likelihood
    'CBOW hierarchical softmax, vocabulary keywords, score': """
        sentences = list(LineSentence('kjv.txt'))
        drop_and = lambda word, count, min_count: RULE_DISCARD if word == 'and' else RULE_DEFAULT
        model = Word2Vec(sentences, vector_size=64, window=5, sg=0, hs=1, negative=0, cbow_mean=1, alpha=0.05,
                         min_count=2, max_final_vocab=4000, trim_rule=drop_and, sorted_vocab=1, batch_words=10000,
                         shrink_windows=True, epochs=5, seed=1, workers=2)
        assert 'and' not in model.wv.key_to_index and len(model.wv) <= 4000 and model.hs == 1
        scores = model.score(sentences[:5], total_sentences=5)
        assert len(scores) == 5 and all(s < 0 for s in scores), scores
        QUALITY_OF = model.wv
    """,
    # KeyedVectors: save and reload, the word2vec binary format, the usual queries
    'KeyedVectors save/load, word2vec binary, queries': """
        model = Word2Vec(LineSentence('kjv.txt'), vector_size=64, min_count=5, sg=1, epochs=3, seed=1, workers=2)
        model.wv.save('vectors.kv')
        wv = KeyedVectors.load('vectors.kv')
        assert np.array_equal(wv['moses'], model.wv['moses'])
        wv.save_word2vec_format('vectors.bin', binary=True)
        wv = KeyedVectors.load_word2vec_format('vectors.bin', binary=True)
        print(wv.most_similar(positive=['king', 'woman'], negative=['man'], topn=3))
        print(wv.doesnt_match(['gold', 'silver', 'brass', 'sheep']), round(float(wv.similarity('gold', 'silver')), 3),
              round(float(wv.n_similarity(['gold', 'silver'], ['brass', 'iron'])), 3))
        QUALITY_OF = wv
    """,
    # FastText the two-step way; words never seen get vectors, also after saving the vectors alone
    'FastText two steps, unseen words, vectors saved alone': """
        sentences = list(LineSentence('kjv.txt'))
        model = FastText(vector_size=48, window=5, min_count=3, sg=1, min_n=3, max_n=5, bucket=100_000, seed=1,
                         workers=2)
        model.build_vocab(corpus_iterable=sentences)
        model.train(corpus_iterable=sentences, total_examples=len(sentences), epochs=3)
        assert 'jerusalm' not in model.wv.key_to_index
        print(model.wv.most_similar('jerusalm', topn=3))
        model.wv.save('ft.kv')
        wv = FastTextKeyedVectors.load('ft.kv')
        assert np.allclose(wv['jerusalm'], model.wv['jerusalm'], atol=1e-6)
        QUALITY_OF = wv
    """,
    # gensim's hs=1 with its default negative=5 (both output layers), every other setting left to each library's default
    'both output layers, defaults otherwise': """
        model = Word2Vec(LineSentence('kjv.txt'), hs=1, vector_size=64, seed=1, workers=2)
        assert model.hs == 1 and model.negative == 5 and model.syn1.shape[1] == model.syn1neg.shape[1] == 64
        print('sg', model.sg, 'alpha', model.alpha, 'epochs', model.epochs)
        QUALITY_OF = model.wv
    """,
    # the log a gensim user turns on, read back from the records
    'INFO logging': """
        import io, logging
        stream = io.StringIO()
        logging.basicConfig(stream=stream, format='%(name)s : %(levelname)s : %(message)s', level=logging.INFO)
        model = Word2Vec(corpus_file='kjv.txt', vector_size=32, min_count=5, sg=1, epochs=2, seed=1, workers=2)
        records = stream.getvalue()
        assert 'collected' in records and 'EPOCH' in records, records[:2000]
        print(len(records.splitlines()), 'log records, e.g.', records.splitlines()[1])
        QUALITY_OF = model.wv
    """,
}

@pytest.fixture(scope='module')
def corpus_folder(tmp_path_factory):
    from wordvec_nb.data import embedded_corpus
    folder = tmp_path_factory.mktemp('kjv')
    verses = [' '.join(s) for _, s in zip(range(12_000), embedded_corpus())]
    (folder/'kjv.txt').write_text('\n'.join(verses) + '\n')
    return folder

def run(library: str, body: str, folder) -> tuple[float, float, str]:
    code = '\n'.join(textwrap.dedent(part) for part in (IMPORTS[library], QUALITY, body))
    code += "\nprint('QUALITY', quality(QUALITY_OF))\n"
    start = time.perf_counter()
    r = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, cwd=folder, timeout=600)
    seconds = time.perf_counter() - start
    assert r.returncode == 0, f"{library} failed:\n{r.stdout[-2000:]}\n{r.stderr[-3000:]}"
    return float(r.stdout.split('QUALITY')[-1]), seconds, r.stdout

@pytest.mark.parametrize('name', list(SCRIPTS))
def test_gensim_script_runs_on_both_libraries(name, corpus_folder):
    (theirs, t_theirs, out_theirs), (ours, t_ours, out_ours) = (run(lib, SCRIPTS[name], corpus_folder)
                                                              for lib in ('gensim', 'wordvec_nb'))
    print(f"\n{name}\n  pair MRR: gensim {theirs:.3f} ({t_theirs:.1f} s), wordvec_nb {ours:.3f} ({t_ours:.1f} s)")
    print(textwrap.indent(out_ours.strip(), '  wordvec_nb | '))
    # two threads make both libraries' runs vary (first script, three runs: ours 0.28–0.32, gensim's 0.29–0.39)
    assert ours >= 0.6 * theirs - 0.05, (ours, theirs)
