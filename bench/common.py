"""What the benchmark scripts share: the text8-head12M corpus (unzipped once into bench/data/), quality scores, and
other revisions of the library checked out beside this one and run in fresh processes."""
import json, subprocess, sys, zipfile
from pathlib import Path
from gensim.models import KeyedVectors
from gensim.test.utils import datapath

HERE = Path(__file__).parent
DEFAULT_ZIP = HERE.parent.parent/'shared'/'data'/'text8-head12M.zip'

def corpus(zip_path: Path = DEFAULT_ZIP) -> Path:
    "The path of text8-head12M, extracted from `zip_path` into bench/data/ the first time."
    out = HERE/'data'/'text8-head12M'
    if not out.exists():
        out.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(zip_path) as z: z.extract('text8-head12M', out.parent)
    return out

def quality(kv: KeyedVectors) -> dict:
    """gensim's own scores of these vectors: analogy accuracy (restrict_vocab=30000), WordSim-353 and SimLex-999
    Spearman."""
    analogy, _ = kv.evaluate_word_analogies(datapath('questions-words.txt'), restrict_vocab=30000)
    return {'analogy': analogy, 'ws353': _pairs(kv, 'wordsim353.tsv'), 'simlex': _pairs(kv, 'simlex999.txt')}

def _pairs(kv: KeyedVectors, name: str) -> float:
    """Spearman correlation with a word-pair similarity file; NaN when none of its pairs is in the vocabulary (tiny
    smoke runs)."""
    try: return kv.evaluate_word_pairs(datapath(name))[1].statistic
    except ValueError: return float('nan')

def keyed(words, vectors) -> KeyedVectors:
    "Vectors (one row per word) as gensim KeyedVectors, so that both libraries are scored by the same code."
    kv = KeyedVectors(vectors.shape[1]); kv.add_vectors(words, vectors); return kv

def checkout(rev: str) -> Path:
    "A worktree of `rev` under bench/build/ (made once per commit)."
    sha = subprocess.run(['git', 'rev-parse', rev], capture_output=True, text=True, check=True, cwd=HERE).stdout.strip()
    path = HERE/'build'/f'rev-{sha[:10]}'
    if not path.exists():
        subprocess.run(['git', 'worktree', 'add', '--detach', '-f', str(path), sha], capture_output=True, check=True,
                       cwd=HERE)
    return path

def run_at(root: Path, script: str, *args: str) -> dict:
    """Run `script` in a fresh process as `python -c script root *args` (the script puts `root` first on sys.path); its
    last line of output as JSON, checked to come from the code at `root` (its 'file' entry)."""
    out = subprocess.run([sys.executable, '-c', script, str(root), *args], capture_output=True, text=True)
    if out.returncode: sys.exit(f"the run at {root} ({' '.join(args)[:200]}) failed:\n{out.stderr[-3000:]}")
    r = json.loads(out.stdout.strip().splitlines()[-1])
    if not r['file'].startswith(str(root)): sys.exit(f"imported {r['file']}, not the code at {root}")
    return r

def header(title: str, **details) -> list[str]:
    """The first two lines of every benchmark's raw output: what and when, then the commit (with -dirty when the
    working tree differs), the CPU model and cores and the versions, then `details` (name=value)."""
    import os, platform, time
    import numpy, torch
    git = lambda *a: subprocess.run(['git', *a], cwd=HERE, capture_output=True, text=True).stdout.strip()
    # dirty: a tracked file differs, other than the result files a run like this one is writing
    changed = git('status', '--porcelain', '-uno', '--', ':(top)', ':(top,exclude)bench/results')
    commit = (git('rev-parse', '--short', 'HEAD') or '?') + ('-dirty' if changed else '')
    extra = ''.join(f'; {k.replace("_", " ")} {v}' for k, v in details.items())
    return [f"# {title} — {time.strftime('%Y-%m-%d %H:%M')}",
            f"commit {commit}; {cpu_model()}, {os.cpu_count()} cores; python {platform.python_version()}; "
            f"numpy {numpy.__version__}; torch {torch.__version__}{extra}"]

def cpu_model() -> str:
    "The CPU's model name as the kernel reports it (/proc/cpuinfo), or the machine type where that is not readable."
    try: return next(l.split(':', 1)[1].strip() for l in open('/proc/cpuinfo') if l.startswith('model name'))
    except (OSError, StopIteration): import platform; return platform.machine()
