"""Native GEMM peers for bench/gemm.mjs: NumPy (OpenBLAS) and PyTorch on the CPU, one thread.

A line protocol, so that Node can interleave these samples with its own (side by side in time,
not in a separate batch before or after). The first line out is {"env": {...}}; then every
JSON request line on stdin gets one JSON reply line on stdout:
  {"op":"prepare","m","n","k","tA","tB"} -> {"peers":[...]}  builds the operands of one shape
  {"op":"cold","peer"}                    -> {"ms"}           first call at this shape
  {"op":"calibrate","peer","minMs"}       -> {"reps"}         warm-up, then reps per sample
  {"op":"sample","peer"}                  -> {"ms"}           one sample: ms per call
Errors come back as {"error": "..."}. The timing rules are those of bench/timing.mjs.
Thread count and OpenBLAS core type come from the environment set by bench/native.mjs.
"""
import ctypes
import json
import math
import os
import platform
import sys
import time


def loaded_libs(word):
    try:
        with open("/proc/self/maps") as f:
            return sorted({line.split()[-1] for line in f if word in line.split()[-1]})
    except OSError:
        return []


# Plain OpenBLAS, and the symbol-suffixed build that numpy >= 2 wheels bundle (scipy-openblas).
OPENBLAS_SYMBOLS = [("openblas_get_corename", "openblas_get_config", "openblas_get_num_threads"),
                    ("scipy_openblas_get_corename64_", "scipy_openblas_get_config64_", "scipy_openblas_get_num_threads64_")]


def openblas_info(paths):
    """Core type, build config and thread count straight from the OpenBLAS actually loaded."""
    for path in paths:
        try:
            lib = ctypes.CDLL(path)
        except OSError:
            continue
        for core_name, config_name, threads_name in OPENBLAS_SYMBOLS:
            try:
                core, config = getattr(lib, core_name), getattr(lib, config_name)
                core.restype = config.restype = ctypes.c_char_p
                return {"library": path, "core": core().decode().strip(), "config": " ".join(config().decode().split()),
                        "threads": getattr(lib, threads_name)()}
            except AttributeError:
                continue
    return {"library": paths[0] if paths else None, "core": None}


def threadpool():
    try:
        from threadpoolctl import threadpool_info
        return [{k: v for k, v in d.items() if k in ("internal_api", "version", "architecture", "num_threads")}
                for d in threadpool_info()]
    except Exception:  # absent or broken: fall back to openblas_info and the env var
        return None


class Peers:
    def __init__(self):
        self.env = {"python": platform.python_version(), "executable": sys.executable,
                    "OPENBLAS_CORETYPE": os.environ.get("OPENBLAS_CORETYPE"),
                    "OPENBLAS_NUM_THREADS": os.environ.get("OPENBLAS_NUM_THREADS")}
        self.libs, self.fns, self.reps = {}, {}, {}
        try:
            import numpy as np
            np.ones((4, 4), np.float32) @ np.ones((4, 4), np.float32)  # loads the BLAS
            self.libs["numpy"] = np
            blas = openblas_info(loaded_libs("blas"))
            self.env["numpy"] = {"version": np.__version__, "blas": blas, "threadpoolctl": threadpool()}
        except Exception as e:
            self.env["numpy"] = {"unavailable": f"{type(e).__name__}: {e}"}
        try:
            import torch
            torch.set_num_threads(1)
            self.libs["torch"] = torch
            cfg = torch.__config__.show()
            pick = lambda key: next((l.split(key, 1)[1].split(",")[0].strip() for l in cfg.splitlines() if key in l), None)
            self.env["torch"] = {"version": torch.__version__, "threads": torch.get_num_threads(),
                                 "blas": pick("BLAS_INFO="), "cpu": pick("CPU capability usage:")}
        except Exception as e:
            self.env["torch"] = {"unavailable": f"{type(e).__name__}: {e}"}

    def prepare(self, m, n, k, tA, tB):
        self.fns, self.reps = {}, {}
        a_shape = (k, m) if tA else (m, k)
        b_shape = (n, k) if tB else (k, n)
        if "numpy" in self.libs:
            np = self.libs["numpy"]
            rng = np.random.default_rng(0)
            a = rng.standard_normal(a_shape, dtype=np.float32)
            b = rng.standard_normal(b_shape, dtype=np.float32)
            aa, bb = (a.T if tA else a), (b.T if tB else b)  # views: BLAS gets the transpose flags
            c = np.empty((m, n), dtype=np.float32)
            self.fns["numpy"] = lambda aa=aa, bb=bb, c=c: np.matmul(aa, bb, out=c)
        if "torch" in self.libs:
            torch = self.libs["torch"]
            g = torch.Generator().manual_seed(0)
            a = torch.randn(*a_shape, generator=g)
            b = torch.randn(*b_shape, generator=g)
            aa, bb = (a.t() if tA else a), (b.t() if tB else b)
            c = torch.empty(m, n)
            self.fns["torch"] = lambda aa=aa, bb=bb, c=c: torch.mm(aa, bb, out=c)
        return {"peers": list(self.fns)}

    def batch(self, peer, reps):
        fn = self.fns[peer]
        t = time.perf_counter()
        for _ in range(reps):
            fn()
        return (time.perf_counter() - t) * 1000

    def calibrate(self, peer, min_ms):
        reps, spent = 1, 0.0
        while True:
            dt = self.batch(peer, reps)
            spent += dt
            if (dt >= min_ms / 2 and spent >= min_ms) or reps >= 1 << 24:
                break
            reps *= 4
        for _ in range(6):
            reps = min(1 << 24, max(1, math.ceil(reps * min_ms / max(dt, min_ms / 64))))
            dt = self.batch(peer, reps)
            if dt >= 0.7 * min_ms or reps >= 1 << 24:
                break
        self.reps[peer] = reps
        return reps

    def handle(self, req):
        op = req["op"]
        if op == "prepare":
            return self.prepare(req["m"], req["n"], req["k"], bool(req.get("tA")), bool(req.get("tB")))
        if op == "cold":
            return {"ms": self.batch(req["peer"], 1)}
        if op == "calibrate":
            return {"reps": self.calibrate(req["peer"], float(req["minMs"]))}
        if op == "sample":
            reps = self.reps[req["peer"]]
            return {"ms": self.batch(req["peer"], reps) / reps}
        raise ValueError(f"unknown op {op!r}")


def main():
    peers = Peers()
    out = sys.stdout
    out.write(json.dumps({"env": peers.env}) + "\n")
    out.flush()
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            reply = peers.handle(json.loads(line))
        except Exception as e:  # reported to Node, which drops this peer for the shape
            reply = {"error": f"{type(e).__name__}: {e}"}
        out.write(json.dumps(reply) + "\n")
        out.flush()


main()
