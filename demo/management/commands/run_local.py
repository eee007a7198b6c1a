"""`make run`'s last step: the web server, and a Celery worker with beat, until Ctrl-C.

One supervisor instead of a shell trap (which re-entered itself on Ctrl-C and ended in a
segmentation fault and a thousand "Warm shutdown" lines): it checks the port is free before
anything starts, gives each child its own process group, and on Ctrl-C (or SIGTERM) stops
them in turn and waits, so nothing is left behind. With a terminal, it takes the terminal's
Ctrl-C for itself, so `make` sees a clean exit rather than an interrupt.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from notifications.hours import is_delivery_time, next_delivery_time

STOP_SECONDS = 15
NAMES = ("Celery worker", "web server")  # in the order they start


def port_in_use(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return True
    return False


def take_the_terminal() -> int | None:
    """Become the terminal's foreground process group: Ctrl-C then reaches this process
    alone (its children run in groups of their own), not `make` above it. Returns the group
    to give the terminal back to."""
    if not sys.stdin.isatty():
        return None
    try:
        before = os.tcgetpgrp(sys.stdin.fileno())
        os.setpgid(0, 0)
        signal.signal(signal.SIGTTOU, signal.SIG_IGN)
        os.tcsetpgrp(sys.stdin.fileno(), os.getpgrp())
    except OSError:
        return None  # not a terminal we may take: Ctrl-C reaches everyone, which also works
    return before


def give_back_the_terminal(group: int | None) -> None:
    if group is not None:
        with contextlib.suppress(OSError):
            os.tcsetpgrp(sys.stdin.fileno(), group)


def reminder_notice() -> str:
    """In the evening, at weekends and on bank holidays, reminders wait (NOTIFY_WORKING_HOURS):
    say so, or a new user waits for an email that is not coming yet."""
    now = timezone.now()
    if is_delivery_time(now):
        return ""
    start = timezone.localtime(next_delivery_time(now))
    return (
        f"  Reminders are sent in working hours ({settings.NOTIFY_WORKING_HOURS}); the next "
        f"go out at {start:%H:%M} on {start:%A %-d %B}.\n"
        "  To see them now: NOTIFY_WORKING_HOURS=always make run\n"
    )


class Command(BaseCommand):
    help = "Run the web server and a Celery worker with beat until Ctrl-C (make run)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--host", default="127.0.0.1")

    def handle(self, *args: Any, port: int, host: str, **options: Any) -> None:
        if port_in_use(host, port):
            raise CommandError(
                f"Port {port} is already in use (another `make run`?). Stop that, or choose "
                f"another port: make run PORT={port + 1}"
            )
        terminal = take_the_terminal()
        try:
            self.supervise(host, port)
        finally:
            give_back_the_terminal(terminal)

    def supervise(self, host: str, port: int) -> None:
        site = os.environ.get("SITE_URL") or f"http://{host}:{port}"
        env = {**os.environ, "SITE_URL": site}
        self.stdout.write(
            f"\n  Open {site}/ and sign in with a demo account above.\n"
            f"{reminder_notice()}"
            "  Ctrl-C stops the web server, the worker and beat.\n"
        )
        children = self.start(env, host, port)
        stopping: list[int] = []

        def stop(signum: int, frame: FrameType | None) -> None:
            stopping.append(signum)

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        while not stopping and all(child.poll() is None for child in children):
            time.sleep(0.2)
        ended = [
            name for name, child in zip(NAMES, children, strict=True) if child.poll() is not None
        ]
        self.stop_all(children)
        if ended and not stopping:
            raise CommandError(f"The {ended[0]} stopped unexpectedly, so everything stopped.")
        self.stdout.write("  Stopped the web server, the worker and beat.")

    def start(self, env: dict[str, str], host: str, port: int) -> list[subprocess.Popen[bytes]]:
        python = sys.executable
        bin_dir = Path(python).parent
        schedule = Path(settings.VAR_DIR) / "celerybeat-schedule"
        subprocess.run(  # noqa: S603 (our own executables)
            [str(bin_dir / "celery"), "-A", "config", "purge", "-f"],
            env=env,
            capture_output=True,
            check=False,
        )
        worker = [
            str(bin_dir / "celery"), "-A", "config", "worker", "-B", "--concurrency", "1",
            "--loglevel", "WARNING", "-s", str(schedule),
        ]  # fmt: skip
        web = [python, "manage.py", "runserver", f"{host}:{port}"]
        return [
            subprocess.Popen(command, env=env, start_new_session=True)  # noqa: S603
            for command in (worker, web)
        ]

    def stop_all(self, children: list[subprocess.Popen[bytes]]) -> None:
        """Ask each to stop: the worker itself (a warm shutdown stops its pool), the web
        server's whole group (runserver's reloader has a child of its own). Wait, then
        SIGKILL whatever is left in their groups."""
        worker, web = children
        with contextlib.suppress(ProcessLookupError):
            worker.send_signal(signal.SIGTERM)
        signal_group(web, signal.SIGTERM)
        deadline = time.monotonic() + STOP_SECONDS
        for child in children:
            with contextlib.suppress(subprocess.TimeoutExpired):
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
        for child in children:
            signal_group(child, signal.SIGKILL)
            child.wait()


def signal_group(child: subprocess.Popen[bytes], signum: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(child.pid, signum)
