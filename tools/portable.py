"""Prove that the committed outputs hold on other machines: nbval under other numeric environments.

Usage: python tools/portable.py [--list] [pytest arguments, default: every chapter notebook, then
the student edition's run-and-score-zero test]

A reader's machine sums in another order than ours: another CPU makes OpenBLAS pick another
kernel, numpy dispatches its loops (exp, sum, ...) to other SIMD code, another BLAS thread count
splits the products differently, a Mac uses Accelerate. Every committed output must survive all of
that, so this runs the notebook tests again under environments that differ from the one `make test`
just used, each of which must reproduce the committed outputs exactly:

- "older CPU": OpenBLAS forced to an old kernel (``OPENBLAS_CORETYPE``) and numpy's SIMD dispatch
  cut to its baseline (``NPY_DISABLE_CPU_FEATURES``);
- "other kernel, 2 threads": another modern kernel family and two BLAS threads.

Only kernels this CPU supports are tried (a kernel the CPU lacks crashes), and each setting is
confirmed by asking OpenBLAS (through threadpoolctl) which kernel it loaded: OpenBLAS silently falls
back to its default for a name it does not know. The inherited ``OPENBLAS_CORETYPE`` counts as the
default, so it is varied, never reused. Fewer than two environments that differ is an error, not a
skip: a check that varies nothing proves nothing.
"""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# nbval over every chapter, and the student edition's notebooks run top to bottom; xdist's
# loadscope keeps each notebook's cells on one worker, in order, and spreads the rest.
DEFAULT_TESTS = ["chapters"] + [f"tests/test_student.py::TestStudentRuns{part}" for part in "ABC"]

# OpenBLAS kernel names by age, each with the numpy CPU features it needs.
OLD_KERNELS = [("Prescott", ["SSE3"]), ("Nehalem", ["SSE42"])]
MODERN_KERNELS = [("SkylakeX", ["AVX512_SKX"]), ("Haswell", ["AVX2", "FMA3"]),
                  ("SandyBridge", ["AVX"]), ("NeoverseN1", ["ASIMD"]), ("ARMV8", ["ASIMD"])]

PROBE = """
import json, numpy as np
from numpy._core._multiarray_umath import __cpu_features__, __cpu_dispatch__
from threadpoolctl import threadpool_info
blas = [i for i in threadpool_info() if i["user_api"] == "blas"]
print(json.dumps({
    "blas": blas[0]["internal_api"] if blas else None,
    "kernel": blas[0].get("architecture") if blas else None,
    "threads": blas[0]["num_threads"] if blas else None,
    "features": [k for k, v in __cpu_features__.items() if v],
    "dispatch": [k for k in __cpu_dispatch__ if __cpu_features__.get(k)],
    "numpy": np.__version__,
}))
"""


def probe(env: dict) -> dict:
    """What numpy and its BLAS actually use under ``env`` (run in a fresh interpreter)."""
    out = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True,
                         check=True)
    return json.loads(out.stdout)


def _with(base: dict, **changes: str) -> dict:
    env = dict(base)
    env.update(changes)
    return env


def environments(base: dict) -> tuple[dict, list[tuple[str, dict, dict]]]:
    """The default (``base`` as it is) and the environments that differ from it on this CPU."""
    default = probe(base)
    features = set(default["features"])
    chosen: list[tuple[str, dict, dict]] = []
    # Neither the kernel in use nor the one this CPU picks by itself (they differ when the
    # environment sets OPENBLAS_CORETYPE, as some of these machines do).
    natural = (probe({k: v for k, v in base.items() if k != "OPENBLAS_CORETYPE"})
               if "OPENBLAS_CORETYPE" in base else default)
    seen = {default["kernel"], natural["kernel"]}

    def first_kernel(kernels, **extra):
        for name, needs in kernels:
            if not features.issuperset(needs):
                continue
            env = _with(base, OPENBLAS_CORETYPE=name, **extra)
            got = probe(env)
            if got["kernel"] not in seen:
                return env, got
        return None, None

    if default["blas"] == "openblas":
        old_env, old = first_kernel(
            OLD_KERNELS, NPY_DISABLE_CPU_FEATURES=" ".join(default["dispatch"]))
        if old_env:
            chosen.append(("older CPU", old_env, old))
            seen.add(old["kernel"])
        env, got = first_kernel(MODERN_KERNELS, OPENBLAS_NUM_THREADS="2")
        if env:
            chosen.append(("other kernel, 2 threads", env, got))
            seen.add(got["kernel"])
    else:
        # Accelerate (macOS) or MKL: no kernel to choose; vary the SIMD dispatch and the threads.
        if default["dispatch"]:
            env = _with(base, NPY_DISABLE_CPU_FEATURES=" ".join(default["dispatch"]))
            chosen.append(("numpy SIMD at baseline", env, probe(env)))
        env = _with(base, OPENBLAS_NUM_THREADS="2", VECLIB_MAXIMUM_THREADS="2",
                    MKL_NUM_THREADS="2", OMP_NUM_THREADS="2")
        chosen.append(("2 BLAS threads", env, probe(env)))
    return default, chosen


def describe(env: dict, got: dict) -> str:
    keys = ("OPENBLAS_CORETYPE", "OPENBLAS_NUM_THREADS", "NPY_DISABLE_CPU_FEATURES")
    settings = " ".join(f"{k}={env[k]!r}" for k in keys if k in env)
    disabled = env.get("NPY_DISABLE_CPU_FEATURES", "").split()
    simd = "+".join(f for f in got["dispatch"] if f not in disabled) or "baseline only"
    return (f"{got['blas']} kernel {got['kernel']}, {got['threads']} thread(s), "
            f"numpy {got['numpy']} SIMD {simd}  [{settings}]")


def main(argv: list[str]) -> int:
    base = dict(os.environ)
    base.setdefault("GDCORE_QUIET", "1")
    base.setdefault("OPENBLAS_NUM_THREADS", "1")
    base.setdefault("OMP_NUM_THREADS", "1")
    default, chosen = environments(base)
    print(f"default: {describe(base, default)}")
    for name, env, got in chosen:
        print(f"{name}: {describe(env, got)}")
    if len(chosen) < 2:
        print(f"error: only {len(chosen)} numeric environment(s) other than the default could be "
              "set up on this machine; the portability check needs two.", file=sys.stderr)
        return 1
    if argv[:1] == ["--list"]:
        return 0
    tests = argv or DEFAULT_TESTS
    failed = []
    for name, env, _ in chosen:
        print(f"\n=== nbval under: {name} ===", flush=True)
        start = time.perf_counter()
        # One BLAS thread per core: two 2-thread workers on two cores fight (measured: 181 s
        # against 97 s), so the threaded environment gets fewer workers.
        workers = max(1, (os.cpu_count() or 2) // int(env.get("OPENBLAS_NUM_THREADS", "1")))
        cmd = [sys.executable, "-m", "pytest", "-n", str(min(workers, 2)), "--dist", "loadscope",
               "-q", "-rf", "--no-header", *tests]
        rc = subprocess.run(cmd, env=env, cwd=ROOT).returncode
        print(f"=== {name}: {'passed' if rc == 0 else 'FAILED'} in "
              f"{time.perf_counter() - start:.0f} s ===", flush=True)
        if rc:
            failed.append(name)
    if failed:
        print(f"\nCommitted outputs do not hold under: {', '.join(failed)}. An output must show "
              "only what every machine reproduces (README, Contributing).", file=sys.stderr)
        return 1
    print(f"\nThe committed outputs hold under all {len(chosen)} environments.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
