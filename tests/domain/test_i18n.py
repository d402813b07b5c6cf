"""Every text exists in Korean and English; every error has a message people can read."""

from __future__ import annotations

import string

import kiosk.domain.errors as errors
from kiosk.domain.errors import KioskError, UnknownService
from kiosk.i18n import catalog, error_message, tr


def test_korean_and_english_catalogs_have_the_same_keys() -> None:
    assert set(catalog("ko")) == set(catalog("en"))


def test_every_error_code_has_a_message_in_both_languages() -> None:
    codes = {cls.code for cls in vars(errors).values() if isinstance(cls, type) and issubclass(cls, KioskError)}
    for code in codes:
        assert f"error.{code}" in catalog("ko")
        assert f"error.{code}" in catalog("en")


def test_messages_are_filled_in_the_visitors_language() -> None:
    assert error_message(UnknownService(service="Z"), "ko") == "'Z' 업무를 찾을 수 없습니다."
    assert error_message(UnknownService(service="Z"), "en") == "There is no service 'Z'."
    assert tr("wait.range", "ko", lo=5, hi=10) == "5~10분"


def test_korean_catalog_uses_polite_forms_for_instructions() -> None:
    ko = catalog("ko")
    assert ko["kiosk.choose_service"].endswith("십시오")
    assert ko["kiosk.idle_countdown"].endswith("합니다.")


def _all_error_classes() -> set[type[KioskError]]:
    import kiosk.services.queue  # noqa: F401  (errors defined by outer layers must be covered too)

    found: set[type[KioskError]] = set()
    todo: list[type[KioskError]] = [KioskError]
    while todo:
        cls = todo.pop()
        found.add(cls)
        todo.extend(cls.__subclasses__())
    return found


def test_every_kiosk_error_subclass_anywhere_has_a_message_in_both_languages() -> None:
    classes = _all_error_classes()
    assert len(classes) > 10
    for cls in classes:
        for lang in ("ko", "en"):
            assert f"error.{cls.code}" in catalog(lang), (cls.__name__, lang)


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_both_languages_fill_in_the_same_details() -> None:
    """A Korean message never lacks the number or counter its English twin shows (and vice versa)."""
    ko, en = catalog("ko"), catalog("en")
    mismatched = {key for key in ko if key in en and _fields(ko[key]) != _fields(en[key])}
    assert mismatched == set()


def test_no_message_is_left_empty_or_untranslated() -> None:
    ko, en = catalog("ko"), catalog("en")
    assert [k for k, v in {**ko, **en}.items() if not v.strip()] == []
    hangul = [k for k in ko if any("\uac00" <= ch <= "\ud7a3" for ch in ko[k])]
    assert len(hangul) > len(ko) * 0.8  # the Korean catalog really is Korean
