"""An error report a person can read: figures with intervals, PR curves, confusion counts,
and displaCy renders of every NER and event error on test and the challenge set.

One self-contained HTML page (inline CSS and SVG, no script, nothing fetched), so it opens
from disk anywhere and a headless browser can check it.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from spacy import displacy

from thaievents.data.schema import EVENT_LABELS, Entity

COLOURS = {
    "PERSON": "#f4c2c2",
    "ORGANIZATION": "#b5d3e7",
    "LOCATION": "#c8e6c9",
    "DATE": "#ffe0b2",
    "TIME": "#ffecb3",
    "MONEY": "#d1c4e9",
    "PERCENT": "#e1bee7",
    "LAW": "#cfd8dc",
}
STYLE = """
body{font-family:'Noto Sans Thai','Sarabun',sans-serif;margin:2em;max-width:1100px;color:#222}
h1,h2,h3{font-weight:600} table{border-collapse:collapse;margin:.5em 0 1.5em}
td,th{border:1px solid #ccc;padding:.25em .6em;text-align:right} th{background:#f3f3f3}
td.l,th.l{text-align:left} .err{border-top:1px solid #ddd;padding:.6em 0}
.tag{font-size:.8em;color:#555} .fn{color:#b00020} .fp{color:#1a5fb4} svg{margin-right:1em}
"""


@dataclass(frozen=True)
class ParagraphErrors:
    """One paragraph with its gold and predicted entities and wrong event decisions."""

    split: str
    id: str
    text: str
    gold: list[Entity]
    predicted: list[Entity]
    missed_events: list[str]
    extra_events: list[str]


def _render_entities(text: str, entities: Sequence[Entity], title: str) -> str:
    data = {
        "text": text,
        "ents": [{"start": s, "end": e, "label": label} for s, e, label in sorted(entities)],
        "title": title,
    }
    rendered = displacy.render(data, style="ent", manual=True, page=False, options={"colors": COLOURS})
    return str(rendered)


def _interval(figure: Mapping[str, float]) -> str:
    return f"{figure['f']:.3f} [{figure['ci95_low']:.3f}, {figure['ci95_high']:.3f}]"


def figures_table(metrics: Mapping) -> str:
    """NER micro-F1 and every event model's macro-F1, with 95% bootstrap intervals."""
    rows = [
        "<tr><th class=l>set</th><th class=l>model</th><th>paragraph F1 [95% CI]</th>"
        "<th>article F1 [95% CI]</th></tr>"
    ]
    for split in ("test", "challenge"):
        if split not in metrics:
            continue
        block = metrics[split]
        rows.append(
            f"<tr><td class=l>{split}</td><td class=l>NER (micro)</td>"
            f"<td>{_interval(block['ner']['micro_f1_ci'])}</td><td></td></tr>"
        )
        for name, events in block["events"].items():
            rows.append(
                f"<tr><td class=l>{split}</td><td class=l>events: {html.escape(name)} (macro)</td>"
                f"<td>{_interval(events['paragraph']['macro_f1_ci'])}</td>"
                f"<td>{_interval(events['article']['macro_f1_ci'])}</td></tr>"
            )
    return "<table>" + "".join(rows) + "</table>"


def pr_svg(label: str, points: Sequence[Mapping[str, float]], size: int = 220) -> str:
    """A precision-recall curve as inline SVG (recall on x, precision on y)."""
    pad = 28
    scale = size - 2 * pad
    coordinates = " ".join(
        f"{pad + p['recall'] * scale:.1f},{size - pad - p['precision'] * scale:.1f}" for p in points
    )
    return (
        f'<svg width="{size}" height="{size}" role="img" aria-label="precision-recall {label}">'
        f'<rect x="{pad}" y="{pad}" width="{scale}" height="{scale}" fill="none" stroke="#999"/>'
        f'<polyline points="{coordinates}" fill="none" stroke="#1a5fb4" stroke-width="2"/>'
        f'<text x="{pad}" y="{pad - 8}" font-size="12">{html.escape(label)}</text>'
        f'<text x="{size / 2}" y="{size - 6}" font-size="10" text-anchor="middle">recall</text>'
        f'<text x="10" y="{size / 2}" font-size="10" transform="rotate(-90 10 {size / 2})" '
        f'text-anchor="middle">precision</text></svg>'
    )


def confusion_table(counts: Mapping[str, Mapping[str, int]]) -> str:
    """tp/fp/fn/tn per category of the shipped event model."""
    rows = ["<tr><th class=l>category</th><th>tp</th><th>fp</th><th>fn</th><th>tn</th></tr>"]
    for label in EVENT_LABELS:
        c = counts[label]
        rows.append(
            f"<tr><td class=l>{label}</td><td>{c['tp']}</td><td>{c['fp']}</td>"
            f"<td>{c['fn']}</td><td>{c['tn']}</td></tr>"
        )
    return "<table>" + "".join(rows) + "</table>"


def error_block(error: ParagraphErrors) -> str:
    """Gold and predicted entities of one paragraph, and its wrong event decisions."""
    events = "".join(f' <span class="fn">missed {c}</span>' for c in error.missed_events) + "".join(
        f' <span class="fp">extra {c}</span>' for c in error.extra_events
    )
    where = f"{html.escape(error.split)} · {html.escape(error.id)}"
    parts = [f'<div class="err"><div class="tag">{where}{events}</div>']
    if set(error.gold) != set(error.predicted):
        parts.append(_render_entities(error.text, error.gold, "gold"))
        parts.append(_render_entities(error.text, error.predicted, "predicted"))
    else:
        parts.append(f"<p>{html.escape(error.text)}</p>")
    parts.append("</div>")
    return "".join(parts)


def render_report(
    metrics: Mapping,
    pr_points: Mapping[str, Sequence[Mapping[str, float]]],
    confusion: Mapping[str, Mapping[str, int]],
    errors: Sequence[ParagraphErrors],
) -> str:
    """The whole page."""
    sections = [
        "<!doctype html><html lang=th><head><meta charset=utf-8>",
        "<title>thaievents: evaluation report</title>",
        f"<style>{STYLE}</style></head><body>",
        "<h1>thaievents evaluation report</h1>",
        "<h2>Figures (95% bootstrap intervals)</h2>",
        figures_table(metrics),
        "<h2>Shipped event model on test</h2>",
        "".join(pr_svg(label, pr_points[label]) for label in EVENT_LABELS if label in pr_points),
        confusion_table(confusion),
    ]
    for split in ("test", "challenge"):
        chosen = [e for e in errors if e.split == split]
        sections.append(f"<h2>Errors on {split} ({len(chosen)} paragraphs)</h2>")
        sections.extend(error_block(e) for e in chosen)
    sections.append("</body></html>")
    return "\n".join(sections)
