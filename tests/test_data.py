"""Corpora, the GoT loader and the text8 download (against a real server on 127.0.0.1)."""
import hashlib, io, os, zipfile
from collections import Counter
import numpy as np
import pytest
from wordvec_nb.data import (EncodedCorpus, TextCorpus, embedded_corpus, encode_corpus, got_corpus, load_text8,
                             GOT_FILES)
from wordvec_nb.text import Vocab

def _zip(text: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, 'w', zipfile.ZIP_DEFLATED) as z: z.writestr('text8', text)
    return buf.getvalue()

TEXT = ' anarchism originated as a term of abuse first used against early working class radicals' * 500

def test_text8_download_good_then_cached(http_server, tmp_path):
    base, routes, hits = http_server
    routes['/text8.zip'] = (payload := _zip(TEXT), 'ok')
    sha = hashlib.sha256(payload).hexdigest()
    path = load_text8(tmp_path, url=base + '/text8.zip', sha256=sha, progress=False)
    assert path.read_text() == TEXT and len(hits) == 1
    assert load_text8(tmp_path, url=base + '/text8.zip', sha256=sha, progress=False) == path and len(hits) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ['text8', 'text8.zip']

def test_text8_interrupted_transfer_leaves_nothing(http_server, tmp_path):
    base, routes, _ = http_server
    routes['/text8.zip'] = (payload := _zip(TEXT), 'cut')
    with pytest.raises(IOError, match=r'interrupted after [\d,]+ of [\d,]+ bytes'):
        load_text8(tmp_path, url=base + '/text8.zip', sha256=hashlib.sha256(payload).hexdigest(), progress=False)
    assert list(tmp_path.iterdir()) == []

def test_text8_bad_checksum_leaves_nothing(http_server, tmp_path):
    base, routes, _ = http_server
    routes['/text8.zip'] = (_zip(TEXT), 'ok')
    with pytest.raises(ValueError, match='checksum mismatch'):
        load_text8(tmp_path, url=base + '/text8.zip', sha256='ab' * 32, progress=False)
    assert list(tmp_path.iterdir()) == []

def test_text8_corrupt_cache_is_downloaded_again(http_server, tmp_path):
    base, routes, hits = http_server
    routes['/text8.zip'] = (payload := _zip(TEXT), 'ok')
    (tmp_path/'text8.zip').write_bytes(payload[:100])                  # a half file from some other tool
    path = load_text8(tmp_path, url=base + '/text8.zip', sha256=hashlib.sha256(payload).hexdigest(), progress=False)
    assert path.read_text() == TEXT and len(hits) == 1

def test_text8_unreachable_server_is_clear(tmp_path):
    with pytest.raises(IOError, match='could not download'):
        load_text8(tmp_path, url='http://127.0.0.1:9/text8.zip', sha256='0' * 64, progress=False)

def test_text_corpus_files_folders_and_errors(tmp_path):
    (tmp_path/'a.txt').write_text('One. Two three.')
    (tmp_path/'b.txt').write_text('Four!')
    assert list(TextCorpus([tmp_path/'b.txt', tmp_path/'a.txt'])) == [['four'], ['one'], ['two', 'three']]
    assert list(TextCorpus(tmp_path)) == [['one'], ['two', 'three'], ['four']]
    (tmp_path/'void').mkdir()
    with pytest.raises(FileNotFoundError, match='contains no files'): TextCorpus(tmp_path/'void')
    with pytest.raises(ValueError, match='no corpus files'): TextCorpus([])
    (tmp_path/'void'/'e.txt').write_text('\n\n')
    with pytest.raises(ValueError, match='contains no words'): list(TextCorpus(tmp_path/'void'))

def test_got_corpus_from_env_and_errors(tmp_path, monkeypatch):
    monkeypatch.delenv('WORDVEC_GOT_DIR', raising=False)
    with pytest.raises(FileNotFoundError, match='set WORDVEC_GOT_DIR'): got_corpus()
    for i, f in enumerate(GOT_FILES[:3]): (tmp_path/f).write_text(f'Book {i}. The king is dead.')
    with pytest.raises(FileNotFoundError, match='lacks 004ssb.txt, 005ssb.txt'): got_corpus(tmp_path)
    for f in GOT_FILES[3:]: (tmp_path/f).write_bytes(b'Long live the king\x92s hand.')   # cp1252 apostrophe
    monkeypatch.setenv('WORDVEC_GOT_DIR', str(tmp_path))
    c = got_corpus()
    assert len(list(c)) == 8 and c.stats.invalid_bytes == 2 and c.stats.files == 5

def test_embedded_corpus_is_real_and_offline():
    c = embedded_corpus()
    v = Vocab.build(c, min_count=5)
    assert c.stats.tokens > 780_000 and all(w in v for w in ['king', 'queen', 'lord', 'house', 'prince'])

def test_encode_and_mmap_roundtrip(tmp_path):
    v = Vocab.build([['a', 'b', 'a']], min_count=1)
    enc = encode_corpus([['a', 'zz'], ['zz'], ['b', 'a', 'b']], v)
    assert enc.ids.tolist() == [0, 1, 0, 1] and enc.offsets.tolist() == [0, 1, 4]
    enc.save(tmp_path/'c')
    back = EncodedCorpus.load(tmp_path/'c')
    assert isinstance(back.ids, np.memmap) and back.ids.tolist() == enc.ids.tolist()
    with pytest.raises(FileNotFoundError, match='no saved corpus'): EncodedCorpus.load(tmp_path)

def test_embedded_malory_is_real_and_offline(monkeypatch):
    import urllib.request
    def no_network(*a, **k): raise AssertionError('embedded_corpus must not touch the network')
    monkeypatch.setattr(urllib.request, 'urlopen', no_network)
    c = embedded_corpus('malory')
    counts = Counter(w for s in c for w in s)
    assert "Malory" in c.name and c.stats.tokens == sum(counts.values()) > 300_000
    # Arthur's court, not the Bible
    assert counts['queen'] > 500 and counts['launcelot'] > 1000 and counts['guenever'] > 150

def test_embedded_corpus_unknown_name_lists_the_choices():
    with pytest.raises(ValueError, match=r"no embedded corpus named 'got'.*'kjv'.*'malory'"): embedded_corpus('got')

def test_text8_head_and_large_corpus(tmp_path, monkeypatch, capsys):
    import wordvec_nb.data as data
    words = [f'w{i}' for i in range(2_500)]
    plain = tmp_path/'t8'; plain.write_text(' '.join(words))
    with zipfile.ZipFile(tmp_path/'t8.zip', 'w') as z: z.writestr('t8', ' '.join(words))
    whole = data.text8_head(plain, n_bytes=10**6, line=1_000)
    assert [len(s) for s in whole] == [1_000, 1_000, 500] and sum(whole, []) == words
    assert data.text8_head(tmp_path/'t8.zip', n_bytes=10**6) == whole
    cut = data.text8_head(plain, n_bytes=100)                  # 'w0 … w2' then a piece of a word: dropped
    assert sum(cut, []) == ' '.join(words)[:100].split()[:-1]
    monkeypatch.setenv('WORDVEC_TEXT8', str(tmp_path/'t8.zip'))
    assert data.large_corpus(n_bytes=10**6) == (whole, 'text8, first 1 MB')
    monkeypatch.delenv('WORDVEC_TEXT8')
    def offline(**kw): raise OSError('no network')
    monkeypatch.setattr(data, 'load_text8', offline)
    sents, name = data.large_corpus()
    assert name.startswith('stand-in') and len(sents) > 10_000
    assert 'text8 unavailable (no network)' in capsys.readouterr().out
