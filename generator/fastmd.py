"""Fast path for Markdown → HTML: a small pure-Python renderer for the Markdown news articles are written in.

markdown-it-py, as ``generator.markup`` configures it, remains the reference and the fallback: ``render_fast``
returns exactly the bytes markdown-it-py renders for the same text, under every ``allow_html``/``hotlink``
setting, or ``None`` when the text uses anything outside the subset below, and the caller then renders it
with markdown-it-py. A divergence would be a rendering bug, so every doubt is a ``None``. The rules mirrored
here are markdown-it-py 4.3's (``tests/test_fastmd.py`` compares the two on thousands of documents).

Blocks, separated by blank lines:

* paragraphs over one or more lines, with soft breaks and hard breaks (two or more trailing spaces);
* ATX headings ``#`` … ``######`` followed by a space, without a closing ``#`` sequence;
* block quotes whose every line starts with ``>`` and which hold only paragraphs (no lazy lines);
* tight lists, one line per item, all with the same ``-``/``*``/``+`` bullet or ``1.``/``1)`` delimiter,
  ended by a blank line or the end of the text.

Inline: text; ``*``/``_`` emphasis and strong emphasis (markdown-it's delimiter algorithm, ported);
inline links ``[text](url)`` and ``[text](url "title")`` whose text holds no brackets; brackets that form no
link; smart quotes and typographic replacements exactly as markdown-it's core rules apply them.

Refused anywhere in the text: backslashes, backticks, ``~``, ``<``, ``|``, ``^``, tabs, NUL, form feed and
vertical tab, ``![``, ``[x]:``, HTML-entity-like ``&``; and every block or inline form not listed above
(code, fences, tables, HTML, thematic breaks, setext underlines, nested or loose lists, lazy lines, …).
"""

from __future__ import annotations

import re
from typing import Any

from markdown_it import MarkdownIt
from markdown_it import __version__ as _MARKDOWN_IT_VERSION
from markdown_it.common.utils import escapeHtml, isMdAsciiPunct, isPunctChar, isWhiteSpace, mdTrim, unescapeAll
from markdown_it.rules_core.replacements import (
    COMMA_RE,
    ELLIPSIS_QUESTION_EXCLAMATION_RE,
    ELLIPSIS_RE,
    EM_DASH_RE,
    EN_DASH_INDENT_RE,
    EN_DASH_RE,
    PLUS_MINUS_RE,
    QUESTION_EXCLAMATION_RE,
    SCOPED_ABBR_RE,
    replaceFn,
)

__all__ = ["ENABLED", "render_fast"]

# The rules are mirrored from these markdown-it-py releases; under any other the fast path steps aside
# (markdown-it renders everything) until tests/test_fastmd.py has been run against it and it is added here.
MIRRORED_RELEASES = ("4.3.",)
ENABLED = _MARKDOWN_IT_VERSION.startswith(MIRRORED_RELEASES)

# Link destinations go through the very functions markdown-it's link rule calls.
_MD = MarkdownIt("commonmark")
_normalize_link = _MD.normalizeLink
_validate_link = _MD.validateLink

# Escapes, code, strikethrough and fences, HTML and autolinks, tables, footnotes; tabs (indentation), NUL
# (markdown-it replaces it) and the form feed and vertical tab (whitespace to mdTrim, not to indentation).
# Other control characters are plain text to markdown-it, as they are here. `in` tests are far cheaper
# than a regex scan of the text.
_REFUSED = "\\`~<|^\t\x00\x0b\x0c"
_ENTITY_LIKE = re.compile(r"&(?:#|[A-Za-z0-9]+;)")

# What a line can start (container prefixes removed). Only lines starting with these need a closer look.
_BLANK, _PLAIN, _INDENTED, _HEADING, _QUOTE, _BULLET, _ORDERED, _BAD = range(8)
_BLOCK_START = " #>-*+_=0123456789"
_HR_LIKE = re.compile(r"[-*_=][-*_= ]*")  # thematic breaks, setext underlines, empty `*`/`-` items
_HEADING_RE = re.compile(r"#{1,6}(?= |$)")
_ORDERED_RE = re.compile(r"([0-9]+)[.)](?= |$)")

# Inline tokens are lists ``[kind, content, level, <a> tag]``; only text and marker runs have content.
Token = list[Any]
_TEXT, _RUN, _SOFT, _HARD, _LINK_OPEN, _LINK_CLOSE, _EM_OPEN, _EM_CLOSE, _STRONG_OPEN, _STRONG_CLOSE = range(10)
_OPENS = (_LINK_OPEN, _EM_OPEN, _STRONG_OPEN)
_CLOSES = (_LINK_CLOSE, _EM_CLOSE, _STRONG_CLOSE)
_TAGS = ("", "", "\n", "<br />\n", "", "</a>", "<em>", "</em>", "<strong>", "</strong>")
_STOP_CHARS = "*_[\n!&"  # characters at which one of markdown-it's inline rules may fire here
_DEST_RUN = re.compile(r"[^ ()\x00-\x1f\x7f]*")
_QUOTE_RE = re.compile(r"['\"]")
_APOSTROPHE = "\u2019"

# URLs that unescapeAll + normalizeLink provably return unchanged and validateLink accepts (lower-case
# ASCII host of valid labels, no port or credentials, unreserved path/query/fragment characters).
_PLAIN_URL = re.compile(
    r"https?://[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*"
    r"(?:/[A-Za-z0-9\-._~/]*)?(?:\?[A-Za-z0-9\-._~/=&+]*)?(?:#[A-Za-z0-9\-._~/]*)?"
)

# A marker run is ``(marker, length, token index, can_open, can_close)``; a delimiter (one per marker
# character, as in markdown-it) is ``[marker, length, token index, end, can_open, can_close]``.
Run = tuple[str, int, int, bool, bool]
_D_MARKER, _D_LENGTH, _D_TOKEN, _D_END, _D_OPEN, _D_CLOSE = range(6)


def render_fast(text: str) -> str | None:
    """HTML identical to markdown-it-py's for ``text``, or ``None`` if ``text`` leaves the subset."""
    if not ENABLED:
        return None
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    for c in _REFUSED:
        if c in text:
            return None
    out: list[str] = []
    if not _blocks(text.split("\n"), out, False):
        return None
    return "".join(out)


# ---------------------------------------------------------------------------------------------------------
# Blocks


def _classify(line: str) -> int:
    """What block a line could start, judged as markdown-it's block rules would (tabs are refused earlier)."""
    if not line:
        return _BLANK
    if line[0] not in _BLOCK_START:
        return _PLAIN
    rest = line.lstrip(" ")
    if not rest:
        return _BLANK
    if len(line) - len(rest) >= 4:
        return _INDENTED
    c = rest[0]
    if c in "-*_=" and _HR_LIKE.fullmatch(rest):
        return _BAD
    if c == "#":
        return _HEADING if _HEADING_RE.match(rest) else _PLAIN
    if c == ">":
        return _QUOTE
    if c in "-*+":
        return _BULLET if len(rest) == 1 or rest[1] == " " else _PLAIN
    if "0" <= c <= "9":
        m = _ORDERED_RE.match(rest)
        if m:
            return _ORDERED if len(m.group(1)) <= 9 else _BAD
    return _PLAIN


def _interrupts(line: str, kind: int) -> bool:
    """Whether a list-item-looking line ends the paragraph above it (it must have content, and be `1` if ordered)."""
    rest = line.lstrip(" ")
    if kind == _BULLET:
        return rest[1:].strip(" ") != ""
    m = _ORDERED_RE.match(rest)
    assert m is not None
    return int(m.group(1)) == 1 and rest[m.end() :].strip(" ") != ""


def _blocks(lines: list[str], out: list[str], quoted: bool) -> bool:
    """Render ``lines`` as a sequence of blocks; inside a quote only paragraphs are allowed."""
    n = len(lines)
    i = 0
    while i < n:
        line = lines[i]
        kind = _classify(line)
        if kind == _BLANK:
            i += 1
            continue
        if kind == _PLAIN:
            j = i + 1
            while j < n:
                nxt = lines[j]
                k = _classify(nxt)
                if k in (_PLAIN, _INDENTED):
                    j += 1  # continuation; an indented line after a paragraph line is lazy text
                    continue
                if k == _BLANK:
                    break
                if k in (_BULLET, _ORDERED):
                    if not _interrupts(nxt, k):
                        j += 1
                        continue
                elif k != _HEADING and k != _QUOTE:
                    return False
                if quoted:
                    return False
                break
            out.append("<p>")
            if not _inline(mdTrim(line if j == i + 1 else "\n".join(lines[i:j])), out):
                return False
            out.append("</p>\n")
            i = j
            continue
        if quoted:
            return False
        if kind == _HEADING:
            rest = line.lstrip(" ")
            level = len(rest) - len(rest.lstrip("#"))
            body = rest[level:].rstrip(" ")
            if body.endswith("#"):
                return False  # a closing sequence, or a `#` markdown-it would keep: not worth telling apart
            out.append(f"<h{level}>")
            if not _inline(mdTrim(body), out):
                return False
            out.append(f"</h{level}>\n")
            i += 1
        elif kind == _QUOTE:
            inner: list[str] = []
            while i < n and _classify(lines[i]) == _QUOTE:
                rest = lines[i].lstrip(" ")[1:]
                inner.append(rest[1:] if rest[:1] == " " else rest)
                i += 1
            if i < n and _classify(lines[i]) != _BLANK:
                return False  # a lazy continuation, or a block right after the quote
            if all(not s.strip(" ") for s in inner):
                return False
            out.append("<blockquote>\n")
            if not _blocks(inner, out, True):
                return False
            out.append("</blockquote>\n")
        elif kind in (_BULLET, _ORDERED):
            i = _list(lines, i, kind, out)
            if i < 0:
                return False
        else:
            return False
    return True


def _list(lines: list[str], i: int, kind: int, out: list[str]) -> int:
    """Render a tight one-line-per-item list starting at ``lines[i]``; return the next line, -1 to refuse."""
    n = len(lines)
    first = lines[i]
    rest = first.lstrip(" ")
    indent = len(first) - len(rest)
    if kind == _BULLET:
        marker = rest[0]
        out.append("<ul>\n")
    else:
        m = _ORDERED_RE.match(rest)
        assert m is not None
        marker = rest[m.end() - 1]
        start = int(m.group(1))
        out.append("<ol>\n" if start == 1 else f'<ol start="{start}">\n')
    while i < n:
        line = lines[i]
        k = _classify(line)
        if k == _BLANK:
            break
        rest = line.lstrip(" ")
        if k != kind or len(line) - len(rest) != indent:
            return -1  # another kind of line, or a different indentation (nesting)
        if kind == _BULLET:
            width = 1
        else:
            m = _ORDERED_RE.match(rest)
            assert m is not None
            width = m.end()
        if rest[width - 1] != marker:
            return -1  # a new list would start
        after = rest[width:]
        content = after.lstrip(" ")
        if not content or len(after) - len(content) > 4 or _classify(content) != _PLAIN:
            return -1  # empty item, indented code, or a nested block
        out.append("<li>")
        if not _inline(mdTrim(content), out):
            return -1
        out.append("</li>\n")
        i += 1
    # A blank line and then another item, or an indented line, would make the list loose or an item longer.
    j = i
    while j < n and not lines[j].strip(" "):
        j += 1
    if j < n and (lines[j][0] == " " or _classify(lines[j]) in (_BULLET, _ORDERED)):
        return -1
    out.append("</ul>\n" if kind == _BULLET else "</ol>\n")
    return i


# ---------------------------------------------------------------------------------------------------------
# Inline


def _inline(src: str, out: list[str]) -> bool:
    """Render one paragraph's or heading's inline content into ``out``, as markdown-it's inline parser and core
    rules (replacements, smart quotes) would; False if the content leaves the subset."""
    if not src:
        return False
    # Positions of the characters that can start an inline rule; `str.find` is much faster than a regex scan.
    stops: list[int] = []
    find = src.find
    for c in _STOP_CHARS:
        at = find(c)
        while at >= 0:
            stops.append(at)
            at = find(c, at + 1)
    quotes = "'" in src or '"' in src
    toks: list[Token]
    if not stops:
        toks = [[_TEXT, src, 0, None]]
    else:
        stops.sort()
        toks = []
        runs: list[list[Run]] = []
        if not _scan(src, 0, len(src), stops, 0, toks, runs):
            return False
        if all(_simple(level_runs) for level_runs in runs):
            _pair_simple(toks, runs)
            if quotes:
                _levels(toks)
        else:
            toks, delimiter_lists = _expand(toks, runs)
            for delims in delimiter_lists:
                if delims:
                    _balance(delims)
                    _emphasis(toks, delims)
            toks = _join(toks)
    if "(" in src and SCOPED_ABBR_RE.search(src):
        for tok in toks:
            if tok[0] == _TEXT:
                tok[1] = SCOPED_ABBR_RE.sub(replaceFn, tok[1])
    if _rare(src):
        for tok in toks:
            if tok[0] == _TEXT and _rare(tok[1]):
                tok[1] = _replace_rare(tok[1])
    if quotes:
        _smartquotes(toks)
    # Replacements and smart quotes never introduce `&`, `>` or `"`: escape only when the source has one.
    escape = '"' in src or "&" in src or ">" in src
    append = out.append
    for tok in toks:
        kind = tok[0]
        if kind == _TEXT:
            append(escapeHtml(tok[1]) if escape else tok[1])
        elif kind == _LINK_OPEN:
            append(tok[3])
        else:
            append(_TAGS[kind])
    return True


def _rare(s: str) -> bool:
    """``replacements.RARE_RE.search(s)``: its alternatives are literal strings, and `in` is faster."""
    return (
        ("-" in s and "--" in s)
        or ".." in s
        or ("+" in s and "+-" in s)
        or ("," in s and ",," in s)
        or ("?" in s and "????" in s)
        or ("!" in s and "!!!!" in s)
    )


def _replace_rare(s: str) -> str:
    """markdown-it's ``replace_rare`` on one text token, in the same order."""
    s = PLUS_MINUS_RE.sub("±", s)
    s = ELLIPSIS_RE.sub("…", s)
    s = ELLIPSIS_QUESTION_EXCLAMATION_RE.sub("\\1..", s)
    s = QUESTION_EXCLAMATION_RE.sub("\\1\\1\\1", s)
    s = COMMA_RE.sub(",", s)
    s = EM_DASH_RE.sub("\\1\u2014", s)
    s = EN_DASH_RE.sub("\\1\u2013", s)
    return EN_DASH_INDENT_RE.sub("\\1\u2013", s)


_CHAR_CLASS: dict[str, tuple[bool, bool]] = {}


def _char_class(c: str) -> tuple[bool, bool]:
    """(punctuation, whitespace) as markdown-it's scanDelims and smartquotes judge a character; memoised."""
    known = _CHAR_CLASS.get(c)
    if known is None:
        code = ord(c)
        known = (isMdAsciiPunct(code) or isPunctChar(c), isWhiteSpace(code))
        if len(_CHAR_CLASS) < 4096:
            _CHAR_CLASS[c] = known
    return known


def _scan(src: str, pos: int, end: int, stops: list[int], k: int, toks: list[Token], runs: list[list[Run]]) -> bool:
    """Tokenize ``src[pos:end]`` as markdown-it's inline tokenizer does: text, breaks, marker runs, links.

    ``stops[k:]`` are the positions still to visit. Each nesting level (the paragraph, each link's text)
    gets its own list of marker runs, as markdown-it's ``state.push`` gives each its own delimiters.
    Returns False when the content leaves the subset.
    """
    level_runs: list[Run] = []
    runs.append(level_runs)
    pending = pos  # start of the text not yet flushed into a token (markdown-it's `state.pending`)
    count = len(stops)
    while k < count:
        p = stops[k]
        k += 1
        if p < pos:
            continue
        if p >= end:
            break
        ch = src[p]
        if ch == "*" or ch == "_":
            q = p + 1
            while q < end and src[q] == ch:
                q += 1
            if pending < p:
                toks.append([_TEXT, src[pending:p], 0, None])
            # scanDelims: the text's edges count as whitespace; the run stops at `end`, not at the source's.
            last_punct, last_space = _char_class(src[p - 1]) if p > 0 else (False, True)
            next_punct, next_space = _char_class(src[q]) if q < end else (False, True)
            left = not (next_space or (next_punct and not (last_space or last_punct)))
            right = not (last_space or (last_punct and not (next_space or next_punct)))
            if ch == "*":
                can_open, can_close = left, right
            else:
                can_open = left and (not right or last_punct)
                can_close = right and (not left or next_punct)
            level_runs.append((ch, q - p, len(toks), can_open, can_close))
            toks.append([_RUN, src[p:q], 0, None])
            pos = pending = q
        elif ch == "\n":
            # newline rule: one trailing space is dropped (soft break), two or more make a hard break.
            seg = src[pending:p]
            kind = _SOFT
            if seg.endswith(" "):
                stripped = seg.rstrip(" ")
                if len(seg) - len(stripped) >= 2:
                    kind = _HARD
                seg = stripped
            if seg:
                toks.append([_TEXT, seg, 0, None])
            toks.append([kind, "", 0, None])
            pos = p + 1
            while pos < end and src[pos] == " ":
                pos += 1
            pending = pos
        elif ch == "[":
            close = src.find("]", p + 1, end)
            if close < 0:
                pos = p + 1  # no `]`: no label can close, a literal bracket
                continue
            if src.find("[", p + 1, close) >= 0:
                return False  # nested brackets: markdown-it's label scan is not mirrored
            after_label = src[close + 1] if close + 1 < end else ""
            if after_label == ":":
                return False  # perhaps a reference definition
            if after_label != "(":
                pos = p + 1  # `[text]` without a destination is literal: no references exist (`]:` is refused)
                continue
            link = _link_tail(src, close + 2, end)
            if link is None or close == p + 1:
                return False
            tag, after = link
            if pending < p:
                toks.append([_TEXT, src[pending:p], 0, None])
            toks.append([_LINK_OPEN, "", 0, tag])
            if not _scan(src, p + 1, close, stops, k, toks, runs):
                return False
            toks.append([_LINK_CLOSE, "", 0, None])
            pos = pending = after
        elif ch == "!":
            if src.startswith("[", p + 1):
                return False  # an image
            pos = p + 1
        else:  # `&`
            if _ENTITY_LIKE.match(src, p):
                return False
            pos = p + 1
    if pending < end:
        toks.append([_TEXT, src[pending:end], 0, None])
    return True


def _link_tail(src: str, pos: int, end: int) -> tuple[str, int] | None:
    """Parse ``url "title")`` after ``](``: the ``<a …>`` tag and the position after ``)``, or None to refuse."""
    start = pos
    level = 0
    while True:  # parseLinkDestination, unbracketed form (backslashes were refused)
        m = _DEST_RUN.match(src, pos, end)
        assert m is not None
        pos = m.end()
        if pos >= end:
            break
        c = src[pos]
        if c == "(":
            level += 1
            if level > 32:
                return None
        elif c == ")":
            if level == 0:
                break
            level -= 1
        else:
            break
        pos += 1
    if pos == start or level != 0:
        return None
    href = src[start:pos]
    if len(href) > 255 or not _PLAIN_URL.fullmatch(href):
        try:
            href = _normalize_link(unescapeAll(href))
        except Exception:
            return None
        if not _validate_link(href):
            return None  # markdown-it leaves the whole thing as text, e.g. javascript: links
    title = ""
    if pos < end and src[pos] == " ":
        t = pos
        while t < end and src[t] == " ":
            t += 1
        if t < end and src[t] in "\"'(":  # parseLinkTitle
            close = ")" if src[t] == "(" else src[t]
            stop = src.find(close, t + 1, end)
            if stop < 0:
                return None
            raw = src[t + 1 : stop]
            if "\n" in raw or (close == ")" and "(" in raw):
                return None
            title = unescapeAll(raw)
            t = stop + 1
            while t < end and src[t] == " ":
                t += 1
        pos = t
    if pos >= end or src[pos] != ")":
        return None
    tag = '<a href="' + escapeHtml(href) + ('">' if not title else '" title="' + escapeHtml(title) + '">')
    return tag, pos + 1


def _simple(level_runs: list[Run]) -> bool:
    """Runs that alternate opener-only / closer-only, pairwise with the same marker and a length of 1 or 2.

    For these, markdown-it's delimiter algorithm matches each closer with the opener just before it (no rule
    of 3, no failed searches) and emits one em (length 1) or strong (length 2) per pair; the empty text
    tokens it leaves behind for strong render as nothing and are skipped by smart quotes, so they can be
    left out.
    """
    if len(level_runs) % 2:
        return False
    for k in range(0, len(level_runs), 2):
        marker, length, _tok, can_open, can_close = level_runs[k]
        c_marker, c_length, _c_tok, c_open, c_close = level_runs[k + 1]
        if not (can_open and not can_close and c_close and not c_open and c_marker == marker
                and c_length == length and length <= 2):
            return False
    return True


def _pair_simple(toks: list[Token], runs: list[list[Run]]) -> None:
    """Turn the marker runs of simple levels (see ``_simple``) into em/strong tags."""
    for level_runs in runs:
        for k in range(0, len(level_runs), 2):
            strong = level_runs[k][1] == 2
            opener = toks[level_runs[k][2]]
            closer = toks[level_runs[k + 1][2]]
            opener[0] = _STRONG_OPEN if strong else _EM_OPEN
            closer[0] = _STRONG_CLOSE if strong else _EM_CLOSE
            opener[1] = closer[1] = ""


def _levels(toks: list[Token]) -> None:
    """Nesting levels, as markdown-it's fragments_join recomputes them (smart quotes need them)."""
    level = 0
    for tok in toks:
        kind = tok[0]
        if kind in _CLOSES:
            level -= 1
        tok[2] = level
        if kind in _OPENS:
            level += 1


def _expand(toks: list[Token], runs: list[list[Run]]) -> tuple[list[Token], list[list[list[Any]]]]:
    """One text token and one delimiter per marker character, as markdown-it's emphasis tokenizer makes them."""
    expanded: list[Token] = []
    where: dict[int, int] = {}
    for idx, tok in enumerate(toks):
        if tok[0] == _RUN:
            where[idx] = len(expanded)
            expanded.extend([_TEXT, ch, 0, None] for ch in tok[1])
        else:
            expanded.append(tok)
    delimiter_lists = []
    for level_runs in runs:
        delims: list[list[Any]] = []
        for marker, length, tok_idx, can_open, can_close in level_runs:
            first = where[tok_idx]
            delims.extend([marker, length, first + n, -1, can_open, can_close] for n in range(length))
        delimiter_lists.append(delims)
    return expanded, delimiter_lists


def _balance(delims: list[list[Any]]) -> None:
    """markdown-it's ``balance_pairs.processDelimiters``: match closers to openers (with the rule of 3)."""
    openers_bottom: dict[str, list[int]] = {}
    maximum = len(delims)
    header = 0
    last_token = -2
    jumps: list[int] = []
    closer_idx = 0
    while closer_idx < maximum:
        closer = delims[closer_idx]
        jumps.append(0)
        if delims[header][_D_MARKER] != closer[_D_MARKER] or last_token != closer[_D_TOKEN] - 1:
            header = closer_idx
        last_token = closer[_D_TOKEN]
        if not closer[_D_CLOSE]:
            closer_idx += 1
            continue
        marker = closer[_D_MARKER]
        if marker not in openers_bottom:
            openers_bottom[marker] = [-1, -1, -1, -1, -1, -1]
        c_len = closer[_D_LENGTH]
        slot = (3 if closer[_D_OPEN] else 0) + c_len % 3
        min_opener = openers_bottom[marker][slot]
        opener_idx = header - jumps[header] - 1
        new_min = opener_idx
        while opener_idx > min_opener:
            opener = delims[opener_idx]
            if opener[_D_MARKER] != marker:
                opener_idx -= jumps[opener_idx] + 1
                continue
            if opener[_D_OPEN] and opener[_D_END] < 0:
                o_len = opener[_D_LENGTH]
                odd = (
                    (opener[_D_CLOSE] or closer[_D_OPEN])
                    and (o_len + c_len) % 3 == 0
                    and (o_len % 3 != 0 or c_len % 3 != 0)
                )
                if not odd:
                    if opener_idx > 0 and not delims[opener_idx - 1][_D_OPEN]:
                        last_jump = jumps[opener_idx - 1] + 1
                    else:
                        last_jump = 0
                    jumps[closer_idx] = closer_idx - opener_idx + last_jump
                    jumps[opener_idx] = last_jump
                    closer[_D_OPEN] = False
                    opener[_D_END] = closer_idx
                    opener[_D_CLOSE] = False
                    new_min = -1
                    last_token = -2
                    break
            opener_idx -= jumps[opener_idx] + 1
        if new_min != -1:
            openers_bottom[marker][slot] = new_min
        closer_idx += 1


def _emphasis(toks: list[Token], delims: list[list[Any]]) -> None:
    """markdown-it's ``emphasis._postProcess``: turn matched delimiter tokens into em/strong tags."""
    i = len(delims) - 1
    while i >= 0:
        start = delims[i]
        end_idx = start[_D_END]
        if end_idx == -1:
            i -= 1
            continue
        end = delims[end_idx]
        strong = (
            i > 0
            and delims[i - 1][_D_END] == end_idx + 1
            and delims[i - 1][_D_MARKER] == start[_D_MARKER]
            and delims[i - 1][_D_TOKEN] == start[_D_TOKEN] - 1
            and delims[end_idx + 1][_D_TOKEN] == end[_D_TOKEN] + 1
        )
        opener = toks[start[_D_TOKEN]]
        closer = toks[end[_D_TOKEN]]
        opener[0] = _STRONG_OPEN if strong else _EM_OPEN
        closer[0] = _STRONG_CLOSE if strong else _EM_CLOSE
        opener[1] = closer[1] = ""
        if strong:
            toks[delims[i - 1][_D_TOKEN]][1] = ""
            toks[delims[end_idx + 1][_D_TOKEN]][1] = ""
            i -= 1
        i -= 1


def _join(toks: list[Token]) -> list[Token]:
    """markdown-it's ``fragments_join``: merge adjacent text tokens and recompute nesting levels.

    A run of text tokens is joined once (appending to the first one's string, token by token, copied the
    growing string each time: quadratic on hostile input such as ``x *`` repeated a million times)."""
    joined: list[Token] = []
    level = 0
    i, count = 0, len(toks)
    while i < count:
        tok = toks[i]
        kind = tok[0]
        if kind == _TEXT:
            j = i + 1
            while j < count and toks[j][0] == _TEXT:
                j += 1
            if j > i + 1:
                tok[1] = "".join([t[1] for t in toks[i:j]])
            tok[2] = level
            joined.append(tok)
            i = j
            continue
        if kind in _CLOSES:
            level -= 1
        tok[2] = level
        joined.append(tok)
        if kind in _OPENS:
            level += 1
        i += 1
    return joined


def _smartquotes(toks: list[Token]) -> None:
    """markdown-it's ``smartquotes.process_inlines``, statement for statement, on our tokens.

    One difference in how, not what: replacements are collected and applied at the end, where markdown-it
    rebuilds the token's string for each quote (quadratic in the quotes of a paragraph). Decisions read the
    original characters, which is the same: a curly quote and the straight one it replaces are both
    punctuation, neither a space nor a digit, and no position right of the current quote has been replaced.
    """
    stack: list[tuple[int, int, bool, int]] = []  # (token, position, single, level)
    count = len(toks)
    edits: dict[int, dict[int, str]] = {}  # token index → {position: curly quote}
    for i in range(count):
        token = toks[i]
        this_level = token[2]
        j = len(stack) - 1
        while j >= 0 and stack[j][3] > this_level:
            j -= 1
        del stack[j + 1 :]
        if token[0] != _TEXT:
            continue
        text: str = token[1]
        pos = 0
        maximum = len(text)
        while pos < maximum:
            t = _QUOTE_RE.search(text, pos)
            if not t:
                break
            at = t.start()
            can_open = can_close = True
            pos = at + 1
            single = t.group(0) == "'"
            last = " "  # the start of a line counts as a space
            if at > 0:
                last = text[at - 1]
            else:
                for j in range(i - 1, -1, -1):
                    prev = toks[j]
                    if prev[0] == _SOFT or prev[0] == _HARD:
                        break
                    if prev[1]:
                        last = prev[1][-1]
                        break
            nxt = " "
            if pos < maximum:
                nxt = text[pos]
            else:
                for j in range(i + 1, count):
                    following = toks[j]
                    if following[0] == _SOFT or following[0] == _HARD:
                        break
                    if following[1]:
                        nxt = following[1][0]
                        break
            last_punct, last_space = _char_class(last)
            next_punct, next_space = _char_class(nxt)
            if next_space or (next_punct and not (last_space or last_punct)):
                can_open = False
            if last_space or (last_punct and not (next_space or next_punct)):
                can_close = False
            if nxt == '"' and not single and "0" <= last <= "9":
                can_close = can_open = False  # 1"" - the first quote is an inch mark
            if can_open and can_close:
                # in the middle of punctuation only (foo-"-bar), not in a word (foo"bar)
                can_open = last_punct
                can_close = next_punct
            if not can_open and not can_close:
                if single:
                    edits.setdefault(i, {})[at] = _APOSTROPHE
                continue
            if can_close:
                matched = False
                for j in range(len(stack) - 1, -1, -1):
                    item = stack[j]
                    if item[3] < this_level:
                        break
                    if item[2] == single and item[3] == this_level:
                        open_q, close_q = ("\u2018", "\u2019") if single else ("\u201c", "\u201d")
                        edits.setdefault(i, {})[at] = close_q
                        edits.setdefault(item[0], {})[item[1]] = open_q
                        del stack[j:]
                        matched = True
                        break
                if matched:
                    continue
            if can_open:
                stack.append((i, at, single, this_level))
            elif can_close and single:
                edits.setdefault(i, {})[at] = _APOSTROPHE
    for i, changes in edits.items():
        chars = list(toks[i][1])
        for at, quote in changes.items():
            chars[at] = quote
        toks[i][1] = "".join(chars)
