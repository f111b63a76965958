"""Hidden links to outside the estate (暗链): spam planted where visitors cannot see it but search
engines can.

How a link is hidden: by itself or an ancestor, through inline style, a single-class or single-id
rule of an inline <style> block, or the `hidden` attribute; or it is a 0/1-px iframe or sits in a
1-px or runaway <marquee>. A descendant that sets its own font-size (not in em or %), visibility or
text-indent undoes an ancestor's zero font, hidden visibility or negative indent (inline-block
layouts put font-size:0 on a list and a real size on its items). Markup written by `document.write` in inline
scripts is parsed and judged the same way. Markup after `</html>` is judged too, but is not hidden
by being there: a browser renders it, and pages whose included header closes `</html>` before the
body put their whole content there.

Which hidden links are 暗链. Planted links are spam — gambling, pornography, loans, fake invoices,
pharmacy, game private servers (私服), SEO services — so a link's words and target weigh as much as
the way it is hidden:
- Spam: the link's words (text, title, image alt) hit a spam entry of the word lists (`ctx.matcher`:
  `sensitive` entries of the spam topics, or with no topic) or a spam pattern below, unless they
  speak *about* spam (打击, 破获, 防范 …: crackdown news in a hidden tab); or its path carries a
  spam token (/bet/, bocai, liuhecai …), or its host does when the host is not allow-listed
  (bet365-x.com, x.casino). The query of an allow-listed host is not read: share links carry the
  sharing page's own title and address there. One spam link makes its whole hiding block planted:
  every outside link in that block is then reported.
- Reported: a hidden spam link, whatever its host (hacked government pages host spam too); a spam
  link after `</html>` even when visible, since that is where injections appended to a file land;
  and a hidden link to a host that is neither in the estate nor allow-listed when an SEO trick hides
  it — off-screen offsets, zero font, negative text-indent, 1-px boxes, 0/1-px frames, marquees —
  or when it is a frame hidden any way, because nothing a visitor uses is hidden that way.
- Not reported: links hidden by display:none, visibility:hidden, opacity:0 or the `hidden` attribute
  whose words and target are not spam — collapsed menus, tabs, share pop-ups, counters and CMS
  credits are built that way; links to allow-listed hosts (government sites, central media, CMS
  vendors, share services, statistics counters: `ctx.hidden_link_allow`: the shipped
  wordlists/hidden_link_allow.txt and the config's own, as host suffixes) that are not spam, however hidden; neutral links
  after `</html>`.

Never reported at all:
- links to the page's own host or any estate site;
- a target that is also linked visibly on the page (responsive sites duplicate their menus);
- links inside HTML comments: browsers never render them, nobody can click them and search engines
  do not follow them, so they are template residue, not 暗链;
- large positive offsets (left:1200px can be on screen) and rules inside @media blocks (they only
  apply to some screens);
- anything needing external stylesheets or script execution beyond literal document.write.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from typing import Iterable, Iterator
from urllib.parse import unquote, urlsplit

import lxml.html
from lxml import etree

from core.model import Finding, Page
from core.text import element_text

from core.urls import absolute_url, ascii_host, document_base, netloc, stays_on_base_host

from ..base import Context, page_finding

KIND = "hidden_link"
SUGGESTION = "删除隐藏的外部链接（暗链），排查网页模板、数据库和服务器是否被篡改并修补漏洞"

# Markers on the wrappers of inserted markup, so a link knows how it got into the tree.
_WRITTEN = "data-govwatch-written"
_AFTER_HTML = "data-govwatch-after-html"

_OFFSCREEN_PX = -500    # position offsets this far out put a link off screen (hacks use -999px)
_INDENT_PX = -50        # text-indent below this pushes link text out of its box
_RUNAWAY_SCROLL = 100   # marquee scrollamount at which text flashes by unreadably
# Hiding that menus, tabs and pop-ups also use: it takes spam to make such a link a 暗链.
_TOGGLES = frozenset({"display:none", "visibility:hidden", "hidden attribute", "opacity:0"})
# Inherited properties a descendant can set back (font-size:0 on a list, 14px on its items).
_INHERITED = ("font-size", "visibility", "text-indent")
_RELATIVE_SIZE = re.compile(r"[\d.]+(?:em|%)")

# Spam words of link texts. Kept narrow: a government page's own link texts must never match
# (加快三农 is not 快三, 加快排查 not 快排, 网站群 not 站群, 虚假证明 not 假证, 成人教育 not 成人视频).
_SPAM_WORDS = re.compile(
    r"博彩|赌场|娱乐城|娱乐平台|真人娱乐|真人视讯|电子游艺|百家乐|六合彩|时时彩|北京赛车|幸运飞艇|老虎机|赌球"
    r"|(?:大发|一分|极速|幸运)快三|快三(?:计划|开奖|平台|官网)|彩金|(?:足球|体育)投注|投注(?:网|平台)|棋牌游戏"
    r"|葡京|威尼斯人|永利(?:娱乐|赌场|官网|国际|皇宫)|金沙(?:娱乐|赌场|官网|国际|网址)|太阳城(?:娱乐|集团|官网|网址)"
    r"|皇冠(?:体育|现金|信用|娱乐|网址)|(?:注册|开户|首存|首充)送(?:彩金|现金|体验金|\d)"
    r"|色情(?:网站|视频|电影|小说|图片)|成人(?:影院|电影|视频|网站|小说)|黄色(?:网站|视频|电影|小说)"
    r"|激情(?:视频|电影|小说|图片|网站|直播)|裸聊|约炮|一夜情|援交|无码|毛片|三级片|av(?:女优|在线|视频)"
    r"|代开(?:各类|各种|正规|增值税|普通)?发票|发票代开|办假证|假证(?:办理|制作)|办证刻章|刻章办证|假文凭|代办文凭"
    r"|网贷|无抵押贷款|黑户贷款|贷款口子|秒下款|套现"
    r"|伟哥|春药|催情|迷药|壮阳|延时喷剂|代孕"
    r"|私服|传奇sf|新开传奇|sf发布"
    r"|蜘蛛池|黑帽seo|(?:百度|seo|关键词)快排|快排(?:优化|软件)|外链(?:代发|出售|购买)"
    r"|(?<![a-z])(?:casino|baccarat|poker|porn|sex|viagra|cialis)(?![a-z])",
    re.I)
# Words that speak about spam instead of advertising it: a hidden tab of crackdown news.
_ABOUT_SPAM = re.compile(r"打击|破获|查处|整治|取缔|抓获|侦破|警惕|防范|举报|谨防|曝光|严禁|禁止|专项|治理|警示"
                         r"|提醒|提示|反诈|诈骗|犯罪|案件|一案|涉案|涉赌|涉黄")
# Word-list topics of spam; entries without a topic count too (a user's own spam list).
_SPAM_TOPICS = frozenset({"", "赌博", "色情", "毒品", "违法广告", "枪爆"})
# Tokens of spam URLs: host labels and path segments split at punctuation, digits around them dropped.
_SPAM_TOKENS = frozenset({
    "bet", "casino", "casinos", "poker", "baccarat", "sbobet", "bocai", "baijiale", "liuhecai", "6hc",
    "xinpujing", "weinisiren", "porn", "porno", "xvideos", "seqing", "daikai", "sifu",
})
_SPAM_TLDS = frozenset({"bet", "casino", "poker", "porn", "xxx", "sex", "sexy", "adult"})
_URL_PIECE = re.compile(r"[^a-z0-9]+")

_HTML_END = re.compile(r"</html\s*>", re.I)
_MARKUP = re.compile(r"<[a-z]", re.I)
_COMMENTS = re.compile(r"<!--.*?-->", re.S)
_SELECTOR = re.compile(r"(?:[a-z][a-z0-9]*)?([.#][\w-]+)", re.I)
_LENGTH = re.compile(r"(-?\d*\.?\d+)(px|pt|em|rem)?")
_UNIT_PX = {None: 1.0, "px": 1.0, "pt": 4 / 3, "em": 16.0, "rem": 16.0}

_WRITE_CALL = re.compile(r"document\s*\.\s*write(?:ln)?\s*\(")
_JS_STRING = re.compile(r"""'((?:[^'\\\n]|\\.)*)'|"((?:[^"\\\n]|\\.)*)"|`((?:[^`\\]|\\.)*)`""", re.S)
_JS_DECODE = re.compile(r"(?:unescape|decodeURIComponent|decodeURI)\s*\(")
_JS_ESCAPE = re.compile(r"\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|.)", re.S)
_JS_SIMPLE_ESCAPES = {"n": "\n", "t": "\t", "r": "\r"}
_JS_PERCENT_U = re.compile(r"%u([0-9a-fA-F]{4})")  # unescape() also reads %uXXXX


@dataclass
class _Candidate:
    """An outside link that is hidden or placed after </html>, with what the verdict needs."""

    el: etree._Element
    url: str
    technique: str           # how it is hidden, as shown to the inspector
    trick: bool              # hidden by an SEO trick rather than a toggle; False when not hidden
    block: etree._Element | None  # the element that hides it; None when it is not hidden
    allowed: bool
    spam: str                # why it looks like spam, or ""


class HiddenLinksCheck:
    """External links a visitor cannot see but a search engine can."""

    name = "hidden_links"
    kinds = (KIND,)

    def check(self, page: Page, ctx: Context) -> Iterable[Finding]:
        if page.kind != "html" or not page.html.strip():
            return
        root = _document(page)
        if root is None:
            return
        rules = _css_rules(root)
        own_host = netloc(page.url)
        allow = ctx.hidden_link_allow
        visible: set[str] = set()
        candidates: list[_Candidate] = []
        for el, url in _links(root, page.url):
            if netloc(url) == own_host or ctx.is_internal(url):
                continue
            candidate = _candidate(el, url, rules, allow, ctx)
            if candidate is None:
                visible.add(url)
            else:
                candidates.append(candidate)
        planted = {c.block for c in candidates if c.spam and c.block is not None}
        reported: dict[str, _Candidate] = {}
        for c in candidates:
            if c.spam or (c.block is not None and c.block in planted) or (c.trick and not c.allowed):
                reported.setdefault(c.url, c)
            elif c.block is None:
                visible.add(c.url)  # a neutral link after </html> is an ordinary visible link
        for url, c in reported.items():
            if url in visible:
                continue
            yield page_finding(page, KIND, url, context=f"{_label(c.el)}（{c.technique}）",
                               suggestion=SUGGESTION, technique=c.technique, tag=c.el.tag, spam=c.spam)


def _candidate(el: etree._Element, url: str, rules: dict[str, dict[str, str]], allow: frozenset[str],
               ctx: Context) -> _Candidate | None:
    """The link as a candidate 暗链, or None when it is an ordinary visible link."""
    technique, block = _hiding(el, rules)
    chain = [el, *el.iterancestors()]
    after_html = any(node.get(_AFTER_HTML) is not None for node in chain)
    if technique is None and not after_html:
        return None
    # A frame is never a menu item: hidden any way, it loads its page out of sight.
    trick = technique is not None and (technique not in _TOGGLES or el.tag in ("iframe", "frame"))
    shown = technique or ""
    if shown and any(node.get(_WRITTEN) is not None for node in chain):
        shown = f"document.write+{shown}"
    if after_html:
        shown = f"after </html>+{shown}" if shown else "after </html>"
    host = _host(url)
    allowed = _allowed(host, allow)
    return _Candidate(el, url, shown, trick, block, allowed, _spam(el, url, host, allowed, ctx))


def _document(page: Page) -> etree._Element | None:
    """The parsed page with document.write output and the part after </html> grafted in.

    The tree the page came with (`Page.tree`) is that document when nothing but comments follows
    </html>; it is copied before anything is grafted into it (copying is a third of parsing).
    Otherwise the part before </html> is parsed here."""
    html = page.html
    end = _HTML_END.search(html)
    head, tail = (html[:end.start()], html[end.end():]) if end else (html, "")
    if page.tree is not None and _only_comments(tail):
        return _with_written(page.tree, shared=True)
    try:
        root = lxml.html.document_fromstring(  # huge_tree: as deep as the page model's own tree
            head.encode("utf-8"), parser=lxml.html.HTMLParser(encoding="utf-8", huge_tree=True))
    except etree.LxmlError:
        return None
    after = _fragment(tail, _AFTER_HTML)
    if after is not None:
        root.append(after)
    return _with_written(root, shared=False)


def _only_comments(tail: str) -> bool:
    """Whether what follows </html> is nothing but comments (whose text has no tag): the page's
    tree is then the one parsing the part before </html> gives."""
    return not _COMMENTS.sub("", tail).strip() and not _MARKUP.search(tail)


def _with_written(root: etree._Element, *, shared: bool) -> etree._Element:
    """`root` with the markup each inline script document.writes placed after the script; a
    `shared` tree is left as it is, and a copy of it returned when there is markup to place."""
    written = [(i, fragment) for i, script in enumerate(root.iter("script"))
               if not script.get("src") and (fragment := _fragment(_written(script.text or ""), _WRITTEN)) is not None]
    if written and shared:
        root = copy.deepcopy(root)
    scripts = list(root.iter("script"))
    for i, fragment in written:
        scripts[i].addnext(fragment)
    return root


def _fragment(markup: str, marker: str) -> etree._Element | None:
    if not _MARKUP.search(markup):
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
            parts.append(unquote(_JS_PERCENT_U.sub(lambda m: chr(int(m.group(1), 16)), inner)))
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
    """Clickable or framed targets that may lie on another host, with their absolute http(s) URL,
    resolved against <base href>; references that can only stay on the page's own host are skipped."""
    base = document_base(page_url, next((b.get("href") for b in root.iter("base") if b.get("href")), None))
    own_base = netloc(base) == netloc(page_url)
    for el in root.iter("a", "area", "iframe", "frame"):
        ref = el.get("src" if el.tag in ("iframe", "frame") else "href")
        if own_base and stays_on_base_host(ref):
            continue  # the page's own host, which the check skips: resolving it costs more than the rest
        url = absolute_url(ref, base)
        if url:
            yield el, url


def _hiding(el: etree._Element, rules: dict[str, dict[str, str]]) -> tuple[str | None, etree._Element | None]:
    """How `el` is hidden and the element that hides it, from `el` up; (None, None) when it shows."""
    restored: set[str] = set()
    for node in (el, *el.iterancestors()):
        if not isinstance(node.tag, str):
            continue
        style = _style(node, rules)
        technique = _own_hiding(node, style, restored)
        if technique:
            return technique, node
        restored.update(prop for prop in _INHERITED if _sets_afresh(prop, style.get(prop)))
    return None, None


def _sets_afresh(prop: str, value: str | None) -> bool:
    """Whether a declaration overrides an inherited value (1em or 100% of a zero font is still zero)."""
    if value in (None, "inherit", "unset"):
        return False
    return not (prop == "font-size" and _RELATIVE_SIZE.fullmatch(value or ""))


def _style(node: etree._Element, rules: dict[str, dict[str, str]]) -> dict[str, str]:
    style: dict[str, str] = {}
    for cls in (node.get("class") or "").split():
        style.update(rules.get("." + cls, {}))
    if node.get("id"):
        style.update(rules.get("#" + node.get("id", ""), {}))
    style.update(_declarations(node.get("style") or ""))
    return style


def _own_hiding(node: etree._Element, style: dict[str, str], restored: set[str]) -> str | None:
    """How `node` itself hides its content; `restored` holds inherited properties set again below it."""
    if node.get("hidden") is not None:
        return "hidden attribute"
    if style.get("display") == "none":
        return "display:none"
    if style.get("visibility") in ("hidden", "collapse") and "visibility" not in restored:
        return "visibility:hidden"
    if _is_zero(style.get("opacity")):
        return "opacity:0"
    if style.get("position") in ("absolute", "fixed"):
        for side in ("left", "top", "right", "bottom"):
            offset = _px(style.get(side))
            if offset is not None and offset <= _OFFSCREEN_PX:
                return f"{side}:{style[side]}"
    if _is_zero(style.get("font-size")) and "font-size" not in restored:
        return "font-size:0"
    indent = _px(style.get("text-indent"))
    if indent is not None and indent < _INDENT_PX and "text-indent" not in restored:
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


def _spam(el: etree._Element, url: str, host: str, allowed: bool, ctx: Context) -> str:
    """Why the link looks like planted spam (the word or URL token), or ""."""
    words = _words(el)
    if words and not _ABOUT_SPAM.search(words):
        if ctx.matcher is not None:
            for hit in ctx.matcher.find(words):
                if hit.entry.category == "sensitive" and hit.entry.topic in _SPAM_TOPICS:
                    return hit.entry.term
        if match := _SPAM_WORDS.search(words):
            return match.group(0)
    parts = urlsplit(url)
    if not allowed and host.rpartition(".")[2] in _SPAM_TLDS:
        return host
    pieces = _URL_PIECE.split(unquote(parts.path).lower())
    if not allowed:
        pieces += _URL_PIECE.split(host) + _URL_PIECE.split(unquote(parts.query).lower())
    return next((p for p in pieces if p in _SPAM_TOKENS or p.strip("0123456789") in _SPAM_TOKENS), "")


def _words(el: etree._Element) -> str:
    """Everything a link says: its text, its title and the alt text of its images."""
    texts = [element_text(el), el.get("title", ""), *(img.get("alt", "") for img in el.iter("img"))]
    return " ".join(" ".join(texts).split())


def _host(url: str) -> str:
    """The URL's host in ASCII (IDNA) form, so 某某.政务 and xn--….xn--zfr164b compare equal."""
    return ascii_host(urlsplit(url).hostname or "")


def _allowed(host: str, allow: frozenset[str]) -> bool:
    labels = host.split(".")
    return any(".".join(labels[i:]) in allow for i in range(len(labels)))


def _label(el: etree._Element) -> str:
    """The link's words (or title, or image alt), else its tag: what an inspector searches for."""
    words = " ".join(element_text(el).split()) or el.get("title", "") or " ".join(
        img.get("alt", "") for img in el.iter("img")).strip()
    return words[:60] if words else f"<{el.tag}>"


CHECK = HiddenLinksCheck()
