"""NumPy peer for bench/audit.mjs: the A1p + A5u path statistics of a bias-free ReLU net written the
obvious vectorised way (boolean masks, co-activation A1ᵀ·A2 and contingency counts as one-hot matrix
products, MI from the count tables), float64.
Line protocol (bench/native.mjs openPeer): first line {"env"}; then per request line
  {"op": "stats", "layers", "S", "B", "seed"} -> {"seconds" (one pass, data generated beforehand), "cpuSeconds" (process CPU time), "check"}.
"""
import json
import os
import sys
import time

import numpy as np


def data(layers, S, seed):
    # The same generator as bench/audit.mjs (an LCG), so both sides see the same net and inputs.
    state = [seed]

    def u(n):
        out = np.empty(n)
        s = state[0]
        for t in range(n):
            s = (s * 1664525 + 1013904223) % 2 ** 32
            out[t] = s / 2 ** 32
        state[0] = s
        return out

    d = layers[0]
    X = np.maximum(0.0, u(S * d) - 0.6).reshape(S, d) * 2.5
    Ws = []
    for l in range(1, len(layers)):
        Ws.append(((u(layers[l] * layers[l - 1]) - 0.5) * 2 * np.sqrt(3.0 / layers[l - 1])).reshape(layers[l], layers[l - 1]))
    y = np.floor(u(S) * layers[-1]).astype(np.int64)
    return X, Ws, y


def mi_mm(n1, nb, S):
    """Plug-in + Miller–Madow I(A; bin) for count tables n1 (..., B) against bin totals nb (..., B)."""
    a1 = n1.sum(-1, keepdims=True)
    a0 = S - a1
    n0 = nb - n1
    with np.errstate(divide="ignore", invalid="ignore"):
        t1 = np.where(n1 > 0, n1 * np.log(n1 * S / (a1 * nb)), 0.0)
        t0 = np.where(n0 > 0, n0 * np.log(n0 * S / (a0 * nb)), 0.0)
    mA = (a1[..., 0] > 0).astype(float) + (a0[..., 0] > 0)
    mX = (nb > 0).sum(-1)
    mAX = (n1 > 0).sum(-1) + (n0 > 0).sum(-1)
    return (t1 + t0).sum(-1) / S + (mA - 1 + mX - 1 - (mAX - 1)) / (2 * S)


def stats(X, Ws, y, B):
    S, d = X.shape
    H = len(Ws)
    C = Ws[-1].shape[0]
    Z1 = X @ Ws[0].T
    A1 = Z1 > 0
    if H == 3:
        A2 = (np.maximum(Z1, 0) @ Ws[1].T) > 0
        units = (A1[:, :, None] & A2[:, None, :]).reshape(S, -1).astype(np.float64)
    else:
        units = A1.astype(np.float64)
    rho = units.mean(0)
    # quantile bins per coordinate: edges at sorted[floor(bS/B)], bin = #{edges <= x}
    srt = np.sort(X, axis=0)
    edges = srt[(np.arange(1, B) * S) // B]  # (B-1, d)
    bins = (X[None, :, :] >= edges[:, None, :]).sum(0)  # S × d
    onehot = np.zeros((S, d * B))
    onehot[np.arange(S)[:, None], np.arange(d) * B + bins] = 1.0
    cnt = (units.T @ onehot).reshape(-1, d, B)
    nb = onehot.sum(0).reshape(d, B)
    mi = mi_mm(cnt, nb[None], S)
    # corr(Z, A), Z = ỹ_k x_i: per-class sums of x over active samples
    Y = np.zeros((S, C))
    Y[np.arange(S), y] = 1.0
    sums = (units.T @ (X[:, :, None] * Y[:, None, :]).reshape(S, d * C)).reshape(-1, d, C)
    sign = 2 * np.eye(C) - 1  # sign[k, c]
    za = sums @ sign.T  # U × d × K
    zs = (X.T @ Y) @ sign.T  # d × K
    EZ = zs / S
    varZ = (X ** 2).sum(0)[:, None] / S - EZ ** 2
    EA = rho[:, None, None]
    with np.errstate(divide="ignore", invalid="ignore"):
        corr = (za / S - EZ[None] * EA) / np.sqrt(varZ[None] * EA * (1 - EA))
    return float(rho.mean()), float(mi.mean()), float(np.nanmean(np.abs(corr)))


def main():
    env = {"numpy": np.__version__, "python": sys.version.split()[0], "OPENBLAS_CORETYPE": os.environ.get("OPENBLAS_CORETYPE")}
    print(json.dumps({"env": env}), flush=True)
    cache = {}
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            req = json.loads(line)
            key = (tuple(req["layers"]), req["S"], req["seed"])
            if key not in cache:
                cache.clear()
                cache[key] = data(req["layers"], req["S"], req["seed"])
            X, Ws, y = cache[key]
            t, c = time.perf_counter(), time.process_time()
            check = stats(X, Ws, y, req["B"])
            print(json.dumps({"seconds": time.perf_counter() - t, "cpuSeconds": time.process_time() - c, "check": check}), flush=True)
        except Exception as e:  # reported to the caller, which names the op
            print(json.dumps({"error": f"{type(e).__name__}: {e}"}), flush=True)


main()
