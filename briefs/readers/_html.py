"""HTML transcripts (podcast hosts often publish the transcript as a web page).

The page is flattened to text with the standard library's parser: block
elements become paragraph breaks, ``<h1>``-``<h6>`` become Markdown headings,
scripts, styles and navigation are skipped; the text reader does the rest.
"""

from __future__ import annotations

from html.parser import HTMLParser

from briefs.readers._text import read_text
from briefs.transcript import Transcript

__all__ = ["html_to_text", "read_html"]

_BLOCK = {
    "p", "div", "section", "article", "li", "ul", "ol", "tr", "table", "blockquote",
    "dd", "dt", "dl", "pre", "figure", "figcaption", "main", "body",
}
_SKIP = {"script", "style", "noscript", "nav", "header", "footer", "aside", "form", "svg",
         "template", "button", "select"}


class _Flattener(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title = ""
        self._skip = 0
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self._skip += 1
        elif tag == "title":
            self._in_title = True
        elif tag == "br":
            self.parts.append("\n")
        elif tag in _BLOCK:
            self.parts.append("\n\n")
        elif len(tag) == 2 and tag[0] == "h" and tag[1] in "123456":
            self.parts.append("\n\n" + "#" * int(tag[1]) + " ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self._skip = max(0, self._skip - 1)
        elif tag == "title":
            self._in_title = False
        elif tag in _BLOCK or (len(tag) == 2 and tag[0] == "h" and tag[1] in "123456"):
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data
        elif not self._skip:
            # Source line breaks inside a paragraph are layout, not structure.
            self.parts.append(data.replace("\n", " "))


def html_to_text(html: str) -> tuple[str, str]:
    """(title, text) of an HTML page."""
    parser = _Flattener()
    parser.feed(html)
    parser.close()
    return " ".join(parser.title.split()), "".join(parser.parts)


def read_html(html: str, *, source: str) -> Transcript:
    title, text = html_to_text(html)
    if title and not text.lstrip().startswith("#"):
        text = f"# {title}\n\n{text}"
    return read_text(text, source=source, fmt="html")
