"""Finding a font with Hangul for the ticket raster.

Pillow has no font fallback: the one font must hold Hangul, Latin digits and ★. Search order: a
font shipped in ``assets/fonts/``, then what fontconfig says is the system's Korean sans-serif, then
the usual Noto CJK / Nanum paths. Nothing found is a startup error that says what to install, never
a ticket full of empty boxes.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from kiosk.paths import assets_dir

FONT_SUFFIXES = (".ttf", ".ttc", ".otf")

NOTO = "/usr/share/fonts/opentype/noto"
WINDOWS_FONTS = Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts"
KNOWN_FONTS: tuple[tuple[str, str, int], ...] = (
    # (regular, bold, index of the Korean face in a collection)
    (f"{NOTO}/NotoSansCJK-Regular.ttc", f"{NOTO}/NotoSansCJK-Bold.ttc", 1),
    ("/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc", "/usr/share/fonts/noto-cjk/NotoSansCJK-Bold.ttc", 1),
    ("/usr/share/fonts/truetype/nanum/NanumGothic.ttf", "/usr/share/fonts/truetype/nanum/NanumGothicBold.ttf", 0),
    ("/usr/share/fonts/nanum/NanumGothic.ttf", "/usr/share/fonts/nanum/NanumGothicBold.ttf", 0),
    # Windows (no fontconfig there): Malgun Gothic, in every Korean and most other installations.
    (str(WINDOWS_FONTS / "malgun.ttf"), str(WINDOWS_FONTS / "malgunbd.ttf"), 0),
    # macOS: Apple SD Gothic Neo (a collection; its first face is Regular).
    ("/System/Library/Fonts/AppleSDGothicNeo.ttc", "/System/Library/Fonts/AppleSDGothicNeo.ttc", 0),
)


class FontNotFoundError(RuntimeError):
    """No font with Hangul on this machine: tickets cannot be printed."""


@dataclass(frozen=True)
class FontFace:
    path: Path
    index: int = 0


@dataclass(frozen=True)
class KoreanFonts:
    regular: FontFace
    bold: FontFace

    def font(self, size: int, *, bold: bool = False) -> ImageFont.FreeTypeFont:
        face = self.bold if bold else self.regular
        return _load(face.path, face.index, size)


@cache
def _load(path: Path, index: int, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(path), size, index=index)


def _has_hangul(face: FontFace) -> bool:
    try:
        font = ImageFont.truetype(str(face.path), 24, index=face.index)
    except OSError:
        return False
    # A font without the glyph draws its "missing" box, the same for every missing character.
    return _glyph(font, "가") != _glyph(font, "\uffff")


def _glyph(font: ImageFont.FreeTypeFont, char: str) -> bytes:
    image = Image.new("L", (32, 32))
    ImageDraw.Draw(image).text((0, 0), char, font=font, fill=255)
    return image.tobytes()


def _shipped() -> KoreanFonts | None:
    try:
        folder = assets_dir() / "fonts"
    except FileNotFoundError:
        return None
    if not folder.is_dir():
        return None
    files = sorted(p for p in folder.iterdir() if p.suffix.lower() in FONT_SUFFIXES)
    faces = [FontFace(p, _korean_index(p)) for p in files]
    faces = [f for f in faces if _has_hangul(f)]
    if not faces:
        return None
    bold = next((f for f in faces if "bold" in f.path.name.lower()), faces[0])
    regular = next((f for f in faces if "bold" not in f.path.name.lower()), bold)
    return KoreanFonts(regular, bold)


def _korean_index(path: Path) -> int:
    """The Korean face in a collection (Noto CJK holds JP, KR, SC, TC, HK); 0 for a single font."""
    if path.suffix.lower() != ".ttc":
        return 0
    for index in range(12):
        try:
            name = ImageFont.truetype(str(path), 12, index=index).getname()[0] or ""
        except OSError:
            break
        if name.endswith(" KR") or "Korean" in name:
            return index
    return 0


def _fontconfig(weight: str) -> FontFace | None:
    exe = shutil.which("fc-match")
    if exe is None:
        return None
    try:
        out = subprocess.run(
            [exe, "-f", "%{file}|%{index}", f"sans-serif:lang=ko:weight={weight}"],
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    path, _, index = out.partition("|")
    if not path:
        return None
    face = FontFace(Path(path), int(index) if index.isdigit() else 0)
    return face if _has_hangul(face) else None


def _system() -> KoreanFonts | None:
    regular, bold = _fontconfig("regular"), _fontconfig("bold")
    if regular is not None:
        return KoreanFonts(regular, bold or regular)
    for regular_path, bold_path, index in KNOWN_FONTS:
        face = FontFace(Path(regular_path), index)
        if face.path.is_file() and _has_hangul(face):
            bold_face = FontFace(Path(bold_path), index)
            return KoreanFonts(face, bold_face if bold_face.path.is_file() else face)
    return None


@cache
def korean_fonts() -> KoreanFonts:
    """The fonts tickets are drawn with (looked up once per process)."""
    found = _shipped() or _system()
    if found is None:
        known = ", ".join(r for r, _, _ in KNOWN_FONTS)
        raise FontNotFoundError(
            "No font with Hangul for printed tickets: put a .ttf/.otf/.ttc with Korean glyphs in "
            f"assets/fonts/, or install fonts-noto-cjk (looked in assets/fonts/, fontconfig, {known})."
        )
    return found
