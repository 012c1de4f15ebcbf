"""The kernel a submission runs in: unprivileged, no network, its own folder, limited.

Each test runs probe code in a kernel started exactly as the grader starts one
(``grading.kernel.Session`` at the isolation ``grading.sandbox.isolation()`` found here).
"""

import sys

import pytest
from paths import ROOT

sys.path.insert(0, str(ROOT / "tools"))
from grading import kernel, sandbox  # noqa: E402

pytestmark = pytest.mark.grader

PROBE = r"""
import os, socket
def attempt(fn):
    try:
        fn()
        return "ok"
    except BaseException as exc:
        return type(exc).__name__
def read_teacher():
    open({chapter!r}).read()
def write_outside():
    open({outside!r}, "w").write("x")
def write_home():
    open("mine.txt", "w").write("x")
def tcp(address):
    return lambda: socket.create_connection(address, timeout=3).close()
results = dict(uid=os.getuid(), read_teacher=attempt(read_teacher),
               list_chapters=attempt(lambda: os.listdir({chapters!r})),
               write_outside=attempt(write_outside), write_home=attempt(write_home),
               tcp_local=attempt(tcp(("127.0.0.1", 22))), tcp_out=attempt(tcp(("1.1.1.1", 80))),
               dns=attempt(lambda: socket.getaddrinfo("github.com", 443)))
print(results)
"""


@pytest.fixture(scope="module")
def probe(tmp_path_factory):
    level = sandbox.isolation()
    root = tmp_path_factory.mktemp("sandbox")
    session = kernel.Session(root, level, cpu_seconds=120, memory_mb=4096)
    session.start()
    try:
        code = PROBE.format(chapter=str(ROOT / "chapters" / "01_derivatives.ipynb"),
                            chapters=str(ROOT / "chapters"), outside=str(ROOT / "pwned.txt"))
        outputs, reply = session.run(code, 60)
        text = "".join(o.get("text", "") for o in outputs)
        assert reply["status"] == "ok", reply
        huge, _ = session.run("import numpy as np\ntry:\n    np.ones(2**33)\n"
                              "except MemoryError:\n    print('MemoryError')", 60)
    finally:
        session.shutdown()
    import ast

    results = ast.literal_eval(text.strip().splitlines()[-1])
    results["memory"] = "".join(o.get("text", "") for o in huge).strip()
    return level, results, root


def test_runs_as_an_unprivileged_user(probe):
    level, results, _ = probe
    if level == "none":
        pytest.skip("no isolation available here (not root, no bubblewrap)")
    assert results["uid"] == sandbox.NOBODY


def test_cannot_read_the_teachers_edition(probe):
    level, results, _ = probe
    if level != "bwrap":
        pytest.skip(f"isolation {level}: the file system is shared")
    assert results["read_teacher"] != "ok" and results["list_chapters"] != "ok"


def test_cannot_write_outside_its_folder(probe):
    level, results, root = probe
    if level == "none":
        pytest.skip("no isolation available here")
    assert results["write_outside"] != "ok" and not (ROOT / "pwned.txt").exists()
    assert results["write_home"] == "ok" and (root / "work" / "mine.txt").exists()


def test_cannot_open_a_socket(probe):
    level, results, _ = probe
    if level != "bwrap":
        pytest.skip(f"isolation {level}: the network is shared")
    assert results["tcp_local"] != "ok" and results["tcp_out"] != "ok" and results["dns"] != "ok"


def test_memory_is_limited(probe):
    assert probe[1]["memory"] == "MemoryError"  # 64 GB of ones against a 4 GB address space


def test_a_kernel_past_its_cpu_limit_dies(tmp_path):
    session = kernel.Session(tmp_path, sandbox.isolation(), cpu_seconds=3, memory_mb=4096)
    session.start()
    try:
        with pytest.raises(kernel.KernelDied):
            session.run("while True:\n    pass", 60)
    finally:
        session.shutdown()
