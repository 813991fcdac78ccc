"""NumPy peer for bench/e2e.mjs: the `pspin` experiment's GD ensemble protocol, written the way a
careful NumPy user would. For each size Λ: one Gaussian p = 3 coupling tensor, symmetrised once,
H(w) = Λ^-1 Σ J_ijk w_i w_j w_k on |w|² = Λ; `restarts` Gaussian starts rescaled to the sphere;
batched Riemannian GD w ← w − lr·g_R, renormalised, g_R = ∇H − (⟨∇H, w⟩/Λ)·w, a restart leaving
the batch once ‖g_R‖ < tol (checked before each step, float32 like ours) or after max_iter steps;
then, in float64, the index: eigenvalues of P(∇²H − (3H/Λ)I)P below −index_tol (numpy.linalg.eigvalsh).
One (B×Λ²)·(Λ²×Λ) product per step for the active restarts. Restarts are dealt to `procs`
processes (1 OpenBLAS thread each); one JSON line per restart, then {"done", "seconds"}.

usage: numpy_pspin_ensemble.py --n 25,50,100,250 --restarts 200 [--lr 0.2 --tol 0.01 --max-iter 20000
       --index-tol 1e-3 --procs 2 --seed 1] [--couplings DIR: ours' instance instead of a fresh draw]
"""
import argparse
import json
import multiprocessing as mp
import os
import sys
import time


def couplings(np, n, seed, folder=None):
    if folder:  # ours, written by `landscape pspin --save-couplings` (dense f64 draws): the same instance
        J = np.load(os.path.join(folder, f"couplings-L{n}-i0.npy")).astype(np.float32)
    else:
        J = np.random.default_rng([seed, n]).standard_normal((n, n, n), dtype=np.float32)
    return (J + J.transpose(0, 2, 1) + J.transpose(1, 0, 2) + J.transpose(1, 2, 0) + J.transpose(2, 0, 1) + J.transpose(2, 1, 0)) / 6


def work(args):
    n, restarts, o = args
    import numpy as np
    Js = couplings(np, n, o["seed"], o["couplings"])
    Jt = np.ascontiguousarray(Js.reshape(n, n * n).T)  # (Λ², Λ)
    c = np.float32(1.0 / n)
    rng = np.random.default_rng([o["seed"], n, 1 + restarts[0]])
    W = rng.standard_normal((len(restarts), n)).astype(np.float32)
    W *= np.sqrt(n) / np.linalg.norm(W, axis=1, keepdims=True)
    steps = np.zeros(len(restarts), dtype=np.int64)
    active = np.arange(len(restarts))
    lr = np.float32(o["lr"])
    while active.size:
        Wa = W[active]
        A = ((Wa[:, :, None] * Wa[:, None, :]).reshape(active.size, n * n)) @ Jt
        G = 3 * c * A
        G -= (np.einsum("bi,bi->b", G, Wa) / n)[:, None] * Wa
        gn = np.linalg.norm(G, axis=1)
        move = (gn >= o["tol"]) & (steps[active] < o["max_iter"])
        Wa = Wa[move] - lr * G[move]
        Wa *= np.sqrt(n) / np.linalg.norm(Wa, axis=1, keepdims=True)
        idx = active[move]
        W[idx] = Wa
        steps[idx] += 1
        active = idx
    J64 = Js.astype(np.float64)
    out = []
    for b, r in enumerate(restarts):
        w = W[b].astype(np.float64)
        M = np.tensordot(J64, w, axes=([2], [0]))  # Σ_k J_ijk w_k
        H = (w @ M @ w) / n
        hess = 6 * M / n - (3 * H / n) * np.eye(n)
        P = np.eye(n) - np.outer(w, w) / n
        ev = np.linalg.eigvalsh(P @ hess @ P)
        g = 3 * (M @ w) / n
        gr = g - (g @ w / n) * w
        out.append({"n": n, "restart": r, "energy": H / n, "iterations": int(steps[b]), "gradNorm": float(np.linalg.norm(gr)),
                    "converged": bool(np.linalg.norm(gr) < o["tol"] * 1.5), "index": int((ev < -o["index_tol"]).sum()), "pid": os.getpid()})
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", default="25,50,100,250")
    ap.add_argument("--restarts", type=int, default=200)
    ap.add_argument("--lr", type=float, default=0.2)
    ap.add_argument("--tol", type=float, default=0.01)
    ap.add_argument("--max-iter", type=int, default=20000)
    ap.add_argument("--index-tol", type=float, default=1e-3)
    ap.add_argument("--procs", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--couplings", default=None, help="folder of couplings-L{n}-i0.npy (landscape pspin --save-couplings)")
    a = ap.parse_args()
    o = {"lr": a.lr, "tol": a.tol, "max_iter": a.max_iter, "index_tol": a.index_tol, "seed": a.seed, "couplings": a.couplings}
    ns = [int(x) for x in a.n.split(",")]
    jobs = [(n, list(range(p, a.restarts, a.procs)), o) for n in ns for p in range(a.procs)]
    t0 = time.perf_counter()
    with mp.get_context("fork").Pool(a.procs) as pool:
        results = pool.map(work, jobs, chunksize=1)
    seconds = time.perf_counter() - t0
    for lines in results:
        for line in lines:
            print(json.dumps(line))
    import numpy as np
    print(json.dumps({"done": sum(len(r) for r in results), "seconds": seconds, "procs": a.procs, "numpy": np.__version__,
                      "OPENBLAS_CORETYPE": os.environ.get("OPENBLAS_CORETYPE"), "OPENBLAS_NUM_THREADS": os.environ.get("OPENBLAS_NUM_THREADS")}))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
