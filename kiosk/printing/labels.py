"""The fixed words printed around a job's values, Korean and English.

Kept beside the renderer (not in the screens' catalogs): paper has its own short forms, and each
heading carries its other-language line so a ticket taken in one language is read by anyone.
"""

from __future__ import annotations

LABELS: dict[str, dict[str, str]] = {
    "ko": {
        "title": "번호표",
        "priority": "우선 고객",
        "ahead": "내 앞 대기 {n}명",
        "ahead_none": "앞에 기다리는 분이 없습니다",
        "wait": "예상 대기 {lo}~{hi}분",
        "wait_about": "예상 대기 약 {lo}분",
        "wait_now": "곧 호출됩니다",
        "issued": "발행 {time}",
        "qr": "QR 코드로 내 순서를 확인하세요",
        "keep": "호출될 때까지 번호표를 보관해 주십시오",
        "receipt_title": "고객의 소리 접수증",
        "receipt": "접수번호",
        "pin": "확인번호 (PIN)",
        "pin_note": "확인번호는 다시 알려 드릴 수 없습니다. 잘 보관해 주십시오.",
        "answer_by": "답변 예정일 {date}",
        "receipt_qr": "처리 결과 확인에서 QR 코드와 확인번호로 답변을 보실 수 있습니다",
    },
    "en": {
        "title": "Queue ticket",
        "priority": "Priority",
        "ahead": "{n} people ahead of you",
        "ahead_one": "1 person ahead of you",
        "ahead_none": "No one is ahead of you",
        "wait": "Estimated wait {lo}–{hi} min",
        "wait_about": "Estimated wait about {lo} min",
        "wait_now": "You will be called shortly",
        "issued": "Issued {time}",
        "qr": "Scan the QR code to check your place",
        "keep": "Please keep this ticket until you are called",
        "receipt_title": "Customer voice receipt",
        "receipt": "Receipt number",
        "pin": "PIN",
        "pin_note": "Your PIN cannot be shown again. Please keep it safe.",
        "answer_by": "Answer expected by {date}",
        "receipt_qr": "Scan the QR code and enter your PIN to read the answer",
    },
}

PRIORITY_MARK = "★"
"""Always followed by the word: a star alone tells a visitor nothing."""


def label(lang: str, key: str, **params: object) -> str:
    table = LABELS.get(lang, LABELS["ko"])
    return (table.get(key) or LABELS["ko"][key]).format(**params)


def other(lang: str) -> str:
    """The second language printed under headings."""
    return "en" if lang == "ko" else "ko"


def ahead_text(lang: str, n: int) -> str:
    if n <= 0:
        return label(lang, "ahead_none")
    if n == 1 and lang == "en":
        return label(lang, "ahead_one")
    return label(lang, "ahead", n=n)


def wait_text(lang: str, lo: int, hi: int) -> str:
    lo, hi = max(0, min(lo, hi)), max(0, lo, hi)
    if hi == 0:
        return label(lang, "wait_now")
    if lo == hi:
        return label(lang, "wait_about", lo=lo)
    return label(lang, "wait", lo=lo, hi=hi)
