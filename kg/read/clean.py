"""Turning the text of real listings into plain, readable text: LaTeX, HTML and line wrapping.

Titles, abstracts and author names arrive as their sources wrote them: arXiv abstracts and
BibTeX fields in LaTeX (``\\'a``, ``$\\mathcal{O}(n^2)$``, ``\\cite{...}``, ``80.5\\%``),
Crossref / OpenReview / web exports in HTML (``<p>``, ``<i>``, ``&amp;``, JATS tags), the
arXiv metadata snapshot hard-wrapped at 80 columns. kg cleans them once, in the readers,
before extraction: mention offsets index the text exactly as :class:`~kg.model.Paper` stores
it, that is, the cleaned text.

* LaTeX becomes text (:mod:`kg.read.latex`, with pylatexenc): accents become
  characters, math is kept readable (``$\\mathcal{O}(n^2)$`` -> ``O(n^2)``, ``\\alpha`` ->
  ``α``), citations and references are dropped, formatting commands keep their text, and a
  command kg does not know keeps its name (``\\ModelName`` -> ``ModelName``). It runs only on
  text that holds a backslash or a ``$``-delimited formula (most text holds neither), and a
  ``%`` stays a percent sign (abstracts use it so; LaTeX would start a comment).
* HTML markup is removed with the standard library's :class:`html.parser.HTMLParser` and
  entities are unescaped -- only known HTML (and JATS/MathML) tags, so ``<think>`` or
  ``<class>`` in an abstract about prompts stay text.
* Whitespace: a title or a name becomes one line; in an abstract a line break inside a
  paragraph becomes a space and a blank line (a paragraph break) stays one.

Each step is a pure function; :func:`clean_text`, :func:`clean_line` and :func:`clean_name`
chain them.
"""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Iterable
from html.parser import HTMLParser

from kg.model import Paper
from kg.read.ids import paper_id
from kg.read.latex import latex_to_text, looks_like_latex

__all__ = [
    "clean_text",
    "clean_line",
    "clean_name",
    "latex_to_text",
    "strip_markup",
    "unwrap",
    "looks_like_latex",
    "looks_like_markup",
    "make_paper",
]

logger = logging.getLogger(__name__)

# ------------------------------------------------------------------------------------ markup

#: tags removed from text (their content kept); any other <word> is left alone as text
_HTML_TAGS = frozenset(
    """
a abbr acronym address b bdi bdo big blockquote br caption center cite code dd del dfn div dl dt em
font h1 h2 h3 h4 h5 h6 hr i img ins kbd li mark ol p pre q s samp small span strike strong sub sup
table tbody td tfoot th thead tr tt u ul var wbr section article header footer figure figcaption
""".split()
)
#: tags after which a paragraph ends
_BLOCK_TAGS = frozenset(
    "p div br li ul ol h1 h2 h3 h4 h5 h6 blockquote pre tr table section article header "
    "footer figure figcaption dd dt dl hr caption".split()
)
_TAG = re.compile(r"</?(?:(?:jats|mml|xhtml):)?([A-Za-z][A-Za-z0-9]*)\b[^<>]*?/?>")
_ENTITY = re.compile(r"&(?:[A-Za-z][A-Za-z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});")
_PARAGRAPH = "\n\n"


def _known(tag: str) -> bool:
    """An HTML tag kg strips: a known HTML tag, or any JATS/MathML tag (``jats:p``, ``mml:mi``)."""
    tag = tag.lower()
    return tag in _HTML_TAGS or tag.startswith(("jats:", "mml:", "xhtml:"))


def looks_like_markup(text: str) -> bool:
    """Whether ``text`` holds a known HTML tag or a character entity.

    >>> looks_like_markup("We <i>propose</i> X"), looks_like_markup("a photo of <class>")
    (True, False)
    >>> looks_like_markup("R&amp;D"), looks_like_markup("R&D and Q&A")
    (True, False)
    """
    if "<" not in text and "&" not in text:
        return False
    return any(_known(m.group(0).strip("</>").split()[0].rstrip("/")) for m in _TAG.finditer(text)) or bool(
        _ENTITY.search(text)
    )


class _TextOf(HTMLParser):
    """Collects the text of a fragment; known tags go, unknown ``<tags>`` stay as written."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        self._tag(tag)

    def handle_startendtag(self, tag, attrs):
        self._tag(tag)

    def handle_endtag(self, tag):
        if _known(tag):
            if tag.lower().split(":")[-1] in _BLOCK_TAGS:
                self.parts.append(_PARAGRAPH)
        else:
            self.parts.append(f"</{tag}>")

    def _tag(self, tag):
        if not _known(tag):
            self.parts.append(self.get_starttag_text() or "")
        elif tag.lower().split(":")[-1] in ("br", "hr"):
            self.parts.append(_PARAGRAPH)

    def handle_data(self, data):
        self.parts.append(data)

    def handle_comment(self, data):
        pass

    def unknown_decl(self, data):  # <![CDATA[...]]>
        if data.upper().startswith("CDATA["):
            self.parts.append(data[6:])


def strip_markup(text: str) -> str:
    """Remove known HTML/JATS tags (keeping their text) and unescape character entities.

    Text without markup comes back unchanged (see :func:`looks_like_markup`).

    >>> strip_markup("<p>We train <i>HTMLNet</i> on <a href='x'>COCO</a> &amp; VOC.</p>")
    'We train HTMLNet on COCO & VOC.\\n\\n'
    >>> strip_markup("prompts such as <think> and x < y")
    'prompts such as <think> and x < y'
    """
    if not looks_like_markup(text):
        return text
    parser = _TextOf()
    try:
        parser.feed(text)
        parser.close()
    except Exception:  # noqa: BLE001 - html.parser is lenient; never let a fragment stop a read
        logger.debug("html.parser failed on %r; unescaping only", text[:80])
        return html.unescape(_TAG.sub(lambda m: m.group(0) if not _known(m.group(1)) else " ", text))
    return "".join(parser.parts)


# -------------------------------------------------------------------------------- whitespace

_BLANK_LINE = re.compile(r"[ \t\f\v\xa0]*\n(?:[ \t\f\v\xa0]*\n)+")
#: control characters (a NUL in a title is damage, not text); tabs and line breaks are whitespace
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def unwrap(text: str) -> str:
    """Join hard-wrapped lines; keep paragraph breaks (a blank line) as one blank line.

    >>> unwrap("  We propose LoRA, which freezes the pre-trained model\\nweights.\\n\\n  A second one.\\n")
    'We propose LoRA, which freezes the pre-trained model weights.\\n\\nA second one.'
    """
    text = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    paragraphs = _BLANK_LINE.split(text)
    return _PARAGRAPH.join(p for p in (" ".join(par.split()) for par in paragraphs) if p)


def clean_text(text: str, *, latex: bool = False) -> str:
    """The cleaned text of an abstract: markup and LaTeX turned into text, lines unwrapped.

    >>> clean_text("<p>We study <i>Transformers</i>\\n  in $\\\\mathcal{O}(n)$ time.</p>")
    'We study Transformers in O(n) time.'
    """
    if not text:
        return ""
    return unwrap(latex_to_text(strip_markup(text), always=latex))


def clean_line(text: str, *, latex: bool = False) -> str:
    """The cleaned text of a title or other one-line field: like :func:`clean_text`, on one line
    (``latex``: the field is LaTeX even without a backslash, as BibTeX fields are).

    >>> clean_line("LoRA: Low-Rank Adaptation of Large\\n  Language Models")
    'LoRA: Low-Rank Adaptation of Large Language Models'
    >>> clean_line("{BERT}: Pre-training of Deep Bidirectional Transformers", latex=True)
    'BERT: Pre-training of Deep Bidirectional Transformers'
    """
    if not text:
        return ""
    return " ".join(_CONTROL.sub("", latex_to_text(strip_markup(text), always=latex)).split())


def clean_name(name: str, *, latex: bool = False) -> str:
    """An author's name as text: accents and markup resolved, on one line.

    >>> clean_name(r"M{\\"u}ller, J{\\'e}r{\\^o}me")
    'Müller, Jérôme'
    """
    return clean_line(name, latex=latex)


def make_paper(
    title: str,
    *,
    source: str,
    source_id: str | None = None,
    doi: str | None = None,
    abstract: str = "",
    authors: Iterable[str] = (),
    organization: str | None = None,
    latex: bool = False,
    **fields,
) -> Paper | None:
    """A :class:`Paper` from a reader's raw fields, its text cleaned; None when the cleaned title
    is empty. The id comes from the source's id or DOI, else from the cleaned title (so the same
    title written in LaTeX and in Unicode gives the same paper). ``latex``: the fields are LaTeX
    by definition (BibTeX), braces and ``~`` included.

    >>> p = make_paper(r"Caf\\'e {BERT}", source="refs.bib", abstract="We <i>fine-tune</i>.", latex=True)
    >>> p.title, p.abstract, p.id == make_paper("Café BERT", source="x.csv").id
    ('Café BERT', 'We fine-tune.', True)
    """
    title = clean_line(title, latex=latex)
    if not title:
        return None
    names = tuple(n for n in (clean_name(a, latex=latex) for a in authors) if n)
    fields = {k: v for k, v in fields.items() if v not in (None, "", ())}
    if organization:
        fields["organization"] = clean_line(organization, latex=latex) or None
    return Paper(
        id=paper_id(title, source_id=source_id, doi=doi),
        title=title,
        abstract=clean_text(abstract, latex=latex),
        authors=names,
        doi=doi,
        sources=(source,),
        **fields,
    )
