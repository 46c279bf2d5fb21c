"""Turning the text of real listings into plain, readable text: LaTeX, HTML and line wrapping.

Titles, abstracts and author names arrive as their sources wrote them: arXiv abstracts and
BibTeX fields in LaTeX (``\\'a``, ``$\\mathcal{O}(n^2)$``, ``\\cite{...}``, ``80.5\\%``),
Crossref / OpenReview / web exports in HTML (``<p>``, ``<i>``, ``&amp;``, JATS tags), the
arXiv metadata snapshot hard-wrapped at 80 columns. kg cleans them once, in the readers,
before extraction: mention offsets index the text exactly as :class:`~kg.model.Paper` stores
it, that is, the cleaned text.

* LaTeX becomes text with `pylatexenc <https://pylatexenc.readthedocs.io>`_: accents become
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

import functools
import html
import logging
import re
from html.parser import HTMLParser
from typing import Iterable

from kg.model import Paper
from kg.read.ids import paper_id

__all__ = ["clean_text", "clean_line", "clean_name", "latex_to_text", "strip_markup", "unwrap", "looks_like_latex",
           "looks_like_markup", "make_paper"]

logger = logging.getLogger(__name__)

# ------------------------------------------------------------------------------------ markup

#: tags removed from text (their content kept); any other <word> is left alone as text
_HTML_TAGS = frozenset("""
a abbr acronym address b bdi bdo big blockquote br caption center cite code dd del dfn div dl dt em
font h1 h2 h3 h4 h5 h6 hr i img ins kbd li mark ol p pre q s samp small span strike strong sub sup
table tbody td tfoot th thead tr tt u ul var wbr section article header footer figure figcaption
""".split())
#: tags after which a paragraph ends
_BLOCK_TAGS = frozenset("p div br li ul ol h1 h2 h3 h4 h5 h6 blockquote pre tr table section article header "
                        "footer figure figcaption dd dt dl hr caption".split())
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
    return any(_known(m.group(0).strip("</>").split()[0].rstrip("/")) for m in _TAG.finditer(text)) \
        or bool(_ENTITY.search(text))


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


# ------------------------------------------------------------------------------------- LaTeX

_MATH_PAIR = re.compile(r"(?<!\\)(\$\$?)(.+?)(?<!\\)\1", re.S)
_MATHY = re.compile(r"[\\^_{}=<>]")


def looks_like_latex(text: str) -> bool:
    """Whether ``text`` may hold LaTeX: a backslash, or a ``$...$`` formula.

    ``$`` that only marks amounts of money (``from $100 to $10``) is not LaTeX.

    >>> looks_like_latex(r"an \\emph{x}"), looks_like_latex("$k$-means"), looks_like_latex("from $100 to $10")
    (True, True, False)
    """
    if "\\" in text:
        return True
    if "$" not in text:
        return False
    return any(_is_formula(m.group(2)) for m in _MATH_PAIR.finditer(text))


def _is_formula(inside: str) -> bool:
    return bool(inside.strip()) and (bool(_MATHY.search(inside)) or not re.search(r"\s", inside.strip()))


# Where LaTeX sits in a text: a formula, a command with its arguments, an accent, a braced group.
# Only these islands go through pylatexenc (it reads one character at a time: running it on
# whole abstracts made cleaning 25x slower), each island once (they repeat: \\%, \\textbf{...}).
_ISLAND_START = re.compile(r"[\\${]")
_COMMAND = re.compile(r"\\(?:[A-Za-z]+\*?|[^A-Za-z])")
_ACCENT = re.compile(r"\\['`^\"~=.]\s*(?:\{[^{}]*\}|[A-Za-z]|\\[ij]\b)?")
_CITATION = re.compile(r"[ \t~]*(?:\n[ \t]*)?\\(?:no)?(?:cite|citep|citet|citealp|citealt|citeauthor|citeyear|citeyearpar|"
                       r"parencite|textcite|autocite|footcite|ref|eqref|autoref|cref|Cref|pageref|label)\*?"
                       r"(?:\s*\[[^\]]*\]){0,2}\s*\{[^{}]*\}")
_SIMPLE = {"\\%": "%", "\\&": "&", "\\_": "_", "\\$": "$", "\\#": "#", "\\{": "{", "\\}": "}", "\\ ": " ",
           "\\,": " ", "\\;": " ", "\\:": " ", "\\!": "", "\\/": "", "\\-": "", "\\\\": " ", "\\@": ""}


def _group_end(text: str, i: int, open_: str = "{", close: str = "}") -> int:
    """``text[i]`` opens a group: the index after its matching close, or -1 when it is never closed."""
    depth = 0
    j = i
    while j < len(text):
        ch = text[j]
        if ch == "\\":
            j += 2
            continue
        if ch == open_:
            depth += 1
        elif ch == close:
            depth -= 1
            if depth == 0:
                return j + 1
        j += 1
    return -1


def _island_end(text: str, i: int) -> int:
    """The end of the LaTeX island starting at ``text[i]`` (a ``\\``, ``$`` or ``{``)."""
    ch = text[i]
    if ch == "$":
        m = _MATH_PAIR.match(text, i)
        return m.end() if m and _is_formula(m.group(2)) else i
    if ch == "{":
        end = _group_end(text, i)
        return end if end > 0 else i + 1
    if text.startswith(("\\(", "\\["), i):
        end = text.find("\\)" if text[i + 1] == "(" else "\\]", i + 2)
        return end + 2 if end > 0 else i + 2
    m = _ACCENT.match(text, i)
    if m and m.end() > i + 2:
        return m.end()
    m = _COMMAND.match(text, i)
    if not m:
        return i + 1  # a lone backslash at the end
    j = m.end()
    if not m.group(0)[1].isalpha():
        return j
    # the command's arguments: [...] and {...} right after it
    while j < len(text):
        k = j
        while k < len(text) and text[k] in " \t" and k - j < 2:
            k += 1
        if k < len(text) and text[k] == "{":
            end = _group_end(text, k)
        elif k == j and k < len(text) and text[k] == "[":
            end = text.find("]", k)
            end = end + 1 if end > 0 and "{" in text[end + 1:end + 2] else -1
        else:
            break
        if end < 0:
            break
        j = end
    return j


@functools.lru_cache(maxsize=20_000)
def _island_text(island: str) -> str:
    if island in _SIMPLE:
        return _SIMPLE[island]
    from pylatexenc import latexwalker

    wdb, conv = _converter()
    try:
        walker = latexwalker.LatexWalker(island, latex_context=wdb, tolerant_parsing=True)
        nodes, _, _ = walker.get_latex_nodes()
        return conv.nodelist_to_text(nodes).replace("\xa0", " ")
    except Exception:  # noqa: BLE001 - odd LaTeX must never stop a read: keep the island as written
        logger.debug("pylatexenc failed on %r; keeping it as written", island[:80])
        return island


_CONVERTER = None


def _converter():
    """A pylatexenc converter set up for paper text (built once, on first use)."""
    global _CONVERTER
    if _CONVERTER is not None:
        return _CONVERTER
    from pylatexenc import latexwalker
    from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db
    from pylatexenc.macrospec import MacroSpec

    dropped = ["cite", "citep", "citet", "citealp", "citealt", "citeauthor", "citeyear", "citeyearpar", "nocite",
               "parencite", "textcite", "autocite", "footcite", "ref", "eqref", "autoref", "cref", "Cref", "pageref",
               "label", "footnote", "footnotemark", "thanks", "vspace", "hspace", "color", "vskip", "hskip",
               "newline", "linebreak", "noindent", "centering", "small", "footnotesize", "large", "Large", "huge",
               "normalsize", "bibliographystyle", "bibliography", "index", "protect", "xspace", "relax",
               "includegraphics", "hyperlink", "raisebox", "phantom", "em", "it", "bf", "sl", "sc", "rm", "tt", "sf",
               "itshape", "bfseries", "scshape", "upshape", "mdseries", "normalfont", "displaystyle", "textstyle",
               "scriptstyle", "left", "right", "big", "Big", "bigg", "Bigg", "limits", "nolimits", "item",
               "maketitle", "par", "smallskip", "medskip", "bigskip", "quad", "qquad"]
    plain = ["mathcal", "mathbb", "mathbf", "mathrm", "mathit", "mathsf", "mathtt", "mathfrak", "mathscr",
             "boldsymbol", "bm", "pmb", "mathnormal", "operatorname", "text", "textrm", "textnormal", "mbox",
             "textsuperscript", "textsubscript", "textcolor", "colorbox", "uline", "underline",
             "texttt", "textsf", "textup", "textmd", "textbf", "textit", "emph", "textsl", "url", "nolinkurl",
             "hbox", "ensuremath", "unicode", "detokenize"]
    words = {"eg": "e.g.", "ie": "i.e.", "etal": "et al.", "etc": "etc.", "vs": "vs.", "wrt": "w.r.t.",
             "cf": "cf.", "aka": "a.k.a.", "ldots": "...", "dots": "...", "cdots": "...", "textasciitilde": "~",
             "textasciicircum": "^", "textbackslash": "\\", "LaTeX": "LaTeX", "TeX": "TeX", "textendash": "–",
             "textemdash": "—", "textquotesingle": "'", "textquotedblleft": "“", "textquotedblright": "”",
             "deg": "°", "degree": "°", "textdegree": "°", "checkmark": "✓", "xmark": "✗", "circledR": "®",
             "textregistered": "®", "texttrademark": "™", "textcopyright": "©", "ast": "*", "vert": "|",
             "lvert": "|", "rvert": "|", "mid": "|", "colon": ":", "lbrace": "{", "rbrace": "}"}
    argspec = {"href": "{{", "hyperlink": "{{", "textcolor": "[{{", "colorbox": "[{{", "color": "[{",
               "raisebox": "{[[{", "includegraphics": "[{", "unicode": "{", "url": "{", "nolinkurl": "{",
               "uline": "{", "mbox": "{", "hbox": "{", "ensuremath": "{", "detokenize": "{", "bm": "{",
               "pmb": "{", "mathnormal": "{", "operatorname": "*{", "textsuperscript": "{", "textsubscript": "{",
               "phantom": "{", "footnote": "[{", "thanks": "{", "vspace": "*{", "hspace": "*{", "label": "{",
               "autoref": "{", "cref": "{", "Cref": "{", "pageref": "{", "eqref": "{", "index": "{",
               "parencite": "*[[{", "textcite": "*[[{", "autocite": "*[[{", "footcite": "*[[{",
               "citeyearpar": "*[[{", "nocite": "{", "bibliographystyle": "{", "bibliography": "{"}
    wdb = latexwalker.get_default_latex_context_db()
    wdb.add_context_category("kg", prepend=True, macros=[MacroSpec(name, spec) for name, spec in argspec.items()])

    def last_arg(n, l2tobj):
        args = [a for a in (n.nodeargd.argnlist if n.nodeargd else []) if a is not None]
        return l2tobj.nodelist_to_text([args[-1]]) if args else ""

    def unicode_char(n, l2tobj):
        code = last_arg(n, l2tobj).strip().lstrip("xXuU+")
        try:
            return chr(int(code, 16))
        except (ValueError, OverflowError):
            return ""

    def link(n, l2tobj):
        args = [a for a in (n.nodeargd.argnlist if n.nodeargd else []) if a is not None]
        texts = [l2tobj.nodelist_to_text([a]).strip() for a in args]
        if len(texts) < 2 or texts[1] == texts[0]:
            return texts[-1] if texts else ""
        return f"{texts[1]} ({texts[0]})"

    tdb = get_default_latex_context_db()
    specs = [MacroTextSpec(name, discard=True) for name in dropped]
    specs += [MacroTextSpec(name, simplify_repl=last_arg) for name in plain if name != "unicode"]
    specs += [MacroTextSpec("unicode", simplify_repl=unicode_char), MacroTextSpec("href", simplify_repl=link),
              # small capitals show lower-case letters as capitals: \textsc{sft} reads SFT
              MacroTextSpec("textsc", simplify_repl=lambda n, l2tobj: last_arg(n, l2tobj).upper())]
    specs += [MacroTextSpec(name, simplify_repl=text) for name, text in words.items()]
    tdb.add_context_category("kg", prepend=True, macros=specs)
    # a command kg does not know (an author's \ModelName) keeps its name: better than vanishing
    tdb.set_unknown_macro_spec(MacroTextSpec("", simplify_repl=lambda n, l2tobj: n.macroname))
    _CONVERTER = (wdb, LatexNodes2Text(latex_context=tdb, math_mode="text", keep_comments=False,
                                       strict_latex_spaces=False))
    return _CONVERTER


def latex_to_text(text: str, *, always: bool = False) -> str:
    """Turn LaTeX into readable text; text without LaTeX comes back unchanged (``always``:
    convert it all the same, for fields that are LaTeX by definition, like BibTeX's).

    >>> latex_to_text(r"$\\mathcal{O}(n^2)$ attention for M{\\"u}ller's \\emph{FastAttn} \\cite{vaswani2017}")
    "O(n^2) attention for Müller's FastAttn"
    >>> latex_to_text(r"Caf\\'e: 80.5\\% with $\\alpha$-scaled loss, 5% better")
    'Café: 80.5% with α-scaled loss, 5% better'
    >>> latex_to_text("from $100 to $10")
    'from $100 to $10'
    """
    if not (looks_like_latex(text) or always and re.search(r"[{}~]", text)):
        return text
    text = _CITATION.sub("", text)
    out: list[str] = []
    i = 0
    while True:
        m = _ISLAND_START.search(text, i)
        if not m:
            break
        j = m.start()
        end = _island_end(text, j)
        if end == j:  # a '$' that opens no formula: a dollar sign
            out.append(text[i:j + 1])
            i = j + 1
            continue
        out.append(text[i:j])
        out.append(_island_text(text[j:end]))
        i = end
    out.append(text[i:])
    result = "".join(out)
    return result.replace("~", " ") if always else result


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


def make_paper(title: str, *, source: str, source_id: str | None = None, doi: str | None = None, abstract: str = "",
               authors: Iterable[str] = (), organization: str | None = None, latex: bool = False,
               **fields) -> Paper | None:
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
    return Paper(id=paper_id(title, source_id=source_id, doi=doi), title=title,
                 abstract=clean_text(abstract, latex=latex), authors=names, doi=doi, sources=(source,), **fields)
