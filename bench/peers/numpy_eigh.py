"""NumPy peer for bench/hessian.mjs: the index of a symmetric matrix the way every peer gets it,
numpy.linalg.eigvalsh (LAPACK dsyevd through OpenBLAS, one thread), then counts against +-tau.

Line protocol (bench/native.mjs openPeer): first line {"env"} (numpy version, the OpenBLAS loaded,
its core type and thread count); then one JSON reply per request line:
  {"op":"load","path","name"}          -> {"n"}                      np.load a float64 n x n matrix
  {"op":"eigvalsh","name","taus"}      -> {"seconds","counts","lambdaMin","lambdaMax"}
                                          one call; counts[i] = {tau, negative, nearZero, positive}
Thread count and OpenBLAS core type come from the environment set by bench/native.mjs.
"""
import ctypes
import json
import os
import sys
import time


def openblas_info():
    try:
        with open("/proc/self/maps") as f:
            paths = sorted({ln.split()[-1] for ln in f if "blas" in ln.split()[-1] or "lapack" in ln.split()[-1]})
    except OSError:
        paths = []
    for path in paths:
        try:
            lib = ctypes.CDLL(path)
            core, config = lib.openblas_get_corename, lib.openblas_get_config
            core.restype = config.restype = ctypes.c_char_p
            return {"library": path, "core": core().decode().strip(), "config": " ".join(config().decode().split()),
                    "threads": lib.openblas_get_num_threads()}
        except (OSError, AttributeError):
            continue
    return {"library": paths, "core": None}


def main():
    env = {}
    try:
        import numpy as np
        np.linalg.eigvalsh(np.eye(2))  # loads LAPACK
        env["numpy"] = np.__version__
        env["openblas"] = openblas_info()
        env["OPENBLAS_CORETYPE"] = os.environ.get("OPENBLAS_CORETYPE")
    except ImportError as e:
        np = None
        env["unavailable"] = str(e)
    print(json.dumps({"env": env}), flush=True)
    mats = {}
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            req = json.loads(line)
            if np is None:
                raise RuntimeError("numpy unavailable")
            if req["op"] == "load":
                A = np.load(req["path"])
                if A.dtype != np.float64 or A.ndim != 2 or A.shape[0] != A.shape[1]:
                    raise ValueError(f"want a square float64 matrix, got {A.dtype} {A.shape}")
                mats[req["name"]] = A
                reply = {"n": A.shape[0]}
            elif req["op"] == "eigvalsh":
                A = mats[req["name"]]
                t = time.perf_counter()
                w = np.linalg.eigvalsh(A)  # lower triangle, as ours
                secs = time.perf_counter() - t
                counts = []
                for tau in req.get("taus", []):
                    neg = int((w < -tau).sum())
                    below = int((w < tau).sum())
                    counts.append({"tau": tau, "negative": neg, "nearZero": below - neg, "positive": len(w) - below})
                reply = {"seconds": secs, "counts": counts, "lambdaMin": float(w[0]), "lambdaMax": float(w[-1])}
            else:
                raise ValueError(f"unknown op {req['op']}")
        except Exception as e:
            reply = {"error": f"{type(e).__name__}: {e}"}
        print(json.dumps(reply), flush=True)


main()
