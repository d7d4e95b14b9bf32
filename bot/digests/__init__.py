"""Digest formats: typed models, one parser per format, and the sources they come from.

- :mod:`~bot.digests.parse` — entry points: detect a format, parse text, bytes, files, folders.
- :mod:`~bot.digests.weekly`, :mod:`~bot.digests.daily`, :mod:`~bot.digests.note` — one parser
  per format, each ``parse(text, source) -> Document`` raising ``DigestFormatError``.
- :mod:`~bot.digests.decode` — bytes to text (UTF-8/16, CP949, Latin-1), binary files refused.
- :mod:`~bot.digests.tags` — tag normal form, aliases, and tags derived from keywords.
- :mod:`~bot.digests.links` — link kinds (paper, code, related, more).
- :mod:`~bot.digests.sources` — where digests come from (directory, forum, notes repository).
- ``_markdown``, ``_sections``, ``_dates``, ``_text`` — the parsers' shared internals.
"""
