"""NumPy peer for bench/pspin.mjs: batched energy+gradient and batched Riemannian GD of the p=3
spherical spin glass, written the way a careful NumPy user would: couplings symmetrised once,
then one (B x Λ²)·(Λ² x Λ) matrix product per step, float32 like ours. Single thread.

Protocol (one JSON line each way): hello {"env"}; {"op":"eg","n","B","minMs"} -> {"evalsPerSec"};
{"op":"gd","n","B","steps"} -> {"evalsPerSec"} (restart-evaluations per second of whole GD steps).
"""
import json
import os
import sys
from peer_timing import median_rate


class Model:
    def __init__(self, np, n, B):
        rng = np.random.default_rng(0)
        J = rng.standard_normal((n, n, n)).astype(np.float32)
        Js = (J + J.transpose(0, 2, 1) + J.transpose(1, 0, 2) + J.transpose(1, 2, 0) + J.transpose(2, 0, 1) + J.transpose(2, 1, 0)) / 6
        self.np, self.n, self.B = np, n, B
        self.Jt = np.ascontiguousarray(Js.reshape(n, n * n).T)
        self.c = np.float32(n ** -1.0)
        W = rng.standard_normal((B, n)).astype(np.float32)
        self.W = W * np.sqrt(n) / np.linalg.norm(W, axis=1, keepdims=True)

    def eg(self, W):
        np, B, n = self.np, W.shape[0], self.n
        WW = (W[:, :, None] * W[:, None, :]).reshape(B, n * n)
        A = WW @ self.Jt
        return self.c * np.einsum("bi,bi->b", W, A), 3 * self.c * A

    def gd_step(self, lr=0.2):
        np, n, W = self.np, self.n, self.W
        _, G = self.eg(W)
        G -= (np.einsum("bi,bi->b", G, W) / n)[:, None] * W
        W -= lr * G
        W *= np.sqrt(n) / np.linalg.norm(W, axis=1, keepdims=True)


def main():
    env = {"OPENBLAS_CORETYPE": os.environ.get("OPENBLAS_CORETYPE"), "threads": os.environ.get("OPENBLAS_NUM_THREADS")}
    try:
        import numpy as np
        env["numpy"] = np.__version__
    except ImportError as e:
        np = None
        env["numpy"] = None
        env["unavailable"] = str(e)
    print(json.dumps({"env": env}), flush=True)
    models = {}
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            req = json.loads(line)
            if np is None:
                raise RuntimeError("numpy unavailable")
            key = (req["n"], req["B"])
            if key not in models:
                models[key] = Model(np, req["n"], req["B"])
            m = models[key]
            if req["op"] == "eg":
                reply = {"evalsPerSec": median_rate(lambda: m.eg(m.W), m.B, req.get("minMs", 50))}
            elif req["op"] == "gd":
                steps = req.get("steps", 20)
                def run():
                    for _ in range(steps):
                        m.gd_step()
                reply = {"evalsPerSec": median_rate(run, m.B * steps, req.get("minMs", 50))}
            else:
                raise ValueError(f"unknown op {req['op']!r}")
        except Exception as e:
            reply = {"error": f"{type(e).__name__}: {e}"}
        print(json.dumps(reply), flush=True)


main()
