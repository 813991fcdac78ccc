"""PyTorch peer for bench/hessian.mjs: the exact float64 Hessian and Hessian-vector products of the
mean softmax cross-entropy of a bias-free [n0, h, C] ReLU net (W1 h x n0, W2 C x h, the layout of
torch.nn.Linear.weight; theta = [W1 row-major, W2 row-major], as our params), one thread, CPU.

Line protocol (bench/native.mjs openPeer): first line {"env"}; then one JSON reply per request line:
  {"op":"load","dir","layers"}            -> {"loss","gradNorm"}   reads X.npy, y.npy, params.npy, V.npy
  {"op":"hessian","vectorize","save"}     -> {"seconds","norm"}    torch.autograd.functional.hessian;
                                                                   save: a path to np.save H to
  {"op":"hvpPrepare","k","mode","save"}  -> {"ok"}   the double-backward HVP on the first k rows of V;
                                                   save: a path to np.save its k x P result to
      mode "retained": grad(create_graph) once, then grad(g, theta, v, retain_graph) per call (the
                       cheapest Lanczos loop: the first-order graph is kept across iterations)
      mode "fresh":    forward, grad(create_graph) and the double backward every call
      mode "loop":     as retained, k single-direction calls in a Python loop
      retained and fresh with k > 1: one call with is_grads_batched=True (vmap over the k directions)
  {"op":"cold"} -> {"ms"}; {"op":"calibrate","minMs"} -> {"reps"}; {"op":"sample"} -> {"ms"}: the
      prepared HVP call, timed by the rules of bench/timing.mjs (ms per call), so Node interleaves
      these samples with its own.
"""
import json
import sys
import time


def main():
    env = {}
    try:
        import numpy as np
        import torch
        torch.set_num_threads(1)
        torch.set_num_interop_threads(1)
        env["torch"] = torch.__version__
        env["threads"] = torch.get_num_threads()
        cap = getattr(getattr(torch.backends, "cpu", None), "get_cpu_capability", None)
        env["cpuCapability"] = cap() if cap else None
        config = torch.__config__.show()
        env["blas"] = next((p.strip() for p in config.split("\n") if "BLAS_INFO" in p), None)
    except ImportError as e:
        torch = None
        env["unavailable"] = str(e)
    print(json.dumps({"env": env}), flush=True)
    st = {}

    def loss_of(theta):
        n0, h, c = st["layers"]
        W1 = theta[: h * n0].view(h, n0)
        W2 = theta[h * n0:].view(c, h)
        z = torch.relu(st["X"] @ W1.T) @ W2.T
        return torch.nn.functional.cross_entropy(z, st["y"])

    def batch(fn, reps):
        t = time.perf_counter()
        for _ in range(reps):
            fn()
        return (time.perf_counter() - t) * 1000

    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            req = json.loads(line)
            if torch is None:
                raise RuntimeError("torch unavailable")
            op = req["op"]
            if op == "load":
                d = req["dir"]
                st["layers"] = req["layers"]
                st["X"] = torch.from_numpy(np.load(f"{d}/X.npy")).to(torch.float64)
                st["y"] = torch.from_numpy(np.load(f"{d}/y.npy").astype(np.int64))
                st["theta"] = torch.from_numpy(np.load(f"{d}/params.npy")).to(torch.float64)
                st["V"] = torch.from_numpy(np.load(f"{d}/V.npy")).to(torch.float64)
                th = st["theta"].clone().requires_grad_(True)
                loss = loss_of(th)
                (g,) = torch.autograd.grad(loss, th)
                reply = {"loss": loss.item(), "gradNorm": g.norm().item()}
            elif op == "hessian":
                t = time.perf_counter()
                H = torch.autograd.functional.hessian(loss_of, st["theta"], vectorize=bool(req.get("vectorize")))
                secs = time.perf_counter() - t
                reply = {"seconds": secs, "norm": H.norm().item()}
                if req.get("save"):
                    np.save(req["save"], H.numpy())
                del H
            elif op == "hvpPrepare":
                k, mode = req["k"], req.get("mode", "retained")
                V = st["V"][:k]
                th = st["theta"].clone().requires_grad_(True)
                batched = k > 1
                vin = V if batched else V[0]

                def fresh():
                    (g,) = torch.autograd.grad(loss_of(th), th, create_graph=True)
                    return torch.autograd.grad(g, th, vin, is_grads_batched=batched)[0]

                if mode == "fresh":
                    fn = fresh
                elif mode == "loop":
                    (g,) = torch.autograd.grad(loss_of(th), th, create_graph=True)

                    def fn():
                        return torch.stack([torch.autograd.grad(g, th, V[t], retain_graph=True)[0] for t in range(k)])
                else:
                    (g,) = torch.autograd.grad(loss_of(th), th, create_graph=True)

                    def fn():
                        return torch.autograd.grad(g, th, vin, retain_graph=True, is_grads_batched=batched)[0]
                st["fn"], st["reps"] = fn, 1
                if req.get("save"):
                    np.save(req["save"], fn().reshape(k, -1).detach().numpy())
                reply = {"ok": True}
            elif op == "cold":
                t = time.perf_counter()
                st["fn"]()
                reply = {"ms": (time.perf_counter() - t) * 1000}
            elif op == "calibrate":
                min_ms, spent, reps = req["minMs"], 0.0, 1
                while True:  # as bench/timing.mjs local().calibrate
                    dt = batch(st["fn"], reps)
                    spent += dt
                    if dt >= min_ms / 2 and spent >= min_ms:
                        break
                    reps *= 4
                for _ in range(6):
                    reps = max(1, -(-reps * min_ms // max(dt, min_ms / 64)))
                    reps = int(reps)
                    dt = batch(st["fn"], reps)
                    if dt >= min_ms * 0.7:
                        break
                st["reps"] = reps
                reply = {"reps": reps}
            elif op == "sample":
                reply = {"ms": batch(st["fn"], st["reps"]) / st["reps"]}
            else:
                raise ValueError(f"unknown op {op}")
        except Exception as e:
            reply = {"error": f"{type(e).__name__}: {e}"}
        print(json.dumps(reply), flush=True)


main()
