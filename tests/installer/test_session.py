"""The kiosk session the Debian package starts at boot (issue 10), run for real in a headless cage.

`installer/deb/counter-kiosk.service` runs `cage -- /opt/counter-kiosk/counter-kiosk run --role
kiosk` as the user `kiosk` on tty1, with `Restart=always`. These tests read the unit's ExecStart,
Environment= and WorkingDirectory= and run that command line with the program from source
(`python -m kiosk`) in place of the bundle, a temporary folder in place of /var/lib/counter-kiosk,
a copy of the packaged kiosk.toml in place of /etc/counter-kiosk/kiosk.toml, and wlroots' headless
backend (software rendering) in place of the screen. Nothing is mocked: a real cage, Qt's real
wayland platform plugin (the unit sets QT_QPA_PLATFORM=wayland, which has no fallback: if the
plugin cannot load, the program stops before its first frame), and grim, which takes screenshots
through cage's wlr-screencopy.

Running cage here, as the tests do it:

- cage 0.1.4 (Debian 12) refuses to run as root: it checks that root cannot be regained, the way
  it would after dropping a setuid bit. The unit runs it as `kiosk`. When the tests run as root,
  cage runs in a new user namespace (`unshare --user`): cage and the program see uid 65534 and
  cannot become root again, while files are reached with the test's own rights (a venv's Python
  may live under /root, where no other account may go).
- Debian's cage 0.1.4 is built with XWayland and exits 1 at once ("Cannot create XWayland server")
  unless /usr/bin/Xwayland is installed (package xwayland; cage neither depends on nor
  recommends it). Qt's wayland plugin needs libwayland-cursor0 and libwayland-egl1.
  `scripts/setup.sh` installs all of these with cage and grim.
- cage 0.1.4 gives a full-screen client's buffer straight to the output ("direct scan-out") when
  it matches the output. The headless backend accepts any buffer for that, and then wlroots 0.15's
  damage tracking leaves the composited picture that screencopy reads stale (the frame composited
  before the switch, with only newly damaged rectangles painted over it). A real panel cannot
  scan out the shared-memory buffers Qt's widgets paint into, so cage composites every frame
  there. The screenshot tests turn the output half a turn (`cage -r -r`): Qt's buffers are then
  never scanned out, cage composites every frame as it does on a kiosk PC, and grim turns the
  picture back upright.

When the tests are not run as root, cage runs as the invoking user, as it would for `kiosk`.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest
from PIL import Image

from kiosk.ui.theme import STANDARD

ROOT = Path(__file__).resolve().parents[2]
UNIT = ROOT / "installer" / "deb" / "counter-kiosk.service"
PACKAGED_CONFIG = ROOT / "installer" / "deb" / "kiosk.toml"
BUNDLE = "/opt/counter-kiosk/counter-kiosk"
UNIT_DATA_DIR = "/var/lib/counter-kiosk"
UNIT_CONFIG = "/etc/counter-kiosk/kiosk.toml"
HEADLESS = {"WLR_BACKENDS": "headless", "WLR_LIBINPUT_NO_DEVICES": "1", "WLR_RENDERER": "pixman"}
UPRIGHT_AFTER_HALF_TURN = ("-r", "-r")  # see the module docstring: no direct scan-out, every frame composited
SHOWN_WITHIN_S = 15.0
Rgb = tuple[int, int, int]

_missing = [tool for tool in ("cage", "grim") if shutil.which(tool) is None]
if _missing:
    _what = " and ".join(_missing)
    if os.environ.get("CI") == "true":
        raise RuntimeError(
            f"{_what} not installed: CI runs the kiosk session tests (bash scripts/setup.sh installs them)"
        )
    pytest.skip(
        f"{_what} not installed (Debian/Ubuntu: bash scripts/setup.sh, or apt install cage grim xwayland)",
        allow_module_level=True,
    )


def unit_settings(section: str) -> list[tuple[str, str]]:
    """The ``(key, value)`` lines of one section of the unit, in order (Environment= repeats)."""
    pairs: list[tuple[str, str]] = []
    current = ""
    for raw in UNIT.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line[0] in "#;":
            continue
        if line.startswith("[") and line.endswith("]"):
            current = line[1:-1]
        elif current == section:
            key, _, value = line.partition("=")
            pairs.append((key.strip(), value.strip()))
    return pairs


def unit_value(section: str, key: str) -> str:
    values = [value for k, value in unit_settings(section) if k == key]
    assert values, f"no {key}= in [{section}] of {UNIT}"
    return values[-1]


def cage_version() -> tuple[int, ...]:
    out = subprocess.run(["cage", "-v"], capture_output=True, text=True, timeout=10).stdout
    found = re.search(r"(\d+)\.(\d+)(?:\.(\d+))?", out)
    assert found, f"cage -v said {out!r}"
    return tuple(int(part) for part in found.groups(default="0"))


def rgb(colour: str) -> Rgb:
    value = colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def _unprivileged() -> list[str]:
    """What to put before cage so that it does not run as root (see the module docstring)."""
    if os.geteuid() != 0:
        return []
    # XWayland's sockets go in /tmp/.X11-unix; systemd-tmpfiles makes it 1777 at boot. Without it,
    # wlroots would create it 0755 for the namespace's user, and later sessions could not bind there.
    x11 = Path("/tmp/.X11-unix")
    if not x11.exists():
        x11.mkdir()
        x11.chmod(0o1777)
    return ["unshare", "--user"]


@dataclass
class Session:
    """One cage session; ``proc`` is cage itself (``unshare`` runs it in its own place)."""

    proc: subprocess.Popen[bytes]
    runtime_dir: Path
    logs: Path
    started: float

    def output(self) -> str:
        return (self.logs / "session.out").read_text(errors="replace")

    def errors(self) -> str:
        return (self.logs / "session.err").read_text(errors="replace")

    def report(self) -> str:
        """What to show when an assertion fails: cage's status and both logs' last lines."""
        tail = "\n".join(self.errors().splitlines()[-25:])
        return f"cage exit status {self.proc.poll()}\n--- stdout\n{self.output()}\n--- stderr (last lines)\n{tail}"

    def display(self, timeout: float = 10.0) -> str:
        """The Wayland socket cage made (``wayland-0`` in its fresh runtime folder)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            sockets = sorted(p.name for p in self.runtime_dir.glob("wayland-*") if not p.name.endswith(".lock"))
            if sockets:
                return sockets[0]
            assert self.proc.poll() is None, f"cage ended before it opened its display\n{self.report()}"
            time.sleep(0.02)
        raise AssertionError(f"cage opened no Wayland display in {timeout} s\n{self.report()}")

    def client_env(self) -> dict[str, str]:
        """For another client of this session (grim, the output probe)."""
        return {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(self.logs),
            "XDG_RUNTIME_DIR": str(self.runtime_dir),
            "WAYLAND_DISPLAY": self.display(),
        }

    def grab(self, path: Path) -> Image.Image:
        result = subprocess.run(["grim", str(path)], env=self.client_env(), capture_output=True, text=True, timeout=10)
        assert result.returncode == 0, f"grim failed: {result.stderr}\n{self.report()}"
        with Image.open(path) as image:
            return image.convert("RGB")

    def output_size(self) -> tuple[int, int]:
        """The output's size as a Wayland client sees it (a Qt client's primary screen)."""
        probe = (
            "from PySide6.QtGui import QGuiApplication\n"
            "app = QGuiApplication([])\n"
            "size = app.primaryScreen().size()\n"
            "print(size.width(), size.height())\n"
        )
        env = {**self.client_env(), "QT_QPA_PLATFORM": "wayland", "LANG": "C.UTF-8"}
        result = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, timeout=20)
        assert result.returncode == 0, f"the output probe failed: {result.stderr}"
        width, height = result.stdout.split()[-2:]
        return int(width), int(height)

    def app_pid(self) -> int:
        """The program cage started (its one child that is a Python running ``-m kiosk``)."""
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
                cmdline = (entry / "cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            parent = int(stat.rsplit(")", 1)[1].split()[1])
            if parent == self.proc.pid and b"kiosk" in cmdline:
                return int(entry.name)
        raise AssertionError(f"cage (pid {self.proc.pid}) has no kiosk child\n{self.report()}")

    def wait(self, timeout: float) -> int:
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            raise AssertionError(f"cage still running after {timeout} s\n{self.report()}") from None

    def stop(self) -> None:
        """Ends cage and the program (their own process group, made for this session)."""
        for sig in (signal.SIGTERM, signal.SIGKILL):
            try:
                os.killpg(self.proc.pid, sig)
            except ProcessLookupError:
                return
            try:
                self.proc.wait(timeout=5)
                return
            except subprocess.TimeoutExpired:
                continue


def start_session(tmp: Path, demo: bool = False, cage_options: Sequence[str] = (), **env: str) -> Session:
    """The unit's ExecStart with the program from source, headless, in ``tmp``: on the packaged
    configuration, or (``demo``) on the demo facility (``kiosk --demo --data-dir <tmp>``, richer
    screens), in place of /etc/counter-kiosk/kiosk.toml."""
    data = tmp / "data"
    data.mkdir()
    runtime = tmp / "runtime"
    runtime.mkdir()
    runtime.chmod(0o700)  # what pam_systemd makes (/run/user/<uid>); Qt refuses anything looser
    config = tmp / "kiosk.toml"
    shutil.copyfile(PACKAGED_CONFIG, config)

    def placed(value: str) -> str:
        return value.replace(UNIT_DATA_DIR, str(data)).replace(UNIT_CONFIG, str(config))

    session_env = {"PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": str(data)}
    session_env |= {"XDG_RUNTIME_DIR": str(runtime), **HEADLESS}
    for key, value in unit_settings("Service"):
        if key == "Environment":
            name, _, setting = value.partition("=")
            session_env[name] = placed(setting)
    if demo:
        del session_env["KIOSK_CONFIG"]  # the demo facility has its own services and seat chart
    session_env |= env

    argv = shlex.split(unit_value("Service", "ExecStart"))
    assert BUNDLE in argv, f"the unit no longer starts {BUNDLE}: {argv}"
    at = argv.index(BUNDLE)
    cage = argv[0] if os.access(argv[0], os.X_OK) else shutil.which("cage") or argv[0]
    program = [sys.executable, "-m", "kiosk", *(["--demo", "--data-dir", str(data)] if demo else [])]
    command = [*_unprivileged(), cage, *cage_options, *argv[1:at], *program, *argv[at + 1 :]]

    logs = tmp / "logs"
    logs.mkdir()
    with (logs / "session.out").open("wb") as out, (logs / "session.err").open("wb") as err:
        proc = subprocess.Popen(
            command,
            cwd=placed(unit_value("Service", "WorkingDirectory")),
            env=session_env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=err,
            start_new_session=True,
        )
    return Session(proc, runtime, logs, time.time())


@pytest.fixture
def sessions(tmp_path: Path) -> Iterator[Callable[..., Session]]:
    """Starts sessions (each in its own folder) and ends whatever is still running afterwards."""
    started: list[Session] = []

    def start(demo: bool = False, cage_options: Sequence[str] = (), **env: str) -> Session:
        folder = tmp_path / f"session{len(started)}"
        folder.mkdir()
        session = start_session(folder, demo, cage_options, **env)
        started.append(session)
        return session

    yield start
    for session in started:
        session.stop()


def as_rgb(value: object) -> Rgb:
    assert isinstance(value, tuple) and len(value) == 3, value
    return int(value[0]), int(value[1]), int(value[2])


def edge_colours(image: Image.Image) -> dict[str, Counter[Rgb]]:
    width, height = image.size
    px = image.load()
    assert px is not None
    return {
        "top": Counter(as_rgb(px[x, 0]) for x in range(width)),
        "bottom": Counter(as_rgb(px[x, height - 1]) for x in range(width)),
        "left": Counter(as_rgb(px[0, y]) for y in range(height)),
        "right": Counter(as_rgb(px[width - 1, y]) for y in range(height)),
    }


def colour_counts(image: Image.Image) -> Counter[Rgb]:
    return Counter({as_rgb(colour): count for count, colour in image.getcolors(image.width * image.height) or []})


def start_screen_shown(image: Image.Image) -> bool:
    """The kiosk's start screen, edge to edge: background all round, the services listed."""
    bg, bar, primary = rgb(STANDARD.bg), rgb(STANDARD.bar), rgb(STANDARD.primary)
    edges = edge_colours(image)
    framed = all(set(edges[side]) == {bg} for side in ("top", "left", "right")) and set(edges["bottom"]) <= {bg, bar}
    colours = colour_counts(image)
    return framed and colours[primary] > 0.05 * image.width * image.height


def wait_for_start_screen(session: Session, where: Path) -> Image.Image:
    deadline = time.monotonic() + SHOWN_WITHIN_S
    image = session.grab(where)
    while not start_screen_shown(image) and time.monotonic() < deadline:
        assert session.proc.poll() is None, f"the session ended\n{session.report()}"
        time.sleep(0.25)
        image = session.grab(where)
    return image


@pytest.mark.slow
def test_the_unit_brings_the_kiosk_up_and_cage_ends_with_it(sessions: Callable[..., Session]) -> None:
    # The unit's command line, environment and packaged configuration; the program stops by
    # itself once its store is open and the screen usable (the start-up benchmark's switch).
    session = sessions(KIOSK_EXIT_AFTER_FIRST_FRAME="1")
    code = session.wait(20)
    ended = time.time()
    errors = session.errors()
    hint = ""
    if "XWayland" in errors:
        hint = "cage 0.1.4 needs /usr/bin/Xwayland (apt install xwayland)\n"
    if 'platform plugin "wayland"' in errors:
        hint += "Qt's wayland plugin did not load (apt install libwayland-cursor0 libwayland-egl1)\n"
    assert code == 0, f"{hint}{session.report()}"
    marks = dict(line.split() for line in session.output().splitlines() if line.startswith(("first-frame ", "ready ")))
    assert set(marks) == {"first-frame", "ready"}, f"{hint}{session.report()}"
    first, ready = float(marks["first-frame"]), float(marks["ready"])
    assert session.started < first <= ready <= ended
    assert ready - session.started < 15, f"the kiosk took {ready - session.started:.1f} s to be ready"


@pytest.mark.slow
def test_the_kiosk_fills_the_whole_output(sessions: Callable[..., Session], tmp_path: Path) -> None:
    session = sessions(demo=True, cage_options=UPRIGHT_AFTER_HALF_TURN)
    shot = tmp_path / "session.png"
    image = wait_for_start_screen(session, shot)
    width, height = image.size
    assert (width, height) == session.output_size(), f"grim did not capture the whole output: {shot}"

    edges = edge_colours(image)
    bg = rgb(STANDARD.bg)
    for side in ("top", "left", "right"):
        # cage's background is black: any part of the output the kiosk leaves uncovered shows it.
        assert set(edges[side]) == {bg}, f"the {side} edge is not the kiosk's background: {edges[side]} ({shot})"
    assert set(edges["bottom"]) <= {bg, rgb(STANDARD.bar)}, f"bottom edge {edges['bottom']} ({shot})"
    colours = colour_counts(image)
    assert len(colours) > 50, f"a uniform picture, not a screen: {colours.most_common(3)} ({shot})"
    services = colours[rgb(STANDARD.primary)] / (width * height)
    assert services > 0.05, f"the service buttons are missing ({services:.1%} of the screen): {shot}"
    assert session.proc.poll() is None, "the kiosk is meant to stay up"


@pytest.mark.slow
def test_a_crash_ends_the_session_so_that_systemd_restarts_it(sessions: Callable[..., Session], tmp_path: Path) -> None:
    session = sessions(demo=True, cage_options=UPRIGHT_AFTER_HALF_TURN)
    assert start_screen_shown(wait_for_start_screen(session, tmp_path / "before.png")), session.report()

    os.kill(session.app_pid(), signal.SIGKILL)  # a crash: no clean-up, no goodbye
    killed = time.monotonic()
    code = session.wait(10)
    assert time.monotonic() - killed < 5, "cage outlived its program by more than 5 s"
    # cage 0.1.4 ends with 0 whatever its program did (cage 0.2 passes the status on, 128 + signal),
    # so systemd cannot tell a crash from a clean stop: only Restart=always brings the kiosk back.
    expected = 0 if cage_version() < (0, 2) else 128 + signal.SIGKILL
    assert code == expected, session.report()
    assert unit_value("Service", "Restart") == "always"
    assert float(unit_value("Service", "RestartSec")) <= 5
    assert unit_value("Unit", "StartLimitIntervalSec") == "0", "a kiosk that crashes at once must not be given up on"


@pytest.mark.skipif(
    shutil.which("systemd-analyze") is None and os.environ.get("CI") != "true",  # in CI it must run
    reason="systemd-analyze is not installed",
)
def test_systemd_accepts_the_unit(tmp_path: Path) -> None:
    # verify reads the unit as systemd would and checks that ExecStart's program (/usr/bin/cage)
    # exists. A wrong value or an unknown key is only a warning (exit 0), hence the look at stderr.
    def verify(unit: Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run(["systemd-analyze", "verify", str(unit)], capture_output=True, text=True, timeout=30)

    result = verify(UNIT)
    about_it = [line for line in result.stderr.splitlines() if UNIT.name in line]
    assert result.returncode == 0 and not about_it, result.stderr

    # The check does look: the same unit with one typo is reported.
    typo = tmp_path / UNIT.name
    typo.write_text(UNIT.read_text(encoding="utf-8").replace("Restart=always", "Restart=allways"), encoding="utf-8")
    assert "restart specifier" in verify(typo).stderr
