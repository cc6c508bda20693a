"""The server-side SVG charts: accessible, labelled, and never drawing a hidden value."""

import re
from xml.etree import ElementTree

from django.utils import translation

from reports.charts import bar_chart, grouped_bar_chart

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ElementTree.Element:
    return ElementTree.fromstring(svg)  # noqa: S314 - our own output


def texts(root: ElementTree.Element) -> list[str]:
    return [element.text for element in root.iter(f"{SVG}text")]


def test_bar_chart_is_an_accessible_image_with_every_value_written():
    with translation.override("en"):
        svg = bar_chart(
            title="Housing outcomes", desc="Persons.", labels=["Kept", "Lost"], values=[12, 3]
        )

    root = parse(svg)
    assert root.get("role") == "img"
    title_id, desc_id = root.get("aria-labelledby").split()
    assert root.find(f"{SVG}title").get("id") == title_id
    assert root.find(f"{SVG}title").text == "Housing outcomes"
    assert root.find(f"{SVG}desc").get("id") == desc_id
    assert root.find(f"{SVG}desc").text == "Persons. Kept: 12; Lost: 3."
    assert texts(root) == ["12", "Kept", "3", "Lost"]


def test_bar_heights_are_proportional_and_zero_draws_no_bar():
    root = parse(bar_chart(title="t", desc="", labels=["a", "b", "c"], values=[10, 5, 0]))

    heights = [float(rect.get("height")) for rect in root.iter(f"{SVG}rect")]
    assert heights == [180.0, 90.0]


def test_suppressed_value_is_written_but_not_drawn_and_is_escaped():
    svg = bar_chart(title="a < b & c", desc="", labels=["L1", "L2"], values=[7, "< 5"])

    root = parse(svg)
    assert [float(rect.get("height")) for rect in root.iter(f"{SVG}rect")] == [180.0]
    assert "< 5" in texts(root)
    assert root.find(f"{SVG}title").text == "a < b & c"
    assert "&lt; 5" in svg


def test_grouped_chart_has_a_legend_and_one_bar_per_series():
    with translation.override("en"):
        svg = grouped_bar_chart(
            title="Risk",
            desc="",
            categories=["Low", "High"],
            series=[("At entry", [1, 4]), ("At the end", [3, 2])],
        )

    root = parse(svg)
    # Two legend swatches and four bars.
    assert len(list(root.iter(f"{SVG}rect"))) == 6
    assert texts(root)[:2] == ["At entry", "At the end"]
    assert (
        root.find(f"{SVG}desc").text
        == "Low: At entry 1, At the end 3; High: At entry 4, At the end 2."
    )


def test_long_category_labels_are_wrapped_onto_lines():
    svg = bar_chart(
        title="t",
        desc="",
        labels=[f"Instalment agreement kept five months or more {i}" for i in range(6)],
        values=[1, 2, 3, 4, 5, 6],
    )

    label_lines = [t for t in texts(parse(svg)) if not re.fullmatch(r"\d", t)]
    assert all(len(line) <= 18 for line in label_lines)
    assert label_lines[:4] == ["Instalment", "agreement kept", "five months or", "more 0"]
