"""PyTorch peer for bench/e2e.mjs: the `mlp` experiment's ensemble protocol, written the way a
careful PyTorch user would. For each hidden width h and run r: a [d, h, 10] ReLU net without
biases, every weight uniform in [-a, a]; `epochs` epochs of plain SGD on the mean softmax
cross-entropy of minibatches of `batch`, a fresh permutation of the training set per epoch (the
last incomplete minibatch skipped), learning rate lr / (1 + k·epoch) (the 'inv' schedule); then
the mean loss and error rate on the whole training and test sets. Data: the X.npy / y.npy folders
that `landscape export-mnist` writes (the exact images and labels ours trains on).

The nets are dealt round-robin to `procs` processes, each with torch.set_num_threads(1).
Prints one JSON line per net, then one summary line {"done", "seconds", ...}; stdout only.

usage: torch_ensemble.py --data DIR --hidden 25,50 --runs 60 [--epochs 40 --batch 10 --lr 0.1
       --decay-rate 0.05 --init-range 0.2 --procs 2 --seed 1]
"""
import argparse
import json
import multiprocessing as mp
import os
import sys
import time


def load(folder):
    import numpy as np
    X = np.load(os.path.join(folder, "X.npy")).astype(np.float32)
    y = np.load(os.path.join(folder, "y.npy")).astype(np.int64).reshape(-1)
    return X, y


def work(args):
    job, opts = args
    import torch
    import torch.nn.functional as F
    torch.set_num_threads(1)
    Xtr, ytr = (torch.from_numpy(a) for a in load(os.path.join(opts["data"], "train")))
    Xte, yte = (torch.from_numpy(a) for a in load(os.path.join(opts["data"], "test")))
    n, d = Xtr.shape
    out = []
    for h, r in job:
        t0 = time.perf_counter()
        g = torch.Generator().manual_seed(opts["seed"] * 1_000_003 + h * 10_007 + r)
        a = opts["init_range"]
        net = torch.nn.Sequential(torch.nn.Linear(d, h, bias=False), torch.nn.ReLU(), torch.nn.Linear(h, 10, bias=False))
        with torch.no_grad():
            for p in net.parameters():
                p.uniform_(-a, a, generator=g)
        opt = torch.optim.SGD(net.parameters(), lr=opts["lr"])
        B = opts["batch"]
        nb = n // B
        for epoch in range(opts["epochs"]):
            for group in opt.param_groups:
                group["lr"] = opts["lr"] / (1 + opts["decay_rate"] * epoch)
            perm = torch.randperm(n, generator=g)
            Xe, ye = Xtr[perm], ytr[perm]
            for b in range(nb):
                opt.zero_grad(set_to_none=True)
                F.cross_entropy(net(Xe[b * B:(b + 1) * B]), ye[b * B:(b + 1) * B]).backward()
                opt.step()
        with torch.inference_mode():
            res = {}
            for name, X, y in (("train", Xtr, ytr), ("test", Xte, yte)):
                z = net(X)
                res[name + "Loss"] = F.cross_entropy(z, y).item()
                res[name + "Error"] = (z.argmax(1) != y).double().mean().item()
        out.append({"hidden": h, "run": r, **res, "epochs": opts["epochs"], "seconds": time.perf_counter() - t0, "pid": os.getpid()})
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--hidden", default="25,50,100,250,500")
    ap.add_argument("--runs", type=int, default=60)
    ap.add_argument("--epochs", type=int, default=40)
    ap.add_argument("--batch", type=int, default=10)
    ap.add_argument("--lr", type=float, default=0.1)
    ap.add_argument("--decay-rate", type=float, default=0.05)
    ap.add_argument("--init-range", type=float, default=0.2)
    ap.add_argument("--procs", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1)
    o = ap.parse_args()
    opts = {"data": o.data, "epochs": o.epochs, "batch": o.batch, "lr": o.lr, "decay_rate": o.decay_rate, "init_range": o.init_range, "seed": o.seed}
    nets = [(int(h), r) for h in o.hidden.split(",") for r in range(o.runs)]
    jobs = [nets[i::o.procs] for i in range(o.procs)]  # round-robin: every process gets every width
    t0 = time.perf_counter()
    import torch
    with mp.get_context("fork").Pool(o.procs) as pool:
        results = pool.map(work, [(j, opts) for j in jobs])
    seconds = time.perf_counter() - t0
    for lines in results:
        for line in lines:
            print(json.dumps(line))
    print(json.dumps({"done": len(nets), "seconds": seconds, "procs": o.procs, "torch": torch.__version__, "threadsPerProc": 1,
                      "cpuCapability": getattr(getattr(torch.backends, "cpu", None), "get_cpu_capability", lambda: None)()}))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
