"""The library's import graph is a stack (chapter 25 draws it): every import of a wordvec_nb module, at the top of a
file or inside a function, goes to a module on a lower floor or on the same floor, the graph has no cycle, and no
module imports a private (underscore) name of another."""
import ast, re
from pathlib import Path
import pytest

PKG = Path(__file__).resolve().parent.parent/'wordvec_nb'
ROOT = PKG.parent
FLOORS = [   # bottom first; a module may import from its own floor or any floor below, never above
    ('the ideas and small helpers', ['exercises', 'files', 'text', 'onehot', 'softmax', 'hsoftmax', 'neg', 'nce']),
    ('data and trained vectors', ['data', 'keyed', 'vectors']),
    ('the training layer', ['training']),
    ('the compiled paths', ['cpu_kernels', 'kernels']),
    ('the trainers', ['word2vec', 'glove', 'fasttext']),
    ('applications', ['got', 'distributed']),
    ('the command line', ['cli']),
]
FLOOR = {m: i for i, (_, mods) in enumerate(FLOORS) for m in mods}

def modules() -> list[str]:
    return sorted(p.stem for p in PKG.glob('*.py') if p.stem not in ('__init__', '_modidx'))

def imports(module: str) -> list[tuple[str, str, int]]:
    """(target module, imported name or '', line) for every import of a wordvec_nb module in `module`, nested ones
    included."""
    found, tree = [], ast.parse((PKG/f'{module}.py').read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            parts = (node.module or '').split('.')
            if node.level == 1: target = parts[0] if node.module else None
            elif parts[0] == 'wordvec_nb': target = parts[1] if len(parts) > 1 else None
            else: continue
            for alias in node.names:
                # from . import x / from wordvec_nb import x
                if target is None: found.append((alias.name, '', node.lineno))
                else: found.append((target, alias.name, node.lineno))
        elif isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split('.')
                if parts[0] == 'wordvec_nb' and len(parts) > 1: found.append((parts[1], '', node.lineno))
    return [(t, n, l) for t, n, l in found if t in FLOOR or t in modules()]

def test_every_module_has_a_floor():
    assert sorted(set(modules()) - set(FLOOR)) == [], "a new module: give it a floor in FLOORS (and in chapter 25)"

@pytest.mark.parametrize('module', modules())
def test_imports_go_down(module):
    up = [f"line {l}: {module} (floor {FLOOR[module] + 1}) imports {t} (floor {FLOOR[t] + 1})"
          for t, _, l in imports(module) if FLOOR[t] > FLOOR[module]]
    assert not up, '\n'.join(up)

@pytest.mark.parametrize('module', modules())
def test_no_private_name_crosses_a_module(module):
    private = [f"line {l}: {module} imports {t}.{n}" for t, n, l in imports(module)
               if t != module and n.startswith('_') and n != '__version__']
    assert not private, '\n'.join(private)

def test_no_cycle():
    graph = {m: {t for t, _, _ in imports(m) if t != m} for m in modules()}
    state, path = {}, []
    def visit(m):
        state[m] = 'open'; path.append(m)
        for t in sorted(graph[m]):
            if state.get(t) == 'open': raise AssertionError('import cycle: ' + ' → '.join(path[path.index(t):] + [t]))
            if t not in state: visit(t)
        state[m] = 'done'; path.pop()
    for m in modules():
        if m not in state: visit(m)

def test_the_checks_can_fail(tmp_path, monkeypatch):
    "The checker sees an import inside a function, and a private name."
    (tmp_path/'text.py').write_text("def f():\n    from wordvec_nb.cli import _main\n")
    monkeypatch.setattr(__import__(__name__), 'PKG', tmp_path)
    assert imports('text') == [('cli', '_main', 2)]

MAX_POSITIONAL = 8

def positional_counts(module: str) -> list[tuple[str, int, int]]:
    """(function, positional parameters, line) for every function of `module` with more than MAX_POSITIONAL of them
    (self/cls not counted), Triton kernels left out: `triton.jit` takes flat arguments only."""
    found = []
    for node in ast.walk(ast.parse((PKG/f'{module}.py').read_text())):
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)): continue
        if any('triton.jit' in ast.unparse(d) for d in node.decorator_list): continue
        names = [a.arg for a in node.args.posonlyargs + node.args.args]
        n = len(names) - (names[:1] in (['self'], ['cls']))
        if n > MAX_POSITIONAL: found.append((node.name, n, node.lineno))
    return found

@pytest.mark.parametrize('module', modules())
def test_no_long_positional_lists(module):
    "Settings travel as named objects (named tuples for the compiled kernels), not as long positional lists."
    long = [f"line {l}: {module}.{f} takes {n} positional parameters (at most {MAX_POSITIONAL})"
            for f, n, l in positional_counts(module)]
    assert not long, '\n'.join(long)

def test_the_parameter_check_can_fail(tmp_path, monkeypatch):
    (tmp_path / 'text.py').write_text(
        "def f(a, b, c, d, e, f, g, h, i, *, j=1): pass\n@triton.jit\ndef k(a, b, c, d, e, f, g, h, i): pass\n"
    )
    monkeypatch.setattr(__import__(__name__), 'PKG', tmp_path)
    assert positional_counts('text') == [('f', 9, 1)]

LINE = 120        # pyproject.toml's line-length, which `make lint` checks in the notebooks the modules come from

def long_lines(module: str) -> list[int]:
    """Lines of `module` over LINE characters, except nbdev's own header: the docstring it writes from the notebook's
    subtitle (line 1) and the `__all__` list it wraps at 160."""
    lines, out, in_all = (PKG/f'{module}.py').read_text().split('\n'), [], False
    for i, line in enumerate(lines, 1):
        in_all = line.startswith('__all__ = [') or (in_all and not lines[i - 2].rstrip().endswith(']'))
        if len(line) > LINE and i > 1 and not in_all: out.append(i)
    return out

@pytest.mark.parametrize('module', modules())
def test_lines_fit_the_page(module):
    "Every line the notebooks export fits in LINE characters."
    assert not long_lines(module), f"{module}.py: lines {long_lines(module)} are over {LINE} characters"

def test_the_line_check_can_fail(tmp_path, monkeypatch):
    header = '"""' + 'x' * 200 + '"""\n__all__ = [' + "'a', " * 40 + "\n    'b']\n"
    (tmp_path/'text.py').write_text(header + 'x = 1' + ' ' * 130 + '\n')
    monkeypatch.setattr(__import__(__name__), 'PKG', tmp_path)
    assert long_lines('text') == [4]

def test_auto_takes_the_gpu_kernels_only_after_a_recorded_gpu_run():
    """`backend='auto'` may pick the Triton kernels on CUDA (TRITON_BY_DEFAULT) only when bench/results/gpu.md records
    a GPU run whose kernel tests passed; and the default must follow such a record once it exists."""
    from wordvec_nb.training import TRITON_BY_DEFAULT
    record = PKG.parent/'bench'/'results'/'gpu.md'
    passed = record.exists() and ' passed' in record.read_text() and ' failed' not in record.read_text()
    assert TRITON_BY_DEFAULT == passed, (TRITON_BY_DEFAULT, record)

def test_readme_tables_hold_the_numbers_of_the_results_they_cite():
    """Every number of a results table stands in the raw output it cites (a `bench/results/…` link in the paragraph
    just before the table, or the one before that), on the home page (README.md) and on the results page of Part II:
    a benchmark rerun whose numbers a page does not carry fails here."""
    import nbformat
    results = nbformat.read(ROOT/'nbs'/'30_results.ipynb', as_version=4)
    pages = {'README.md': (ROOT/'README.md').read_text(),
             '30_results': '\n\n'.join(c.source for c in results.cells if c.cell_type == 'markdown')}
    checked = {}
    for page, text in pages.items():
        blocks = [b.strip() for b in re.split(r'\n\s*\n', text)]
        checked[page] = 0
        for i, block in enumerate(blocks):
            if not block.startswith('|'): continue
            cited = next((links for b in blocks[max(0, i - 2):i][::-1]
                          if (links := re.findall(r'\]\((?:\.\./)?(bench/results/[^)#]+)\)', b))), None)
            if cited is None: continue                                      # a table of words, not of results
            raw = '\n'.join((ROOT/c).read_text() for c in cited)
            for row in block.splitlines()[2:]:
                missing = [n for n in re.findall(r'\d[\d,.]*\d|\d', row) if n not in raw]
                assert not missing, f"{page} row {row[:70]!r}: {missing} not in {cited}"
            checked[page] += 1
    assert checked['README.md'] >= 1 and checked['30_results'] >= 5, checked
