"""Entity merging moved to :mod:`kg.resolve` (keys, acronym senses, families); the key
functions stay importable from here for code that used them.
"""

from __future__ import annotations

from kg.resolve.keys import normalize, slugify

__all__ = ["normalize", "slugify"]
