"""What kind of link a URL is, and a collector that keeps a paper's links tidy.

The kind is decided by the URL first and by where it appeared second: an arXiv, OpenReview, ACL
Anthology, DOI or PDF link is the paper wherever it sits, a GitHub repository is code, and
anything else takes the kind of its section (``관련 링크`` → related, ``더 읽어보기`` → more).

Copying a forum post as text turns link previews into ``GitHub - owner/repo: description``;
:func:`github_text_links` recovers the repository URL from that form.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from bot.digests.models import Link, LinkKind

_PAPER_HOSTS = (
    "arxiv.org",
    "openreview.net",
    "aclanthology.org",
    "aclweb.org",
    "doi.org",
    "dx.doi.org",
    "papers.nips.cc",
    "proceedings.neurips.cc",
    "proceedings.mlr.press",
    "openaccess.thecvf.com",
    "ieeexplore.ieee.org",
    "dl.acm.org",
    "link.springer.com",
    "jmlr.org",
    "biorxiv.org",
    "medrxiv.org",
    "ssrn.com",
)
_CODE_HOSTS = ("github.com", "gitlab.com", "codeberg.org", "bitbucket.org")
_HF_PAPERS = re.compile(r"huggingface\.co/papers/", re.IGNORECASE)
_GITHUB_TEXT = re.compile(
    r"\bGitHub\s{1,3}[-–—]\s{1,3}([A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))/([A-Za-z0-9._-]{1,100})"
)
_KIND_ORDER = {LinkKind.PAPER: 0, LinkKind.CODE: 1, LinkKind.RELATED: 2, LinkKind.MORE: 3}


def _host(url: str) -> str:
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return ""
    return host.lower().removeprefix("www.")


def _on(host: str, domains: tuple[str, ...]) -> bool:
    return any(host == domain or host.endswith("." + domain) for domain in domains)


def is_paper_url(url: str) -> bool:
    host = _host(url)
    if _on(host, _PAPER_HOSTS) or _HF_PAPERS.search(url[:200]):
        return True
    path = urlsplit(url).path.lower() if host else ""
    return path.endswith(".pdf")


def is_code_url(url: str) -> bool:
    host = _host(url)
    if not _on(host, _CODE_HOSTS):
        return False
    # A repository, not github.com itself or a user's profile page.
    return len([part for part in urlsplit(url).path.split("/") if part]) >= 2


def classify_url(url: str, default: LinkKind) -> LinkKind:
    """The kind of ``url``: paper and code hosts win, anything else takes ``default``."""
    if is_paper_url(url):
        return LinkKind.PAPER
    if is_code_url(url):
        return LinkKind.CODE
    return default


def github_text_links(text: str) -> list[str]:
    """Repository URLs from the copied-preview form ``GitHub - owner/repo: description``."""
    if "GitHub" not in text:
        return []
    urls = []
    for match in _GITHUB_TEXT.finditer(text):
        owner, repo = match.group(1), match.group(2).rstrip(".")
        if repo.endswith(".git"):
            repo = repo[:-4]
        if repo:
            urls.append(f"https://github.com/{owner}/{repo}")
    return urls


def _key(url: str) -> str:
    return url.rstrip("/").removeprefix("https://").removeprefix("http://").lower()


class LinkCollector:
    """Links of one paper: first kind seen for a URL wins, ``/``-variants are one link."""

    def __init__(self) -> None:
        self._links: list[Link] = []
        self._seen: set[str] = set()

    def add(self, url: str, kind: LinkKind) -> None:
        key = _key(url)
        if key in self._seen or len(url) > 2048:
            return
        self._seen.add(key)
        self._links.append(Link(kind=kind, url=url))

    def add_classified(self, url: str, default: LinkKind) -> None:
        self.add(url, classify_url(url, default))

    def add_from_prose(self, urls: list[str]) -> None:
        """URLs inside running text: code or related, never the paper itself.

        Prose cites other work ("builds on Emu (https://arxiv.org/abs/2309.15807)"); taking such
        a link as the paper's own would give the paper another paper's arXiv identity.
        """
        for url in urls:
            if not is_paper_url(url):
                self.add(url, LinkKind.CODE if is_code_url(url) else LinkKind.RELATED)

    def add_github_text(self, text: str) -> None:
        for url in github_text_links(text):
            self.add(url, LinkKind.CODE)

    def __len__(self) -> int:
        return len(self._links)

    def links(self) -> list[Link]:
        """Paper links first, then code, related, more; document order within a kind."""
        return sorted(self._links, key=lambda link: _KIND_ORDER[link.kind])
