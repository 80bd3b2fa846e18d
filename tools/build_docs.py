"""Build the documentation site offline: the notebooks → Sphinx + MyST-NB (book theme) → build/site/.

    python tools/build_docs.py [--out build/site] [--executed build/executed]

Each chapter page is its notebook with nbdev's cell directives applied: `#| hide`, `#| default_exp` and
`#| include: false` cells are dropped, `#| export` code is shown as code, `#| echo: false` / `#| output: false`
become MyST-NB's remove-input / remove-output tags, `#| code-fold: true` its hide-input tag (folded, shown on a click),
as does a shown cell collapsed in JupyterLab (`jupyter.source_hidden`: how an exported drawing function is folded,
since nbdev would export a `#| code-fold` line into the module), and no `#|` line is left in any page. Outputs are
those of a real run: the copies that `tools/run_notebooks.py --save-to build/executed` writes during `make test` when
they are newer than the notebook and the package, else the outputs committed in the notebook. An API page per exported
module comes from the docstrings (autodoc). Maths are rendered by a MathJax copy that ships in the
jupyter-server-mathjax wheel, so the site needs no network.
"""
import argparse, json, os, re, shutil, subprocess, sys
from pathlib import Path
import nbformat

REPO = Path(__file__).resolve().parent.parent
DROP = {'hide', 'default_exp', 'include: false', 'exporti', 'hide_input_output'}

def directives(source: str) -> tuple[list[str], str]:
    "The leading `#|` directives of a code cell (normalised) and the source without them."
    lines, found = source.splitlines(), []
    while lines and (lines[0].startswith('#|') or (found and not lines[0].strip())):
        d = lines.pop(0)[2:].strip()
        if d: found.append(re.sub(r'\s+', ' ', d.lower()))
    return found, '\n'.join(lines)

def repo_url() -> str:
    import configparser
    ini = configparser.ConfigParser(); ini.read(REPO/'settings.ini')
    return f"{ini['DEFAULT']['git_url']}/blob/{ini['DEFAULT']['branch']}"

def outside_links(md: str) -> str:
    "Links to repository files that are not pages (benchmark outputs, scripts) point to the repository instead."
    def fix(m):
        target = m.group(2)
        if re.match(r'[a-z]+:|#', target) or target.split('#')[0].endswith('.ipynb'): return m.group(0)
        for base in (REPO/'nbs', REPO):
            f = (base/target.split('#')[0]).resolve()
            if f.exists() and REPO in f.parents: return f"{m.group(1)}({repo_url()}/{f.relative_to(REPO).as_posix()})"
        return m.group(0)
    return re.sub(r'(\[[^\]]*\])\(([^)\s]+)\)', fix, md)

def process(nb) -> nbformat.NotebookNode:
    "Apply the nbdev/Quarto cell directives the way Quarto would, as MyST-NB tags."
    cells = []
    for cell in nb.cells:
        collapsed = cell.metadata.get('jupyter', {}).get('source_hidden', False)
        cell.metadata = {}
        if cell.cell_type == 'markdown': cell.source = outside_links(cell.source)
        if cell.cell_type == 'code':
            found, cell.source = directives(cell.source)
            if any(d.split()[0] in DROP or d in DROP for d in found): continue
            only_show_doc = cell.source.strip() and all(l.startswith('show_doc(')
                                                        for l in cell.source.strip().splitlines())
            tags = (
                (['remove-input'] if 'echo: false' in found or only_show_doc else [])
                + (['remove-output'] if 'output: false' in found else [])
                + (['hide-input'] if 'code-fold: true' in found or collapsed else [])
            )  # Quarto's folded code: a worked solution, shown on a click
            if tags: cell.metadata['tags'] = tags
            # nbdev's rule above the entry is a docutils error here
            if only_show_doc:
                for o in cell.get('outputs', []):
                    md = o.get('data', {}).get('text/markdown')
                    # and so are Quarto's {attr} blocks after links
                    if md:
                        md = re.sub(r'^\s*---\s*\n', '', md if isinstance(md, str) else ''.join(md))
                        o['data']['text/markdown'] = re.sub(r'\)\{[^}\n]*\}', ')', md)
            cell.source = '\n'.join(l for l in cell.source.splitlines() if not l.lstrip().startswith('#|'))
        cells.append(cell)
    nb.cells = cells
    nb.metadata = {'kernelspec': {'name': 'python3', 'display_name': 'Python 3', 'language': 'python'},
                   'language_info': {'name': 'python'}}
    return nb

def source_notebook(nb_path: Path, executed: Path, newest_code: float) -> tuple[nbformat.NotebookNode, str]:
    "The freshly executed copy when it is up to date, else the committed notebook."
    run = executed/nb_path.name
    if run.exists() and run.stat().st_mtime >= max(nb_path.stat().st_mtime, newest_code):
        return nbformat.read(run, as_version=4), 'executed'
    return nbformat.read(nb_path, as_version=4), 'committed'

PARTS = (('Part I — Learning word embeddings', range(0, 20)), ('Part II — The engine room', range(20, 100)))

def book_parts() -> list[tuple[str, list[str]]]:
    """The sidebar: each part's caption and its chapters in reading order (by notebook number); the API reference ends
    Part II."""
    stems = sorted(p.stem for p in (REPO/'nbs').glob('[0-9]*.ipynb'))
    parts = [(caption, [s for s in stems if int(s[:2]) in numbers]) for caption, numbers in PARTS]
    parts[-1][1].append('api/index')
    return parts

def api_pages(src: Path) -> list[str]:
    "One autodoc page per exported module (from nbdev's module index), and an API index page."
    modidx = json.loads(json.dumps(__import__('wordvec_nb._modidx', fromlist=['d']).d))
    modules = sorted({m.split('.', 1)[1] for m in modidx['syms']})
    (src/'api').mkdir(exist_ok=True)
    for m in modules:
        (src / 'api' / f'{m}.md').write_text(
            f"# `wordvec_nb.{m}`\n\n```{{eval-rst}}\n.. automodule:: wordvec_nb.{m}\n   :members:\n```\n"
        )
    (src / 'api' / 'index.md').write_text(
        "# API reference\n\nEvery module the notebooks export, from its docstrings.\n\n```{toctree}\n:maxdepth: 1\n\n"
        + '\n'.join(f'{m}' for m in modules)
        + '\n```\n'
    )
    return modules

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--out', type=Path, default=REPO/'build'/'site')
    ap.add_argument('--executed', type=Path, default=REPO/'build'/'executed')
    ap.add_argument('--src', type=Path, default=REPO/'build'/'docs_src')
    args = ap.parse_args(argv)
    src = args.src
    shutil.rmtree(src, ignore_errors=True); src.mkdir(parents=True)
    shutil.copy(REPO/'docs'/'conf.py', src/'conf.py')
    static = src/'_static'; static.mkdir()
    shutil.copy(REPO/'docs'/'code.css', static/'code.css')          # code cells wrap rather than scroll sideways
    import jupyter_server_mathjax
    shutil.copytree(Path(jupyter_server_mathjax.__file__).parent/'static', static/'mathjax')
    newest_code = max(p.stat().st_mtime for p in (REPO/'wordvec_nb').glob('*.py'))
    chapters, origin = [], {}
    for nb_path in sorted((REPO/'nbs').glob('*.ipynb')):
        nb, origin[nb_path.stem] = source_notebook(nb_path, args.executed, newest_code)
        nb = process(nb)
        if nb_path.stem == 'index':
            for caption, pages in book_parts():
                nb.cells.append(
                    nbformat.v4.new_markdown_cell(
                        f'```{{toctree}}\n:hidden:\n:maxdepth: 1\n:caption: {caption}\n\n' + '\n'.join(pages) + '\n```'
                    )
                )
        else: chapters.append(nb_path.stem)
        nbformat.write(nb, src/nb_path.name)
    modules = api_pages(src)
    env = {**os.environ, 'WORDVEC_REPO': str(REPO)}
    cmd = [sys.executable, '-m', 'sphinx', '-b', 'html', '-q', '-W', '--keep-going', '-j', 'auto', str(src),
           str(args.out)]
    shutil.rmtree(args.out, ignore_errors=True)
    r = subprocess.run(cmd, env=env)
    if r.returncode: sys.exit(f'sphinx-build failed ({r.returncode})')
    counts = {k: sum(1 for v in origin.values() if v == k) for k in ('executed', 'committed')}
    print(f"site: {args.out}/index.html — {len(chapters)} chapters, {len(modules)} API pages; outputs from "
          f"{counts['executed']} fresh runs and {counts['committed']} committed notebooks")

if __name__ == '__main__': main()
