"""LaTeX in titles, abstracts and names turned into readable text, with pylatexenc.

Accents become characters (``Fr\\'{e}chet`` -> Fréchet), math is kept readable
(``$\\mathcal{O}(n^2)$`` -> ``O(n^2)``, ``\\alpha`` -> ``α``), citations and references are
dropped, formatting commands keep their text (``\\textsc{sft}`` -> ``SFT``), and a command kg
does not know keeps its name (``\\ModelName`` -> ``ModelName``). A ``%`` stays a percent sign
(abstracts use it so; LaTeX would start a comment) and ``$`` that opens no formula stays a
dollar sign.

`pylatexenc <https://pylatexenc.readthedocs.io>`_ does the conversion; kg only finds where the
LaTeX is -- formulas, commands with their arguments, accents, braced groups -- and hands it
those islands one at a time (cached: they repeat). pylatexenc reads one character at a time,
and on whole abstracts it took 21x longer (``bench/fuzz_read.py --cleaning``).
"""

from __future__ import annotations

import functools
import logging
import re

__all__ = ["latex_to_text", "looks_like_latex"]

logger = logging.getLogger(__name__)

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
_CITATION = re.compile(
    r"[ \t~]*(?:\n[ \t]*)?\\(?:no)?(?:cite|citep|citet|citealp|citealt|citeauthor|citeyear|citeyearpar|"
    r"parencite|textcite|autocite|footcite|ref|eqref|autoref|cref|Cref|pageref|label)\*?"
    r"(?:\s*\[[^\]]*\]){0,2}\s*\{[^{}]*\}"
)
_SIMPLE = {
    "\\%": "%",
    "\\&": "&",
    "\\_": "_",
    "\\$": "$",
    "\\#": "#",
    "\\{": "{",
    "\\}": "}",
    "\\ ": " ",
    "\\,": " ",
    "\\;": " ",
    "\\:": " ",
    "\\!": "",
    "\\/": "",
    "\\-": "",
    "\\\\": " ",
    "\\@": "",
}


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
            end = end + 1 if end > 0 and "{" in text[end + 1 : end + 2] else -1
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

    dropped = [
        "cite",
        "citep",
        "citet",
        "citealp",
        "citealt",
        "citeauthor",
        "citeyear",
        "citeyearpar",
        "nocite",
        "parencite",
        "textcite",
        "autocite",
        "footcite",
        "ref",
        "eqref",
        "autoref",
        "cref",
        "Cref",
        "pageref",
        "label",
        "footnotemark",
        "thanks",
        "vspace",
        "hspace",
        "color",
        "vskip",
        "hskip",
        "newline",
        "linebreak",
        "noindent",
        "centering",
        "small",
        "footnotesize",
        "large",
        "Large",
        "huge",
        "normalsize",
        "bibliographystyle",
        "bibliography",
        "index",
        "protect",
        "xspace",
        "relax",
        "includegraphics",
        "hyperlink",
        "raisebox",
        "phantom",
        "em",
        "it",
        "bf",
        "sl",
        "sc",
        "rm",
        "tt",
        "sf",
        "itshape",
        "bfseries",
        "scshape",
        "upshape",
        "mdseries",
        "normalfont",
        "displaystyle",
        "textstyle",
        "scriptstyle",
        "left",
        "right",
        "big",
        "Big",
        "bigg",
        "Bigg",
        "limits",
        "nolimits",
        "item",
        "maketitle",
        "par",
        "smallskip",
        "medskip",
        "bigskip",
        "quad",
        "qquad",
    ]
    plain = [
        "mathcal",
        "mathbb",
        "mathbf",
        "mathrm",
        "mathit",
        "mathsf",
        "mathtt",
        "mathfrak",
        "mathscr",
        "boldsymbol",
        "bm",
        "pmb",
        "mathnormal",
        "operatorname",
        "text",
        "textrm",
        "textnormal",
        "mbox",
        "textsuperscript",
        "textsubscript",
        "textcolor",
        "colorbox",
        "uline",
        "underline",
        "texttt",
        "textsf",
        "textup",
        "textmd",
        "textbf",
        "textit",
        "emph",
        "textsl",
        "url",
        "nolinkurl",
        "hbox",
        "ensuremath",
        "unicode",
        "detokenize",
    ]
    words = {
        "eg": "e.g.",
        "ie": "i.e.",
        "etal": "et al.",
        "etc": "etc.",
        "vs": "vs.",
        "wrt": "w.r.t.",
        "cf": "cf.",
        "aka": "a.k.a.",
        "ldots": "...",
        "dots": "...",
        "cdots": "...",
        "textasciitilde": "~",
        "textasciicircum": "^",
        "textbackslash": "\\",
        "LaTeX": "LaTeX",
        "TeX": "TeX",
        "textendash": "–",
        "textemdash": "—",
        "textquotesingle": "'",
        "textquotedblleft": "“",
        "textquotedblright": "”",
        "deg": "°",
        "degree": "°",
        "textdegree": "°",
        "checkmark": "✓",
        "xmark": "✗",
        "circledR": "®",
        "textregistered": "®",
        "texttrademark": "™",
        "textcopyright": "©",
        "ast": "*",
        "vert": "|",
        "lvert": "|",
        "rvert": "|",
        "mid": "|",
        "colon": ":",
        "lbrace": "{",
        "rbrace": "}",
    }
    argspec = {
        "href": "{{",
        "hyperlink": "{{",
        "textcolor": "[{{",
        "colorbox": "[{{",
        "color": "[{",
        "raisebox": "{[[{",
        "includegraphics": "[{",
        "unicode": "{",
        "url": "{",
        "nolinkurl": "{",
        "uline": "{",
        "mbox": "{",
        "hbox": "{",
        "ensuremath": "{",
        "detokenize": "{",
        "bm": "{",
        "pmb": "{",
        "mathnormal": "{",
        "operatorname": "*{",
        "textsuperscript": "{",
        "textsubscript": "{",
        "phantom": "{",
        "footnote": "[{",
        "thanks": "{",
        "vspace": "*{",
        "hspace": "*{",
        "label": "{",
        "autoref": "{",
        "cref": "{",
        "Cref": "{",
        "pageref": "{",
        "eqref": "{",
        "index": "{",
        "parencite": "*[[{",
        "textcite": "*[[{",
        "autocite": "*[[{",
        "footcite": "*[[{",
        "citeyearpar": "*[[{",
        "nocite": "{",
        "bibliographystyle": "{",
        "bibliography": "{",
    }
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
    specs += [
        MacroTextSpec("unicode", simplify_repl=unicode_char),
        MacroTextSpec("href", simplify_repl=link),
        MacroTextSpec("footnote", simplify_repl=lambda n, l2tobj: f" ({last_arg(n, l2tobj).strip()})"),
        # small capitals show lower-case letters as capitals: \textsc{sft} reads SFT
        MacroTextSpec("textsc", simplify_repl=lambda n, l2tobj: last_arg(n, l2tobj).upper()),
    ]
    specs += [MacroTextSpec(name, simplify_repl=text) for name, text in words.items()]
    tdb.add_context_category("kg", prepend=True, macros=specs)
    # a command kg does not know (an author's \ModelName) keeps its name: better than vanishing
    tdb.set_unknown_macro_spec(MacroTextSpec("", simplify_repl=lambda n, l2tobj: n.macroname))
    _CONVERTER = (
        wdb,
        LatexNodes2Text(latex_context=tdb, math_mode="text", keep_comments=False, strict_latex_spaces=False),
    )
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
            out.append(text[i : j + 1])
            i = j + 1
            continue
        out.append(text[i:j])
        out.append(_island_text(text[j:end]))
        i = end
    out.append(text[i:])
    result = "".join(out)
    return result.replace("~", " ") if always else result
