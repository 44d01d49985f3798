"""One command for the app server: ``python -m ecom_ai_plugin.saleor.app serve`` (or ``ecom-ai-app serve``).

``serve`` migrates the database, then runs and watches the web server, a GPU
worker (queue ``ecom_ai_gpu``, one process), a CPU worker (``ecom_ai_cpu``)
and beat; Ctrl-C or SIGTERM stops them all, and if one dies the rest are
stopped too, so a supervisor (systemd, a container runtime) sees it.
``manage <command>`` runs any Django management command of the app project
(``createsuperuser``, ``ecom_ai_backfill embeddings``...). Configuration is
by environment variables: see ``project/settings.py``.

For production run the same pieces as separate processes (one container
each): the web server under gunicorn, the workers, one beat; see docs/saleor.md.
"""
from __future__ import annotations

import argparse
import importlib.util
import os
import signal
import subprocess
import sys
import time
from collections.abc import Sequence

SETTINGS = "ecom_ai_plugin.saleor.app.project.settings"
CELERY_APP = "ecom_ai_plugin.saleor.app.project.celery"
WSGI_APP = "ecom_ai_plugin.saleor.app.project.wsgi:application"


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS)
    import django

    django.setup()


def commands(host: str, port: int, *, web_workers: int, cpu_concurrency: int, workers: bool, beat: bool) -> dict[str, list[str]]:
    """The processes ``serve`` runs, by name."""
    from django.conf import settings

    from ecom_ai_plugin.conf import ecom_ai_settings

    python = sys.executable
    if importlib.util.find_spec("gunicorn"):
        web = [python, "-m", "gunicorn", WSGI_APP, "--bind", f"{host}:{port}", "--workers", str(web_workers), "--access-logfile", "-"]
    else:  # a development machine without the app extra's server
        web = [python, "-m", "django", "runserver", f"{host}:{port}", "--noreload"]
    processes = {"web": web}
    celery = [python, "-m", "celery", "-A", CELERY_APP]
    if workers:
        processes["gpu-worker"] = [
            *celery, "worker", "-Q", ecom_ai_settings.queue("gpu"), "-c", "1", "--prefetch-multiplier", "1", "-n", "gpu@%h", "-l", "info",
        ]
        processes["cpu-worker"] = [
            *celery, "worker", "-Q", ecom_ai_settings.queue("cpu"), "-c", str(cpu_concurrency), "--prefetch-multiplier", "1", "-n", "cpu@%h", "-l", "info",
        ]
    if beat:
        processes["beat"] = [*celery, "beat", "-s", settings.CELERY_BEAT_SCHEDULE_FILENAME, "-l", "info"]
    return processes


def serve(args: argparse.Namespace) -> int:
    _setup()
    from django.core.management import call_command

    if not args.no_migrate:
        call_command("migrate", interactive=False, verbosity=1)
    processes = commands(
        args.host, args.port, web_workers=args.web_workers, cpu_concurrency=args.cpu_concurrency, workers=not args.no_workers, beat=not args.no_beat
    )
    if args.print:
        for name, command in processes.items():
            print(f"{name}: {' '.join(command)}")
        return 0
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": os.environ["DJANGO_SETTINGS_MODULE"]}
    running = {name: subprocess.Popen(command, env=env) for name, command in processes.items()}
    print(f"ecom_ai app server: {', '.join(f'{name} (pid {p.pid})' for name, p in running.items())}; http://{args.host}:{args.port}/saleor/manifest/", flush=True)
    stopping = False

    def stop(signum: int, frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    code = 0
    try:
        while not stopping:
            for name, process in running.items():
                if process.poll() is not None:
                    print(f"ecom_ai app server: {name} exited with {process.returncode}; stopping the rest.", file=sys.stderr, flush=True)
                    code = process.returncode or 1
                    stopping = True
                    break
            time.sleep(0.5)
    finally:
        for process in running.values():
            if process.poll() is None:
                process.terminate()
        deadline = time.monotonic() + 20
        for process in running.values():
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
    return code


def manage(args: argparse.Namespace) -> int:
    _setup()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["ecom-ai-app", *args.arguments])
    return 0


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="ecom-ai-app", description="The ecom_ai Saleor App server.")
    sub = root.add_subparsers(dest="command", required=True)
    run = sub.add_parser("serve", help="Migrate, then run the web server, GPU and CPU workers and beat.")
    run.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    run.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8101")))
    run.add_argument("--web-workers", type=int, default=2, help="gunicorn worker processes")
    run.add_argument("--cpu-concurrency", type=int, default=2, help="processes of the CPU worker")
    run.add_argument("--no-migrate", action="store_true")
    run.add_argument("--no-workers", action="store_true", help="the web server only (workers run elsewhere)")
    run.add_argument("--no-beat", action="store_true", help="no beat (one beat per deployment)")
    run.add_argument("--print", action="store_true", help="print the processes it would run, and exit")
    run.set_defaults(handler=serve)
    admin = sub.add_parser("manage", help="Run a Django management command of the app project.")
    admin.add_argument("arguments", nargs=argparse.REMAINDER)
    admin.set_defaults(handler=manage)
    return root


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return args.handler(args)
