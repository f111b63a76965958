"""Hidden links to outside the estate (暗链): SEO spam planted in a hacked page, invisible to visitors.

A link is hidden when it, or an ancestor, is hidden by inline style, by a single-class or single-id
rule of an inline <style> block, by the `hidden` attribute, by a 1-px or runaway <marquee>, or is a
0/1-px iframe. Markup written by `document.write` in inline scripts is parsed and judged the same
way. Anything after `</html>` is reported even when visible: no template puts links there.

Deliberately not reported:
- links to the page's own host or any estate site (collapsed menus, tabs, mobile navigation);
- links to *.gov.cn hidden only by display, visibility or the `hidden` attribute: government
  友情链接 dropdowns and tab panels are built that way; planted spam uses the SEO tricks, and those
  are still reported for any host;
- a target that is also linked visibly on the page (responsive sites duplicate their menus);
- links inside HTML comments: browsers never render them, nobody can click them and search engines
  do not follow them, so they are template residue, not 暗链;
- large positive offsets (left:1200px can be on screen) and rules inside @media blocks (they only
  apply to some screens);
- anything needing external stylesheets or script execution beyond literal document.write.
"""

from __future__ import annotations

import re
from typing import Iterable, Iterator
from urllib.parse import unquote, urlsplit

import lxml.html
from lxml import etree

from core.model import Finding, Page

from core.urls import absolute_url, document_base, netloc

from ..base import Context, page_finding

KIND = "hidden_link"
SUGGESTION = "删除隐藏的外部链接（暗链），排查网页模板、数据库和服务器是否被篡改并修补漏洞"

# Markers on the wrappers of inserted markup, so a link knows how it got into the tree.
_WRITTEN = "data-govwatch-written"
_AFTER_HTML = "data-govwatch-after-html"

_OFFSCREEN_PX = -1000   # position offsets this far out put the box off any screen
_INDENT_PX = -50        # text-indent below this pushes link text out of its box
_RUNAWAY_SCROLL = 100   # marquee scrollamount at which text flashes by unreadably
# Hiding that menus and tabs also use; tolerated for government targets (see module docstring).
_TOGGLES = frozenset({"display:none", "visibility:hidden", "hidden attribute"})

_HTML_END = re.compile(r"</html\s*>", re.I)
_SELECTOR = re.compile(r"(?:[a-z][a-z0-9]*)?([.#][\w-]+)", re.I)
_LENGTH = re.compile(r"(-?\d*\.?\d+)(px|pt|em|rem)?")
_UNIT_PX = {None: 1.0, "px": 1.0, "pt": 4 / 3, "em": 16.0, "rem": 16.0}

_WRITE_CALL = re.compile(r"document\s*\.\s*write(?:ln)?\s*\(")
_JS_STRING = re.compile(r"""'((?:[^'\\\n]|\\.)*)'|"((?:[^"\\\n]|\\.)*)"|`((?:[^`\\]|\\.)*)`""", re.S)
_JS_DECODE = re.compile(r"(?:unescape|decodeURIComponent|decodeURI)\s*\(")
_JS_ESCAPE = re.compile(r"\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|.)", re.S)
_JS_SIMPLE_ESCAPES = {"n": "\n", "t": "\t", "r": "\r"}


class HiddenLinksCheck:
    """External links a visitor cannot see but a search engine can."""

    name = "hidden_links"
    kinds = (KIND,)

    def check(self, page: Page, ctx: Context) -> Iterable[Finding]:
        if page.kind != "html" or not page.html.strip():
            return
        root = _document(page.html)
        if root is None:
            return
        rules = _css_rules(root)
        own_host = netloc(page.url)
        visible: set[str] = set()
        hidden: dict[str, tuple[etree._Element, str]] = {}
        for el, url in _links(root, page.url):
            technique = _technique(el, rules)
            if technique is None:
                visible.add(url)
            elif not (netloc(url) == own_host or ctx.is_internal(url)
                      or (technique in _TOGGLES and _is_gov(url))):
                hidden.setdefault(url, (el, technique))
        for url, (el, technique) in hidden.items():
            if url in visible:
                continue
            yield page_finding(page, KIND, url, context=f"{_label(el)}（{technique}）",
                               suggestion=SUGGESTION, technique=technique, tag=el.tag)


def _document(html: str) -> etree._Element | None:
    """The parsed page with document.write output and the part after </html> grafted in."""
    end = _HTML_END.search(html)
    head, tail = (html[:end.start()], html[end.end():]) if end else (html, "")
    try:
        root = lxml.html.document_fromstring(
            head.encode("utf-8"), parser=lxml.html.HTMLParser(encoding="utf-8"))
    except etree.LxmlError:
        return None
    after = _fragment(tail, _AFTER_HTML)
    if after is not None:
        root.append(after)
    for script in list(root.iter("script")):
        written = None if script.get("src") else _fragment(_written(script.text or ""), _WRITTEN)
        if written is not None:
            script.addnext(written)
    return root


def _fragment(markup: str, marker: str) -> etree._Element | None:
    if not re.search(r"<[a-z]", markup, re.I):
        return None
    try:
        wrapper = lxml.html.fragment_fromstring(markup, create_parent="div")
    except (etree.LxmlError, ValueError):
        return None
    wrapper.set(marker, "")
    return wrapper


def _written(js: str) -> str:
    """What the script's document.write calls write, from their string-literal arguments."""
    return "".join(_concatenation(js, call.end())[0] for call in _WRITE_CALL.finditer(js))


def _concatenation(js: str, pos: int) -> tuple[str, int]:
    """String literals joined by + from `pos` up to the closing parenthesis; stops at anything else."""
    parts = []
    while True:
        pos = _skip_space(js, pos)
        literal = _JS_STRING.match(js, pos)
        decode = _JS_DECODE.match(js, pos)
        if literal:
            parts.append(_JS_ESCAPE.sub(_js_unescape, literal.group(literal.lastindex or 0)))
            pos = literal.end()
        elif decode:
            inner, pos = _concatenation(js, decode.end())
            parts.append(unquote(inner))
        else:
            break
        pos = _skip_space(js, pos)
        if js.startswith("+", pos):
            pos += 1
            continue
        if js.startswith(")", pos):
            pos += 1
        break
    return "".join(parts), pos


def _skip_space(js: str, pos: int) -> int:
    while pos < len(js) and js[pos].isspace():
        pos += 1
    return pos


def _js_unescape(m: re.Match[str]) -> str:
    code = m.group(1)
    if len(code) > 1:
        return chr(int(code[1:], 16))
    return _JS_SIMPLE_ESCAPES.get(code, code)


def _css_rules(root: etree._Element) -> dict[str, dict[str, str]]:
    """Declarations of simple `.class` / `#id` rules in inline <style> blocks, merged in order."""
    rules: dict[str, dict[str, str]] = {}
    for style in root.iter("style"):
        css = re.sub(r"/\*.*?\*/|<!--|-->", " ", style.text or "", flags=re.S)
        for selectors, body in _top_level_rules(css):
            declarations = _declarations(body)
            for selector in selectors.split(","):
                simple = _SELECTOR.fullmatch(selector.strip())
                if simple:
                    rules.setdefault(simple.group(1), {}).update(declarations)
    return rules


def _top_level_rules(css: str) -> Iterator[tuple[str, str]]:
    """(selector list, body) of rules outside @-blocks: @media rules only apply on some screens."""
    depth, start, body_start, prelude = 0, 0, 0, ""
    for i, c in enumerate(css):
        if c == "{":
            if depth == 0:
                prelude, body_start = css[start:i].strip(), i + 1
            depth += 1
        elif c == "}" and depth > 0:
            depth -= 1
            if depth == 0:
                if not prelude.startswith("@"):
                    yield prelude, css[body_start:i]
                start = i + 1
        elif c == ";" and depth == 0:
            start = i + 1


def _declarations(css: str) -> dict[str, str]:
    result = {}
    for declaration in css.split(";"):
        prop, colon, value = declaration.partition(":")
        if colon:
            result[prop.strip().lower()] = value.lower().replace("!important", "").strip()
    return result


def _links(root: etree._Element, page_url: str) -> Iterator[tuple[etree._Element, str]]:
    """Clickable or framed targets with their absolute http(s) URL, resolved against <base href>."""
    base = document_base(page_url, next((b.get("href") for b in root.iter("base") if b.get("href")), None))
    for el in root.iter("a", "area", "iframe", "frame"):
        ref = el.get("src" if el.tag in ("iframe", "frame") else "href")
        url = absolute_url(ref, base)
        if url:
            yield el, url


def _technique(el: etree._Element, rules: dict[str, dict[str, str]]) -> str | None:
    """How `el` is hidden, from the nearest hiding element up; None when a visitor can see it."""
    technique = None
    chain = [el, *el.iterancestors()]
    for node in chain:
        technique = _own_hiding(node, rules)
        if technique:
            break
    if any(node.get(_WRITTEN) is not None for node in chain):
        technique = f"document.write+{technique}" if technique else None
    if any(node.get(_AFTER_HTML) is not None for node in chain):
        technique = f"after </html>+{technique}" if technique else "after </html>"
    return technique


def _own_hiding(node: etree._Element, rules: dict[str, dict[str, str]]) -> str | None:
    if not isinstance(node.tag, str):
        return None
    if node.get("hidden") is not None:
        return "hidden attribute"
    style: dict[str, str] = {}
    for cls in (node.get("class") or "").split():
        style.update(rules.get("." + cls, {}))
    if node.get("id"):
        style.update(rules.get("#" + node.get("id", ""), {}))
    style.update(_declarations(node.get("style") or ""))

    if style.get("display") == "none":
        return "display:none"
    if style.get("visibility") in ("hidden", "collapse"):
        return "visibility:hidden"
    if _is_zero(style.get("opacity")):
        return "opacity:0"
    if style.get("position") in ("absolute", "fixed"):
        for side in ("left", "top", "right", "bottom"):
            offset = _px(style.get(side))
            if offset is not None and offset <= _OFFSCREEN_PX:
                return f"{side}:{style[side]}"
    if _is_zero(style.get("font-size")):
        return "font-size:0"
    indent = _px(style.get("text-indent"))
    if indent is not None and indent < _INDENT_PX:
        return f"text-indent:{style['text-indent']}"
    if style.get("overflow") in ("hidden", "clip"):
        for dim in ("height", "width"):
            size = _px(style.get(dim))
            if size is not None and size <= 1:
                return f"{dim}:{style[dim]}+overflow:hidden"
    if node.tag in ("marquee", "iframe", "frame"):
        for dim in ("height", "width"):
            raw = style.get(dim) or node.get(dim, "")
            size = _px(raw.strip().lower())
            if size is not None and size <= 1:
                return f"{node.tag} {dim}:{raw.strip()}"
    if node.tag == "marquee":
        amount = _px(node.get("scrollamount", "").strip())
        if amount is not None and amount >= _RUNAWAY_SCROLL:
            return f"marquee scrollamount:{node.get('scrollamount', '').strip()}"
    return None


def _px(value: str | None) -> float | None:
    m = _LENGTH.fullmatch(value or "")
    return float(m.group(1)) * _UNIT_PX[m.group(2)] if m else None


def _is_zero(value: str | None) -> bool:
    m = _LENGTH.fullmatch((value or "").rstrip("%"))
    return bool(m) and float(m.group(1)) == 0


def _is_gov(url: str) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    return host == "gov.cn" or host.endswith(".gov.cn")


def _label(el: etree._Element) -> str:
    """The link's words (or title, or image alt), else its tag: what an inspector searches for."""
    words = " ".join(el.text_content().split()) or el.get("title", "") or " ".join(
        img.get("alt", "") for img in el.iter("img")).strip()
    return words[:60] if words else f"<{el.tag}>"


CHECK = HiddenLinksCheck()
