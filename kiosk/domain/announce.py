"""What the calling board says out loud: ticket numbers and counters as a listener hears them.

The sentence templates are translation keys (``announce.call``, ``announce.recall``); this module
supplies the words that fill them, so the rules can be tested without a speech engine.

Korean (espeak-ng voice ``ko``):

* a ticket number is read digit by digit, ``0`` as 공 (A-001 → "에이 공공일"), the way staff read
  numbers at a counter; a number read as a quantity ("일") would be misheard;
* letters are read by their Korean names (A → 에이); a facility may rename any letter or whole
  service code (``[board.letters]``), and its names win;
* an offline number (A-K1-007) keeps its tag, then a pause: "에이 케이 일, 공공칠";
* the counter is a Sino-Korean number spelled in Hangul (3 → "삼번", 12 → "십이번"): given the
  digits, espeak-ng stops between the number and 번 (``s'am_! p'@n``), while "삼번" is read as one
  word (``s'amb@n``), as people say it.

English (voice ``en-us``): "A-0 0 1". espeak-ng reads a letter followed by a space as the
article ("Number A 001" is heard as "number uh"), and a hyphen keeps the letter's name.
"""

from __future__ import annotations

from collections.abc import Mapping

DIGITS_KO = "공일이삼사오육칠팔구"
"""Digit names for reading a number digit by digit (0 is 공, as in phone and ticket numbers)."""

LETTERS_KO: Mapping[str, str] = {
    "A": "에이",
    "B": "비",
    "C": "씨",
    "D": "디",
    "E": "이",
    "F": "에프",
    "G": "지",
    "H": "에이치",
    "I": "아이",
    "J": "제이",
    "K": "케이",
    "L": "엘",
    "M": "엠",
    "N": "엔",
    "O": "오",
    "P": "피",
    "Q": "큐",
    "R": "알",
    "S": "에스",
    "T": "티",
    "U": "유",
    "V": "브이",
    "W": "더블유",
    "X": "엑스",
    "Y": "와이",
    "Z": "제트",
}
"""Default Korean names of the Latin letters (a facility's ``[board.letters]`` override them)."""

_UNITS_KO = ((1000, "천"), (100, "백"), (10, "십"))


def sino_korean(n: int) -> str:
    """``n`` as a Sino-Korean numeral in Hangul (3 → 삼, 12 → 십이, 101 → 백일), 0 ≤ n < 10,000.

    As Koreans say them, 1 is not spoken before 십, 백 and 천 (10 → 십, not 일십).
    Larger numbers (not a counter any facility has) are returned as digits.
    """
    if n < 0 or n >= 10_000:
        return str(n)
    if n == 0:
        return "영"
    words = []
    for unit, name in _UNITS_KO:
        digit, n = divmod(n, unit)
        if digit:
            words.append(("" if digit == 1 else DIGITS_KO[digit]) + name)
    if n:
        words.append(DIGITS_KO[n])
    return "".join(words)


def _part_ko(part: str, letters: Mapping[str, str]) -> str:
    """One part of a number: a renamed code as a whole, else letter names and digit runs."""
    if part in letters:
        return letters[part]
    words: list[str] = []
    digits = ""
    for ch in part:
        if ch.isascii() and ch.isdigit():
            digits += DIGITS_KO[int(ch)]
            continue
        if digits:
            words.append(digits)
            digits = ""
        name = letters.get(ch) or LETTERS_KO.get(ch)
        if name:
            words.append(name)
    if digits:
        words.append(digits)
    return " ".join(words)


def _parts(number: str) -> list[str]:
    return [p for p in number.strip().upper().split("-") if p]


def number_ko(number: str, letters: Mapping[str, str] | None = None) -> str:
    """A ticket number read in Korean: "A-001" → "에이 공공일", "A-K1-007" → "에이 케이 일, 공공칠"."""
    names = {str(k).strip().upper(): str(v) for k, v in (letters or {}).items() if str(v).strip()}
    parts = [w for w in (_part_ko(p, names) for p in _parts(number)) if w]
    if not parts:
        return number
    if len(parts) <= 2:
        return " ".join(parts)
    return f"{' '.join(parts[:-1])}, {parts[-1]}"  # a pause after the offline tag


def number_en(number: str) -> str:
    """A ticket number read in English: "A-001" → "A-0 0 1", "A-K1-007" → "A-K-1, 0 0 7"."""
    parts = _parts(number)
    if not parts:
        return number
    *head, last = parts
    seq = " ".join(ch for ch in last if ch.isalnum())
    letters = "-".join(ch for part in head for ch in part if ch.isalnum())
    if not letters:
        return seq
    return f"{letters}-{seq}" if len(head) == 1 else f"{letters}, {seq}"


def counter_ko(counter: int) -> str:
    """The counter's number as said before 창구: 3 → "삼번", 12 → "십이번"."""
    return f"{sino_korean(counter)}번"


def call_text(
    number: str,
    counter: int,
    lang: str,
    template: str,
    *,
    letters: Mapping[str, str] | None = None,
    again: str | None = None,
) -> str:
    """The sentence for one call, from the catalog's ``template`` (``{number}``, ``{counter}``).

    ``again`` (``{call}``) wraps it for a recall, e.g. "다시 한 번 안내합니다. {call}".
    The Korean counter word includes 번 (``{counter}`` → "삼번"); the English one is the digits.
    """
    if lang == "ko":
        text = template.format(number=number_ko(number, letters), counter=counter_ko(counter))
    else:
        text = template.format(number=number_en(number), counter=counter)
    return again.format(call=text) if again else text
