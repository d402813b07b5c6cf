"""The bundle's entry point (``dist/counter-kiosk/counter-kiosk``): the ``kiosk`` command, frozen.

``counter-kiosk --self-test`` is ``kiosk self-test`` (the installer's and CI's check that the
bundle works on this machine); everything else is the ``kiosk`` command line as documented.
"""

from __future__ import annotations

import sys


def bundle_argv(argv: list[str]) -> list[str]:
    """``--self-test`` anywhere (with global options such as ``--lang en``) runs the self-test."""
    if "--self-test" in argv:
        return ["self-test", *(a for a in argv if a != "--self-test")]
    return argv


def run() -> int:
    from kiosk.cli import main

    return main(bundle_argv(sys.argv[1:]))


if __name__ == "__main__":
    sys.exit(run())
