"""Check the built documentation site in headless Chromium (Selenium + the system chromedriver).

    python tools/check_site.py [--site build/site] [--screenshots docs/screenshots]

For the home page, every chapter page and every API page: the page loads, no `#|` directive text is visible, no
Markdown table in a cell's output is left as raw text,
math-bearing pages have rendered MathJax and no raw `$$`, no page has a formula MathJax could not render (a TeX
error, an undefined command, a processing error) nor raw TeX commands in its visible text outside code and
maths, every image has loaded, code cells have a copy button and none scrolls sideways,
the sidebar lists every chapter, chapter pages have prev/next links and an in-page table of contents, and every
internal link (and its #anchor) resolves. Then the search page must find "negative sampling", and on a phone-sized
window the home page and a chapter must not scroll sideways. Exits non-zero with the list of failures.
"""
import argparse, re, shutil, sys, time
from pathlib import Path
from urllib.parse import unquote, urldefrag, urlparse

REPO = Path(__file__).resolve().parent.parent

def browser(width=1280, height=900):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    binary = next((shutil.which(b) for b in ('chromium', 'chromium-browser', 'google-chrome') if shutil.which(b)), None)
    driver = shutil.which('chromedriver') or next((p for p in ('/usr/lib/chromium/chromedriver',) if Path(p).exists()),
                                                  None)
    if not binary or not driver:
        sys.exit("check_site: needs Chromium and its driver: apt-get install -y chromium chromium-driver")
    opts = webdriver.ChromeOptions(); opts.binary_location = binary
    for a in ('--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage',
              f'--window-size={width},{height}', '--allow-file-access-from-files'):
        opts.add_argument(a)
    return webdriver.Chrome(service=Service(driver), options=opts)

def settle(d, timeout=30):
    "Wait for the page and MathJax (if present) to finish."
    end = time.time() + timeout
    while time.time() < end and d.execute_script("return document.readyState") != 'complete': time.sleep(0.05)
    d.execute_script(
        "window.__mj = !window.MathJax || !MathJax.Hub; if (!window.__mj) "
        "MathJax.Hub.Queue(function(){window.__mj = true});"
    )
    while time.time() < end and not d.execute_script("return window.__mj === true"): time.sleep(0.1)
    d.execute_script(
        "window.__imgs = Promise.all([...document.images].map(i => i.complete ? 0 : new Promise(r => "
        "{i.onload = i.onerror = r})));"
    )
    d.execute_async_script("window.__imgs.then(arguments[arguments.length - 1])")

def ids_of(path: Path, cache={}) -> set:
    if path not in cache: cache[path] = set(re.findall(r'\bid="([^"]+)"', path.read_text(errors='replace')))
    return cache[path]

# MathJax 2 (docs/conf.py: config TeX-AMS-MML_HTMLorMML-full, HTML-CSS output in Chromium) loads the TeX extensions
# noErrors and noUndefined. With them a TeX error shows no message: the formula's raw source is set in a framed
# `span.noError` (an `merror` in the hidden assistive MathML), and an unknown `\foo` is typeset as the red text "\foo"
# (`mtext mathcolor="red"` in the MathML). Both pass for maths at a glance. MathJax also posts each on its signal,
# which keeps every message since start-up and replays them to a new listener: that is the main test, with the
# formula's source; the DOM marks (MathJax 2 and 3) are a second one. A swallowed escape (`\t` for `\text`) typesets
# without any error: tools/check_sync.py looks for those in the notebooks.
SIGNALS = ('TeX Jax - parse error', 'TeX Jax - undefined control sequence', 'Math Processing Error',
           'MathML Jax - parse error', 'MathML Jax - unknown node type', 'file load error')
MATH_PROBLEMS_JS = r"""
const names = arguments[0], out = [];
const say = x => x == null ? '' : x.nodeType ? (x.text || x.textContent || '')
                : x instanceof Error ? x.message : String(x);
const H = window.MathJax && MathJax.Hub;
if (H && H.signal) H.signal.Interest(function (m) {
  if (!Array.isArray(m) || !names.includes(m[0])) return;
  if (m[0] === 'TeX Jax - parse error') out.push(`TeX error "${say(m[1])}" in “${say(m[2])}”`);
  else if (m[0] === 'Math Processing Error') out.push(`Math Processing Error "${say(m[2])}" in “${say(m[1])}”`);
  else out.push(`${m[0].replace('TeX Jax - ', 'TeX ')}: ${m.slice(1).map(say).join(' ')}`);
});
const marks = [...document.querySelectorAll(
    '.MathJax_Error, .noError, merror, mjx-merror, [data-mjx-error], mtext[mathcolor="red"]')];
return [out, marks.map(e => (e.tagName.toLowerCase() + '.' + (e.getAttribute('class') || '')).replace(/\.$/, '')
                            + ' “' + e.textContent.slice(0, 80) + '”')];
"""
# Raw TeX in the visible text: a command (\text, \frac...) or a math delimiter \( \[ that no formula took in.
RAW_TEX_JS = r"""
const skip = 'pre, code, script, style, textarea, .highlight, .MathJax, .MathJax_Display, .MathJax_Preview, '
           + '.MJX_Assistive_MathML, mjx-container';
const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT), out = [];
for (let n; (n = walk.nextNode()); ) {
  const e = n.parentElement, m = /\\(?:[A-Za-z]{2,}|[()\[\]])/.exec(n.data);
  if (!m || !e || e.closest(skip) || (e.checkVisibility && !e.checkVisibility())) continue;
  out.push(n.data.slice(Math.max(0, m.index - 30), m.index + 40).replace(/\s+/g, ' '));
}
return out;
"""

def math_problems(d, shown=3) -> list[str]:
    """What is wrong with the maths of the loaded, settled page: formulas MathJax could not render, raw TeX left in the
    text."""
    signalled, marks = d.execute_script(MATH_PROBLEMS_JS, list(SIGNALS))
    raw = d.execute_script(RAW_TEX_JS)
    bad = []
    more = lambda xs: '; '.join(xs[:shown]) + (' …' if len(xs) > shown else '')
    if signalled: bad.append(f"{len(signalled)} formula(s) MathJax could not render: {more(signalled)}")
    elif marks: bad.append(f"{len(marks)} MathJax error mark(s) in the page: {more(marks)}")
    if raw: bad.append(f"raw TeX in the text ({len(raw)}): {more([f'“{r}”' for r in raw])}")
    return bad

SHOWN_PANELS_JS = ("return [...arguments[0].querySelectorAll('.pt')]"
                   ".filter(p => getComputedStyle(p.querySelector('.nb')).display != 'none').map(p => p.dataset.word)")

def word_maps(d) -> list[str]:
    "Each clickable word map (vectors.map_svg): no panel shows until a point is clicked, then exactly that point's."
    bad = []
    for m in d.find_elements('css selector', 'svg.wordmap'):
        if d.execute_script(SHOWN_PANELS_JS,
                            m): bad.append('a word map shows neighbour panels before any click'); continue
        points = m.find_elements('css selector', '.pt')
        if not points: bad.append('a word map without points'); continue
        d.execute_script("arguments[0].scrollIntoView({block: 'center'});", points[-1])
        points[-1].find_element('css selector', 'circle').click()
        shown = d.execute_script(SHOWN_PANELS_JS, m)
        if shown != [points[-1].get_attribute('data-word')]:
            bad.append(f'clicking {points[-1].get_attribute("data-word")!r} showed the panels of {shown}')
    return bad

def check_page(d, site: Path, rel: str, math: bool, chapter: bool, chapters: list[str]) -> list[str]:
    page = site/rel
    d.get(page.as_uri()); settle(d)
    bad, text = [], d.execute_script("return document.querySelector('main, article, body').innerText")
    if '#|' in text: bad.append(f"{rel}: visible '#|' directive text")
    if 'show_doc(' in text: bad.append(f"{rel}: visible show_doc call (its output should stand alone)")
    outputs = d.execute_script(
        "return [...document.querySelectorAll('.cell_output')].map(e => e.innerText).join('\\n')"
    )
    if re.search(r'\|\s*(-{3,}|[—–]+)\s*\|', outputs):      # (Sphinx turns a raw '---' into a dash)
        bad.append(f"{rel}: a Markdown table in an output was not rendered")
    if math:
        n = d.execute_script(
            "return document.querySelectorAll('span.MathJax, div.MathJax_Display, mjx-container').length"
        )
        if n == 0: bad.append(f"{rel}: no rendered math")
        if '$$' in text: bad.append(f"{rel}: raw $$ in the text")
    bad += [f"{rel}: {p}" for p in math_problems(d)]
    broken = d.execute_script(
        "return [...document.images].filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src)"
    )
    if broken: bad.append(f"{rel}: images not loaded: {broken[:3]}")
    if d.execute_script("return document.querySelectorAll('div.highlight pre').length") and not d.execute_script(
        "return document.querySelectorAll('button.copybtn').length"
    ):
        bad.append(f"{rel}: code without copy buttons")
    wide = d.execute_script(
        "return [...document.querySelectorAll('div.cell_input div.highlight pre')]"
        ".filter(p => p.scrollWidth > p.clientWidth + 1).length"
    )
    if wide: bad.append(f"{rel}: {wide} code cell(s) scroll sideways (docs/code.css wraps them)")
    bad += [f"{rel}: {p}" for p in word_maps(d)]
    nav = d.execute_script(
        "return [...document.querySelectorAll('.bd-sidebar-primary a')].map(a => a.getAttribute('href'))"
    )
    here = rel.rsplit('/', 1)[-1].removesuffix('.html')                   # the current page links to itself as '#'
    missing = [c for c in chapters if c != here and not any(h and h.split('#')[0].endswith(f'{c}.html') for h in nav)]
    if missing: bad.append(f"{rel}: sidebar lacks {missing}")
    if chapter:
        if not d.execute_script(
            "return document.querySelectorAll('.prev-next-area a, a.left-prev, a.right-next').length"
        ):
            bad.append(f"{rel}: no prev/next links")
        if not d.execute_script(
            "return document.querySelectorAll('.bd-toc a, #pst-page-toc-nav a, .page-toc a').length"
        ):
            bad.append(f"{rel}: no in-page table of contents")
    for href in d.execute_script("return [...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href'))"):
        url = urlparse(href)
        if url.scheme or href.startswith(('mailto:', 'javascript:')): continue
        target_rel, frag = urldefrag(href)
        target = (page.parent/unquote(target_rel)).resolve() if target_rel else page
        if target.is_dir(): target = target/'index.html'
        if not target.exists():
            bad.append(f"{rel}: link to missing {href}")
        elif frag and target.suffix == '.html' and unquote(frag) not in ids_of(target):
            bad.append(f"{rel}: link to missing anchor {href}")
    return bad

def math_bearing(nb: Path) -> bool:
    import nbformat
    prose = lambda md: re.sub(r'`[^`]*`', '', re.sub(r'```.*?```', '', md, flags=re.S))     # code spans are not math
    return any(c.cell_type == 'markdown' and re.search(r'\$[^$]+\$', prose(c.source)) for c in nbformat.read(nb,
            as_version=4).cells)

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--site', type=Path, default=REPO/'build'/'site')
    ap.add_argument('--screenshots', type=Path, help='write home/chapter screenshots (desktop and phone) here')
    ap.add_argument('--chapter', default='04_neg', help='the chapter for the phone check and screenshots')
    args = ap.parse_args(argv)
    site = args.site.resolve()
    if not (site/'index.html').exists(): sys.exit(f"check_site: no site at {site}: run `make docs` first")
    nbs = sorted((REPO/'nbs').glob('*.ipynb'))
    chapters = [p.stem for p in nbs if p.stem != 'index']
    api = sorted(p.relative_to(site).as_posix() for p in (site/'api').glob('*.html'))
    d, failures, checked = browser(), [], 0
    try:
        for nb in nbs:
            rel = 'index.html' if nb.stem == 'index' else f'{nb.stem}.html'
            failures += check_page(d, site, rel, math_bearing(nb), nb.stem != 'index', chapters); checked += 1
        for rel in api: failures += check_page(d, site, rel, False, False, chapters); checked += 1
        d.get((site/'search.html').as_uri() + '?q=negative+sampling'); settle(d)
        end, hits = time.time() + 20, []
        while time.time() < end and not hits:
            hits = d.execute_script(
                "return [...document.querySelectorAll('#search-results a')].map(a => a.getAttribute('href'))"
            )
            time.sleep(0.2)
        if not any('04_neg' in (h or '') for h in hits):
            failures.append(f"search for 'negative sampling' did not find the chapter: {hits[:5]}")
        if args.screenshots:
            args.screenshots.mkdir(parents=True, exist_ok=True)
            for rel, name in (('index.html', 'home'), (f'{args.chapter}.html', 'chapter')):
                d.set_window_size(1280, 900)
                d.get((site / rel).as_uri())
                settle(d)
                d.save_screenshot(str(args.screenshots / f'{name}-desktop.png'))
        d.set_window_size(1280, 1500); d.get((site/'index.html').as_uri()); settle(d)
        sidebar = d.execute_script(
            "const s = document.querySelector('.bd-sidebar-primary'); return s ? s.innerText : ''"
        )
        from build_docs import PARTS
        # the book's two parts, in the sidebar of every page
        for caption, _ in PARTS:
            if caption not in sidebar: failures.append(f"index.html: the sidebar does not show the caption {caption!r}")
        if args.screenshots: d.save_screenshot(str(args.screenshots/'sidebar-two-parts.png'))
        d.set_window_size(390, 844)
        for rel, name in (('index.html', 'home'), (f'{args.chapter}.html', 'chapter')):
            d.get((site/rel).as_uri()); settle(d)
            over = d.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
            if over > 1: failures.append(f"{rel}: scrolls sideways by {over}px at phone width")
            if args.screenshots: d.save_screenshot(str(args.screenshots/f'{name}-phone.png'))
    finally:
        d.quit()
    for f in failures: print('FAIL', f)
    print(
        f"check_site: {checked} pages + search + phone layout checked in headless Chromium; {len(failures)} failure(s)"
    )
    if failures: sys.exit(1)

if __name__ == '__main__': main()
