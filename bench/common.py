"""What the benchmark scripts share: the text8-head12M corpus (unzipped once into bench/data/) and quality scores."""
import zipfile
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
    "gensim's own scores of these vectors: analogy accuracy (restrict_vocab=30000), WordSim-353 and SimLex-999 Spearman."
    analogy, _ = kv.evaluate_word_analogies(datapath('questions-words.txt'), restrict_vocab=30000)
    return {'analogy': analogy, 'ws353': _pairs(kv, 'wordsim353.tsv'), 'simlex': _pairs(kv, 'simlex999.txt')}

def _pairs(kv: KeyedVectors, name: str) -> float:
    "Spearman correlation with a word-pair similarity file; NaN when none of its pairs is in the vocabulary (tiny smoke runs)."
    try: return kv.evaluate_word_pairs(datapath(name))[1].statistic
    except ValueError: return float('nan')

def keyed(words, vectors) -> KeyedVectors:
    "Vectors (one row per word) as gensim KeyedVectors, so that both libraries are scored by the same code."
    kv = KeyedVectors(vectors.shape[1]); kv.add_vectors(words, vectors); return kv
