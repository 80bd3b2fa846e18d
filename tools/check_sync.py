"""Fail if a notebook's Markdown shows an escape that JSON swallowed, or if `nbdev_export`, `nbdev_clean` or
`tools/make_readme.py` would change anything.

A `\\t` written for `\\text` becomes a TAB then "ext", `\\f` for `\\frac` a form feed, `\\b` for `\\beta` a backspace,
`\\r` for `\\rfloor` or `\\n` for `\\nabla` a line break (a carriage return turns into one when the notebook is saved).
The maths still typesets, as nonsense, and MathJax reports no error: only the source tells. So any control character but
the line feed in a Markdown cell fails, and so does a line break inside an inline `$…$` formula (none is needed: keep
each on one line; display `$$…$$` maths may span lines). The generated files are left updated, so after a failure `git
diff` shows what to commit.
"""
import hashlib, re, subprocess, sys
from pathlib import Path

CONTROL = re.compile(r'[\x00-\x09\x0b-\x1f\x7f-\x9f]')      # every C0/C1 control character but the line feed
INLINE = re.compile(r'(?<![\\$])\$(?!\$)((?:[^$\\]|\\.)+?)\$', re.S)   # $…$ (not $$, not \$), \$ allowed inside

def shown(m: re.Match) -> str: return '⟨TAB⟩' if m.group() == '\t' else f'⟨U+{ord(m.group()):04X}⟩'

def snippet(text: str, start: int, end: int, pad=30) -> str:
    return CONTROL.sub(shown, text[max(0, start - pad): end + pad]).replace('\n', '⏎')

def swallowed_escapes(notebooks) -> list[str]:
    """One line per control character (TAB included) in a Markdown cell and per inline formula broken by a line break:
    notebook, cell index, what and a snippet (⟨TAB⟩, ⟨U+000D⟩... for the characters, ⏎ for line breaks)."""
    import nbformat
    found = []
    for nb in notebooks:
        for i, cell in enumerate(nbformat.read(nb, as_version=4).cells):
            if cell.cell_type != 'markdown': continue
            src = cell.source
            for m in CONTROL.finditer(src):
                found.append(f"{nb}: cell {i}: {shown(m)} in “{snippet(src, m.start(), m.end())}”")
            prose = re.sub(r'```.*?```|`[^`]*`', lambda c: ' ' * len(c.group()), src, flags=re.S)   # code is not maths
            prose = re.sub(r'\$\$.*?\$\$', lambda c: ' ' * len(c.group()), prose, flags=re.S)
            for m in INLINE.finditer(prose):
                if '\n' in m.group(1):
                    found.append(
                        f"{nb}: cell {i}: line break inside the formula “{snippet(src, m.start(), m.end(), 0)}”"
                    )
    return found

def snapshot() -> dict[str, str]:
    files = [*Path('nbs').glob('*.ipynb'), *Path('wordvec_nb').rglob('*.py'), Path('README.md')]
    return {str(f): hashlib.sha256(f.read_bytes()).hexdigest() for f in files if f.exists()}

def main():
    problems = []
    escapes = swallowed_escapes(sorted(Path('nbs').glob('*.ipynb')))
    if escapes:
        problems.append(
            "Markdown with escapes swallowed by JSON (write `\\\\text` in the JSON, `\\text` in the notebook):\n  "
            + "\n  ".join(escapes)
        )
    bin_dir = Path(sys.executable).parent
    before = snapshot()
    for cmd in ([str(bin_dir/'nbdev_export')], [str(bin_dir/'nbdev_clean')], [sys.executable, 'tools/make_readme.py']):
        subprocess.run(cmd, check=True)
    after = snapshot()
    changed = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
    if changed:
        problems.append("out of sync — these files changed when regenerated (review and commit them):\n  "
                        + "\n  ".join(changed))
    if problems: sys.exit("\n".join(problems))
    print(
        f"in sync: {len(after)} notebooks, modules and README unchanged by nbdev_export, nbdev_clean and make_readme; "
        "no swallowed escapes in Markdown"
    )

if __name__ == '__main__': main()
