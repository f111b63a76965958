"""core.text: element_text gives what lxml's itertext gives, however the markup mixes its nodes."""

from __future__ import annotations

import pytest
from lxml import etree

from core.text import element_text

MARKUP = [
    "<div>a<!-- c -->b<?pi x?>c<script>s</script><b>d</b>e</div>",
    "<li>x&amp;y<br>z<span>2024-12-07</span> 尾</li>",
    "<p><!--only a comment--></p>",
    "<div>a<style>q{}</style><![CDATA[w]]><p>段落<i>斜</i>后</p>尾巴</div>",
    "<a href='x.html' title='标题'><img alt='图'>　全角空格\n换行</a>",
    "<td></td>",
]


@pytest.mark.parametrize("markup", MARKUP)
def test_element_text_is_itertext_joined(markup: str) -> None:
    body = etree.fromstring(f"<html><body>{markup}</body></html>", etree.HTMLParser()).find("body")
    for el in body.iter():
        if isinstance(el.tag, str):
            text = element_text(el)
            assert text == "".join(el.itertext())
            assert type(text) is str  # no reference back to the tree
