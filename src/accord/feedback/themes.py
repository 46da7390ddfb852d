"""Themes in free text: TF-IDF and non-negative matrix factorisation (NMF).

Pure functions over lists of strings; nothing here touches the database.

Why NMF: every note is a non-negative mix of a few themes and every theme a
non-negative mix of words, so a theme reads as its top words and a note's
strongest component says which theme it belongs to. It is light (scikit-learn,
no model files, offline) and deterministic with ``init="nndsvd"`` and a fixed
``random_state``. The number of themes grows from two while every theme's
top words stay its own: the first count at which two themes share a top word
means one real theme is being split in two, so the count before it is kept
(bounded by ``MAX_THEMES`` and by the number of notes).
See docs/decisions/0014-feedback-themes.md.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from sklearn.decomposition import NMF
from sklearn.exceptions import ConvergenceWarning
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer
from threadpoolctl import threadpool_limits

MIN_NOTES = 8
MAX_THEMES = 10
TOP_TERMS = 6
QUOTES = 3
RANDOM_STATE = 0
GRID_SAMPLE = 800
# Words every note uses whatever it is about; they would only blur the themes.
_FIELD_WORDS = """customer customers client clients prospect prospects said says told asked ask
    wants want wanted need needs needed they them their we our us really just also like lot
    bit today call meeting met think thinks mentioned again still very heard raised note"""
FIELD_WORDS = frozenset(_FIELD_WORDS.split())
TOKEN = r"(?u)\b[a-zA-Z][a-zA-Z0-9]{2,}\b"
STOP_WORDS = sorted(ENGLISH_STOP_WORDS | FIELD_WORDS)


@dataclass(frozen=True)
class Theme:
    """One theme of a period: its words, how many notes, and how that changed.

    ``trend`` is the change in notes against the previous period of equal
    length (notes of that period assigned to the same theme). ``is_new``: the
    theme was (almost) absent before, under a tenth of its current size.
    ``members`` are the positions, in the texts given, of the theme's notes.
    """

    label: str
    size: int
    trend: float
    top_terms: list[str]
    quotes: list[str]
    is_new: bool
    previous_size: int = 0
    members: tuple[int, ...] = ()


@dataclass(frozen=True)
class _Fit:
    components: np.ndarray  # themes x terms
    weights: np.ndarray  # notes x themes
    model: NMF


def themes_find(
    texts: Sequence[str], previous: Sequence[str] = (), *, max_themes: int = MAX_THEMES
) -> list[Theme]:
    """The themes of ``texts``, largest first, with trend against ``previous``."""
    if len(texts) < MIN_NOTES:
        return []
    vectorizer = _vectorizer(len(texts))
    try:
        matrix = vectorizer.fit_transform(texts)
    except ValueError:  # no word survives the filters (e.g. all stop words)
        return []
    terms = vectorizer.get_feature_names_out()
    if len(terms) < 2:
        return []
    fit = _best_fit(matrix, _candidate_counts(len(texts), matrix.shape[1], max_themes))
    if fit is None:
        return []
    assigned = _assign(fit.weights)
    before = _previous_counts(fit, vectorizer.transform(previous) if len(previous) else None)
    themes = [
        _theme(k, fit, terms, texts, assigned, int(before[k]))
        for k in range(fit.components.shape[0])
    ]
    themes = [t for t in themes if t.size > 0]
    return sorted(themes, key=lambda t: (-t.size, t.label))


def _previous_counts(fit: _Fit, matrix: sparse.csr_matrix | None) -> np.ndarray:
    """How many notes of the previous period each theme would have held."""
    themes = fit.components.shape[0]
    if matrix is None:
        return np.zeros(themes, dtype=int)
    with _quiet_single_thread():
        weights = fit.model.transform(matrix)
    return np.bincount(_assign(weights) + 1, minlength=themes + 1)[1:]


def _vectorizer(count: int) -> TfidfVectorizer:
    return TfidfVectorizer(
        stop_words=STOP_WORDS,
        token_pattern=TOKEN,
        min_df=2,
        max_df=0.5 if count >= 20 else 1.0,
        sublinear_tf=True,
        max_features=3000,
        dtype=np.float64,
    )


def _candidate_counts(notes: int, terms: int, max_themes: int) -> range:
    """A bounded grid: at least two themes, at most one per ~4 notes."""
    upper = max(2, min(max_themes, notes // 4, terms - 1))
    return range(2, upper + 1)


def _best_fit(matrix: sparse.csr_matrix, counts: range) -> _Fit | None:
    """Pick the theme count on a fixed sample of notes, then fit all notes once."""
    if matrix.nnz == 0:
        return None
    sample = matrix
    if matrix.shape[0] > GRID_SAMPLE:
        rows = np.random.default_rng(RANDOM_STATE).choice(
            matrix.shape[0], GRID_SAMPLE, replace=False
        )
        sample = matrix[np.sort(rows)]
    best_k = 0
    for k in counts:
        model, _ = _nmf(sample, k)
        if best_k and _overlap(model.components_) > 0:
            break  # two themes now share top words: one theme is being split
        best_k = k
    if not best_k:
        return None
    model, weights = _nmf(matrix, best_k)
    return _Fit(model.components_, weights, model)


def _nmf(matrix: sparse.csr_matrix, k: int) -> tuple[NMF, np.ndarray]:
    """One deterministic fit. One BLAS thread: these matrices are small, and on a
    shared machine thread hand-offs cost more than the arithmetic."""
    model = NMF(n_components=k, init="nndsvd", random_state=RANDOM_STATE, max_iter=200, tol=1e-3)
    with _quiet_single_thread():
        weights = model.fit_transform(matrix)
    return model, weights


@contextmanager
def _quiet_single_thread() -> Iterator[None]:
    """A fit that stops at ``max_iter`` is still a usable fit: no warning for it."""
    with warnings.catch_warnings(), threadpool_limits(limits=1):
        warnings.simplefilter("ignore", ConvergenceWarning)
        yield


def _top(component: np.ndarray, n: int) -> np.ndarray:
    order = np.argsort(-component, kind="stable")[:n]
    return order[component[order] > 0]


def _overlap(components: np.ndarray) -> float:
    """The share of top words the most similar pair of themes has in common."""
    tops = [set(_top(c, TOP_TERMS).tolist()) for c in components]
    worst = 0.0
    for i in range(len(tops)):
        for j in range(i + 1, len(tops)):
            union = tops[i] | tops[j]
            if union:
                worst = max(worst, len(tops[i] & tops[j]) / len(union))
    return worst


def _assign(weights: np.ndarray) -> np.ndarray:
    """Each note's strongest theme, or -1 for a note no theme explains."""
    if weights.shape[0] == 0:
        return np.zeros(0, dtype=int)
    best = np.argmax(weights, axis=1)
    best[weights.max(axis=1) <= 0] = -1
    return best


def _theme(
    k: int, fit: _Fit, terms: np.ndarray, texts: Sequence[str], assigned: np.ndarray, before: int
) -> Theme:
    top_terms = [str(terms[i]) for i in _top(fit.components[k], TOP_TERMS)]
    members = np.flatnonzero(assigned == k)
    size = len(members)
    return Theme(
        label=_label(top_terms),
        size=size,
        trend=float(size - before),
        top_terms=top_terms,
        quotes=_quotes(fit.weights[:, k], members, texts),
        is_new=size > 0 and before * 10 < size,
        previous_size=before,
        members=tuple(int(i) for i in members),
    )


def _label(top_terms: list[str]) -> str:
    """The three strongest terms, skipping a word already inside a chosen phrase."""
    chosen: list[str] = []
    for term in top_terms:
        words = set(term.split())
        if any(words <= set(c.split()) or set(c.split()) <= words for c in chosen):
            continue
        chosen.append(term)
        if len(chosen) == 3:
            break
    return ", ".join(chosen)


def _quotes(weights: np.ndarray, members: np.ndarray, texts: Sequence[str]) -> list[str]:
    """The notes that load most on the theme, each text once."""
    order = members[np.argsort(-weights[members], kind="stable")]
    quotes: list[str] = []
    for i in order:
        text = texts[i].strip()
        if text not in quotes:
            quotes.append(text)
        if len(quotes) == QUOTES:
            break
    return quotes


def most_typical(texts: Sequence[str]) -> int:
    """The index of the text closest to the centroid of all of them (the first on ties).

    With fewer than three texts, or no shared words, the first text stands.
    """
    if len(texts) < 3:
        return 0
    vectorizer = TfidfVectorizer(stop_words=STOP_WORDS, token_pattern=TOKEN, sublinear_tf=True)
    try:
        matrix = vectorizer.fit_transform(texts)
    except ValueError:
        return 0
    centroid = np.asarray(matrix.mean(axis=0)).ravel()
    closeness = matrix @ centroid
    return int(np.argmax(closeness))
