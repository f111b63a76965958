"""解读关联: a policy interpretation (政策解读) and its document must link each other.

The national indicators deduct 0.5 for each interpretation not linked both ways with its document.
An interpretation names its document (《…》 in its title or text) or links it (原文, 相关文件 …). Its
document is found by link first, then by exact normalised title (a document's own title, or the
《…》 it issues: 关于印发《某某办法》的通知 issues 某某办法). A problem is reported where the
interpretation names or links its document and the document does not link back, or where it names
it and neither links the other; the evidence names both pages. A document never found is not judged,
nor a "document" that only shares the interpretation's own title (a page of an interpretation column
that names no document, matched to a namesake news item). Among documents of one title, the first
by URL is judged (one linked back is enough), so the result never depends on the order pages were
stored in.
"""

from __future__ import annotations

import re
from typing import Iterable

from core.model import Finding, Interpretation

from ..base import Context, EstateView

KIND = "interpretation_unlinked"
_GLUE = re.compile(r"[\s《》〈〉“”\"'‘’「」()（）【】\[\]、，,。.:：;；_\-—·]+")
_BOOK_TITLE = re.compile(r"《([^《》]{4,80})》")
_SITE_SUFFIX = re.compile(r"\s*(?:_|\||｜|\s-\s|\s—\s)\s*")


def title_key(title: str) -> str:
    """A title as compared: without spaces, quotes, brackets and punctuation, case folded."""
    return _GLUE.sub("", title).casefold()


def own_title(title: str) -> str:
    """The document's own title, without the site's name a `<title>` adds (…_某某县人民政府)."""
    head = _SITE_SUFFIX.split(title, maxsplit=1)[0].strip()
    return head if len(head) >= 4 else title


def document_keys(title: str) -> set[str]:
    """The keys a document answers to: its own title and each 《…》 it issues."""
    own = own_title(title)
    return {key for key in (title_key(own), *(title_key(name) for name in _BOOK_TITLE.findall(own))) if key}


class InterpretationCheck:
    name = "interpretations"
    kinds = (KIND,)

    def check(self, estate: EstateView, ctx: Context) -> Iterable[Finding]:
        interpretations = list(estate.interpretations())
        if not interpretations:
            return []
        urls = {i.url for i in interpretations}
        wanted = {key for i in interpretations for key in _cited_keys(i)}
        titles: dict[str, str] = {}  # url → title of every page an interpretation links or names
        by_key: dict[str, list[str]] = {}
        linked = {url for i in interpretations for url in i.cited_links}
        for url, title in estate.article_titles():
            if url in urls:
                continue
            if url in linked:
                titles[url] = title
            for key in document_keys(title) & wanted:
                by_key.setdefault(key, []).append(url)
                titles[url] = title
        for documents in by_key.values():
            documents.sort()
        back = estate.links_between(set(titles), urls)
        forth = estate.links_between(urls, set(titles))
        # by URL, once: a document's title is compared for every interpretation that cites it
        own_titles = {url: own_title(title) if title else url for url, title in titles.items()}
        found = []
        for interpretation in interpretations:
            found += _judge(interpretation, own_titles, by_key, back, forth)
        return found


def _cited_keys(interpretation: Interpretation) -> list[str]:
    """The keys of the documents an interpretation names, but its own title when it has no 《…》:
    a page named only by that (a news item in an interpretation column) names no document."""
    title = own_title(interpretation.title)
    own = "" if _BOOK_TITLE.search(title) else title_key(title)
    return [key for key in dict.fromkeys(title_key(name) for name in interpretation.cited) if key and key != own]


def _judge(interpretation: Interpretation, own_titles: dict[str, str], by_key: dict[str, list[str]],
           back: set[tuple[str, str]], forth: set[tuple[str, str]]) -> list[Finding]:
    documents = [url for url in interpretation.cited_links if url in own_titles]
    if not documents:
        documents = list(dict.fromkeys(url for key in _cited_keys(interpretation) for url in by_key.get(key, [])))
    copies: dict[str, list[str]] = {}  # documents by title: copies of one document (reposted, or namesakes)
    for document in documents:
        copies.setdefault(own_titles[document], []).append(document)
    findings = []
    for title, urls in list(copies.items())[:3]:
        if any((document, interpretation.url) in back for document in urls):
            continue
        document = next((url for url in urls if (interpretation.url, url) in forth), urls[0])
        one_way = (interpretation.url, document) in forth
        if one_way:
            context = f"解读页面链接了文件《{title}》（{document}），但文件页面没有链接回解读页面（{interpretation.url}）"
        else:
            context = (f"解读页面提到文件《{title}》（{document}），但两者互不链接：解读页面（{interpretation.url}）"
                       "未链接文件，文件页面也未链接解读")
        findings.append(Finding(
            kind=KIND, url=interpretation.url, evidence=title, site=interpretation.site, unit=interpretation.unit,
            column=interpretation.column, context=context,
            suggestion="在文件页面添加“相关解读”链接，并在解读页面添加“政策原文”链接，使解读与文件互相关联",
            details={"document": document, "document_title": title, "interpretation": interpretation.url,
                     "interpretation_title": interpretation.title,
                     "links": "one_way" if one_way else "neither"}))
    return findings


CHECK = InterpretationCheck()
