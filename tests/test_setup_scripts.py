"""The developer scripts (`scripts/setup.sh`, `test.sh`, `demo.sh`) on a fake machine.

Each test copies the scripts into a scratch project and runs them with a PATH that holds only a
few real tools plus stand-ins for apt-get, dpkg-query, apt-cache, sudo and the .venv's programs,
which record how they were called. Nothing is installed and the real package manager is never
reachable from the scripts' PATH.
"""

from __future__ import annotations

import hashlib
import shutil
import stat
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ALL_DEBIAN = [
    *(
        "fonts-noto-cjk",
        "espeak-ng",
        "libusb-1.0-0",
        "libegl1",
        "libgl1",
        "libxkbcommon0",
        "libxkbcommon-x11-0",
        "libfontconfig1",
    ),
    *("libdbus-1-3", "libxcb-cursor0", "libxcb-icccm4", "libxcb-keysyms1", "libxcb-shape0", "libxcb-xinerama0"),
    *("libxcb-randr0", "libxcb-render-util0", "libxcb-image0", "libglib2.0-0", "libpulse0", "libasound2"),
    *("cage", "grim", "xwayland", "libwayland-cursor0", "libwayland-egl1"),
]
REAL_TOOLS = ("bash", "dirname", "cat", "cut", "sha256sum", "awk", "rm", "env")


def _script(path: Path, body: str) -> None:
    path.write_text("#!/bin/bash\n" + body)
    path.chmod(path.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)


@dataclass
class FakeMachine:
    repo: Path
    log: Path
    env: dict[str, str]

    def run(self, script: str, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["bash", f"scripts/{script}", *args],
            cwd=self.repo,
            env={**self.env, **env},
            capture_output=True,
            text=True,
            timeout=60,
        )

    def calls(self) -> list[str]:
        return self.log.read_text().splitlines() if self.log.exists() else []

    def matching(self, prefix: str) -> list[str]:
        return [c for c in self.calls() if c.startswith(prefix)]

    def stamp_current(self) -> None:
        digest = hashlib.sha256((self.repo / "pyproject.toml").read_bytes()).hexdigest()
        (self.repo / ".venv" / ".stamp").write_text(digest + "\n")


@pytest.fixture
def machine(tmp_path: Path) -> FakeMachine:
    repo = tmp_path / "repo"
    (repo / "scripts").mkdir(parents=True)
    for name in ("setup.sh", "test.sh", "demo.sh"):
        shutil.copy(ROOT / "scripts" / name, repo / "scripts" / name)
    (repo / "pyproject.toml").write_text('[project]\nname = "x"\n')
    (repo / "kiosk").mkdir()
    log = tmp_path / "calls.log"

    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in REAL_TOOLS:
        (bin_dir / tool).symlink_to(shutil.which(tool) or tool)
    rec = f'echo "$(basename "$0") $*" >> {log}\n'
    _script(bin_dir / "id", 'if [ "$1" = -u ]; then echo "${FAKE_UID:-0}"; else echo "uid=0"; fi\n')
    _script(bin_dir / "basename", 'echo "${1##*/}"\n')
    _script(bin_dir / "sudo", rec + 'exec "$@"\n')
    _script(bin_dir / "apt-get", f'echo "apt-get DEBIAN_FRONTEND=$DEBIAN_FRONTEND $*" >> {log}\n')
    _script(
        bin_dir / "dpkg-query",
        # dpkg-query -W -f=FMT PKG...: "PKG=installed " for each package listed in FAKE_INSTALLED.
        'shift 2\nfor p in "$@"; do case " $FAKE_INSTALLED " in *" $p "*) printf "%s=installed " "$p";; esac; done\n',
    )
    _script(
        bin_dir / "apt-cache",
        'case " $FAKE_CANDIDATES " in *" $2 "*) c=1.0;; *) c="(none)";; esac\n'
        'printf "%s:\\n  Installed: (none)\\n  Candidate: %s\\n" "$2" "$c"\n',
    )

    venv_bin = repo / ".venv" / "bin"
    venv_bin.mkdir(parents=True)
    # The venv's python answers version checks for real and records pip/pytest runs.
    _script(
        venv_bin / "python",
        f'if [ "$1" = -c ]; then exec {sys.executable} "$@"; fi\n'
        f'echo "python $* QT_QPA_PLATFORM=$QT_QPA_PLATFORM REQUIRE_PG=$KIOSK_REQUIRE_POSTGRES" >> {log}\n'
        'if [ "$2" = pytest ]; then exit "${FAKE_PYTEST_RC:-0}"; fi\n',
    )
    for tool in ("ruff", "mypy", "lint-imports", "kiosk"):
        _script(venv_bin / tool, rec + f'exit "${{FAKE_{tool.upper().replace("-", "_")}_RC:-0}}"\n')

    env = {
        "PATH": str(bin_dir),
        "HOME": str(tmp_path),
        "FAKE_INSTALLED": " ".join(ALL_DEBIAN),
        "FAKE_CANDIDATES": "",
    }
    m = FakeMachine(repo, log, env)
    m.stamp_current()
    return m


def _ok(result: subprocess.CompletedProcess[str]) -> subprocess.CompletedProcess[str]:
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def test_second_setup_installs_nothing_and_is_quick(machine: FakeMachine) -> None:
    started = time.monotonic()
    out = _ok(machine.run("setup.sh")).stdout
    assert time.monotonic() - started < 2
    assert machine.matching("apt-get") == []
    assert [c for c in machine.calls() if "pip" in c] == []
    assert out.strip().splitlines() == ["[setup] ready: .venv with Python " + ".".join(map(str, sys.version_info[:3]))]


def test_changed_pyproject_reinstalls_the_project_once(machine: FakeMachine) -> None:
    with (machine.repo / "pyproject.toml").open("a") as f:
        f.write('version = "2"\n')
    out = _ok(machine.run("setup.sh")).stdout
    assert "installing the project" in out
    _ok(machine.run("setup.sh"))
    pip_calls = [c for c in machine.calls() if " pip install" in c]
    assert len(pip_calls) == 1
    assert pip_calls[0].split(" QT_")[0].endswith("-e .[dev]")


def test_missing_packages_are_installed_with_one_update_via_sudo(machine: FakeMachine) -> None:
    installed = [p for p in ALL_DEBIAN if p not in ("fonts-noto-cjk", "espeak-ng", "libasound2")]
    out = _ok(
        machine.run("setup.sh", FAKE_UID="1000", FAKE_INSTALLED=" ".join(installed), FAKE_CANDIDATES="libasound2t64")
    ).stdout
    assert "installing Debian packages: fonts-noto-cjk espeak-ng libasound2t64" in out
    assert machine.matching("apt-get") == [
        "apt-get DEBIAN_FRONTEND=noninteractive update -qq",
        "apt-get DEBIAN_FRONTEND=noninteractive install -y -qq --no-install-recommends "
        "fonts-noto-cjk espeak-ng libasound2t64",
    ]
    assert len(machine.matching("sudo")) == 2


def test_older_releases_get_libasound2(machine: FakeMachine) -> None:
    installed = [p for p in ALL_DEBIAN if p != "libasound2"]
    _ok(machine.run("setup.sh", FAKE_INSTALLED=" ".join(installed), FAKE_CANDIDATES="libasound2"))
    assert machine.matching("apt-get")[-1].endswith("--no-install-recommends libasound2")


def test_without_root_or_sudo_setup_says_what_it_needs(machine: FakeMachine) -> None:
    (Path(machine.env["PATH"]) / "sudo").unlink()
    result = machine.run("setup.sh", FAKE_UID="1000", FAKE_INSTALLED="")
    assert result.returncode != 0
    assert "need root or sudo" in result.stderr
    assert machine.matching("apt-get") == []


def _tools(machine: FakeMachine) -> list[str]:
    """The checks test.sh ran, in order (setup's own python calls left out)."""
    tools = []
    for call in machine.calls():
        if call.startswith("python -m pytest"):
            tools.append("pytest")
        elif not call.startswith("python"):
            tools.append(call.split()[0])
    return tools


def test_test_script_runs_the_checks_in_order_then_pytest_offscreen(machine: FakeMachine) -> None:
    result = _ok(machine.run("test.sh", "-q", "-k", "x"))
    assert _tools(machine) == ["ruff", "mypy", "lint-imports", "pytest"]
    assert machine.matching("ruff") == ["ruff check kiosk tests bench scripts"]
    assert machine.calls()[-1] == "python -m pytest -q -k x QT_QPA_PLATFORM=offscreen REQUIRE_PG="
    assert "[test] pytest" in result.stdout


def test_test_script_stops_at_the_first_failing_check(machine: FakeMachine) -> None:
    result = machine.run("test.sh", FAKE_MYPY_RC="1")
    assert result.returncode == 1
    assert _tools(machine) == ["ruff", "mypy"]
    assert "FAILED: mypy" in result.stderr


@pytest.mark.parametrize(("pytest_rc", "expected"), [(0, 0), (1, 1), (5, 1)])
def test_test_script_reports_pytest_failures_and_empty_runs(
    machine: FakeMachine, pytest_rc: int, expected: int
) -> None:
    result = machine.run("test.sh", FAKE_PYTEST_RC=str(pytest_rc))
    assert result.returncode == expected
    assert ("collected no tests" in result.stderr) == (pytest_rc == 5)


def test_in_ci_the_postgres_tests_are_required(machine: FakeMachine) -> None:
    _ok(machine.run("test.sh", CI="true"))
    assert machine.calls()[-1].endswith("REQUIRE_PG=1")


def _demo(machine: FakeMachine, args: Sequence[str] = (), **env: str) -> subprocess.CompletedProcess[str]:
    # The scripts see only the fake machine's environment: no DISPLAY unless a test sets one.
    return machine.run("demo.sh", *args, **env)


def test_demo_without_a_display_explains_that_one_is_needed(machine: FakeMachine) -> None:
    result = _demo(machine)
    assert result.returncode == 1
    assert "no display found" in result.stderr
    assert machine.matching("kiosk") == []


def test_demo_without_a_display_uses_xvfb_when_installed(machine: FakeMachine) -> None:
    _script(Path(machine.env["PATH"]) / "xvfb-run", f'echo "xvfb-run $*" >> {machine.log}\n')
    _ok(_demo(machine, ["--mode", "voice"]))
    assert machine.matching("xvfb-run") == ["xvfb-run -a .venv/bin/kiosk --demo run --role all --mode voice"]


def test_demo_with_a_display_runs_all_three_screens_on_demo_data(machine: FakeMachine) -> None:
    _ok(_demo(machine, DISPLAY=":0"))
    assert machine.matching("kiosk") == ["kiosk --demo run --role all"]
