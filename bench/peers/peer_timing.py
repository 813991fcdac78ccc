"""Timing shared by the Python peers: the median rate over samples that each last about min_ms."""
import time


def median_rate(fn, work, min_ms, samples=5):
    fn()
    reps = 1
    while True:
        t = time.perf_counter()
        for _ in range(reps):
            fn()
        dt = time.perf_counter() - t
        if dt * 1000 >= min_ms / 2:
            reps = max(1, int(reps * min_ms / (dt * 1000) + 0.999))
            break
        reps *= 2
    rates = []
    for _ in range(samples):
        t = time.perf_counter()
        for _ in range(reps):
            fn()
        rates.append(work * reps / (time.perf_counter() - t))
    rates.sort()
    return rates[len(rates) // 2]
