"""A fuzz pass over every reader, with Hypothesis: corpus files, vector files (word2vec text and binary, plain and
.gz), Facebook fastText `.bin`, our saved models and checkpoints, and `WordVectors.save`'s `.npz`. Each starts from a
valid file and is truncated, bit-flipped, spliced with random bytes, re-encoded or given a huge header. Every input must
give a clear error — a `ValueError` with a message (`FileEndsEarly`, `TextDecodeError` and `NotText` are ValueErrors) —
or a result that is consistent with the file; never a hang (Hypothesis's deadline), another exception type, or memory
far beyond what the file's size justifies (numpy's allocations, traced). The number of inputs tried per reader is
printed at the end (`pytest -s`)."""
import gzip, tracemalloc
from collections import Counter
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")   # replaced bytes are reported, as they should be
TRIED, REFUSED = Counter(), Counter()
EXAMPLES = 150
FUZZ = settings(max_examples=EXAMPLES, deadline=2000, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

@st.composite
def damaged(draw, data: bytes) -> bytes:
    "`data` after a few random injuries: cut short, bits flipped, random bytes written over or inserted."
    data = bytearray(data)
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(['cut', 'flip', 'overwrite', 'insert']))
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        if kind == 'cut': del data[at:]
        elif kind == 'flip' and data: data[at] ^= 1 << draw(st.integers(0, 7))
        else:
            junk = draw(st.binary(min_size=1, max_size=16))
            if kind == 'overwrite': data[at:at + len(junk)] = junk
            else: data[at:at] = junk
    return bytes(data)

def huge_header(data: bytes, count: int, dim: int) -> bytes:
    "A vector file whose header promises `count` words of `dim` numbers."
    return f'{count} {dim}'.encode() + data[data.index(b'\n'):]

def read(name: str, tmp_path, data: bytes, reader, suffix: str = ''):
    """Write `data`, read it with `reader(path)`: the result, or None after a clear error. Memory traced by numpy
    must stay within 64 × the file's size + 16 MB."""
    path = tmp_path/f'fuzz{suffix}'
    path.write_bytes(data)
    TRIED[name] += 1
    tracemalloc.start()
    try: result = reader(path)
    except ValueError as e:
        assert str(e), f'{name}: an error without a message'
        REFUSED[name] += 1; result = None
    finally:
        peak = tracemalloc.get_traced_memory()[1]; tracemalloc.stop()
    assert peak <= 64 * len(data) + (16 << 20), f'{name}: {peak:,} bytes for a file of {len(data):,}'
    return result

# --- corpus files ------------------------------------------------------------------------------------------------
TEXT = ('The king rode north. The queen stayed — « café » naïve Ærø. ' * 20).encode()

@FUZZ
@given(data=st.one_of(damaged(TEXT), st.sampled_from(['latin-1', 'utf-16', 'cp1252', 'utf-32']).map(
    lambda enc: TEXT.decode().encode(enc, 'replace'))), gz=st.booleans())
def test_corpus_reader(tmp_path, data, gz):
    from wordvec_nb.data import ReadStats, read_sentences
    stats = ReadStats()
    got = read('corpus', tmp_path, gzip.compress(data) if gz else data,
               lambda p: list(read_sentences(p, stats=stats)), '.txt.gz' if gz else '.txt')
    if got is not None:
        assert stats.bytes == len(data)
        assert all(s and all(t and not any(c.isspace() for c in t) for t in s) for s in got)

# --- vector files --------------------------------------------------------------------------------------------------
@pytest.fixture(scope='module')
def vector_files(tmp_path_factory):
    from wordvec_nb.vectors import WordVectors
    rng = np.random.default_rng(0)
    wv = WordVectors(['king', 'queen', 'café', 'naïve', 'x'] + [f'w{i}' for i in range(15)],
                     rng.normal(size=(20, 6)).astype(np.float32))
    out, folder = {}, tmp_path_factory.mktemp('vectors')
    for binary in (False, True):
        wv.save_word2vec_format(folder/'v', binary=binary)
        out[binary] = (folder/'v').read_bytes()
    return wv, out

def consistent(wv) -> bool:
    return len(wv.index_to_key) == len(wv.vectors) and len(set(wv.index_to_key)) == len(wv.index_to_key)

@pytest.mark.parametrize('binary', [False, True])
@FUZZ
@given(data=st.data(), gz=st.booleans())
def test_vector_file_reader(tmp_path, vector_files, data, binary, gz):
    from wordvec_nb.vectors import load_vectors
    good = vector_files[1][binary]
    raw = data.draw(st.one_of(damaged(good), st.tuples(st.integers(0, 10**12), st.integers(0, 10**6)).map(
        lambda h: huge_header(good, *h))))
    wv = read('vector file, ' + ('binary' if binary else 'text'), tmp_path, gzip.compress(raw) if gz else raw,
              load_vectors, '.bin.gz' if gz else '.bin')
    if wv is not None: assert consistent(wv)

def test_undamaged_vector_files_read_back(tmp_path, vector_files):
    "The reference point of the fuzz pass: the undamaged files read back as written."
    from wordvec_nb.vectors import load_vectors
    wv, files = vector_files
    for data in files.values():
        (tmp_path/'v').write_bytes(data)
        back = load_vectors(tmp_path/'v')
        assert back.index_to_key == wv.index_to_key and np.allclose(back.vectors, wv.vectors, atol=1e-5)

# --- Facebook fastText .bin ------------------------------------------------------------------------------------------
@pytest.fixture(scope='module')
def facebook_bin(tmp_path_factory):
    gensim = pytest.importorskip('gensim')
    from gensim.models.fasttext import FastText as GFastText, save_facebook_model
    sentences = [['the', 'king', 'rode', 'north'], ['the', 'queen', 'stayed', 'home']] * 5
    m = GFastText(sentences, vector_size=4, min_count=1, bucket=50, epochs=1, workers=1, seed=1)
    path = tmp_path_factory.mktemp('fb')/'model.bin'
    save_facebook_model(m, str(path))
    assert gensim
    return path.read_bytes()

@FUZZ
@given(data=st.data())
def test_facebook_bin_reader(tmp_path, facebook_bin, data):
    from wordvec_nb.fasttext import load_facebook_vectors
    wv = read('fastText .bin', tmp_path, data.draw(damaged(facebook_bin)), load_facebook_vectors)
    if wv is not None: assert consistent(wv)

# --- our models, checkpoints and .npz ----------------------------------------------------------------------------
@pytest.fixture(scope='module')
def saved(tmp_path_factory):
    from wordvec_nb.fasttext import FastText
    from wordvec_nb.glove import GloVe
    from wordvec_nb.word2vec import Word2Vec
    sentences = [['the', 'king', 'rode', 'north'], ['the', 'queen', 'stayed', 'home']] * 5
    folder = tmp_path_factory.mktemp('saved')
    ft = FastText(sentences, vector_size=4, min_count=1, epochs=1, workers=1, bucket=100, progress=False)
    ft.save(folder/'ft.pt')
    w2v = Word2Vec(sentences, vector_size=4, min_count=1, epochs=1, workers=1, progress=False)
    glove = GloVe(sentences, vector_size=4, min_count=1, epochs=1, workers=1, progress=False)
    w2v.save(folder/'w2v.pt'); glove.save(folder/'glove.pt'); w2v.wv.save(folder/'wv.npz')
    return {name: (folder/name).read_bytes() for name in ('w2v.pt', 'glove.pt', 'ft.pt', 'wv.npz')}

@pytest.mark.parametrize('which', ['w2v.pt', 'glove.pt', 'ft.pt', 'wv.npz'])
@FUZZ
@given(data=st.data())
def test_saved_model_and_checkpoint_readers(tmp_path, saved, data, which):
    "A checkpoint is a saved model (`EpochCheckpoint` writes it with `save`): one reader for both."
    from wordvec_nb.fasttext import FastText
    from wordvec_nb.glove import GloVe
    from wordvec_nb.vectors import WordVectors
    from wordvec_nb.word2vec import Word2Vec
    reader = {'w2v.pt': Word2Vec.load, 'glove.pt': GloVe.load, 'ft.pt': FastText.load,
              'wv.npz': WordVectors.load}[which]
    got = read(f'saved {which}', tmp_path, data.draw(damaged(saved[which])), reader, '.' + which.split('.')[1])
    if got is not None:                       # read: then it is the model that was saved (the damage was harmless)
        wv = got.wv if hasattr(got, 'wv') else got
        (tmp_path/'good').write_bytes(saved[which])
        good = reader(tmp_path/'good')
        good = good.wv if hasattr(good, 'wv') else good
        assert wv.index_to_key == good.index_to_key and np.array_equal(wv.vectors, good.vectors)

def test_fuzz_counts():
    "Printed last: how many inputs each reader was given, and how many it refused with a clear error."
    for name in sorted(TRIED): print(f'fuzz: {name:<26} {TRIED[name]:>5} inputs, {REFUSED[name]:>5} refused clearly')
    assert all(n >= EXAMPLES for n in TRIED.values()) and len(TRIED) >= 8, TRIED
