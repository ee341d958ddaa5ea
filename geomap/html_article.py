"""The article text and metadata of an HTML page (scripts, navigation and chrome left out)."""

from __future__ import annotations

from typing import Any

__all__ = ["html_to_article"]

_HTML_DROP = ["script", "style", "noscript", "nav", "header", "footer", "aside", "form", "iframe", "svg", "template", "button", "figure"]
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
    meta: dict[str, Any] = {}

    def _meta(*keys: str) -> str | None:
        for key in keys:
            tag = soup.find("meta", attrs={"property": key}) or soup.find("meta", attrs={"name": key})
            if tag and tag.get("content"):
                return tag["content"].strip()
        return None

    title = _meta("og:title", "twitter:title")
    if not title and soup.title and soup.title.string:
        title = soup.title.string.strip()
    if title:
        meta["title"] = title
    date = _meta("article:published_time", "og:published_time", "datePublished", "pubdate", "date", "dc.date")
    if not date:
        t = soup.find("time", attrs={"datetime": True})
        if t:
            date = t["datetime"]
    if date:
        meta["date"] = date
    site = _meta("og:site_name", "application-name")
    if site:
        meta["source"] = site
    link = soup.find("link", attrs={"rel": "canonical"})
    url = (link.get("href") if link else None) or _meta("og:url")
    if url:
        meta["url"] = url.strip()

    for tag in soup.find_all(_HTML_DROP):
        tag.decompose()
    root = soup.find("article") or soup.find("main") or soup.find(attrs={"role": "main"}) or soup.body or soup
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
    return "\n\n".join(paragraphs), meta
