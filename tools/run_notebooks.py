"""Execute notebooks in a real Jupyter kernel (ipykernel via nbclient), as a reader in JupyterLab would.

    python tools/run_notebooks.py                 # run every nbs/*.ipynb, report seconds, leave files untouched
    python tools/run_notebooks.py --inplace NB..  # run and save the outputs into the notebooks (then nbdev_clean)
    python tools/run_notebooks.py --save-to DIR   # also keep each executed copy in DIR (the docs build uses them)

Exits non-zero if a notebook raises or takes longer than --max-seconds (default 60, the CPU budget per chapter).
"""
import argparse, sys, time
from pathlib import Path
import nbformat
from nbclient import NotebookClient

def run(path: Path, inplace: bool, timeout: int, save_to: Path | None = None) -> float:
    nb = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    NotebookClient(nb, timeout=timeout, kernel_name='python3',
                   resources={'metadata': {'path': str(path.parent)}}).execute()
    seconds = time.perf_counter() - start
    if inplace: nbformat.write(nb, path)
    if save_to: save_to.mkdir(parents=True, exist_ok=True); nbformat.write(nb, save_to/path.name)
    return seconds

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('notebooks', nargs='*', type=Path)
    ap.add_argument('--inplace', action='store_true', help='save outputs into the notebooks')
    ap.add_argument('--max-seconds', type=float, default=60.0)
    ap.add_argument('--save-to', type=Path, help='write each executed notebook into this folder')
    args = ap.parse_args(argv)
    nbs = args.notebooks or sorted(Path('nbs').glob('*.ipynb'))
    failed = []
    for nb in nbs:
        try:
            secs = run(nb, args.inplace, timeout=int(args.max_seconds * 3), save_to=args.save_to)
            ok = secs <= args.max_seconds
            print(f"{'ok  ' if ok else 'SLOW'} {secs:6.1f} s  {nb}", flush=True)
            if not ok: failed.append(f'{nb} took {secs:.1f} s > {args.max_seconds:.0f} s')
        except Exception as e:
            print(f"FAIL          {nb}\n{e}", flush=True); failed.append(str(nb))
    if failed: sys.exit('notebook run failed: ' + '; '.join(failed))

if __name__ == '__main__': main()
