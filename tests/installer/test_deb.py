"""The Debian package (`installer/build-deb`): what a facility's technician installs on a kiosk PC.

The package is built from a stand-in bundle (a shell script named `counter-kiosk` that answers
`--self-test` the way the real bundle does), then taken apart with dpkg-deb and installed with
dpkg into an empty throwaway root: the program must run from there, the configuration must
survive an upgrade, and a purge must keep a copy of the kiosk's data. Nothing touches the machine
running the tests (dpkg runs the maintainer scripts with DPKG_ROOT set, and they stay below it).
dpkg-deb is on every Debian machine: in CI these tests never skip.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
import tarfile
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pytest

from kiosk.config import load_config

ROOT = Path(__file__).resolve().parents[2]
BUILD_DEB = ROOT / "installer" / "build-deb"
PKG = "counter-kiosk"

if shutil.which("dpkg-deb") is None or shutil.which("dpkg") is None:
    if os.environ.get("CI"):
        raise RuntimeError("dpkg-deb and dpkg are needed for the package tests and CI runs them")
    pytest.skip("dpkg-deb is not installed (Debian and Ubuntu have it)", allow_module_level=True)

FAKE_LAUNCHER = """#!/bin/sh
# Stand-in for the PyInstaller launcher: answers --self-test like the real bundle.
here=$(cd "$(dirname "$0")" && pwd)
if [ "$1" = --self-test ]; then
    [ -f "$here/_internal/base_library.zip" ] || { echo "bundle incomplete" >&2; exit 1; }
    echo "ok self-test from=$here data=${KIOSK_DATA_DIR:-} config=${KIOSK_CONFIG:-}"
    exit 0
fi
if [ "$*" = "service list --json" ]; then
    grep -qF '[[services]]' "$KIOSK_CONFIG" || exit 8
    echo '[{"code": "A"}]'
    exit 0
fi
echo "counter-kiosk $*"
"""


def project_version() -> str:
    with (ROOT / "pyproject.toml").open("rb") as fh:
        return str(tomllib.load(fh)["project"]["version"])


def fake_bundle(where: Path) -> Path:
    bundle = where / PKG
    (bundle / "_internal").mkdir(parents=True)
    (bundle / "_internal" / "base_library.zip").write_bytes(b"PK\x05\x06" + b"\0" * 18)  # an empty zip
    launcher = bundle / PKG
    launcher.write_text(FAKE_LAUNCHER)
    launcher.chmod(0o700)  # the package must make it runnable by everyone (0755)
    return bundle


def build(bundle: Path, out: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", str(BUILD_DEB), str(bundle)],
        env={
            **os.environ,
            "DEB_OUT_DIR": str(out / "dist"),
            "DEB_BUILD_DIR": str(out / "build"),
            "DEB_LINTIAN": "no",
            **env,
        },
        capture_output=True,
        text=True,
        timeout=300,
    )


@dataclass
class Built:
    deb: Path
    output: str
    control: Path  # the package's DEBIAN folder, extracted


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    work = tmp_path_factory.mktemp("deb")
    result = build(fake_bundle(work / "bundle"), work)
    assert result.returncode == 0, result.stdout + result.stderr
    arch = run("dpkg", "--print-architecture")
    deb = work / "dist" / f"{PKG}_{project_version()}_{arch}.deb"
    assert deb.is_file(), f"no {deb.name} in {sorted(p.name for p in (work / 'dist').iterdir())}"
    control = work / "control"
    subprocess.run(["dpkg-deb", "--control", str(deb), str(control)], check=True)
    return Built(deb, result.stdout + result.stderr, control)


def run(*command: str) -> str:
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout.strip()


def field(deb: Path, name: str) -> str:
    return run("dpkg-deb", "--field", str(deb), name)


def packages(relation: str) -> set[str]:
    """`a, b | c (>= 1)` -> {"a", "b", "c"}."""
    return {re.sub(r"\s*\(.*\)", "", alt).strip() for part in relation.split(",") for alt in part.split("|")}


class ThrowawayRoot:
    """An empty directory with its own dpkg database, as a fresh machine would have."""

    def __init__(self, path: Path) -> None:
        self.path = path
        (path / "var/lib/dpkg/info").mkdir(parents=True)
        (path / "var/lib/dpkg/updates").mkdir()
        (path / "var/lib/dpkg/status").touch()

    def dpkg(self, *args: str) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            [
                "dpkg",
                f"--root={self.path}",
                f"--admindir={self.path}/var/lib/dpkg",
                f"--log={self.path}/dpkg.log",
                "--force-not-root",
                "--force-depends",
                "--force-script-chrootless",
                "--force-bad-path",
                *args,
            ],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        return result

    def status(self) -> str:
        result = subprocess.run(
            ["dpkg-query", f"--admindir={self.path}/var/lib/dpkg", "-W", "-f=${db:Status-Abbrev}${Version}", PKG],
            capture_output=True,
            text=True,
        )
        return result.stdout.strip() if result.returncode == 0 else "absent"

    def __truediv__(self, rel: str) -> Path:
        return self.path / rel.lstrip("/")


def test_control_fields_name_the_program_its_version_and_what_the_kiosk_needs(built: Built) -> None:
    assert field(built.deb, "Package") == PKG
    assert field(built.deb, "Version") == project_version()
    assert field(built.deb, "Architecture") == run("dpkg", "--print-architecture")
    depends = packages(field(built.deb, "Depends"))
    # Hangul on screen and on tickets, the spoken guidance, the kiosk user.
    assert {"fonts-noto-cjk", "espeak-ng", "adduser"} <= depends
    # What the bundle does not carry: the C library, the GL/EGL drivers, Qt's Wayland plugin's
    # libraries, and the data behind its own copies of fontconfig (fonts.conf) and xkbcommon (keymaps).
    assert {"libc6", "libgl1", "libegl1", "libwayland-client0", "libwayland-cursor0", "libwayland-egl1"} <= depends
    assert {"libfontconfig1", "libxkbcommon0"} <= depends
    # Debian 12's cage exits at once without Xwayland (and the cage package does not pull it in).
    assert {"cage", "xwayland"} <= set(packages(field(built.deb, "Recommends")))
    assert int(field(built.deb, "Installed-Size")) > 0
    assert "@" not in field(built.deb, "Description")
    assert "\n" not in field(built.deb, "Depends"), "a binary package's Depends must be one line"


def test_package_holds_program_link_unit_and_configuration_owned_by_root(built: Built) -> None:
    listing = run("dpkg-deb", "--contents", str(built.deb))
    entries = {}
    for line in listing.splitlines():
        mode, owner, _size, _date, _time, path = line.split(None, 5)
        entries[path] = (mode, owner)
    assert entries[f"./opt/{PKG}/{PKG}"][0] == "-rwxr-xr-x"
    assert entries[f"./lib/systemd/system/{PKG}.service"][0] == "-rw-r--r--"
    assert entries[f"./etc/{PKG}/kiosk.toml"][0] == "-rw-r-----", "the configuration is never world-readable"
    assert entries[f"./usr/bin/{PKG} -> /opt/{PKG}/{PKG}"][0].startswith("l")
    assert f"./usr/share/doc/{PKG}/copyright" in entries
    assert {owner for _mode, owner in entries.values()} == {"root/root"}
    assert all(mode == "drwxr-xr-x" for path, (mode, _o) in entries.items() if path.endswith("/"))
    assert (built.control / "conffiles").read_text().split() == [f"/etc/{PKG}/kiosk.toml"]


def unit_lines(built: Built) -> dict[str, list[str]]:
    tree = built.control.parent / "data"
    if not tree.exists():
        subprocess.run(["dpkg-deb", "--extract", str(built.deb), str(tree)], check=True)
    values: dict[str, list[str]] = {}
    for line in (tree / f"lib/systemd/system/{PKG}.service").read_text().splitlines():
        if line and not line.startswith(("#", "[")):
            key, _, value = line.partition("=")
            values.setdefault(key, []).append(value)
    return values


def test_unit_starts_the_kiosk_full_screen_in_cage_as_kiosk_user_and_restarts_it(built: Built) -> None:
    unit = unit_lines(built)
    (exec_start,) = unit["ExecStart"]
    cage_options, _, command = exec_start.partition(" -- ")
    assert cage_options.split()[0] == "/usr/bin/cage"
    assert "-s" not in cage_options.split(), "cage -s would let visitors switch to a text console"
    assert command == f"/opt/{PKG}/{PKG} run --role kiosk"
    assert unit["Restart"] == ["always"] and unit["RestartSec"] == ["2"]
    assert unit["User"] == ["kiosk"] and unit["PAMName"] == ["login"]
    assert unit["TTYPath"] == ["/dev/tty1"] and unit["StandardInput"] == ["tty"]
    assert "getty@tty1.service" in unit["Conflicts"]
    assert any("systemd-user-sessions.service" in v for v in unit["After"])
    assert f"KIOSK_DATA_DIR=/var/lib/{PKG}" in unit["Environment"]
    assert f"KIOSK_CONFIG=/etc/{PKG}/kiosk.toml" in unit["Environment"]
    assert unit["WantedBy"] == ["graphical.target"]
    assert unit["StartLimitIntervalSec"] == ["0"], "a kiosk never gives up restarting"


def test_maintainer_scripts_are_executable_posix_shell(built: Built) -> None:
    for name in ("postinst", "prerm", "postrm"):
        script = built.control / name
        assert stat.S_IMODE(script.stat().st_mode) == 0o755, name
        assert script.read_text().startswith("#!/bin/sh\n"), name
        result = subprocess.run(["sh", "-n", str(script)], capture_output=True, text=True)
        assert result.returncode == 0, f"{name}: {result.stderr}"
        if shutil.which("shellcheck"):
            result = subprocess.run(["shellcheck", "-s", "sh", str(script)], capture_output=True, text=True)
            assert result.returncode == 0, f"{name}: {result.stdout}"


STUBBED = (
    *("adduser", "addgroup", "getent", "dpkg-statoverride", "install", "chown", "chmod", "rm", "touch"),
    *("deb-systemd-helper", "deb-systemd-invoke", "systemctl"),
)


def test_postinst_on_a_real_system_creates_the_user_data_folder_and_enables_the_unit(
    built: Built, tmp_path: Path
) -> None:
    """The branch a kiosk PC takes, run against recording stand-ins (PATH holds nothing else):
    the machine running the tests gets no user and no unit."""
    stubs = tmp_path / "bin"
    stubs.mkdir()
    log = tmp_path / "calls.log"
    for name in STUBBED:
        # getent knows the usual groups (audio, video, ...) but no "kiosk" yet.
        code = 'case "$*" in *kiosk*) exit 2 ;; *) exit 0 ;; esac' if name == "getent" else "exit 0"
        if name == "dpkg-statoverride":
            code = "exit 1"  # no local override of the folder's owner or mode
        (stubs / name).write_text(f'#!/bin/sh\necho "{name} $*" >> "{log}"\n{code}\n')
        (stubs / name).chmod(0o755)
    result = subprocess.run(
        ["/bin/sh", str(built.control / "postinst"), "configure", ""],
        env={"PATH": str(stubs), "DPKG_ROOT": ""},
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 0, result.stderr
    calls = log.read_text().splitlines()
    assert (
        "adduser --system --group --home /var/lib/counter-kiosk --no-create-home "
        "--shell /usr/sbin/nologin --gecos Counter Kiosk kiosk"
    ) in calls
    assert "adduser --quiet kiosk audio" in calls and "adduser --quiet kiosk lp" in calls
    assert f"install -d -o kiosk -g kiosk -m 0750 /var/lib/{PKG}" in calls
    assert f"deb-systemd-helper enable {PKG}.service" in calls
    assert not [c for c in calls if c.startswith(("systemctl start", "deb-systemd-invoke start"))], (
        "a first install must not take tty1 away at once"
    )
    assert "cage is not installed" in result.stderr


def test_build_installs_the_package_into_a_throwaway_root_and_runs_the_self_test(built: Built) -> None:
    assert "ok self-test from=" in built.output
    assert '[{"code": "A"}]' in built.output, "the installed program read the packaged configuration"
    assert "==> done in " in built.output and str(built.deb) in built.output


def test_installed_into_an_empty_root_the_program_runs_from_there(built: Built, tmp_path: Path) -> None:
    root = ThrowawayRoot(tmp_path / "root")
    root.dpkg("--install", str(built.deb))
    assert root.status() == f"ii {project_version()}"
    data = root / f"/var/lib/{PKG}"
    assert data.is_dir() and stat.S_IMODE(data.stat().st_mode) == 0o750
    assert os.readlink(root / f"/usr/bin/{PKG}") == f"/opt/{PKG}/{PKG}"
    result = subprocess.run(
        [str(root / f"/opt/{PKG}/{PKG}"), "--self-test"],
        env={**os.environ, "KIOSK_DATA_DIR": str(data)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"ok self-test from={root / f'/opt/{PKG}'}")


def test_remove_keeps_data_and_configuration_and_purge_keeps_a_private_copy(built: Built, tmp_path: Path) -> None:
    root = ThrowawayRoot(tmp_path / "root")
    root.dpkg("--install", str(built.deb))
    store = root / f"/var/lib/{PKG}/kiosk.sqlite3"
    store.write_bytes(b"tickets of the day")

    root.dpkg("--remove", PKG)
    assert not (root / f"/opt/{PKG}").exists()
    assert store.read_bytes() == b"tickets of the day"
    assert (root / f"/etc/{PKG}/kiosk.toml").is_file()

    result = root.dpkg("--purge", PKG)
    assert root.status() == "absent" or root.status().startswith("pn")
    assert not (root / f"/var/lib/{PKG}").exists()
    assert not (root / f"/etc/{PKG}").exists()
    (backup,) = (root / "/var/backups").glob(f"{PKG}-data-*.tar.gz")
    assert backup.name in result.stdout, "the technician is told where the copy is"
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600, "the copy holds the voice box's key"
    with tarfile.open(backup) as tar:
        member = tar.extractfile(f"{PKG}/kiosk.sqlite3")
        assert member is not None and member.read() == b"tickets of the day"


def test_upgrade_keeps_the_edited_configuration_and_the_data(built: Built, tmp_path: Path) -> None:
    root = ThrowawayRoot(tmp_path / "root")
    root.dpkg("--install", str(built.deb))
    config = root / f"/etc/{PKG}/kiosk.toml"
    config.write_text(config.read_text().replace('name_ko = "민원실"', 'name_ko = "한빛 민원실"'))
    (root / f"/var/lib/{PKG}/kiosk.sqlite3").write_bytes(b"store")

    newer = build(fake_bundle(tmp_path / "bundle"), tmp_path / "newer", DEB_REVISION="2", DEB_LDD_CHECK="no")
    assert newer.returncode == 0, newer.stdout + newer.stderr
    (deb,) = (tmp_path / "newer" / "dist").glob("*.deb")
    root.dpkg("--force-confold", "--install", str(deb))

    assert root.status() == f"ii {project_version()}-2"
    assert 'name_ko = "한빛 민원실"' in config.read_text()
    assert (root / f"/var/lib/{PKG}/kiosk.sqlite3").read_bytes() == b"store"


def test_default_configuration_loads_without_demo_data() -> None:
    cfg = load_config(ROOT / "installer/deb/kiosk.toml", data_dir=f"/var/lib/{PKG}", env={})
    assert not cfg.demo and not cfg.staff, "no demo staff or PINs on a real kiosk"
    assert cfg.services and cfg.counters
    assert cfg.language == "ko"
    assert cfg.db_url == f"sqlite:////var/lib/{PKG}/kiosk.sqlite3"


def test_build_without_a_bundle_says_how_to_make_one(tmp_path: Path) -> None:
    result = build(tmp_path / "missing", tmp_path)
    assert result.returncode != 0
    assert "installer/build" in result.stderr
    assert not (tmp_path / "dist").exists() or not list((tmp_path / "dist").glob("*.deb"))


def test_a_bundle_whose_self_test_fails_leaves_no_package(tmp_path: Path) -> None:
    bundle = fake_bundle(tmp_path / "bundle")
    (bundle / "_internal" / "base_library.zip").unlink()  # the stand-in's self-test now fails
    result = build(bundle, tmp_path, DEB_LDD_CHECK="no")
    assert result.returncode != 0
    assert "self-test failed" in result.stderr
    assert not list((tmp_path / "dist").glob("*.deb")), "a package that failed its checks must not be left"
