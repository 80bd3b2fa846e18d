"""Fail if `nbdev_export`, `nbdev_clean` or `tools/make_readme.py` would change anything.

The generated files are left updated, so after a failure `git diff` shows what to commit.
"""
import hashlib, subprocess, sys
from pathlib import Path

def snapshot() -> dict[str, str]:
    files = [*Path('nbs').glob('*.ipynb'), *Path('wordvec_nb').rglob('*.py'), Path('README.md')]
    return {str(f): hashlib.sha256(f.read_bytes()).hexdigest() for f in files if f.exists()}

bin_dir = Path(sys.executable).parent
before = snapshot()
for cmd in ([str(bin_dir/'nbdev_export')], [str(bin_dir/'nbdev_clean')], [sys.executable, 'tools/make_readme.py']):
    subprocess.run(cmd, check=True)
after = snapshot()
changed = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
if changed:
    sys.exit("out of sync — these files changed when regenerated (review and commit them):\n  " + "\n  ".join(changed))
print(f"in sync: {len(after)} notebooks, modules and README unchanged by nbdev_export, nbdev_clean and make_readme")
