"""Where a submission's kernel runs: bubblewrap as uid 65534, no network, rlimits.

``isolation()`` probes once which of three levels works on this machine, and every result row
says which one ran:

- ``bwrap``: new mount, pid, ipc, uts and network namespaces (no network at all, not even
  localhost); the file system holds only read-only binds of what Python needs (/usr, the
  interpreter's prefix, the venv, the gdcore source) plus the submission's private working
  directory; the kernel runs as uid/gid 65534 (nobody) without capabilities;
- ``setpriv``: bubblewrap is missing or fails — the kernel runs as uid 65534 in its private
  directory with the same rlimits, but shares the network and can read world-readable files;
- ``none``: neither (not root, no bubblewrap) — rlimits only.

Each level sets rlimits in the launcher (``prlimit``): CPU seconds, address space, file size,
number of processes, open files.
"""

import functools
import os
import shutil
import subprocess
import sys
from pathlib import Path

NOBODY = 65534
GDCORE = Path(__file__).resolve().parents[2] / "gdcore"


def _prefixes():
    """Folders the kernel's Python needs: its prefixes and the real interpreter's folder."""
    paths = {Path(sys.prefix), Path(sys.base_prefix), Path(os.path.realpath(sys.executable)).parent}
    return sorted(p for p in paths if not str(p).startswith("/usr"))


def _parents(path: Path):
    return [p for p in reversed(path.parents) if str(p) != "/"]


def bwrap_args(workdir: Path, rundir: Path, gdcore: Path = GDCORE) -> list[str]:
    """The bubblewrap command line (up to ``--``) for a kernel in ``workdir``."""
    args = ["bwrap", "--unshare-net", "--unshare-pid", "--unshare-ipc", "--unshare-uts",
            "--unshare-cgroup-try", "--die-with-parent", "--new-session",
            "--ro-bind", "/usr", "/usr", "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp"]
    for name in ("bin", "lib", "lib64", "sbin"):
        target = Path("/") / name
        if target.is_symlink():
            args += ["--symlink", os.readlink(target), str(target)]
        elif target.exists():
            args += ["--ro-bind", str(target), str(target)]
    for name in ("fonts", "ld.so.cache", "localtime", "passwd", "group", "nsswitch.conf",
                 "mime.types"):
        if (Path("/etc") / name).exists():
            args += ["--ro-bind", f"/etc/{name}", f"/etc/{name}"]
    made = set()
    binds = [(p, "--ro-bind") for p in _prefixes()] + [(gdcore, "--ro-bind"),
                                                       (workdir, "--bind"), (rundir, "--bind")]
    for path, how in binds:
        for parent in _parents(path):
            if parent not in made and not str(parent).startswith(("/usr", "/tmp/..")):
                args += ["--perms", "0755", "--dir", str(parent)]
                made.add(parent)
        args += [how, str(path), str(path)]
    return args + ["--chdir", str(workdir), "--"]


def setpriv_args() -> list[str]:
    return ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups",
            "--inh-caps=-all", "--bounding-set=-all", "--no-new-privs"]


def prlimit_args(cpu_seconds: int, memory_mb: int) -> list[str]:
    return ["prlimit", f"--cpu={cpu_seconds}", f"--as={memory_mb * 2**20}",
            f"--fsize={256 * 2**20}", "--nproc=1024", "--nofile=1024", "--"]


def wrapper(level: str, workdir: Path, rundir: Path, cpu_seconds: int, memory_mb: int):
    """The command prefix that starts a kernel at isolation ``level``."""
    limits = prlimit_args(cpu_seconds, memory_mb) if shutil.which("prlimit") else []
    if level == "bwrap":
        return limits + bwrap_args(workdir, rundir) + setpriv_args()
    if level == "setpriv":
        return limits + setpriv_args()
    return limits


def prepare(folder: Path):
    """Make ``folder`` the kernel's own (uid 65534 when we are root)."""
    folder.mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:
        os.chown(folder, NOBODY, NOBODY)
    folder.chmod(0o700)


@functools.lru_cache(maxsize=1)
def isolation() -> str:
    """The best level that actually works here (probed once per process)."""
    import tempfile

    probe = [sys.executable, "-c", "import numpy, gdcore"]
    with tempfile.TemporaryDirectory(prefix="grade-probe-") as tmp:
        work, run = Path(tmp) / "work", Path(tmp) / "run"
        prepare(work)
        prepare(run)
        os.chmod(tmp, 0o755)
        candidates = (["bwrap", "setpriv"] if os.geteuid() == 0 else ["bwrap"]) + ["none"]
        for level in candidates:
            if level == "bwrap" and not shutil.which("bwrap"):
                continue
            if level == "setpriv" and not shutil.which("setpriv"):
                continue
            cmd = wrapper(level, work, run, 60, 4096) + probe
            try:
                proc = subprocess.run(cmd, cwd=work, capture_output=True, timeout=60,
                                      env={"PATH": "/usr/bin:/bin", "HOME": str(work)})
            except (OSError, subprocess.TimeoutExpired):
                continue
            if proc.returncode == 0:
                return level
    return "none"


DESCRIPTION = {
    "bwrap": "bwrap: uid 65534, no network, private directory, read-only Python, rlimits",
    "setpriv": "setpriv: uid 65534, private directory, rlimits (no bwrap: network not blocked)",
    "none": "none: rlimits only (not root and no bwrap: the kernel runs as the grader's user)",
}
