"""Charts drawn on the server (pure): a chart is a list of shapes in a 440 × 230 box, written out as
inline SVG for the page (no script: it works on any phone, scales with the screen) and drawn with the
same shapes in the PDF. Each chart carries its own text alternative: a title, a sentence that says what
it shows, and the table of its data (the page shows it under « Voir les données »)."""

from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from django.utils.safestring import SafeString

from vigie.indicators.figures import LABEL_KEYS, LABEL_NAMES, RESPONSE_BUCKETS
from vigie.indicators.tables import html, minutes_text
from vigie.lib.plural import pluriel

WIDTH, HEIGHT = 440, 230  # narrow: on a phone the text stays readable
LEFT, RIGHT, TOP, BOTTOM = 54, 6, 12, 30  # room for the axis labels
# one colour per label (Okabe–Ito and darker tones: told apart by people with a colour vision deficiency;
# the legend and the table say the same in words)
LABEL_COLOURS = {"unclassified": "#3F3F3F"} | dict(
    zip(
        LABEL_KEYS,
        ["#009E73", "#0072B2", "#56B4E9", "#E69F00", "#7F7F7F", "#D55E00", "#CC79A7", "#882255"],
        strict=True,
    )
)
BAR = "#0B5CAD"
AXIS, GRID, INK = "#4A5360", "#D5DAE1", "#1B1F24"


@dataclass(frozen=True)
class Shape:
    kind: str  # rect, line, text
    x: float
    y: float
    w: float = 0  # rect: width; line: x2
    h: float = 0  # rect: height; line: y2
    colour: str = INK
    text: str = ""
    anchor: str = "middle"
    size: int = 14  # text: its size in the 440-wide box
    tip: str = ""  # what the shape is, read by a screen reader's pointer and shown on hover


@dataclass
class Chart:
    key: str
    title: str
    description: str
    shapes: list[Shape]
    csv: str = "series"  # the table (tables.TABLES) whose CSV holds its data
    legend: list[tuple[str, str]] = field(default_factory=list)
    headers: list[str] = field(default_factory=list)
    rows: list[list] = field(default_factory=list)

    @property
    def table(self) -> SafeString:
        """The chart's data as an HTML table (its text alternative, under « Voir les données »)."""
        return html(self.headers, self.rows)


def _ticks(top: float) -> list[float]:
    """Three or four round values from 0 up to at least `top`."""
    if top <= 0:
        return [0, 1]
    step = 1
    while top / step > 4:
        step *= 5 if str(step).startswith("2") else 2  # 1, 2, 5, 10, 20, 50…
    count = -(-top // step)
    return [step * n for n in range(int(count) + 1)]


def _frame(ticks: list[float], unit: str = "") -> list[Shape]:
    shapes = []
    for value in ticks:
        y = _y(value, ticks[-1])
        shapes.append(Shape("line", LEFT, y, WIDTH - RIGHT, y, GRID))
        shapes.append(Shape("text", LEFT - 6, y + 4, text=f"{value:g}{unit}", anchor="end", colour=AXIS))
    shapes.append(Shape("line", LEFT, HEIGHT - BOTTOM, WIDTH - RIGHT, HEIGHT - BOTTOM, AXIS))
    return shapes


def _y(value: float, top: float) -> float:
    return HEIGHT - BOTTOM - (HEIGHT - TOP - BOTTOM) * (value / top if top else 0)


def _columns(names: list[str]) -> tuple[float, list[float], set[int]]:
    """Each column's width and left edge, and which names to write under the axis (six at most)."""
    slot = (WIDTH - LEFT - RIGHT) / max(len(names), 1)
    every = -(-len(names) // 6)
    return slot, [LEFT + slot * n for n in range(len(names))], {n for n in range(len(names)) if n % every == 0}


def _names(names, lefts, slot, shown) -> list[Shape]:
    return [
        Shape("text", lefts[n] + slot / 2, HEIGHT - BOTTOM + 19, text=names[n], colour=AXIS, size=12)
        for n in sorted(shown)
    ]


def volumes(series: dict) -> Chart:
    """Messages received, step by step, stacked by label."""
    points = series["points"]
    ticks = _ticks(max((p["messages"] for p in points), default=0))
    slot, lefts, shown = _columns([p["name"] for p in points])
    shapes = _frame(ticks)
    used = [label for label in [*LABEL_KEYS, "unclassified"] if any(p["by_label"].get(label) for p in points)]
    for point, left in zip(points, lefts, strict=True):
        base = 0
        for label in used:
            count = point["by_label"].get(label, 0)
            if count:
                top = _y(base + count, ticks[-1])
                shapes.append(
                    Shape(
                        "rect",
                        left + slot * 0.15,
                        top,
                        slot * 0.7,
                        _y(base, ticks[-1]) - top,
                        LABEL_COLOURS[label],
                        tip=f"{point['name']} : {count} {LABEL_NAMES[label]}",
                    )
                )
                base += count
    shapes += _names([p["name"] for p in points], lefts, slot, shown)
    step = "jour" if series["step"] == "day" else "semaine"
    total = sum(p["messages"] for p in points)
    busiest = max(points, key=lambda p: p["messages"], default=None)
    description = f"{total} message{pluriel(total)} reçu{pluriel(total)} sur la période, par {step} et par étiquette."
    if busiest and busiest["messages"]:
        most = busiest["messages"]
        description += f" Le plus chargé : {busiest['name']} ({most} message{pluriel(most)})."
    return Chart(
        "volumes",
        "Messages reçus par étiquette",
        description,
        shapes,
        legend=[(LABEL_COLOURS[label], LABEL_NAMES[label]) for label in used],
        headers=["Période", *[LABEL_NAMES[label] for label in used], "Total"],
        rows=[[p["name"], *[p["by_label"].get(label, 0) for label in used], p["messages"]] for p in points],
    )


def _bars(key, title, names, values, tips, description, unit="", top=None) -> Chart:
    ticks = _ticks(top if top is not None else max((v or 0 for v in values), default=0))
    slot, lefts, shown = _columns(names)
    shapes = _frame(ticks, unit)
    for value, left, tip in zip(values, lefts, tips, strict=True):
        if value:
            y = _y(value, ticks[-1])
            shapes.append(Shape("rect", left + slot * 0.15, y, slot * 0.7, HEIGHT - BOTTOM - y, BAR, tip=tip))
    shapes += _names(names, lefts, slot, shown if len(names) > 8 else set(range(len(names))))
    return Chart(key, title, description, shapes)


def response_times(buckets: dict[str, int], median: float | None) -> Chart:
    names, values = [short for _, _, short in RESPONSE_BUCKETS], list(buckets.values())  # short: 7 on a phone
    total = sum(values)
    s = pluriel(total)
    description = f"Délai de la première réponse de {total} message{s} privé{s} répondu{s}"
    description += f" ; médiane : {minutes_text(median)}." if median is not None else "."
    chart = _bars(
        "responses",
        "Délai de première réponse (messages privés)",
        names,
        values,
        [f"{name} : {value} message{pluriel(value)}" for name, value in buckets.items()],
        description,
    )
    chart.headers, chart.rows = ["Délai", "Messages privés"], [[n, v] for n, v in buckets.items()]
    chart.csv = "responses"
    return chart


def deadlines(series: dict) -> Chart:
    """The share of private messages answered within 24 h, step by step."""
    points = series["points"]
    settled = [p["needing_reply"] - p["waiting"] for p in points]  # answered, or past their deadline
    shares = [
        round(100 * p["answered_within_24h"] / n) if n > 0 else None for p, n in zip(points, settled, strict=True)
    ]
    tips = [_deadline_tip(p, s, n) for p, s, n in zip(points, shares, settled, strict=True)]
    known = [s for s in shares if s is not None]
    description = (
        "Part des messages privés répondus dans les 24 h, par "
        + ("jour" if series["step"] == "day" else "semaine")
        + ", parmi ceux qui ont eu leur réponse ou dont le délai est passé."
    )
    if known:
        description += f" De {min(known)} % à {max(known)} %."
    chart = _bars(
        "deadlines",
        "Messages privés répondus dans les 24 h",
        [p["name"] for p in points],
        shares,
        tips,
        description,
        unit=" %",
        top=100,
    )
    chart.headers = ["Période", "À répondre", "Dans les 24 h", "En retard", "Délai en cours", "Part dans les 24 h"]
    chart.rows = [
        [
            p["name"],
            p["needing_reply"],
            p["answered_within_24h"],
            p["answered_late"],
            p["waiting"],
            f"{s} %" if s is not None else "—",
        ]
        for p, s in zip(points, shares, strict=True)
    ]
    return chart


def _deadline_tip(point: dict, share: int | None, settled: int) -> str:
    if share is not None:
        return f"{point['name']} : {share} % ({point['answered_within_24h']} sur {settled})"
    if point["waiting"]:
        waiting = point["waiting"]
        return f"{point['name']} : {waiting} message{pluriel(waiting)} privé{pluriel(waiting)}, délai en cours"
    return f"{point['name']} : aucun message privé à répondre"


def svg(chart: Chart) -> str:
    """The chart as inline SVG, named by its title and described by its sentence."""
    title, desc = f"chart-{chart.key}-title", f"chart-{chart.key}-desc"
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="{title} {desc}" '
        f'preserveAspectRatio="xMidYMid meet" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{title}">{escape(chart.title)}</title><desc id="{desc}">{escape(chart.description)}</desc>',
    ]
    for shape in chart.shapes:
        parts.append(_svg_shape(shape))
    parts.append("</svg>")
    return "".join(parts)


def _svg_shape(shape: Shape) -> str:
    if shape.kind == "rect":
        tip = f"<title>{escape(shape.tip)}</title>" if shape.tip else ""
        return (
            f'<rect x="{shape.x:.1f}" y="{shape.y:.1f}" width="{shape.w:.1f}" height="{max(shape.h, 0):.1f}" '
            f'fill="{shape.colour}">{tip}</rect>'
        )
    if shape.kind == "line":
        return (
            f'<line x1="{shape.x:.1f}" y1="{shape.y:.1f}" x2="{shape.w:.1f}" y2="{shape.h:.1f}" '
            f'stroke="{shape.colour}" stroke-width="1"/>'
        )
    return (
        f'<text x="{shape.x:.1f}" y="{shape.y:.1f}" text-anchor="{shape.anchor}" font-size="{shape.size}" '
        f'fill="{shape.colour}" aria-hidden="true">{escape(shape.text)}</text>'
    )
