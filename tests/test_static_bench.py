"""The benchmark's statically served estate: every file the same bytes the estate server answers.

The bench compares crawlers on it, so a missing file or a different body would measure another site.
Served by the Python fallback always, and by nginx where it is installed.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
import requests

from bench.layout import Layout
from bench.render import NOT_FOUND, respond
from bench.static import estate_sizes, render_site, serve, site_paths

SERVERS = ["python", pytest.param("nginx", marks=pytest.mark.skipif(not shutil.which("nginx"),
                                                                     reason="nginx is not installed"))]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> tuple[Layout, Path]:
    layout = Layout(120, date(2026, 12, 6))
    root = tmp_path_factory.mktemp("static")
    render_site(layout, root)
    return layout, root


def test_every_page_of_the_layout_is_a_file(rendered: tuple[Layout, Path]) -> None:
    layout, root = rendered
    pages = [p for p in site_paths(layout) if p.endswith(".html")]
    assert len(pages) == layout.pages
    assert all((root / p.lstrip("/")).read_bytes() == respond(layout, p)[2] for p in site_paths(layout))


@pytest.mark.parametrize("server", SERVERS)
def test_the_server_answers_as_the_estate_server(rendered: tuple[Layout, Path], server: str) -> None:
    layout, root = rendered
    article = layout.articles()[0]
    dead = next(a.dead_link for a in layout.articles() if a.dead_link)
    with serve([("127.0.0.1", root)], server) as served, requests.Session() as session:
        home = served.urls[0]
        assert session.get(home).content == respond(layout, "/")[2]
        for path in (layout.columns[0].list_url(1), article.url, "/images/logo.png"):
            response = session.get(home + path.lstrip("/"))
            assert (response.status_code, response.content) == (200, respond(layout, path)[2])
        assert "text/html" in session.get(home + article.url.lstrip("/")).headers["Content-Type"]
        assert session.head(home + article.url.lstrip("/")).status_code == 200
        missing = session.get(home + dead.lstrip("/"))
        assert (missing.status_code, missing.content) == (404, NOT_FOUND)
    with pytest.raises(requests.ConnectionError):
        requests.get(home, timeout=5)  # stopped with the block


def test_marked_sites_never_serve_the_same_page(tmp_path: Path) -> None:
    """Sites of one estate with columns of the same size would, and a crawl may treat copies as one."""
    layout = Layout(60, date(2026, 12, 6))
    render_site(layout, tmp_path / "a", mark="site 01")
    render_site(layout, tmp_path / "b", mark="site 02")
    for path in site_paths(layout):
        a, b = ((tmp_path / site / path.lstrip("/")).read_bytes() for site in "ab")
        assert (a != b) == path.endswith(".html")


def test_an_estate_has_one_big_site_and_many_small() -> None:
    sizes = estate_sizes(20, 10_000)
    assert sum(sizes) == 10_000 and len(set(sizes)) == 20 and sizes == sorted(sizes, reverse=True)
