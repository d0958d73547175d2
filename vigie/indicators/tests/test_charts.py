"""Charts drawn on the server (pure): shapes, their SVG and its text alternative."""

from vigie.indicators import charts
from vigie.indicators.figures import LABEL_KEYS


def _series(*counts):
    points = []
    for n, (question, abuse, needing, in_time, *waiting) in enumerate(counts):
        by_label = dict.fromkeys(LABEL_KEYS, 0) | {"question": question, "abuse": abuse}
        points.append(
            {
                "name": f"0{n + 1}/11",
                "messages": question + abuse,
                "by_label": by_label,
                "needing_reply": needing,
                "answered_within_24h": in_time,
                "answered_late": needing - in_time - sum(waiting),
                "waiting": sum(waiting),
            }
        )
    return {"step": "day", "points": points}


def test_ticks_are_round_and_reach_the_top():
    assert charts._ticks(0) == [0, 1]
    assert charts._ticks(7) == [0, 2, 4, 6, 8]
    assert charts._ticks(37) == [0, 10, 20, 30, 40]
    assert charts._ticks(100)[-1] == 100


def test_volumes_stack_each_label_in_its_colour_and_say_so_in_words():
    chart = charts.volumes(_series((3, 1, 0, 0), (0, 0, 0, 0), (6, 2, 0, 0)))
    bars = [s for s in chart.shapes if s.kind == "rect"]
    assert [b.tip for b in bars] == [
        "01/11 : 3 Question",
        "01/11 : 1 Propos injurieux",
        "03/11 : 6 Question",
        "03/11 : 2 Propos injurieux",
    ]
    assert bars[2].h == 2 * bars[0].h  # six questions stand twice as high as three
    assert chart.legend == [
        (charts.LABEL_COLOURS["question"], "Question"),
        (charts.LABEL_COLOURS["abuse"], "Propos injurieux"),
    ]
    assert "12 messages reçus" in chart.description and "03/11 (8 messages)" in chart.description
    assert chart.rows[2] == ["03/11", 6, 2, 8]


def test_the_share_answered_in_time_is_drawn_on_a_scale_of_100():
    chart = charts.deadlines(_series((0, 0, 4, 3), (0, 0, 0, 0)))
    [bar] = [s for s in chart.shapes if s.kind == "rect"]
    full = charts.HEIGHT - charts.TOP - charts.BOTTOM
    assert round(bar.h / full, 2) == 0.75 and bar.tip == "01/11 : 75 % (3 sur 4)"
    assert chart.rows[1][-1] == "—"


def test_messages_still_in_their_24_hours_are_not_counted_as_missed():
    """Before, a day whose private messages were all still within their window read 0 %, while the key figure
    (which leaves them out) read 100 %."""
    chart = charts.deadlines(_series((0, 0, 3, 0, 3), (0, 0, 5, 3, 1)))
    [bar] = [s for s in chart.shapes if s.kind == "rect"]
    assert [s.tip for s in chart.shapes if s.tip] == ["02/11 : 75 % (3 sur 4)"]
    assert chart.rows[0] == ["01/11", 3, 0, 0, 3, "—"] and chart.rows[1][-2:] == [1, "75 %"]
    assert "dont le délai est passé" in chart.description and "De 75 % à 75 %" in chart.description


def test_the_svg_is_named_described_and_escaped():
    chart = charts.Chart("x", "Titre <b>", "Une phrase & un chiffre", [charts.Shape("text", 1, 2, text="<script>")])
    drawn = charts.svg(chart)
    assert drawn.startswith('<svg class="chart"') and 'role="img"' in drawn
    assert 'aria-labelledby="chart-x-title chart-x-desc"' in drawn
    assert '<title id="chart-x-title">Titre &lt;b&gt;</title>' in drawn and "Une phrase &amp; un chiffre" in drawn
    assert "<script>" not in drawn


def test_response_times_name_each_bucket_shortly_under_the_axis_and_fully_in_the_table():
    buckets = {
        "1 h ou moins": 2,
        "1 à 4 h": 0,
        "4 à 8 h": 1,
        "8 à 12 h": 0,
        "12 à 24 h": 0,
        "24 à 48 h": 0,
        "plus de 48 h": 1,
    }
    chart = charts.response_times(buckets, 95.0)
    assert [s.text for s in chart.shapes if s.kind == "text" and s.size == 12][0] == "0–1 h"
    assert chart.rows[0] == ["1 h ou moins", 2] and "médiane : 1 h 35" in chart.description
