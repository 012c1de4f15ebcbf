"""One sandboxed kernel per submission: run its cells, then relay the grader's calls.

``Session`` starts an IPython kernel through ``sandbox.wrapper`` with Unix-socket (IPC)
transport in a private run folder (no TCP port, so parallel graders never race for one), runs
cells with per-cell timeouts (interrupt, then kill), notices a dead kernel, and records the
outputs as nbformat outputs. ``request`` sends one call of the grader's helper and serves the
kernel's calls back (through the stdin channel) until the kernel sends its result.
"""

import hashlib
import hmac
import os
import secrets
import shutil
import time
from pathlib import Path

import nbformat
import zmq
from jupyter_client import KernelManager

from . import sandbox, wire

HERE = Path(__file__).resolve().parent
HELPER = "__gdcore_grader__"


# Output kept per cell: a cell that prints for two minutes must not fill the grader's memory
# (the kernel's own limits do not cover what the grader receives) nor the feedback notebook.
OUTPUT_BYTES = 4 * 2**20


class KernelDied(Exception):
    """The kernel process ended (``os._exit``, a crash, the CPU or memory limit)."""


class CellTimeout(Exception):
    """A cell or a call ran past its time limit."""


class _Manager(KernelManager):
    """A KernelManager whose launch command is prefixed by the sandbox wrapper."""

    prefix: list = []

    def format_kernel_cmd(self, extra_arguments=None):
        # In its own pid namespace the kernel's parent is pid 1, which ipykernel's parent
        # poller takes for "the parent died": bwrap's --die-with-parent does that job instead.
        extra = ["--IPKernelApp.parent_handle=0"] if "bwrap" in self.prefix else []
        return list(self.prefix) + super().format_kernel_cmd((extra_arguments or []) + extra)


class Session:
    def __init__(self, root: Path, level: str, cpu_seconds: int = 600, memory_mb: int = 4096):
        self.root = root
        self.workdir = root / "work"
        self.rundir = root / "run"
        self.level = level
        sandbox.prepare(self.workdir)
        sandbox.prepare(self.rundir)
        os.chmod(root, 0o755)
        self.km = _Manager(kernel_name="python3")
        self.km.prefix = sandbox.wrapper(level, self.workdir, self.rundir, cpu_seconds, memory_mb)
        self.km.transport = "ipc"
        # Interrupt through the control channel: a signal to the launcher would not reach a
        # kernel inside bwrap's pid namespace and new session.
        self.km.kernel_spec.interrupt_mode = "message"
        self.km.ip = str(self.rundir / "kernel")
        self.km.connection_file = str(self.rundir / "kernel.json")
        self.kc = None

    def _env(self):
        home = self.workdir
        mpl = home / ".config" / "matplotlib"
        mpl.mkdir(parents=True, exist_ok=True)
        try:  # the font cache: without it every kernel rebuilds it (seconds) and warns
            import matplotlib

            cache = Path(matplotlib.get_cachedir())
            for font_list in cache.glob("fontlist-*.json"):
                shutil.copy(font_list, mpl / font_list.name)
        except Exception:  # noqa: BLE001 — a missing cache only costs time
            pass
        if os.geteuid() == 0 and self.level != "none":
            for path in [home / ".config", mpl, *mpl.iterdir()]:
                os.chown(path, sandbox.NOBODY, sandbox.NOBODY)
        return {"PATH": "/usr/bin:/bin", "HOME": str(home), "TMPDIR": str(home),
                "MPLCONFIGDIR": str(mpl), "MPLBACKEND": "module://matplotlib_inline.backend_inline",
                "IPYTHONDIR": str(home / ".ipython"), "XDG_CACHE_HOME": str(home / ".cache"),
                "LANG": "C.UTF-8", "PYTHONNOUSERSITE": "1", "GDCORE_QUIET": "1",
                "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}

    def start(self, timeout=60):
        self.km.write_connection_file()
        if os.geteuid() == 0 and self.level != "none":
            os.chown(self.km.connection_file, sandbox.NOBODY, sandbox.NOBODY)
        self.log = open(self.root / "kernel.log", "wb")  # noqa: SIM115 — closed in shutdown
        self.km.start_kernel(env=self._env(), cwd=str(self.workdir), stdout=self.log,
                             stderr=self.log)
        self.kc = self.km.client()
        self.kc.start_channels()
        try:
            self.kc.wait_for_ready(timeout=timeout)
        except RuntimeError as exc:
            raise KernelDied(f"the kernel did not start: {exc}") from exc
        self.install_guard(timeout)

    def install_guard(self, timeout=30):
        """The audit hook of ``guard.py``, before any student cell; its secret via input()."""
        self.secret = secrets.token_hex(32)
        source = (HERE / "guard.py").read_text()
        code = (f"(lambda ns: (exec(compile({source!r}, '<grader guard>', 'exec'), ns), "
                "ns['boot'](input())))({})\n")
        _, reply = self.run(code, timeout, on_input=lambda prompt: self.secret,
                            store_history=False)
        if reply.get("status") != "ok":
            raise KernelDied(f"the grader's guard did not load: {reply.get('evalue')}")

    def mac(self, text):
        return hmac.new(self.secret.encode(), text.encode(), hashlib.sha256).hexdigest()

    def alive(self):
        return self.km.is_alive()

    def shutdown(self):
        try:
            if self.kc is not None:
                self.kc.stop_channels()
            self.km.shutdown_kernel(now=True)
        except Exception:  # noqa: BLE001 — it may be dead already
            pass
        self.km.cleanup_resources()
        if getattr(self, "log", None):
            self.log.close()

    # --- running code --------------------------------------------------------------------

    def run(self, code, timeout, *, on_input=None, store_history=True):
        """Execute ``code``; returns (outputs, reply content). Raises CellTimeout, KernelDied.

        ``on_input(prompt) -> str`` answers the kernel's ``input()`` calls; without it the
        kernel's ``input()`` raises (students' cells must not wait for a reader).
        """
        msg_id = self.kc.execute(code, store_history=store_history,
                                 allow_stdin=on_input is not None, stop_on_error=False)
        outputs, reply, idle = [], None, False
        size, truncated = 0, False
        poller = zmq.Poller()
        channels = {self.kc.iopub_channel.socket: "iopub", self.kc.shell_channel.socket: "shell",
                    self.kc.stdin_channel.socket: "stdin"}
        for socket in channels:
            poller.register(socket, zmq.POLLIN)
        deadline = time.monotonic() + timeout
        last_check = time.monotonic()
        while reply is None or not idle:
            now = time.monotonic()
            if now > deadline:
                self._interrupt(msg_id)
                raise CellTimeout(f"still running after {timeout:g} s")
            if now - last_check > 0.5:
                last_check = now
                if not self.alive():
                    raise KernelDied("the kernel died")
            ready = dict(poller.poll(100))
            for socket, name in channels.items():
                if socket not in ready:
                    continue
                channel = getattr(self.kc, f"{name}_channel")
                while channel.msg_ready():
                    msg = channel.get_msg(timeout=0)
                    if msg.get("parent_header", {}).get("msg_id") != msg_id:
                        continue
                    kind = msg["msg_type"]
                    if name == "shell" and kind == "execute_reply":
                        reply = msg["content"]
                    elif name == "stdin" and kind == "input_request":
                        answer = on_input(msg["content"].get("prompt", "")) if on_input else ""
                        self.kc.input(answer)
                    elif name == "iopub":
                        if kind == "status" and msg["content"]["execution_state"] == "idle":
                            idle = True
                        elif kind == "clear_output":
                            outputs.clear()
                        elif kind in ("stream", "display_data", "execute_result", "error"):
                            size += len(msg["content"].__repr__()) if size < OUTPUT_BYTES else 0
                            if size < OUTPUT_BYTES:
                                outputs.append(nbformat.v4.output_from_msg(msg))
                            elif not truncated:
                                truncated = True
                                outputs.append(nbformat.v4.new_output(
                                    "stream", name="stderr", text=f"[the grader kept the first "
                                    f"{OUTPUT_BYTES // 2**20} MB of this cell's output]\n"))
        return outputs, reply

    def _interrupt(self, msg_id):
        """Interrupt a cell past its limit; a kernel that does not stop within 5 s is killed."""
        try:
            self.km.interrupt_kernel()
        except Exception:  # noqa: BLE001
            pass
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            try:
                msg = self.kc.shell_channel.get_msg(timeout=0.2)
            except Exception:  # noqa: BLE001 — queue.Empty
                continue
            if msg.get("parent_header", {}).get("msg_id") == msg_id:
                return
        self.shutdown()
        raise KernelDied("the kernel did not stop after the time limit and was killed")

    # --- the grader's helper ------------------------------------------------------------

    def install_helper(self, timeout=30):
        """Send the helper's source (wire + kernel_side) as a module object in the kernel."""
        source = (HERE / "wire.py").read_text() + "\n" + (HERE / "kernel_side.py").read_text()
        code = ("import types as _t\n"
                f"{HELPER} = _t.ModuleType({HELPER!r})\n"
                f"exec(compile({source!r}, {HELPER!r}, 'exec'), {HELPER}.__dict__)\n"
                "del _t\n")
        _, reply = self.run(code, timeout, store_history=False)
        if reply.get("status") != "ok":
            raise KernelDied(f"the grader's helper did not load: {reply.get('evalue')}")

    def request(self, call, serve, timeout):
        """Run ``HELPER.<call>`` and return the decoded 'result' message it sends.

        ``serve(message) -> reply dict`` answers the kernel's calls of grader objects.
        """
        result = {}

        def on_input(prompt):
            try:
                message = wire.loads(prompt)
            except ValueError:
                return ""  # the student's own input(): nothing to read
            if not isinstance(message, dict):
                return ""
            if message.get("op") == "result":
                result.clear()
                result.update(message)
                return "null"
            return wire.dumps(serve(message))

        _, reply = self.run(f"{HELPER}.{call}", timeout, on_input=on_input, store_history=False)
        if not result:
            raise KernelDied(f"the grader's helper sent no result ({reply.get('ename', '')}: "
                             f"{reply.get('evalue', '')})")
        return result
