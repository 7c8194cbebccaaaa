"""Whether text decoded from an undeclared Russian code page reads as Russian.

Windows writes Russian names in a code page of its own, without saying so: Excel's CSV
in Windows-1251, Explorer's "compressed folder" zips in the DOS page (cp866). Every
byte decodes in those pages, so a wrong guess does not fail: it gives letters. A
Western name decoded so gets Cyrillic letters inside Latin words ("François" as
"Franзois"); a Russian one is Cyrillic through and through.
"""

from __future__ import annotations

import re

_WORD = re.compile(r"[^\W\d_]+")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]+")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")


def reads_as_russian(text: str) -> bool:
    """At least one Cyrillic word of three letters or more, and no word that mixes
    Cyrillic with Latin letters."""
    cyrillic = [word for word in _WORD.findall(text) if _CYRILLIC.search(word)]
    return any(len(word) >= 3 and _CYRILLIC.fullmatch(word) for word in cyrillic) and \
        not any(_LATIN.search(word) for word in cyrillic)
