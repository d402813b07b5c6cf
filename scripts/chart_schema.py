"""Regenerate seat_chart/schema.json, the JSON Schema of the seat-chart file, from the pydantic models.

Run after changing ``kiosk/services/chart_file.py``: ``.venv/bin/python scripts/chart_schema.py``.
``--check`` only compares (exit 1 when the committed file is stale); tests/chart/test_chart_file.py
does the same check, so a stale schema fails the test suite.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from kiosk.services.chart_file import json_schema

SCHEMA = Path(__file__).resolve().parent.parent / "seat_chart" / "schema.json"


def render() -> str:
    return json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n"


def main(argv: list[str]) -> int:
    text = render()
    if "--check" in argv:
        current = SCHEMA.read_text(encoding="utf-8") if SCHEMA.exists() else ""
        if current != text:
            print(f"{SCHEMA} is stale: run scripts/chart_schema.py", file=sys.stderr)
            return 1
        return 0
    SCHEMA.write_text(text, encoding="utf-8")
    print(f"wrote {SCHEMA}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
