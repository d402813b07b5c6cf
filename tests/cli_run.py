"""The ``kiosk`` command as staff scripts run it: its own process, the environment's ``KIOSK_*``
variables left out, ``--json`` parsed, refusals checked to be one sentence and no traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any


def run(
    data_dir: Path,
    *args: str,
    stdin: bytes | None = None,
    config: Path | None = None,
    demo: bool = True,
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[bytes]:
    """``env``: ``KIOSK_*`` variables this run is given (the caller's own are left out)."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("KIOSK_")} | (env or {})
    cmd = [sys.executable, "-m", "kiosk", "--data-dir", str(data_dir), *(["--demo"] if demo else [])]
    if config is not None:
        cmd += ["--config", str(config)]
    return subprocess.run([*cmd, *args], capture_output=True, input=stdin, env=base, timeout=60)


def ok(data_dir: Path, *args: str, **kw: Any) -> Any:
    out = run(data_dir, *args, "--json", **kw)
    assert out.returncode == 0, out.stderr.decode()
    return json.loads(out.stdout)


def refused(data_dir: Path, code: int, *args: str, lang: str = "ko", **kw: Any) -> str:
    """Run a command that must fail with exit ``code``; its one-line message (never a traceback)."""
    out = run(data_dir, "--lang", lang, *args, **kw)
    err = out.stderr.decode()
    assert out.returncode == code, (out.returncode, err)
    assert "Traceback" not in err and out.stdout == b""
    return err.strip()
