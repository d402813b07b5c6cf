"""The facility's service charter (S14): the promises posted on site, read from the facility's own file.

The kiosk's idle screen shows them one at a time. The file is the facility's, not the project's
(``config.charter_file``; the demo ships ``assets/charter/demo.toml``)::

    [[items]]
    title_ko = "밝은 미소로 먼저 맞이하겠습니다"
    title_en = "We greet you first, with a smile"
    text_ko = "..."
    text_en = "..."

Korean is required; English falls back to the Korean text when a facility has none. Everything is
plain text (shown with ``PlainLabel``, never as markup). A file that cannot be used raises
``CharterError`` whose message names the file, the item and the field, so staff can fix it.
Qt-free: the CLI can check a charter file the same way the screen loads it.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

TITLE_MAX = 60
"""Characters in a title: it has to fit on the panel in large text."""

TEXT_MAX = 300
"""Characters in an item's text: a few lines a passer-by can read before the next item."""

FIELDS = ("title_ko", "title_en", "text_ko", "text_en")
REQUIRED = ("title_ko", "text_ko")


class CharterError(ValueError):
    """The charter file cannot be used; the message says which file, item and field, and why."""


@dataclass(frozen=True)
class CharterItem:
    """One promise: a short title and a few sentences, in Korean and English."""

    title_ko: str
    title_en: str
    text_ko: str
    text_en: str

    def title(self, lang: str) -> str:
        return self.title_en if lang == "en" else self.title_ko

    def text(self, lang: str) -> str:
        return self.text_en if lang == "en" else self.text_ko


def _where(path: Path, index: int, entry: Mapping[str, Any] | None = None) -> str:
    """``file: item 3 ('title')``: how a message points at the item (numbered from 1, as people count)."""
    title = entry.get("title_ko") if entry is not None else None
    named = f" ({title!r})" if isinstance(title, str) and title.strip() else ""
    return f"{path}: item {index}{named}"


def _field(path: Path, index: int, entry: Mapping[str, Any], key: str) -> str:
    value = entry.get(key)
    where = _where(path, index, entry)
    if value is None:
        if key in REQUIRED:
            raise CharterError(f"{where}: missing field {key!r}")
        return ""
    if not isinstance(value, str):
        raise CharterError(f"{where}: {key} must be text in quotes, got {value!r}")
    text = " ".join(value.split())  # a TOML multi-line string reads as one paragraph
    if not text and key in REQUIRED:
        raise CharterError(f"{where}: {key} is empty")
    limit = TITLE_MAX if key.startswith("title") else TEXT_MAX
    if len(text) > limit:
        raise CharterError(f"{where}: {key} is {len(text)} characters long; at most {limit} fit on the screen")
    if any(ord(ch) < 32 or 0x7F <= ord(ch) < 0xA0 or 0x202A <= ord(ch) <= 0x202E for ch in text):
        raise CharterError(f"{where}: {key} contains an invisible control character")
    return text


def _item(path: Path, index: int, entry: object) -> CharterItem:
    if not isinstance(entry, Mapping):
        raise CharterError(f"{path}: item {index}: a table ([[items]]) expected, got {entry!r}")
    unknown = sorted(set(entry) - set(FIELDS))
    if unknown:
        expected = ", ".join(FIELDS)
        raise CharterError(f"{_where(path, index, entry)}: unknown field {unknown[0]!r} (expected {expected})")
    title_ko, title_en, text_ko, text_en = (_field(path, index, entry, key) for key in FIELDS)
    return CharterItem(title_ko, title_en or title_ko, text_ko, text_en or text_ko)


def load_charter(path: str | Path) -> list[CharterItem]:
    """The charter's items in the file's order; ``CharterError`` if the file cannot be used."""
    path = Path(path)
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        raise CharterError(f"{path}: charter file not found") from None
    except IsADirectoryError:
        raise CharterError(f"{path}: a charter file expected, this is a directory") from None
    except UnicodeDecodeError:
        raise CharterError(f"{path}: not UTF-8 text; save the file as UTF-8") from None
    except tomllib.TOMLDecodeError as exc:
        raise CharterError(f"{path}: not valid TOML: {exc}") from None
    items = data.get("items")
    if items is None:
        raise CharterError(f"{path}: no [[items]]: a charter needs at least one item")
    if not isinstance(items, list):
        raise CharterError(f"{path}: items must be a list of [[items]] tables")
    if not items:
        raise CharterError(f"{path}: no [[items]]: a charter needs at least one item")
    return [_item(path, i, entry) for i, entry in enumerate(items, start=1)]
