#!/usr/bin/env bash
# Everything the GPU measurements need, in one device call (the device tool runs this in the repository root):
#   run(command="bash bench/gpu_device.sh", carry=["bench/data", ".whl"], timeout_s=600)
# bench/data/ holds text8-head12M (python -c "import sys; sys.path.insert(0, 'bench'); import common; common.corpus()"
# extracts it from ../shared/data); .whl/ holds what the GPU image lacks, for its Python 3.12:
#   python3 -m pip download --no-deps --only-binary=:all: --python-version 3.12 --implementation cp \
#     --platform manylinux_2_28_x86_64 --platform manylinux_2_17_x86_64 -d .whl gensim==4.4.0 smart_open==9.0.2
# The image already has torch, triton, numpy, numba, scipy, tqdm, matplotlib and pytest. Output: $OUT (or build/device).
set -u
OUT=${OUT:-build/device}; mkdir -p "$OUT"
[ -f bench/data/text8-head12M ] || { echo "bench/data/text8-head12M is missing: extract it here and carry bench/data"; exit 2; }
export PYTHONUNBUFFERED=1 PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}"
if ls .whl/*.whl >/dev/null 2>&1; then
    python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --target /tmp/site .whl/*.whl && export PYTHONPATH="$PYTHONPATH:/tmp/site"
fi
{ nvidia-smi; python3 -c "import torch, triton; print('torch', torch.__version__, 'triton', triton.__version__, torch.cuda.get_device_name())"; } 2>&1 | tee "$OUT/device.txt"
# the kernels against their references on CUDA, and the trainers' kernel paths (2.5 min at most)
timeout 150 python3 -m pytest -q -x -p no:cacheprovider tests/test_kernels.py 2>&1 | tee "$OUT/tests.txt"
# the benchmark: writes bench/results/gpu.md as it goes (6 min at most)
timeout 360 python3 bench/gpu.py 2>&1 | tee "$OUT/bench.txt"
# the kernel tests' result on this device goes into the record too: tests/test_structure.py lets backend='auto' pick
# the Triton kernels (TRITON_BY_DEFAULT) only when gpu.md shows them passing
{ echo; echo "## Kernel tests on this device (tests/test_kernels.py)"; echo; tail -n 3 "$OUT/tests.txt"; } >> bench/results/gpu.md
cp bench/results/gpu.md "$OUT/" 2>/dev/null || echo "no bench/results/gpu.md written"
