"""The embed page's own line breaks: where a browser may break, and how many lines each width takes."""

from __future__ import annotations

from api.render.text_lines import SMALL, TITLE, _pieces, block, broken


def test_words_break_at_spaces_and_after_a_hyphen_between_letters_only() -> None:
    assert _pieces("Женщины-политзаключённые по ст. 361-1") == [
        ("Женщины-", False),
        ("политзаключённые", False),
        ("по", True),
        ("ст.", True),
        ("361-1", True),
    ]
    assert _pieces("1\u00a0514 people") == [("1\u00a0514", False), ("people", True)]


def test_a_narrower_line_takes_more_lines_and_each_break_is_named_by_its_width() -> None:
    laid = block("Political prisoners in custody by month and by region of detention", TITLE, [300, 800])
    assert laid.lines[800] == 1 < laid.lines[300]
    assert laid.height(300) == laid.lines[300] * TITLE.line_px
    assert sum(300 in word.breaks for word in laid.words) == laid.lines[300] - 1
    assert not any(800 in word.breaks for word in laid.words)


def test_links_follow_the_text_each_measured_with_its_dot() -> None:
    plain = block("Source: Viasna", SMALL, [300])
    linked = block("Source: Viasna", SMALL, [300], [("/a", "Permalink"), ("/b", "Data (CSV)")])
    assert [(w.text, w.href) for w in linked.words[-2:]] == [("Permalink", "/a"), ("Data (CSV)", "/b")]
    assert all(word.space for word in linked.words[1:]) and linked.lines[300] >= plain.lines[300]
    assert block("", SMALL, [300]).lines[300] == 0


def test_a_drawings_lines_fit_the_box_measured_wide() -> None:
    label = "Демонстрационные данные, созданные по опубликованным итоговым цифрам, — не реальные записи."
    lines = broken(label, 240, TITLE)
    assert " ".join(lines) == label and len(lines) > 2
    assert all(block(line, TITLE, [240]).lines[240] == 1 for line in lines)
