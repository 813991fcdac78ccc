"""Native GEMM peers for bench/gemm.mjs: NumPy (OpenBLAS) and PyTorch on the CPU, single thread.

Reads [{"name","m","n","k","tA","tB"}] as JSON on stdin, prints {"env":{...},"results":{name:{peer:GFLOPS}}}.
Median of 5 samples, each repeated until it lasts >= 40 ms (the same rule as bench/timing.mjs).
"""
import ctypes
import json
import sys
import time

def corename():
    for lib in ("libopenblas.so.0", "libopenblasp.so.0", "libopenblas64_.so.0"):
        try:
            f = ctypes.CDLL(lib).openblas_get_corename
            f.restype = ctypes.c_char_p
            return f().decode()
        except OSError:
            continue
        except AttributeError:
            continue
    return "unknown"

def measure(fn, min_s=0.04, samples=5):
    fn()
    reps = 1
    while True:
        t = time.perf_counter()
        for _ in range(reps):
            fn()
        dt = time.perf_counter() - t
        if dt >= min_s / 2:
            reps = max(1, int(reps * min_s / dt + 0.999))
            break
        reps *= 4
    times = []
    for _ in range(samples):
        t = time.perf_counter()
        for _ in range(reps):
            fn()
        times.append((time.perf_counter() - t) / reps)
    times.sort()
    return times[len(times) // 2]

def main():
    shapes = json.load(sys.stdin)
    env, results = {}, {s["name"]: {} for s in shapes}
    try:
        import numpy as np
        env["numpy"] = np.__version__
        env["openblas_core"] = corename()
        rng = np.random.default_rng(0)
        for s in shapes:
            a = rng.standard_normal((s["k"], s["m"]) if s["tA"] else (s["m"], s["k"])).astype(np.float32)
            b = rng.standard_normal((s["n"], s["k"]) if s["tB"] else (s["k"], s["n"])).astype(np.float32)
            aa = a.T if s["tA"] else a
            bb = b.T if s["tB"] else b
            c = np.empty((s["m"], s["n"]), dtype=np.float32)
            t = measure(lambda: np.matmul(aa, bb, out=c))
            results[s["name"]]["numpy"] = 2 * s["m"] * s["n"] * s["k"] / t / 1e9
    except ImportError:
        env["numpy"] = None
    try:
        import torch
        torch.set_num_threads(1)
        env["torch"] = torch.__version__
        g = torch.Generator().manual_seed(0)
        for s in shapes:
            a = torch.randn(*((s["k"], s["m"]) if s["tA"] else (s["m"], s["k"])), generator=g)
            b = torch.randn(*((s["n"], s["k"]) if s["tB"] else (s["k"], s["n"])), generator=g)
            aa = a.t() if s["tA"] else a
            bb = b.t() if s["tB"] else b
            c = torch.empty(s["m"], s["n"])
            t = measure(lambda: torch.mm(aa, bb, out=c))
            results[s["name"]]["torch"] = 2 * s["m"] * s["n"] * s["k"] / t / 1e9
    except ImportError:
        env["torch"] = None
    json.dump({"env": env, "results": results}, sys.stdout)

main()
