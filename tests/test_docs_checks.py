"""The site's maths checks can fail: swallowed escapes in a notebook's Markdown (tools/check_sync.py), and formulas that
MathJax cannot render in a page built like the real site (tools/check_site.py, in headless Chromium)."""
import importlib.util, os, shutil, subprocess, sys
from pathlib import Path
import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

REPO = Path(__file__).resolve().parent.parent

def tool(name):
    spec = importlib.util.spec_from_file_location(name, REPO/'tools'/f'{name}.py')
    mod = importlib.util.module_from_spec(spec); spec.loader.exec_module(mod)
    return mod

def notebook(path: Path, *cells) -> Path:
    nbformat.write(new_notebook(cells=list(cells)), path); return path

def test_swallowed_escapes_in_markdown_are_reported_with_notebook_cell_and_snippet(tmp_path):
    check_sync = tool('check_sync')                           # importing it must not run nbdev_export
    good = notebook(tmp_path/'good.ipynb',
                    new_markdown_cell('Weight $\\text{prob}_i$, column $\\lfloor x \\rfloor$, a price of \\$5.\n\n'
                                      '$$\n\\frac{1}{2}\n\\sum_i x_i\n$$\n\nIn code: `$a\nb$`.'),
                    new_code_cell('x = 1\t# a TAB in code is not Markdown'))
    bad = notebook(tmp_path/'bad.ipynb',
                   new_markdown_cell('Fine: $\\text{ok}$.'),
                   # Python's \t: a TAB, as JSON's would be
                   new_markdown_cell('Weight $\text{prob}_i$ here.'),
                   new_markdown_cell('Column $i = \\lfloor x \rfloor$.'),          # \r: a carriage return
                   # ... which saving turns into a line break
                   new_markdown_cell('Column $i = \\lfloor x\nfloor$ once saved.'),
                   new_markdown_cell('Half: $\frac{1}{2}$.'))                       # \f: a form feed
    assert check_sync.swallowed_escapes([good]) == []
    found = check_sync.swallowed_escapes([good, bad])
    assert len(found) == 4, found
    assert found[0].startswith(f'{bad}: cell 1: ⟨TAB⟩') and '$⟨TAB⟩ext{prob}_i$' in found[0]
    assert found[1].startswith(f'{bad}: cell 2: ⟨U+000D⟩') and '\\lfloor x ⟨U+000D⟩floor$' in found[1]
    assert found[2].startswith(f'{bad}: cell 3: line break inside the formula') and '$i = \\lfloor x⏎floor$' in found[2]
    assert found[3].startswith(f'{bad}: cell 4: ⟨U+000C⟩') and '$⟨U+000C⟩rac{1}{2}$' in found[3]

def chromium_ready() -> bool:
    try: import selenium  # noqa: F401
    except ImportError: return False
    return any(shutil.which(b) for b in ('chromium', 'chromium-browser', 'google-chrome')) and \
        bool(shutil.which('chromedriver') or Path('/usr/lib/chromium/chromedriver').exists())

PAGES = {   # name: Markdown of the one cell of a page
    'good': 'Weight $\\text{prob}_i$, column $i = \\lfloor x \\rfloor$, in code `\\text{x}` and\n\n'
            '$$\n\\frac{1}{2} \\sum_{i:\\,\\text{alias}_i = w} (1-\\text{prob}_i)\n$$\n\n'
            '\\begin{align}\na &= b \\\\\nc &= d\n\\end{align}',
    'unclosed': 'Broken: $\\frac{1}{$ and fine: $x^2$.',
    'undefined': 'Unknown command: $\\foo{x} + 1$.',
    'raw': 'A formula whose dollars were lost: \\text{prob}_i, beside a fine one: $x$.',
    'tab': 'Weight $\text{prob}_i$.',                               # renders, as nonsense: only check_sync sees it
}

@pytest.fixture(scope='module')
def tiny_site(tmp_path_factory):
    "A site built like tools/build_docs.py's (its notebook processing, docs/conf.py, the same offline MathJax)."
    import jupyter_server_mathjax
    build_docs, tmp = tool('build_docs'), tmp_path_factory.mktemp('site')
    src, out = tmp/'src', tmp/'site'
    (src/'_static').mkdir(parents=True)
    shutil.copy(REPO/'docs'/'conf.py', src/'conf.py')
    (src/'_static'/'mathjax').symlink_to(Path(jupyter_server_mathjax.__file__).parent/'static')
    for name, md in PAGES.items():
        nbformat.write(build_docs.process(new_notebook(cells=[new_markdown_cell(f'# {name}\n\n{md}'),
                                                              new_code_cell('s = r"\\frac{a}{b}"')])),
                       src/f'{name}.ipynb')
    (src/'index.md').write_text('# tiny\n\n```{toctree}\n' + '\n'.join(PAGES) + '\n```\n')
    subprocess.run([sys.executable, '-m', 'sphinx', '-b', 'html', '-q', str(src), str(out)], check=True,
                   env={**os.environ, 'WORDVEC_REPO': str(REPO)})
    return out

@pytest.mark.skipif(not chromium_ready(), reason='needs selenium, Chromium and chromedriver (make browser)')
def test_formulas_mathjax_cannot_render_fail_the_page(tiny_site):
    check_site = tool('check_site')
    d = check_site.browser()
    try:
        bad, marks = {}, {}
        for name in PAGES:
            bad[name] = check_site.check_page(d, tiny_site, f'{name}.html', True, False, [])
            marks[name] = d.execute_script(check_site.MATH_PROBLEMS_JS, [])[1]      # the page's error marks alone
    finally:
        d.quit()
    assert bad['good'] == [] and bad['tab'] == [], bad
    assert (
        len(bad['unclosed']) == 1
        and 'unclosed.html: 1 formula(s) MathJax could not render: TeX error' in bad['unclosed'][0]
        and 'in “\\frac{1}{”' in bad['unclosed'][0]
    ), bad['unclosed']
    assert len(bad['undefined']) == 1 and 'undefined control sequence: \\foo' in bad['undefined'][0], bad['undefined']
    # the second line holds too
    assert marks['unclosed'] and marks['undefined'] and not marks['good'] and not marks['tab'], marks
    assert (
        len(bad['raw']) == 1
        and bad['raw'][0].startswith('raw.html: raw TeX in the text (1)')
        and '\\text{prob}' in bad['raw'][0]
    ), bad['raw']

@pytest.mark.skipif(not chromium_ready(), reason='needs selenium, Chromium and chromedriver (make browser)')
def test_word_map_shows_a_clicked_points_neighbours_and_the_check_can_fail(tmp_path):
    """vectors.map_svg's click panel, in the browser: the site check passes the real map and fails one whose style is
    lost or whose panels always show."""
    import numpy as np
    from wordvec_nb.vectors import WordVectors, map_svg
    words = [f'w{i}' for i in range(12)]
    svg = map_svg(WordVectors(words, np.random.default_rng(0).normal(size=(12, 5))), words[:6])
    pages = {'good': svg, 'no_style': svg.split('<style>')[0] + svg.split('</style>')[1],
             'always': svg.replace(' display="none"', '')}
    check_site, d = tool('check_site'), None
    try:
        d, found = check_site.browser(), {}
        for name, body in pages.items():
            (tmp_path/f'{name}.html').write_text(f'<!doctype html><html><body><article>{body}</article></body></html>')
            d.get((tmp_path/f'{name}.html').as_uri()); found[name] = check_site.word_maps(d)
    finally:
        if d: d.quit()
    assert found['good'] == [], found
    assert found['no_style'] == ["clicking 'w5' showed the panels of []"], found
    assert found['always'] == ['a word map shows neighbour panels before any click'], found
