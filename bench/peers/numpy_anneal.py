"""NumPy peer for bench/anneal.mjs: Metropolis annealing of a ReLU net's weights on a training
subset, the protocol of src/anneal/anneal.ts (SCIENCE.md §7): proposal t moves one parameter
k = floor(U·P) by s_l·ξ, ξ ~ N(0, 1), accepted with min(1, e^{−ΔL/T}); ΔL the change of the mean
softmax cross-entropy over the S samples; T0 and T_end calibrated by bisection in log T so that the
probed uphill moves are accepted with mean probability χ0 and χ_end; K stages of round(sweeps·P)
proposals at T_k = T0·(T_end/T0)^{k/(K−1)} (geometric) or the linear formula. float64 like ours.
Random numbers come from NumPy's PCG64, so the chain is the same process, not the same draws.

Two implementations:
  full         the obvious vectorised way: each proposal writes the weight and recomputes the subset
               loss with NumPy matrix products (X·W1ᵀ, relu, ·W2ᵀ, log-sum-exp), O(S·P).
  incremental  a stronger peer, for one hidden layer: the pre-activations, hidden outputs, logits
               and per-sample losses stay resident; a move of W1[j, i] recomputes only the rows
               whose hidden unit j changes, a move of W2[c, j] only the rows with h_j ≠ 0; a full
               recomputation every 4096 accepted moves, as ours.

Protocol (one JSON line each way): hello {"env"}; {"op":"data","X","y","n0"} -> {"S"};
{"op":"loss","layers","bias","params"} -> {"loss"};
{"op":"anneal","impl","layers","bias","params","step","stages","sweepsPerStage","schedule","chi0",
 "chiEnd","probes","seed","target"[,"replay","trace"]} -> {"seconds","secondsToTarget","initialLoss","finalLoss",
 "T0","Tend","proposals","accepted","stages":[[seconds, loss, cpuSeconds, T, accepted], ...]}.
"replay": {"probeK","probeXi","k","xi","u"} replaces the PCG64 draws by given ones (the calibration
probes' indices and normals, then every proposal's index, normal and acceptance uniform), so the
chain can replay ours draw for draw (bench/anneal-replay.mjs); the reply then adds "probeDeltas".
"trace": true adds [accepted 0/1, ΔL, loss after] per proposal. The clocks (wall and
this process's CPU time) start before the state is built and include the calibration probes, as ours do.
"""
import json
import math
import os
import sys
import time


def unpack(np, layers, bias, params):
    """Views into the flat parameter vector (W_l row-major n_l × n_{l−1}, then b_l), so writing a
    flat entry moves the matrix entry."""
    Ws, bs, off = [], [], 0
    for l in range(1, len(layers)):
        n_in, n_out = layers[l - 1], layers[l]
        Ws.append(params[off:off + n_in * n_out].reshape(n_out, n_in))
        off += n_in * n_out
        if bias:
            bs.append(params[off:off + n_out])
            off += n_out
        else:
            bs.append(None)
    return Ws, bs, off


def row_losses(np, Z, y):
    m = Z.max(axis=1)
    return np.log(np.exp(Z - m[:, None]).sum(axis=1)) + m - Z[np.arange(Z.shape[0]), y]


def full_loss(np, X, y, Ws, bs):
    A = X
    for l, (W, b) in enumerate(zip(Ws, bs)):
        A = A @ W.T
        if b is not None:
            A = A + b
        if l < len(Ws) - 1:
            A = np.maximum(A, 0)
    return row_losses(np, A, y).mean()


class Full:
    """Each ΔL by a full forward pass over the subset."""

    def __init__(self, np, X, y, layers, bias, params):
        self.np, self.X, self.y = np, X, y
        self.params = params
        self.Ws, self.bs, self.P = unpack(np, layers, bias, params)
        self.loss = full_loss(np, X, y, self.Ws, self.bs)

    def delta(self, k, new):
        old = self.params[k]
        self.params[k] = new
        cand = full_loss(self.np, self.X, self.y, self.Ws, self.bs)
        self.params[k] = old
        self.cand = cand
        return cand - self.loss

    def accept(self, k, new):
        self.params[k] = new
        self.loss = self.cand


class Incremental:
    """One hidden layer only: resident A (S × h), H = relu(A), Z (S × C), ℓ (S)."""

    def __init__(self, np, X, y, layers, bias, params):
        if len(layers) != 3:
            raise ValueError("the incremental peer takes one hidden layer")
        self.np, self.X, self.y, self.bias = np, X, y, bias
        self.n0, self.h, self.C = layers
        self.params = params
        self.Ws, self.bs, self.P = unpack(np, layers, bias, params)
        self.n1 = self.h * (self.n0 + (1 if bias else 0))  # parameters of layer 1
        self.S = X.shape[0]
        self.since = 0
        self.refresh()

    def refresh(self):
        np, (W1, W2), (b1, b2) = self.np, self.Ws, self.bs
        self.A = self.X @ W1.T + (b1 if b1 is not None else 0)
        self.H = np.maximum(self.A, 0)
        self.Z = self.H @ W2.T + (b2 if b2 is not None else 0)
        self.ell = row_losses(np, self.Z, self.y)
        self.sum = self.ell.sum()
        self.loss = self.sum / self.S

    def locate(self, k):
        """(layer, unit, input), input −1 for a bias."""
        if k < self.n1:
            if self.bias and k >= self.h * self.n0:
                return 1, k - self.h * self.n0, -1
            return 1, k // self.n0, k % self.n0
        k -= self.n1
        if self.bias and k >= self.C * self.h:
            return 2, k - self.C * self.h, -1
        return 2, k // self.h, k % self.h

    def delta(self, k, new):
        np = self.np
        d = new - self.params[k]
        layer, o, i = self.locate(k)
        if layer == 1:
            a = self.A[:, o] + (d if i < 0 else d * self.X[:, i])
            dh = np.maximum(a, 0) - self.H[:, o]
            rows = np.flatnonzero(dh)
            Zr = self.Z[rows] + np.outer(dh[rows], self.Ws[1][:, o])
            self.cand = (layer, o, rows, a, Zr)
        else:
            rows = np.arange(self.S) if i < 0 else np.flatnonzero(self.H[:, i])
            Zr = self.Z[rows]
            Zr[:, o] += d if i < 0 else d * self.H[rows, i]
            self.cand = (layer, o, rows, None, Zr)
        lr = row_losses(np, Zr, self.y[rows])
        dsum = lr.sum() - self.ell[rows].sum()
        self.cand += (lr, dsum)
        return dsum / self.S

    def accept(self, k, new):
        np = self.np
        layer, o, rows, a, Zr, lr, dsum = self.cand
        self.params[k] = new
        if layer == 1:
            self.A[:, o] = a
            self.H[:, o] = np.maximum(a, 0)
        self.Z[rows] = Zr
        self.ell[rows] = lr
        self.sum += dsum
        self.loss = self.sum / self.S
        self.since += 1
        if self.since >= 4096:
            self.since = 0
            self.refresh()


def calibrate(np, deltas, chi):
    """The T at which the probed uphill moves are accepted with mean probability chi (ours: schedule.ts)."""
    up = deltas[deltas > 0]
    if up.size == 0:
        raise ValueError("no probed proposal raised the loss")
    lo, hi = math.log(up.min()) - 50, math.log(up.max()) + 50
    while hi - lo > 1e-9:
        mid = (lo + hi) / 2
        if np.exp(-up / math.exp(mid)).mean() < chi:
            lo = mid
        else:
            hi = mid
    return math.exp((lo + hi) / 2)


def anneal(np, X, y, req):
    layers, bias = req["layers"], req["bias"]
    rng = np.random.default_rng(req["seed"])
    t0, c0 = time.perf_counter(), time.process_time()
    params = np.array(req["params"], dtype=np.float64)
    chain = (Full if req["impl"] == "full" else Incremental)(np, X, y, layers, bias, params)
    P = chain.P
    L = len(layers) - 1
    steps = req["step"] if isinstance(req["step"], list) else [req["step"]] * L
    # The step of every flat parameter: its layer's.
    bounds, off = [], 0
    for l in range(1, L + 1):
        off += layers[l] * (layers[l - 1] + (1 if bias else 0))
        bounds.append(off)
    stepOf = np.repeat(np.array(steps, dtype=np.float64), np.diff([0] + bounds))
    initial = chain.loss
    probes = req["probes"]
    replay = req.get("replay")  # our draws instead of PCG64's (bench/anneal-replay.mjs)
    trace = [] if req.get("trace") else None
    if replay:
        ks, xi = np.array(replay["probeK"], dtype=np.int64), np.array(replay["probeXi"], dtype=np.float64)
        if ks.size != probes:
            raise ValueError(f"replay has {ks.size} probes, the request {probes}")
    else:
        ks = np.minimum((rng.random(probes) * P).astype(np.int64), P - 1)
        xi = rng.standard_normal(probes)
    deltas = np.array([chain.delta(int(k), params[k] + stepOf[k] * z) for k, z in zip(ks, xi)])
    T0, Tend = calibrate(np, deltas, req["chi0"]), calibrate(np, deltas, req["chiEnd"])
    K = req["stages"]
    per = max(1, round(req["sweepsPerStage"] * P))
    target = req.get("target")
    hit, accepted, stages = None, 0, []
    for s in range(K):
        if K == 1:
            T = T0
        elif req["schedule"] == "linear":
            T = T0 + (Tend - T0) * s / (K - 1)
        else:
            T = T0 * (Tend / T0) ** (s / (K - 1))
        if replay:
            ks, xi, us = (replay[n][s * per:(s + 1) * per] for n in ("k", "xi", "u"))
            if len(ks) != per:
                raise ValueError(f"replay ran out of proposals in stage {s}")
        else:
            ks = np.minimum((rng.random(per) * P).astype(np.int64), P - 1).tolist()
            xi = rng.standard_normal(per).tolist()
            us = rng.random(per).tolist()
        before = accepted
        for k, z, u in zip(ks, xi, us):
            new = params[k] + stepOf[k] * z
            dL = chain.delta(k, new)
            ok = dL <= 0 or u < math.exp(-dL / T)
            if ok:
                chain.accept(k, new)
                accepted += 1
            if trace is not None:
                trace.append([1 if ok else 0, dL, float(chain.loss)])
        now = time.perf_counter() - t0
        stages.append([now, float(chain.loss), time.process_time() - c0, T, accepted - before])
        if hit is None and target is not None and chain.loss <= target:
            hit = now
    seconds = time.perf_counter() - t0
    Ws, bs, _ = unpack(np, layers, bias, params)
    return {"seconds": seconds, "secondsToTarget": hit, "initialLoss": float(initial), "finalLoss": float(full_loss(np, X, y, Ws, bs)),
            "T0": T0, "Tend": Tend, "proposals": K * per, "accepted": accepted, "stages": stages,
            **({"probeDeltas": deltas.tolist()} if replay else {}), **({"trace": trace} if trace is not None else {})}


def main():
    env = {"OPENBLAS_CORETYPE": os.environ.get("OPENBLAS_CORETYPE"), "threads": os.environ.get("OPENBLAS_NUM_THREADS")}
    try:
        import numpy as np
        env["numpy"] = np.__version__
    except ImportError as e:
        np = None
        env["unavailable"] = str(e)
    print(json.dumps({"env": env}), flush=True)
    X = y = None
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            req = json.loads(line)
            if np is None:
                raise RuntimeError("numpy unavailable")
            if req["op"] == "data":
                X = np.array(req["X"], dtype=np.float64).reshape(-1, req["n0"])
                y = np.array(req["y"], dtype=np.int64)
                reply = {"S": int(X.shape[0])}
            elif req["op"] == "loss":
                Ws, bs, _ = unpack(np, req["layers"], req["bias"], np.array(req["params"], dtype=np.float64))
                reply = {"loss": float(full_loss(np, X, y, Ws, bs))}
            elif req["op"] == "anneal":
                reply = anneal(np, X, y, req)
            else:
                raise ValueError(f"unknown op {req['op']}")
        except Exception as e:
            reply = {"error": f"{type(e).__name__}: {e}"}
        print(json.dumps(reply), flush=True)


main()
