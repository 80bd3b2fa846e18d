"""Write README.md from nbs/index.ipynb (nbdev's own `nbdev_readme` needs Quarto, which we cannot install).

Markdown cells are copied; visible code cells become ```python blocks followed by their text output;
cells marked `#| hide` are dropped and `#|` directive lines removed. Notebook links point into nbs/.
"""
import re, sys
from pathlib import Path
import nbformat

def directives(src: str) -> set[str]:
    return {l[3:].strip() for l in src.splitlines() if l.startswith('#|')}

def cell_md(cell) -> str:
    if cell.cell_type == 'markdown':
        return re.sub(r'\]\((\d\d_\w+)\.ipynb\)', r'](nbs/\1.ipynb)', cell.source)
    if 'hide' in directives(cell.source): return ''
    code = '\n'.join(l for l in cell.source.splitlines() if not l.startswith('#|'))
    out = [f'```python\n{code}\n```']
    for o in cell.get('outputs', []):
        text = o.get('text') if o.output_type == 'stream' else o.get('data', {}).get('text/plain')
        if text: out.append(f'```\n{text.rstrip()}\n```')
    return '\n\n'.join(out)

def main(root: Path = Path('.')) -> str:
    nb = nbformat.read(root/'nbs'/'index.ipynb', as_version=4)
    body = '\n\n'.join(m for c in nb.cells if (m := cell_md(c).strip()))
    readme = (
        '<!-- generated from nbs/index.ipynb by tools/make_readme.py: edit the notebook, not this file -->\n\n'
        + body
        + '\n'
    )
    (root/'README.md').write_text(readme, encoding='utf-8')
    return readme

if __name__ == '__main__': main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path('.'))
