"""`make run` as a new user meets it (issue 11): it starts web, worker and beat on the
embedded defaults, Ctrl-C in its terminal stops all of them with no error line and nothing
left running, and a port already in use is said plainly before anything starts.

Ctrl-C is typed for real: `script` gives `make run` a terminal, and the test writes ^C to it.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(
    not (shutil.which("script") and shutil.which("make")),
    reason="needs make and script (util-linux)",
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def embedded_defaults(var_dir: Path) -> dict[str, str]:
    """A new user's environment: no database or broker URL, the local settings, and a
    folder of its own for the SQLite database, the broker's files and the mail."""
    dropped = {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE", "TEST_DB_SUFFIX"}
    env = {key: value for key, value in os.environ.items() if key not in dropped}
    env["VAR_DIR"] = str(var_dir)
    return env


def answers(url: str) -> int | None:
    return fetch(url)[0]


def fetch(url: str) -> tuple[int | None, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return int(response.status), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()
    except OSError:
        return None, ""


def left_running(marker: str) -> list[str]:
    """Processes whose command line mentions `marker` (the run's own folder or port)."""
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            text = cmdline.read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if marker in text and "pytest" not in text:
            found.append(text.strip())
    return found


class Output:
    """Everything the run prints, read as it comes (so its pipe never fills)."""

    def __init__(self, stream: object) -> None:
        self.chunks: list[bytes] = []
        self.thread = threading.Thread(target=self.read, args=(stream,), daemon=True)
        self.thread.start()

    def read(self, stream: object) -> None:
        for chunk in iter(lambda: stream.read1(4096), b""):  # type: ignore[attr-defined]
            self.chunks.append(chunk)

    @property
    def text(self) -> str:
        return b"".join(self.chunks).decode(errors="replace")


def test_ctrl_c_stops_web_worker_and_beat_with_nothing_left(tmp_path: Path) -> None:
    port = free_port()
    run = subprocess.Popen(
        ["script", "-qfec", f"make run PORT={port}", "/dev/null"],
        cwd=ROOT,
        env=embedded_defaults(tmp_path),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    output = Output(run.stdout)
    try:
        deadline = time.monotonic() + 300
        while answers(f"http://127.0.0.1:{port}/accounts/login/") != 200:
            assert run.poll() is None, output.text[-3000:]
            assert time.monotonic() < deadline, output.text[-3000:]
            time.sleep(1)
        # Its own "Page not found", with the way back, not Django's debug page.
        status, page = fetch(f"http://127.0.0.1:{port}/no-such-page/")
        assert status == 404
        assert "Go to your concerns" in page and "technical_404" not in page
        assert f"http://127.0.0.1:{port}/" in output.text
        time.sleep(3)  # the worker and beat are up too

        assert run.stdin is not None
        run.stdin.write(b"\x03")  # Ctrl-C, typed into its terminal
        run.stdin.flush()
        assert run.wait(timeout=60) == 0, output.text[-3000:]
    finally:
        if run.poll() is None:
            os.killpg(run.pid, 9)
    output.thread.join(timeout=5)
    text = output.text
    assert "Stopped the web server, the worker and beat." in text
    for error in ("Traceback", "Segmentation fault", "make: ***", "ERROR/"):
        assert error not in text, text[-3000:]
    assert text.count("Warm shutdown") <= 1
    assert left_running(str(tmp_path)) == []
    assert left_running(f"127.0.0.1:{port}") == []
    assert answers(f"http://127.0.0.1:{port}/accounts/login/") is None


def test_a_port_in_use_is_said_plainly(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        run = subprocess.run(
            ["make", "run", f"PORT={port}"],
            cwd=ROOT,
            env=embedded_defaults(tmp_path),
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
    assert run.returncode != 0
    assert f"Port {port} is already in use" in run.stderr + run.stdout
    assert f"make run PORT={port + 1}" in run.stderr + run.stdout
    assert left_running(str(tmp_path)) == []
