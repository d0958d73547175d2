"""The procedure's Markdown as safe HTML: Python-Markdown renders, nh3 keeps only harmless tags."""

import markdown
import nh3

TAGS = {
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "p",
    "ul",
    "ol",
    "li",
    "strong",
    "em",
    "blockquote",
    "a",
    "code",
    "pre",
    "hr",
    "br",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
ATTRIBUTES = {"a": {"href", "title"}}


def to_html(text: str) -> str:
    """Safe HTML for a template (`|safe` only on what this returns): no script, style or event handler;
    links only to http(s) and mailto, opened with rel="noopener noreferrer"."""
    html = markdown.markdown(text, extensions=["tables", "sane_lists"], output_format="html")
    return nh3.clean(
        html, tags=TAGS, attributes=ATTRIBUTES, url_schemes={"http", "https", "mailto"}, link_rel="noopener noreferrer"
    )
