"""The `wordvec` console command, run as a user would (a subprocess on the installed entry point)."""
import shutil, subprocess, sys
from pathlib import Path
import pytest

# the entry point installed beside this interpreter (the venv's bin/), whether or not the venv is activated
WORDVEC = str(Path(sys.executable).parent/'wordvec') if (Path(sys.executable).parent/'wordvec').exists() else shutil.which('wordvec')

def run(*args):
    assert WORDVEC, 'the wordvec console script is not installed (pip install -e .)'
    return subprocess.run([WORDVEC, *map(str, args)], capture_output=True, text=True, timeout=120)

def test_help_lists_subcommands():
    r = run('--help')
    assert r.returncode == 0 and 'stats' in r.stdout and 'usage: wordvec' in r.stdout
    assert run('--version').stdout.startswith('wordvec_nb ')

def test_stats_on_a_corpus_with_invalid_utf8(tmp_path):
    (tmp_path/'c.txt').write_bytes(b'The king rode north. The king \xff\xfe rode south. ' * 5)
    r = run('stats', tmp_path/'c.txt', '--min-count', '3')
    assert r.returncode == 0, r.stderr
    assert 'invalid_utf8_bytes         10' in r.stdout and 'vocabulary (min_count=3)   5' in r.stdout

@pytest.mark.parametrize('content, message', [(None, 'does not exist'), (b'', 'contains no words'),
                                              (b'rare words only', 'no word occurs min_count=5 times')])
def test_user_errors_are_one_line_without_traceback(tmp_path, content, message):
    path = tmp_path/'c.txt'
    if content is not None: path.write_bytes(content)
    r = run('stats', path)
    assert r.returncode == 2 and message in r.stderr and 'Traceback' not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1

def test_bad_option_is_argparse_error():
    r = run('stats', '--min-count', 'many')
    assert r.returncode == 2 and 'invalid int value' in r.stderr
