"""Hangul composition for the on-screen keyboard: 2-beolsik (두벌식) jamo keys in, syllables out.

Kiosks have no physical keyboard and often no input method, so the touch keyboard composes Hangul
itself. A visitor presses jamo keys one at a time (ㄱ, ㅏ, ...); :class:`HangulComposer` turns them
into precomposed syllables (U+AC00 + ...) the way every Korean keyboard does: compound vowels
(ㅗ+ㅏ=ㅘ) and compound finals (ㄹ+ㄱ=ㄺ) join, a final consonant moves to the next syllable when a
vowel follows (각+ㅏ → 가가, 닭+ㅏ → 달가), ㄸ ㅃ ㅉ (which are never finals) start a new syllable,
and backspace undoes one keystroke at a time while a syllable is being composed (닭 → 달 → 다 → ㄷ).

Any other character (Latin letters, digits, punctuation, space) ends the syllable being composed and
goes into the same buffer, so English and Korean mix freely. Plain Python: no Qt, no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

CHOSEONG = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
"""The 19 initial consonants, in Unicode syllable order (compatibility jamo, as on the keys)."""

JUNGSEONG = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ"
"""The 21 medial vowels, in Unicode syllable order."""

JONGSEONG = (
    "",
    "ㄱ",
    "ㄲ",
    "ㄳ",
    "ㄴ",
    "ㄵ",
    "ㄶ",
    "ㄷ",
    "ㄹ",
    "ㄺ",
    "ㄻ",
    "ㄼ",
    "ㄽ",
    "ㄾ",
    "ㄿ",
    "ㅀ",
    "ㅁ",
    "ㅂ",
    "ㅄ",
    "ㅅ",
    "ㅆ",
    "ㅇ",
    "ㅈ",
    "ㅊ",
    "ㅋ",
    "ㅌ",
    "ㅍ",
    "ㅎ",
)
"""The 27 final consonants (and "no final" first), in Unicode syllable order."""

COMPOUND_MEDIALS: dict[tuple[str, str], str] = {
    ("ㅗ", "ㅏ"): "ㅘ",
    ("ㅗ", "ㅐ"): "ㅙ",
    ("ㅗ", "ㅣ"): "ㅚ",
    ("ㅜ", "ㅓ"): "ㅝ",
    ("ㅜ", "ㅔ"): "ㅞ",
    ("ㅜ", "ㅣ"): "ㅟ",
    ("ㅡ", "ㅣ"): "ㅢ",
}
"""Vowels typed as two keys on the 2-beolsik layout."""

COMPOUND_FINALS: dict[tuple[str, str], str] = {
    ("ㄱ", "ㅅ"): "ㄳ",
    ("ㄴ", "ㅈ"): "ㄵ",
    ("ㄴ", "ㅎ"): "ㄶ",
    ("ㄹ", "ㄱ"): "ㄺ",
    ("ㄹ", "ㅁ"): "ㄻ",
    ("ㄹ", "ㅂ"): "ㄼ",
    ("ㄹ", "ㅅ"): "ㄽ",
    ("ㄹ", "ㅌ"): "ㄾ",
    ("ㄹ", "ㅍ"): "ㄿ",
    ("ㄹ", "ㅎ"): "ㅀ",
    ("ㅂ", "ㅅ"): "ㅄ",
}
"""Final consonant clusters typed as two keys (ㄲ and ㅆ are single, shifted keys)."""

_SPLIT_MEDIALS = {v: k for k, v in COMPOUND_MEDIALS.items()}
_SPLIT_FINALS = {v: k for k, v in COMPOUND_FINALS.items()}

CONSONANT_KEYS = frozenset(CHOSEONG)
"""Consonant keys of the layout: 14 plain ones plus ㄲ ㄸ ㅃ ㅆ ㅉ with shift."""

VOWEL_KEYS = frozenset("ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅛㅜㅠㅡㅣ")
"""Vowel keys of the layout: 12 plain ones plus ㅒ ㅖ with shift (compound vowels take two keys)."""

FINAL_KEYS = frozenset(j for j in JONGSEONG if len(j) == 1 and j in CONSONANT_KEYS)
"""Consonant keys that can close a syllable; ㄸ ㅃ ㅉ cannot and always start a new one."""

SYLLABLE_FIRST, SYLLABLE_LAST = 0xAC00, 0xD7A3
JAMO_FIRST, JAMO_LAST = 0x3131, 0x318E


def compose(initial: str, medial: str, final: str = "") -> str:
    """The precomposed syllable for compatibility jamo, e.g. ``compose("ㄷ", "ㅏ", "ㄺ") == "닭"``."""
    index = (CHOSEONG.index(initial) * len(JUNGSEONG) + JUNGSEONG.index(medial)) * len(JONGSEONG)
    return chr(SYLLABLE_FIRST + index + JONGSEONG.index(final))


def decompose(syllable: str) -> tuple[str, str, str]:
    """Initial, medial and final (``""`` if none) of one precomposed syllable."""
    index = ord(syllable) - SYLLABLE_FIRST
    if not 0 <= index <= SYLLABLE_LAST - SYLLABLE_FIRST:
        raise ValueError(f"{syllable!r} is not a precomposed Hangul syllable")
    index, final = divmod(index, len(JONGSEONG))
    initial, medial = divmod(index, len(JUNGSEONG))
    return CHOSEONG[initial], JUNGSEONG[medial], JONGSEONG[final]


def is_hangul(ch: str) -> bool:
    """A precomposed syllable or a compatibility jamo: what the composer writes for jamo keys."""
    return SYLLABLE_FIRST <= ord(ch) <= SYLLABLE_LAST or JAMO_FIRST <= ord(ch) <= JAMO_LAST


def keystrokes(text: str) -> str:
    """The 2-beolsik keys that type ``text``: syllables and compound jamo split into their keys.

    Characters that are not Hangul are their own key. Typing the result into a
    :class:`HangulComposer` gives ``text`` back whenever ``text`` is made of syllables and other
    characters (a lone jamo may join its neighbour, just as it would for a visitor typing it).
    """
    keys: list[str] = []
    for ch in text:
        if SYLLABLE_FIRST <= ord(ch) <= SYLLABLE_LAST:
            initial, medial, final = decompose(ch)
            keys += [initial, *_SPLIT_MEDIALS.get(medial, medial), *_SPLIT_FINALS.get(final, final)]
        else:
            keys += _SPLIT_MEDIALS.get(ch) or _SPLIT_FINALS.get(ch) or ch
    return "".join(keys)


@dataclass(frozen=True)
class Syllable:
    """The syllable being composed: any part may be empty (``initial`` only, a lone vowel, ...)."""

    initial: str = ""
    medial: str = ""
    final: str = ""

    @property
    def text(self) -> str:
        """What the visitor sees: a precomposed syllable, or a compatibility jamo while incomplete."""
        if self.initial and self.medial:
            return compose(self.initial, self.medial, self.final)
        return self.initial or self.medial


_EMPTY = Syllable()


class HangulComposer:
    """A text buffer typed into with 2-beolsik keys: committed ``text`` plus the ``preedit`` syllable.

    Every state the syllable passes through is kept, so :meth:`backspace` undoes exactly one
    keystroke (ㅘ back to ㅗ, ㄺ back to ㄹ) before it starts deleting committed characters. When a
    final consonant moves to the next syllable, the new syllable's history starts as if it had been
    typed from its initial, so backspace on 달가 gives 달ㄱ and then 달.
    """

    def __init__(self, text: str = "") -> None:
        self._text = text
        self._states: list[Syllable] = []

    @property
    def text(self) -> str:
        """The committed text (without the syllable being composed)."""
        return self._text

    @property
    def preedit(self) -> str:
        """The syllable being composed (``""`` when none): shown to the visitor, not yet committed."""
        return self._current.text

    @property
    def composed(self) -> str:
        """What the visitor sees: the committed text followed by the preedit."""
        return self._text + self.preedit

    @property
    def _current(self) -> Syllable:
        return self._states[-1] if self._states else _EMPTY

    def press(self, key: str) -> None:
        """One key: a jamo composes; any other single character commits the preedit and is appended."""
        if len(key) != 1:
            raise ValueError(f"one key at a time, not {key!r}")
        if key in CONSONANT_KEYS:
            self._consonant(key)
        elif key in JUNGSEONG:
            self._vowel(key)
        else:
            self.commit()
            self._text += key

    def type(self, keys: Iterable[str]) -> None:
        """Press each key in turn (a string is a sequence of keys)."""
        for key in keys:
            self.press(key)

    def backspace(self) -> None:
        """Undo the last jamo of the preedit or, with nothing being composed, delete the last character."""
        if self._states:
            self._states.pop()
        else:
            self._text = self._text[:-1]

    def commit(self) -> str:
        """End the syllable being composed: it joins the text. Returns what was committed (maybe ``""``)."""
        done = self.preedit
        self._text += done
        self._states.clear()
        return done

    def take_text(self) -> str:
        """Remove and return the committed text, keeping the preedit.

        For editors that hold the text themselves (the touch keyboard's target widget): they take
        what was committed after each key and show the preedit separately.
        """
        text, self._text = self._text, ""
        return text

    def clear(self) -> None:
        """Forget everything: committed text and preedit."""
        self._text = ""
        self._states.clear()

    # -- the automaton ----------------------------------------------------------------------------

    def _push(self, syllable: Syllable) -> None:
        self._states.append(syllable)

    def _start(self, *states: Syllable) -> None:
        """Commit the current syllable and begin a new one whose history is ``states``."""
        self.commit()
        self._states.extend(states)

    def _consonant(self, key: str) -> None:
        cur = self._current
        if cur.initial and cur.medial and not cur.final and key in FINAL_KEYS:
            self._push(Syllable(cur.initial, cur.medial, key))  # 가 + ㄱ → 각
        elif cur.initial and cur.final and (cur.final, key) in COMPOUND_FINALS:
            self._push(Syllable(cur.initial, cur.medial, COMPOUND_FINALS[(cur.final, key)]))  # 달 + ㄱ → 닭
        else:
            self._start(Syllable(initial=key))  # ㄱ + ㄴ, 가 + ㄸ, 닭 + ㄱ, ㅏ + ㄱ: a new syllable

    def _vowel(self, key: str) -> None:
        cur = self._current
        if cur.final:
            # The final moves on: 각 + ㅏ → 가 가; of a cluster only its second half: 닭 + ㅏ → 달 가.
            kept, moved = _SPLIT_FINALS.get(cur.final, ("", cur.final))
            self._states[-1] = Syllable(cur.initial, cur.medial, kept)
            self._start(Syllable(initial=moved), Syllable(moved, key))
        elif cur.medial and (cur.medial, key) in COMPOUND_MEDIALS:
            self._push(Syllable(cur.initial, COMPOUND_MEDIALS[(cur.medial, key)]))  # 고 + ㅏ → 과, ㅗ + ㅏ → ㅘ
        elif cur.initial and not cur.medial:
            self._push(Syllable(cur.initial, key))  # ㄱ + ㅏ → 가
        else:
            self._start(Syllable(medial=key))  # a lone vowel: 가 + ㅓ → 가 ㅓ
