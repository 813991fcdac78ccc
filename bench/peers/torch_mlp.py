"""PyTorch peer for bench/mlp.mjs: the same net as ours, [100, h, 10] ReLU, no biases, softmax
cross-entropy, plain SGD, trained on a fixed pool of random inputs in [0, 1) cycled in minibatches.
One thread (torch.set_num_threads(1)), float32, CPU.

Protocol (one JSON line each way): hello {"env"}; {"op":"train","h","B","minMs"} -> {"samplesPerSec"}.
"""
import json
import sys
from peer_timing import median_rate


def main():
    env = {}
    try:
        import torch
        torch.set_num_threads(1)
        env["torch"] = torch.__version__
        env["threads"] = torch.get_num_threads()
        cap = getattr(getattr(torch.backends, "cpu", None), "get_cpu_capability", None)
        env["cpuCapability"] = cap() if cap else None
        env["mkldnn"] = torch.backends.mkldnn.is_available()
        config = torch.__config__.show()
        env["build"] = ", ".join(k for k in ("BLAS_INFO=generic", "PERF_WITH_AVX512=1", "USE_MKLDNN=ON", "USE_XNNPACK") if k in config)
    except ImportError as e:
        torch = None
        env["unavailable"] = str(e)
    print(json.dumps({"env": env}), flush=True)
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            req = json.loads(line)
            if torch is None:
                raise RuntimeError("torch unavailable")
            h, B = req["h"], req["B"]
            g = torch.Generator().manual_seed(0)
            pool = 6000 - 6000 % B
            X = torch.rand(pool, 100, generator=g)
            Y = torch.randint(0, 10, (pool,), generator=g)
            net = torch.nn.Sequential(torch.nn.Linear(100, h, bias=False), torch.nn.ReLU(), torch.nn.Linear(h, 10, bias=False))
            opt = torch.optim.SGD(net.parameters(), lr=0.01)
            loss_fn = torch.nn.CrossEntropyLoss()
            state = {"i": 0}
            steps = max(1, 200 // B)

            def run():
                for _ in range(steps):
                    i = state["i"]
                    xb, yb = X[i:i + B], Y[i:i + B]
                    state["i"] = (i + B) % pool
                    opt.zero_grad(set_to_none=True)
                    loss_fn(net(xb), yb).backward()
                    opt.step()

            reply = {"samplesPerSec": median_rate(run, steps * B, req.get("minMs", 50))}
        except Exception as e:
            reply = {"error": f"{type(e).__name__}: {e}"}
        print(json.dumps(reply), flush=True)


main()
