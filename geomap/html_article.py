"""The article text and metadata of an HTML page (scripts, navigation and chrome left out)."""

from __future__ import annotations

from typing import Any

__all__ = ["html_to_article"]

_HTML_DROP = [
    "script",
    "style",
    "noscript",
    "nav",
    "header",
    "footer",
    "aside",
    "form",
    "iframe",
    "svg",
    "template",
    "button",
    "figure",
]
_HTML_BREAKS = ["div", "section", "br", "tr", "table", "ul", "ol", "dl", "dt", "hr", "center", "body"]
_HTML_BLOCKS = ["p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "td", "dd"]


def html_to_article(markup: str) -> tuple[str, dict]:
    """Extract the article text and its metadata from an HTML page.

    Scripts, styles, navigation, headers, footers and asides are dropped; ``<article>`` or
    ``<main>`` is preferred over the whole body. Paragraphs are separated by a blank line.

    Returns
    -------
    (text, meta)
        ``meta`` may hold ``title``, ``date``, ``source`` and ``url`` read from the page's
        meta tags.
    """
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(markup, "lxml")
    meta = _page_meta(soup)
    for tag in soup.find_all(_HTML_DROP):
        tag.decompose()
    root = soup.find("article") or soup.find("main") or soup.find(None, attrs={"role": "main"}) or soup.body or soup
    return "\n\n".join(_paragraphs(root)), meta


def _attr(tag: Any, name: str) -> str | None:
    """A tag's attribute as text (``None`` when absent or empty; bs4 gives a list for the
    multi-valued ones, such as ``rel``)."""
    value = tag.get(name) if tag is not None else None
    if isinstance(value, list):
        value = " ".join(value)
    return value or None


def _page_meta(soup: Any) -> dict[str, Any]:
    """``title``, ``date``, ``source`` and ``url`` from a page's meta tags (those it has)."""
    meta: dict[str, Any] = {}

    def _meta(*keys: str) -> str | None:
        for key in keys:
            tag = soup.find("meta", attrs={"property": key}) or soup.find("meta", attrs={"name": key})
            content = _attr(tag, "content")
            if content:
                return content.strip()
        return None

    title = _meta("og:title", "twitter:title")
    if not title and soup.title and soup.title.string:
        title = soup.title.string.strip()
    if title:
        meta["title"] = title
    date = _meta("article:published_time", "og:published_time", "datePublished", "pubdate", "date", "dc.date")
    if not date:
        date = _attr(soup.find("time", attrs={"datetime": True}), "datetime")
    if date:
        meta["date"] = date
    site = _meta("og:site_name", "application-name")
    if site:
        meta["source"] = site
    url = _attr(soup.find("link", attrs={"rel": "canonical"}), "href") or _meta("og:url")
    if url:
        meta["url"] = url.strip()
    return meta


def _paragraphs(root: Any) -> list[str]:
    """The text of each block of ``root``, whitespace collapsed, empty ones left out."""
    paragraphs = []
    for block in root.find_all(_HTML_BLOCKS):
        # Nested blocks (a <p> inside an <li>) would otherwise be read twice.
        if block.find_parent(_HTML_BLOCKS) is not None:
            continue
        chunk = " ".join(block.get_text(" ").split())
        if chunk:
            paragraphs.append(chunk)
    if not paragraphs:
        # No <p>-like blocks (div soup): break lines only at block elements, so inline tags
        # (<b>, <a>, <span>) stay inside their sentence.
        for tag in root.find_all(_HTML_BREAKS):
            tag.insert_before("\n")
            tag.insert_after("\n")
        paragraphs = [" ".join(line.split()) for line in root.get_text("").splitlines() if line.strip()]
    return paragraphs
