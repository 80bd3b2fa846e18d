"""Screenshots of figures on the built site, scrolled into view, at desktop and phone widths (for docs/screenshots/).

    python tools/screenshot_figures.py PAGE:N[:NAME] ... [--site build/site] [--out docs/screenshots/figures]

PAGE is a page of the site without .html (e.g. 03_softmax), N the figure's position among the page's images (0 = first);
with --inline, among the page's inline SVG maps instead (the word maps of map_svg); --click WORD clicks that word's
point first.
"""
import argparse, sys, time
from pathlib import Path
sys.path.insert(0, str(Path(__file__).parent))
from check_site import REPO, browser

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('figures', nargs='+')
    ap.add_argument('--site', type=Path, default=REPO/'build'/'site')
    ap.add_argument('--out', type=Path, default=REPO/'docs'/'screenshots'/'figures')
    ap.add_argument('--inline', action='store_true', help='count inline SVG maps, not images')
    ap.add_argument('--click', help="with --inline: click this word's point, so its neighbour panel shows")
    args = ap.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    d = browser()
    try:
        for spec in args.figures:
            page, n, *name = spec.split(':')
            for width, height, label in ((1280, 900, 'desktop'), (390, 844, 'phone')):
                d.set_window_size(width, height); d.get((args.site/f'{page}.html').as_uri()); time.sleep(1.5)
                imgs = d.find_elements('css selector',
                                       'article svg[font-family]' if args.inline
                                       else 'main img, article img, .bd-article img')
                if len(imgs) <= int(n): sys.exit(f'{page}: only {len(imgs)} images, no figure {n}')
                d.execute_script("arguments[0].scrollIntoView({block: 'center'});", imgs[int(n)]); time.sleep(0.5)
                if args.click:
                    imgs[int(n)].find_element('css selector',
                                              f'.pt[data-word="{args.click}"] circle').click(); time.sleep(0.3)
                if not args.inline and not d.execute_script(
                    "return arguments[0].complete && arguments[0].naturalWidth > 0", imgs[int(n)]
                ):
                    sys.exit(f'{page}: figure {n} did not load')
                path = args.out/f"{name[0] if name else f'{page}-{n}'}-{label}.png"
                d.save_screenshot(str(path)); print(path)
    finally: d.quit()

if __name__ == '__main__': main()
