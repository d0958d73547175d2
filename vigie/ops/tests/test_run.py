"""`vigie run` supervises its two processes: each one is restarted when it dies, both stop together."""

import contextlib
import os
import signal
import urllib.request
from pathlib import Path

import pytest

from vigie.ops.tests.processes import start_vigie, throwaway_environment
from vigie.ops.tests.test_processes import free_port
from vigie.ops.tests.test_worker import wait_for

pytestmark = pytest.mark.slow


def children_of(pid: int) -> dict[int, str]:
    """{pid: command line} of the live (not zombie) children of a process, read from /proc."""
    children = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        state, parent = stat.rsplit(")", 1)[1].split()[:2]
        if int(parent) == pid and state != "Z":
            children[int(entry.name)] = command
    return children


def child_pid(run_pid: int, command_end: str) -> int | None:
    return next((pid for pid, command in children_of(run_pid).items() if command.endswith(command_end)), None)


def worker_pid(run_pid: int) -> int | None:
    return child_pid(run_pid, "vigie worker ")


def web_pid(run_pid: int) -> int | None:
    return child_pid(run_pid, "--graceful-timeout 10 ")


def web_answers(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/compte/connexion/", timeout=3) as page:  # noqa: S310
            return page.status == 200
    except OSError:
        return False


def alive(pid: int) -> bool:
    try:
        return "\nState:\tZ" not in Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False


@contextlib.contextmanager
def vigie_run(tmp_path):
    """`vigie run` on a free port with a throw-away data directory; (process, port, log path)."""
    port = free_port()
    with throwaway_environment(tmp_path) as env:
        data = Path(env["VIGIE_DATA_DIR"])
        data.mkdir(exist_ok=True)  # throwaway_environment put the classifier model in it
        run = start_vigie(env, "run", "--port", str(port))
        try:
            assert wait_for(lambda: web_answers(port) and worker_pid(run.pid), 40), "vigie run did not start"
            yield run, port, next(data.glob("run-*.log"))
        finally:
            stop(run)


def stop(run) -> None:
    os.kill(run.pid, signal.SIGTERM)  # vigie run alone: it must stop its children itself
    try:
        run.wait(timeout=20)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(run.pid, signal.SIGKILL)  # whatever is left of its process group


def test_a_killed_worker_is_restarted_while_the_web_server_keeps_answering(tmp_path):
    with vigie_run(tmp_path) as (run, port, log):
        first, web = worker_pid(run.pid), web_pid(run.pid)
        os.kill(first, signal.SIGKILL)
        second = wait_for(lambda: (worker_pid(run.pid) or first) != first and worker_pid(run.pid), 10)
        assert second, "no new worker was started"
        assert web_answers(port) and web_pid(run.pid) == web
        assert "worker arrêté" in log.read_text() and "redémarrage" in log.read_text()
    assert run.returncode == 0
    assert not alive(second) and not alive(web), "a process outlived vigie run"


def test_a_killed_web_server_is_restarted_while_the_worker_goes_on(tmp_path):
    with vigie_run(tmp_path) as (run, port, log):
        first, worker = web_pid(run.pid), worker_pid(run.pid)
        os.kill(first, signal.SIGKILL)
        assert wait_for(lambda: (web_pid(run.pid) or first) != first, 10), "no new web server was started"
        assert wait_for(lambda: web_answers(port), 20)
        assert worker_pid(run.pid) == worker
        assert "serveur web arrêté" in log.read_text()
