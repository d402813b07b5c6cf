"""The kiosk in the package's cage session (headless wlroots), grabbed with grim, into
docs/screenshots/session_cage_kiosk_ko.png. Needs cage, grim and xwayland (scripts/setup.sh).

    .venv/bin/python scripts/session_screenshot.py

Uses the session harness of tests/installer/test_session.py (the unit's command line and
environment, a throw-away demo store).
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.installer import test_session as session  # noqa: E402

OUT = ROOT / "docs" / "screenshots" / "session_cage_kiosk_ko.png"


def main(out: Path = OUT) -> Path:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        running = session.start_session(work, demo=True, cage_options=session.UPRIGHT_AFTER_HALF_TURN)
        try:
            session.wait_for_start_screen(running, work / "shot.png")
            out.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(work / "shot.png", out)
        finally:
            running.stop()
    return out


if __name__ == "__main__":
    print(main(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT))
