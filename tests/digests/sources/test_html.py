"""Cooked Discourse HTML flattened to the markdown-like text the parsers read."""

from __future__ import annotations

from bot.digests.sources._html import html_to_lines, html_to_text

BASE = "https://forum.example"


def test_headings_lists_and_links() -> None:
    html = (
        '<h2><a name="x" class="anchor" href="#x"></a>Title</h2>'
        "<h3>논문 링크</h3>"
        '<p><a href="https://arxiv.org/abs/1">arXiv</a> and <a href="/u/bob">@bob</a></p>'
        "<ul><li>one</li><li>two <em>2</em></li></ul>"
    )
    assert html_to_text(html, BASE) == (
        "## Title\n\n### 논문 링크\n\n"
        "[arXiv](https://arxiv.org/abs/1) and [@bob](https://forum.example/u/bob)\n\n"
        "* one\n* two 2\n"
    )


def test_quotes_code_and_line_breaks() -> None:
    html = (
        "<blockquote><p>인용문</p></blockquote><pre><code>a = 1\nb = 2</code></pre>"
        "<p>a<br>b</p><script>alert(1)</script><style>p{}</style>"
    )
    assert html_to_text(html, BASE) == "> 인용문\n\na = 1\nb = 2\na\nb\n"


def test_oneboxes_become_their_url_and_images_disappear() -> None:
    html = (
        '<aside class="onebox allowlistedgeneric" data-onebox-src="https://github.com/a/b">'
        '<header><a href="https://github.com">github.com</a></header>'
        "<article><h3>GitHub - a/b: A long description</h3><p>Prose that looks like a paper.</p>"
        "</article></aside>"
        '<div class="lightbox-wrapper"><a class="lightbox" href="/uploads/1.png">'
        '<img src="/uploads/1.png"><div class="meta"><span>image</span>'
        "<span>690×388 45 KB</span></div></a></div>"
        '<p>PyTorchKR<img class="emoji" alt=":fire:" src="/e.png"></p>'
    )
    assert html_to_text(html, BASE) == "https://github.com/a/b\n\nPyTorchKR:fire:\n"


def test_a_onebox_without_its_source_attribute_uses_its_first_link() -> None:
    html = '<aside class="onebox"><header><a href="https://x.example/p">x</a></header></aside>'
    assert html_to_text(html, BASE) == "https://x.example/p\n"


def test_broken_html_does_not_raise() -> None:
    unclosed = "<p><a href='https://x.example'>open <b>bold"
    assert html_to_text(unclosed, BASE) == "[open bold](https://x.example)\n"
    assert html_to_text("<div><div><p>deep</p></div></div></aside></li>", BASE) == "deep\n"
    assert html_to_text("", BASE) == ""


def test_each_text_line_knows_its_html_line() -> None:
    html = (
        '<aside class="onebox" data-onebox-src="https://github.com/a/b">\n'
        "<header>github.com</header>\n"
        "<article><h3>GitHub - a/b</h3></article>\n"
        "</aside>\n"
        "<h2>Title</h2>\n"
        '<p>see <a href="https://x.example">\nthe link</a></p>\n'
        "<pre><code>a = 1\nb = 2</code></pre>\n"
    )
    text, lines = html_to_lines(html, BASE)
    assert text == (
        "https://github.com/a/b\n\n## Title\n\nsee [the link](https://x.example)\n\na = 1\nb = 2\n"
    )
    assert len(lines) == len(text.split("\n")) - 1
    assert dict(zip(text.split("\n"), lines, strict=False)) | {"": 0} == {
        "https://github.com/a/b": 1,
        "## Title": 5,
        "see [the link](https://x.example)": 6,
        "a = 1": 8,
        "b = 2": 9,
        "": 0,
    }
