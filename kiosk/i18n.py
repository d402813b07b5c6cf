"""The one translation mechanism: every visitor- and staff-facing string comes from here.

Catalogs are TOML files in ``assets/translations`` (Korean first, English second); keys are
dotted names, values are ``str.format`` templates. Qt-free, so the CLI and the services'
error messages use the same words as the screens.
"""

from __future__ import annotations

import tomllib
from functools import cache
from typing import Any

from kiosk.domain.errors import KioskError
from kiosk.paths import asset

LANGUAGES = ("ko", "en")


def _flatten(prefix: str, table: dict[str, Any], out: dict[str, str]) -> None:
    for key, value in table.items():
        name = f"{prefix}.{key}" if prefix else key
        if isinstance(value, dict):
            _flatten(name, value, out)
        else:
            out[name] = str(value)


@cache
def catalog(lang: str) -> dict[str, str]:
    """``{lang}.toml`` and its parts by area (``{lang}.chart.toml``, ...), merged into one catalog."""
    main = asset("translations", f"{lang}.toml")
    out: dict[str, str] = {}
    for path in (main, *sorted(main.parent.glob(f"{lang}.*.toml"))):
        with path.open("rb") as fh:
            data = tomllib.load(fh)
        _flatten("", data, out)
    return out


def tr(key: str, lang: str = "ko", /, **params: Any) -> str:
    """The text for ``key`` in ``lang`` (falls back to English, then to the key itself)."""
    lang = lang if lang in LANGUAGES else "ko"
    template = catalog(lang).get(key) or catalog("en").get(key)
    if template is None:
        return key
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):
        return template


def error_message(error: KioskError, lang: str = "ko") -> str:
    """A clear sentence for a visitor or staff member; never a traceback."""
    params = dict(error.params)
    if params.get("priority"):
        params["priority"] = tr(f"priority.{params['priority']}", lang)
    if "role" in params and f"console.inbox.role.{params['role']}" in catalog(lang):
        params["role"] = tr(f"console.inbox.role.{params['role']}", lang)  # the role as staff call it
    if "field" in params and f"field.{params['field']}" in catalog(lang):
        params["field"] = tr(f"field.{params['field']}", lang)
    reason = params.get("reason")
    if error.code == "invalid_input" and reason and f"input.{reason}" in catalog(lang):
        return tr(f"input.{reason}", lang, **params)  # what exactly is wrong with what was typed
    if error.code == "chart_invalid":  # the seat-chart rule broken, in the reader's language
        details = params.pop("details", {})
        params["problem"] = tr(f"chart.{params['problem']}", lang, **(details if isinstance(details, dict) else {}))
    return tr(f"error.{error.code}", lang, **params)


def minutes_range(lo: int | None, hi: int | None, lang: str) -> str:
    if lo is None or hi is None:
        return ""
    return tr("wait.range", lang, lo=lo, hi=hi)
