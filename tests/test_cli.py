"""The `wordvec` console command, run as a user would (a subprocess on the installed entry point)."""
import shutil, subprocess, sys
from pathlib import Path
import pytest

# the entry point installed beside this interpreter (the venv's bin/), whether or not the venv is activated
WORDVEC = (
    str(Path(sys.executable).parent / 'wordvec')
    if (Path(sys.executable).parent / 'wordvec').exists()
    else shutil.which('wordvec')
)

def run(*args):
    assert WORDVEC, 'the wordvec console script is not installed (pip install -e .)'
    return subprocess.run([WORDVEC, *map(str, args)], capture_output=True, text=True, timeout=120)

def test_help_lists_subcommands():
    r = run('--help')
    assert r.returncode == 0 and 'stats' in r.stdout and 'usage: wordvec' in r.stdout
    assert run('--version').stdout.startswith('wordvec_nb ')
    # python -m wordvec_nb.cli (how torchrun -m starts it) is the same command
    r = subprocess.run([sys.executable, '-m', 'wordvec_nb.cli', '--version'], capture_output=True, text=True,
                       timeout=60)
    assert r.returncode == 0 and r.stdout.startswith('wordvec_nb '), (r.stdout, r.stderr)

def test_stats_on_a_corpus_with_invalid_utf8(tmp_path):
    (tmp_path/'c.txt').write_bytes(b'The king rode north. The king \xff\xfe rode south. ' * 5)
    r = run('stats', tmp_path/'c.txt', '--min-count', '3')
    assert r.returncode == 0, r.stderr
    assert 'invalid_utf8_bytes         10' in r.stdout and 'vocabulary (min_count=3)   5' in r.stdout

@pytest.mark.parametrize('content, message', [(None, 'does not exist'), (b'', 'contains no words'),
                                              (b'rare words only', 'no word occurs 5 times or more')])
def test_user_errors_are_one_line_without_traceback(tmp_path, content, message):
    path = tmp_path/'c.txt'
    if content is not None: path.write_bytes(content)
    r = run('stats', path)
    assert r.returncode == 2 and message in r.stderr and 'Traceback' not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1

def test_bad_option_is_argparse_error():
    r = run('stats', '--min-count', 'many')
    assert r.returncode == 2 and 'invalid int value' in r.stderr

def one_line_corpus(path, n_words=60_000, bad=b''):
    "A single-line corpus (like text8) with real co-occurrence structure: two topics that never mix in a window."
    import numpy as np
    rng = np.random.default_rng(0)
    topics = [[f'sea{i}' for i in range(12)], [f'land{i}' for i in range(12)]]
    words = [topics[(i // 40) % 2][j] for i, j in enumerate(rng.integers(0, 12, n_words))]
    path.write_bytes(' '.join(words).encode() + bad + b' ' + ' '.join(words[:200]).encode())
    return path

def test_train_then_similar_analogy_evaluate_on_a_single_line_file(tmp_path):
    corpus = one_line_corpus(tmp_path/'oneline.txt')
    assert corpus.read_bytes().count(b'\n') == 0
    r = run('train', corpus, '-o', tmp_path/'v.bin', '--vector-size', 16, '--epochs', 2, '--min-count', 2, '--quiet',
            '--workers', 1, '--save-model', tmp_path/'m.pt')
    assert r.returncode == 0, r.stderr
    assert (
        'read 60,200 words in 7 sentences' in r.stdout
        and 'wrote 24 × 16 vectors' in r.stdout
        and '(binary)' in r.stdout
    )
    assert (tmp_path/'m.pt').exists()
    r = run('similar', tmp_path/'v.bin', 'sea3', '--topn', 5)
    assert r.returncode == 0, r.stderr
    neighbours = [line.split()[0] for line in r.stdout.splitlines()]
    assert len(neighbours) == 5 and all(w.startswith('sea') for w in neighbours), r.stdout   # same topic only
    r = run('analogy', tmp_path/'v.bin', 'sea1', 'sea2', 'land3', '--topn', 3, '--cosmul')
    assert r.returncode == 0 and len(r.stdout.splitlines()) == 3, r.stderr
    pairs = tmp_path/'pairs.tsv'
    pairs.write_text('# a\tb\tscore\n' + ''.join(f'sea{i}\t{t}{j}\t{9 if t == "sea" else 1}\n'
                                               for i in range(4) for t in ('sea', 'land') for j in range(5, 9)))
    questions = tmp_path/'q.txt'
    questions.write_text(': topics\nsea1 sea2 land1 land2\nsea1 land2 sea3 land4\nsea1 nosuch sea2 sea3\n')
    r = run('evaluate', tmp_path/'v.bin', '--analogies', questions, '--pairs', pairs)
    assert r.returncode == 0, r.stderr
    assert 'of 2 questions' in r.stdout and 'pairs.tsv: Spearman' in r.stdout
    spearman = float(r.stdout.split('Spearman ')[1].split(',')[0])
    assert spearman > 0.5                                  # same-topic pairs score higher, as the labels say

def test_train_on_invalid_utf8_writes_text_vectors(tmp_path):
    corpus = one_line_corpus(tmp_path/'bad.txt', 5_000, bad=b' \xff\xfe\xc3 ')
    r = run('train', corpus, '-o', tmp_path/'v.txt', '--vector-size', 8, '--epochs', 1, '--min-count', 1, '--quiet',
            '--workers', 1)
    assert r.returncode == 0, r.stderr
    assert '3 invalid UTF-8 bytes replaced' in r.stdout and '(text)' in r.stdout
    assert (tmp_path/'v.txt').read_text().startswith('24 8\n')

@pytest.mark.parametrize('args, message', [
    (['train', '/no/such.txt', '-o', 'v.bin'], "corpus path '/no/such.txt' does not exist"),
    (['similar', '/no/such.bin', 'king'], "vector file '/no/such.bin' does not exist"),
    (['train', '{empty}', '-o', '{tmp}/v.bin'], 'contains no words'),
    (['train', '{rare}', '-o', '{tmp}/v.bin'], 'no word occurs 5 times or more'),
    (['train', '{rare}', '-o', '{tmp}/v.bin', '--min-count', '1', '--device', 'cuda'],
     'sees no CUDA GPU; use --device cpu'),
    (['similar', '{vec}', 'khaleesi'], "word 'khaleesi' not in vocabulary"),
    (['similar', '{garbled}', 'king'], "line 3: expected 2 numbers after 'queen', got 1"),
    (['evaluate', '{vec}', '--analogies', '{vec}'], 'no analogy question in'),
    (['evaluate', '{vec}', '--analogies', '{noheader}'], 'line 1: a question before the first'),
    (['train', '{rare}', '-o', '{tmp}/v.bin', '--sample', '-3'],
     '--sample -3.0 is out of range: it must be a number ≥ 0'),
    (['train', '{rare}', '-o', '{tmp}/v.bin', '--window', '0'],
     '--window 0 is out of range: it must be an integer ≥ 1'),
    (['glove', '{rare}', '-o', '{tmp}/g.txt', '--x-max', '0'], '--x-max 0.0 is out of range: it must be a number > 0'),
    # refused before any training: an output in a folder that does not exist, a corpus that is not text
    (['train', '{rare}', '-o', '{tmp}/missing/dir/v.bin'], "the folder '{tmp}/missing/dir' does not exist"),
    (['train', '{rare}', '-o', '{tmp}/v.bin', '--save-model', '{tmp}/nope/m.pt'], "--save-model {tmp}/nope/m.pt"),
    (['train', '{rare}', '-o', '{tmp}'], 'that is a folder; name a file in it'),
    (['train', '{png}', '-o', '{tmp}/v.bin'], 'is not utf-8 text'),
    (['train', '{rare}', '-o', '{tmp}/v.bin', '--encoding', 'klingon'], "--encoding klingon is not a text encoding"),
    # options of data-parallel runs, given to one process: refused, not silently dropped
    (['train', '{rare}', '-o', '{tmp}/v.bin', '--min-count', '1', '--timeout', '5'],
     '--timeout applies to data-parallel training, and this is one process'),
    (['fasttext', '{rare}', '-o', '{tmp}/v.bin', '--min-count', '1', '--sync-words', '1000'],
     '--sync-words applies to data-parallel training'),
    (['glove', '{rare}', '-o', '{tmp}/g.txt', '--min-count', '1', '--sync-nnz', '1000'],
     '--sync-nnz applies to data-parallel training'),
    (['train', '{rare}', '-o', '{tmp}/v.bin', '--min-count', '1', '--checkpoint-words', '1000'],
     '--checkpoint-words says how often to save the checkpoint inside an epoch: give the file with --checkpoint too'),
])
def test_cli_errors_are_one_line(tmp_path, capsys, args, message):
    """Each misuse, through `main` in this process (the same code a `wordvec` process runs; one subprocess per case
    cost 1.6 s of start-up each: `test_user_errors_are_one_line_without_traceback` runs real processes)."""
    from wordvec_nb.cli import main
    import torch
    if 'cuda' in args and torch.cuda.is_available(): pytest.skip('this machine has CUDA')
    (tmp_path/'empty.txt').write_bytes(b'')
    (tmp_path/'rare.txt').write_bytes(b'just a few rare words')
    (tmp_path/'vec.txt').write_text('2 2\nking 1 2\nqueen 0.5 1\n')
    (tmp_path/'garbled.txt').write_text('2 2\nking 1 2\nqueen 0.5\n')
    (tmp_path/'noheader.txt').write_text('king queen man woman\n: section\n')
    (tmp_path/'picture.png').write_bytes(b'\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR' + bytes(range(256)) * 4)
    names = {'empty': 'empty.txt', 'rare': 'rare.txt', 'vec': 'vec.txt', 'garbled': 'garbled.txt',
             'noheader': 'noheader.txt', 'png': 'picture.png'}
    args = [a.format(tmp=tmp_path, **{k: tmp_path/v for k, v in names.items()}) for a in args]
    message = message.format(tmp=tmp_path)
    code, err = main(args), capsys.readouterr().err
    assert code == 2 and message in err and 'Traceback' not in err, err
    assert len(err.strip().splitlines()) == 1, err
    assert not (tmp_path/'v.bin').exists()                  # nothing half-written

def test_latin1_corpus_read_as_what_it_is_and_warned_about_otherwise(tmp_path):
    """A Latin-1 corpus: as UTF-8 its accents are replaced, with one warning in the command's words; --encoding keeps
    them."""
    (tmp_path/'c.txt').write_bytes('Le café du roi. Le roi boit du café. '.encode('latin-1') * 20)
    common = ['train', tmp_path/'c.txt', '--min-count', '1', '--vector-size', 8, '--epochs', 1, '--quiet']
    r = run(*common, '-o', tmp_path/'utf8.txt')
    assert r.returncode == 0, r.stderr
    warning = [line for line in r.stderr.splitlines() if line.strip()]
    assert len(warning) == 1 and warning[0].startswith('wordvec train: warning:'), r.stderr   # no Python source line
    assert '40 are not valid utf-8, replaced' in warning[0] and '--encoding latin-1' in warning[0]
    assert 'café' not in (tmp_path/'utf8.txt').read_text()
    r = run(*common, '-o', tmp_path/'latin1.txt', '--encoding', 'latin-1')
    assert r.returncode == 0 and r.stderr == '', r.stderr
    assert 'café' in (tmp_path/'latin1.txt').read_text()

def test_a_file_that_is_not_text_is_read_when_forced(tmp_path):
    (tmp_path/'data.bin').write_bytes(b'\x00\x01king queen ' * 400)
    r = run('train', tmp_path/'data.bin', '-o', tmp_path/'v.txt', '--min-count', '1', '--quiet', '--force')
    assert r.returncode == 0 and 'king' in (tmp_path/'v.txt').read_text(), r.stderr

def test_a_bug_keeps_its_traceback_and_a_user_error_shows_it_under_debug(tmp_path):
    """An error raised outside the library's own checks (here numpy's, inside a command) is a bug: its traceback is
    printed with a line that says so, exit 1. A user error is one line, and its traceback only with --debug."""
    code = ("import sys, numpy as np; from wordvec_nb import cli; "
            "cli._stats = lambda args: np.zeros(-1); sys.exit(cli.main(['stats']))")
    r = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, timeout=120)
    assert r.returncode == 1 and 'Traceback' in r.stderr and 'unexpected error (a bug' in r.stderr, r.stderr
    assert 'negative dimensions' in r.stderr
    r = run('stats', tmp_path/'missing.txt', '--debug')
    assert r.returncode == 2 and 'Traceback' in r.stderr and "corpus path" in r.stderr

def test_demo_runs_the_worked_example_on_the_embedded_corpus(monkeypatch):
    monkeypatch.delenv('WORDVEC_GOT_DIR', raising=False)
    r = run('demo', '--quiet')
    assert r.returncode == 0, r.stderr
    assert (
        "Malory's Le Morte d'Arthur (embedded)" in r.stdout
        and 'wordvec_nb: king' in r.stdout
        and 'gensim: queen' in r.stdout
    )
    assert 'the post (books): queen' in r.stdout
    from wordvec_nb.got import MALORY_WOMEN
    queen = r.stdout.split('wordvec_nb: queen')[1].splitlines()[2:12]   # our 'queen' column, ten rows
    assert sum(row.split('|')[1].split()[0] in MALORY_WOMEN for row in queen) >= 6, queen

def test_demo_with_a_missing_books_folder(tmp_path):
    r = run('demo', '--books', tmp_path)
    assert r.returncode == 2 and 'lacks 001ssb.txt' in r.stderr

def test_glove_then_similar_on_a_single_line_file(tmp_path):
    corpus = one_line_corpus(tmp_path/'oneline.txt', n_words=20_000)
    r = run('glove', corpus, '-o', tmp_path/'g.txt', '--vector-size', 12, '--epochs', 10, '--min-count', 2, '--x-max',
            10, '--window', 5, '--quiet', '--workers', 1, '--save-model', tmp_path/'g.pt')
    assert r.returncode == 0, r.stderr
    assert 'wrote 24 × 12 vectors' in r.stdout and '(text)' in r.stdout and 'co-occurrences counted' in r.stdout
    assert (tmp_path/'g.pt').exists() and (tmp_path/'g.txt').read_text().startswith('24 12\n')
    r = run('similar', tmp_path/'g.txt', 'land5', '--topn', 5)
    assert r.returncode == 0, r.stderr
    assert all(line.split()[0].startswith('land') for line in r.stdout.splitlines()), r.stdout

def test_glove_errors_are_one_line(tmp_path):
    (tmp_path/'empty.txt').write_text('')
    r = run('glove', tmp_path/'empty.txt', '-o', tmp_path/'g.txt')
    assert r.returncode == 2 and 'Traceback' not in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert not (tmp_path/'g.txt').exists()
    import torch
    if not torch.cuda.is_available():
        r = run('glove', one_line_corpus(tmp_path/'c.txt', 2000), '-o', tmp_path/'g.txt', '--device', 'cuda',
                '--min-count', 1)
        assert r.returncode == 2 and 'CUDA' in r.stderr and not (tmp_path/'g.txt').exists()

def test_output_names_ending_in_gz_are_compressed(tmp_path):
    "`-o v.txt.gz` writes compressed word2vec text (it wrote uncompressed binary under that name), and queries read it."
    import gzip
    (tmp_path/'c.txt').write_text('the king rode north to the castle and the queen rode south to the sea. ' * 300)
    r = run('train', tmp_path/'c.txt', '-o', tmp_path/'v.txt.gz', '--min-count', '2', '--epochs', '1', '--quiet')
    assert r.returncode == 0, r.stderr
    assert gzip.open(tmp_path/'v.txt.gz').readline().split() == [b'10', b'100']
    r = run('similar', tmp_path/'v.txt.gz', 'king', '--topn', '3')
    assert r.returncode == 0 and len(r.stdout.strip().splitlines()) == 3, r.stdout + r.stderr

def test_every_saved_model_and_vector_file_can_be_queried(tmp_path):
    "`similar` and `evaluate` recognise each trainer's --save-model file by its format tag, and WordVectors.save's."
    from wordvec_nb.data import fmt_bytes
    (tmp_path/'c.txt').write_text('the king rode north to the castle and the queen rode south to the sea. ' * 300)
    for command, extra in [('train', []), ('glove', ['--epochs', '2']), ('fasttext', ['--bucket', '1000'])]:
        model = tmp_path/f'{command}.pt'
        r = run(command, tmp_path/'c.txt', '-o', tmp_path/f'{command}.txt', '--min-count', '2', '--quiet',
                '--save-model', model, *extra)
        assert r.returncode == 0, r.stderr
        if command == 'fasttext':                # its size said before training, and the file's after
            assert '--save-model: the model keeps 1,000 n-gram rows of' in r.stdout.splitlines()[0], r.stdout
            assert f'to {model} ({fmt_bytes(model.stat().st_size)})' in r.stdout, r.stdout
        r = run('similar', model, 'king', '--topn', '2')
        assert r.returncode == 0 and len(r.stdout.strip().splitlines()) == 2, (command, r.stdout + r.stderr)
    r = run('evaluate', tmp_path/'train.pt', '--pairs', tmp_path/'c.txt')
    assert r.returncode == 2 and 'fewer than two pairs' in r.stderr, r.stderr     # read as a model, then evaluated
    from wordvec_nb.word2vec import Word2Vec
    Word2Vec.load(tmp_path/'train.pt').wv.save(tmp_path/'v.npz')
    r = run('similar', tmp_path/'v.npz', 'queen', '--topn', '1')
    assert r.returncode == 0 and len(r.stdout.strip().splitlines()) == 1, r.stdout + r.stderr
