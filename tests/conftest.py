"""Shared fixtures: a real HTTP server on 127.0.0.1 whose misbehaviour each test chooses; Triton's interpreter without a
GPU."""
import http.server, os, threading
import pytest
import torch

# Without a GPU the fused kernels run in Triton's interpreter on CPU tensors. It must be switched on before any
# module that defines kernels is imported, which is why it is set here, at collection time.
if not torch.cuda.is_available(): os.environ.setdefault('TRITON_INTERPRET', '1')

# `make test` runs the tests in two processes (pytest-xdist), one per core: each keeps PyTorch (and the processes it
# starts) to one thread, or the two would fight over the cores (one torch test measured 2.3 s alone, 46 s so).
if os.environ.get('PYTEST_XDIST_WORKER'):
    torch.set_num_threads(1)
    os.environ['OMP_NUM_THREADS'] = '1'

class _Handler(http.server.BaseHTTPRequestHandler):
    routes: dict = {}
    hits: list = []
    def do_GET(self):
        self.hits.append(self.path)
        if self.path not in self.routes:
            self.send_error(404); return
        body, mode = self.routes[self.path]
        self.send_response(200)
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body[: len(body) // 2] if mode == 'cut' else body)   # 'cut': announce all, send half, hang up
    def log_message(self, *args): pass

@pytest.fixture
def http_server():
    "Yield (base_url, routes, hits): set routes['/name'] = (bytes, 'ok' | 'cut')."
    handler = type('Handler', (_Handler,), {'routes': {}, 'hits': []})
    server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f'http://127.0.0.1:{server.server_address[1]}', handler.routes, handler.hits
    server.shutdown(); server.server_close()
