"""The recognizer's static word vectors, each word's computed once per process.

kg's vectors are floret vectors: a word's vector is the mean of the rows of its character
n-grams, which spaCy hashes and averages again for every token of every batch (about a tenth
of the recognizer's time). :class:`CachedVectors` wraps the table and keeps each word's vector
once computed; the numbers are the table's own, so the recognizer's output is unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy
from spacy.vectors import Vectors

__all__ = ["CachedVectors"]


class CachedVectors:
    """``vectors`` (a floret :class:`spacy.vectors.Vectors`) with a cache of the vectors of
    the words seen, for spaCy's ``StaticVectors`` layer (which calls :meth:`get_batch`); every
    other use (``token.vector``, ``to_disk``, ...) goes to the table itself. At ``max_words``
    cached words the cache starts again, so memory stays bounded.

    >>> import numpy, spacy
    >>> nlp = spacy.blank("en")
    >>> data = numpy.arange(20, dtype="f").reshape(10, 2)
    >>> table = Vectors(strings=nlp.vocab.strings, mode="floret", data=data, minn=1, maxn=2, hash_count=1)
    >>> cached = CachedVectors(table, max_words=3)
    >>> key = {w: nlp.vocab.strings.add(w) for w in ("cat", "dog", "emu", "yak")}
    >>> batches = [["cat", "dog", "cat"], ["emu", "cat"], ["yak", "dog"]]
    >>> for words in batches:
    ...     keys = [key[w] for w in words]
    ...     print(bool((cached.get_batch(keys) == table.get_batch(keys)).all()), cached.cached_words)
    True 2
    True 3
    True 2
    """

    def __init__(self, vectors: Vectors, *, max_words: int = 200_000):
        self.vectors = vectors
        self.max_words = max_words
        self._row: dict[int, int] = {}
        self._table = numpy.zeros((0, vectors.shape[1]), dtype=vectors.data.dtype)

    def __getattr__(self, name: str):  # mode, shape, data, to_disk, ...: the table's own
        if name.startswith("__") or name in ("vectors", "max_words", "_row", "_table"):
            raise AttributeError(name)  # (not yet set: while unpickling)
        return getattr(self.vectors, name)

    def __getitem__(self, key):
        return self.vectors[key]

    def __contains__(self, key) -> bool:
        return key in self.vectors

    def __len__(self) -> int:
        return len(self.vectors)

    def __getstate__(self) -> dict:  # pickled without the cache
        return {"vectors": self.vectors, "max_words": self.max_words}

    def __setstate__(self, state: dict) -> None:
        self.__init__(state["vectors"], max_words=state["max_words"])  # type: ignore[misc]

    @property
    def strings(self):
        return self.vectors.strings

    @strings.setter
    def strings(self, strings) -> None:  # spaCy's Vocab shares its strings with its vectors
        self.vectors.strings = strings

    @property
    def cached_words(self) -> int:
        """The number of words whose vectors are cached."""
        return len(self._row)

    def get_batch(self, keys: Iterable[int]):
        keys = keys.tolist() if isinstance(keys, numpy.ndarray) else [int(k) for k in keys]
        new = [k for k in dict.fromkeys(keys) if k not in self._row]
        if len(self._row) + len(new) > self.max_words:
            self._row.clear()
            new = list(dict.fromkeys(keys))
        if new:
            start = len(self._row)
            if start + len(new) > len(self._table):
                grown = numpy.zeros(
                    (max(2 * len(self._table), start + len(new), 1024), self.shape[1]), self._table.dtype
                )
                grown[:start] = self._table[:start]
                self._table = grown
            self._table[start : start + len(new)] = self.vectors.get_batch(new)
            self._row.update(zip(new, range(start, start + len(new)), strict=True))
        return self._table[[self._row[k] for k in keys]]
