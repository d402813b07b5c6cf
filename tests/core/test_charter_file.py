"""The service charter file (S14): the demo's loads; a broken one says which file, item and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.config import load_config
from kiosk.services.charter import CharterError, CharterItem, load_charter


def write(tmp_path: Path, text: str, name: str = "charter.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_demo_charter_loads_in_korean_and_english() -> None:
    cfg = load_config(demo=True, env={})
    assert cfg.charter_file is not None
    items = load_charter(cfg.charter_file)
    assert 6 <= len(items) <= 8
    for item in items:
        assert item.title_ko and item.text_ko and item.title_en and item.text_en
        assert any("\uac00" <= ch <= "\ud7a3" for ch in item.title_ko + item.text_ko)
        assert item.text_en.isascii()
    first = items[0]
    assert first.title("ko") == first.title_ko and first.text("en") == first.text_en


def test_items_keep_the_files_order_and_english_falls_back_to_korean(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        '[[items]]\ntitle_ko = "첫째"\ntext_ko = """여러 줄로\n   쓴 글"""\n'
        '[[items]]\ntitle_ko = "둘째"\ntitle_en = "Second"\ntext_ko = "둘"\ntext_en = "Two"\n',
    )
    assert load_charter(path) == [
        CharterItem("첫째", "첫째", "여러 줄로 쓴 글", "여러 줄로 쓴 글"),
        CharterItem("둘째", "Second", "둘", "Two"),
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '[[items]]\ntitle_ko = "인사"\ntext_ko = "안녕"\n[[items]]\ntitle_ko = "기한"\n',
            "item 2 ('기한'): missing field 'text_ko'",
        ),
        ('[[items]]\ntitle_ko = "인사"\ntext_ko = 7\n', "item 1 ('인사'): text_ko must be text in quotes, got 7"),
        ('[[items]]\ntitle_ko = "인사"\ntext_ko = "   "\n', "item 1 ('인사'): text_ko is empty"),
        ('[[items]]\ntitle_ko = "인사"\ntext_kr = "안녕"\n', "item 1 ('인사'): unknown field 'text_kr'"),
        (
            '[[items]]\ntitle_ko = "인사"\ntext_ko = "' + "가" * 301 + '"\n',
            "text_ko is 301 characters long; at most 300",
        ),
        (
            '[[items]]\ntitle_ko = "인사"\ntext_ko = "안\\u202e녕"\n',
            "item 1 ('인사'): text_ko contains an invisible control",
        ),
        ('title = "헌장"\n', "no [[items]]"),
        ("items = 3\n", "items must be a list"),
        ('[[items]\ntitle_ko = "인사"\n', "not valid TOML"),
    ],
)
def test_a_broken_charter_names_the_file_the_item_and_the_field(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, text, "our-charter.toml")
    with pytest.raises(CharterError) as caught:
        load_charter(path)
    assert str(caught.value).startswith(f"{path}: ")
    assert message in str(caught.value)


def test_a_missing_or_unreadable_charter_file_says_so(tmp_path: Path) -> None:
    with pytest.raises(CharterError, match=r"nowhere\.toml: charter file not found"):
        load_charter(tmp_path / "nowhere.toml")
    latin1 = tmp_path / "latin1.toml"
    latin1.write_bytes('[[items]]\ntitle_ko = "caf\xe9"\n'.encode("latin-1"))
    with pytest.raises(CharterError, match=r"latin1\.toml: not UTF-8"):
        load_charter(latin1)
