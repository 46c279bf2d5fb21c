"""Small helpers over character spans and sentence boundaries."""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["sentence_of", "overlaps"]


def sentence_of(sents: Sequence[tuple[int, int]], pos: int) -> int:
    """Index of the sentence holding character ``pos`` (0 when there are no sentences).

    >>> sentence_of([(0, 10), (11, 20)], 15), sentence_of([], 3)
    (1, 0)
    """
    lo, hi = 0, len(sents) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if sents[mid][0] <= pos:
            lo = mid
        else:
            hi = mid - 1
    return max(lo, 0)


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    """Whether two half-open spans share a character.

    >>> overlaps((0, 3), (2, 5)), overlaps((0, 3), (3, 5))
    (True, False)
    """
    return a[0] < b[1] and b[0] < a[1]
