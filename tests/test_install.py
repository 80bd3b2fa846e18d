"""A plain install: the library and the `wordvec` command work without the `book` extra (matplotlib, Jupyter) and
without scipy or gensim. Each check runs in a fresh interpreter in which importing those packages fails, as it would
where they are not installed."""
import configparser, shlex, subprocess, sys, textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ABSENT = ('matplotlib', 'scipy', 'gensim', 'IPython', 'jupyterlab', 'nbdev', 'PIL', 'sklearn')

BLOCK = f"""
import importlib.abc, sys
class Absent(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split('.')[0] in {ABSENT!r}: raise ModuleNotFoundError(f"No module named {{name!r}}", name=name)
sys.meta_path.insert(0, Absent())
"""

def run_plain(code: str, *args, cwd=None):
    "Run `code` in a fresh interpreter where the book's and the test tools' packages cannot be imported."
    return subprocess.run([sys.executable, '-c', BLOCK + textwrap.dedent(code), *map(str, args)], capture_output=True,
                          text=True, timeout=300, cwd=cwd)

def test_the_plain_requirements_leave_out_the_book():
    cfg = configparser.ConfigParser(delimiters=['=']); cfg.read(ROOT/'settings.ini')
    plain = {r.split('>')[0].split('=')[0] for r in shlex.split(cfg['DEFAULT']['requirements'])}
    assert not plain & {'matplotlib', 'scipy', 'jupyterlab', 'gensim'}, plain
    assert 'matplotlib>=3.7' in cfg['DEFAULT']['book_requirements']

def test_the_blocker_blocks():
    r = run_plain("import matplotlib")
    assert r.returncode != 0 and "No module named 'matplotlib'" in r.stderr

def test_library_trains_queries_and_saves_without_extras(tmp_path):
    (tmp_path/'pairs.tsv').write_text('king\tlord\t8\nking\tdavid\t7\nlord\tgod\t9\nking\tsaid\t2\nthe\tand\t1\n')
    r = run_plain("""
        import pkgutil, importlib, sys
        import wordvec_nb
        for m in pkgutil.iter_modules(wordvec_nb.__path__):
            if m.name not in ('_modidx',): importlib.import_module(f'wordvec_nb.{m.name}')
        assert not any(k.split('.')[0] in ('matplotlib', 'scipy', 'gensim') for k in sys.modules)
        from wordvec_nb.word2vec import Word2Vec
        from wordvec_nb.vectors import WordVectors, plot_words
        from wordvec_nb.data import embedded_corpus
        sents = list(embedded_corpus('kjv'))[:3000]
        model = Word2Vec(sents, vector_size=20, epochs=1, workers=1, progress=False)
        print(model.wv.most_similar('king', topn=3))
        p, s, oov = model.wv.evaluate_word_pairs(sys.argv[1])
        print('spearman', round(s.statistic, 3), 'pvalue', s.pvalue)
        model.wv.save_word2vec_format(sys.argv[2])
        print(len(WordVectors.load_word2vec_format(sys.argv[2])))
        try: plot_words(model.wv, ['king', 'lord'])
        except ImportError as e: print('plot:', e)
    """, tmp_path/'pairs.tsv', tmp_path/'v.txt', cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert 'spearman' in r.stdout and 'plot: drawing needs matplotlib' in r.stdout and 'wordvec_nb[book]' in r.stdout

def test_cli_trains_and_queries_without_extras(tmp_path):
    corpus = tmp_path/'c.txt'
    corpus.write_text(' '.join(['the king rode north to the castle and the queen rode south to the sea'] * 400))
    r = run_plain("""
        import sys
        from wordvec_nb.cli import main
        sys.argv = ['wordvec'] + sys.argv[1:]
        main()
    """, 'train', corpus, '-o', tmp_path/'v.txt', '--epochs', '1', '--min-count', '2', '--vector-size', '16')
    assert r.returncode == 0, r.stderr
    r = run_plain("""
        import sys
        from wordvec_nb.cli import main
        sys.argv = ['wordvec'] + sys.argv[1:]
        main()
    """, 'similar', tmp_path/'v.txt', 'king')
    assert r.returncode == 0 and 'queen' in r.stdout, r.stdout + r.stderr
