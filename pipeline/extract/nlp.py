"""spaCy loading: once per process, with only the components the coder reads, the slow ones compiled.

The coder reads POS, lemmas and the dependency parse: ``tok2vec``, ``tagger``, ``parser``,
``attribute_ruler`` and ``lemmatizer`` run; NER does not (it costs more than the rest of the small
pipeline together, and names are found from the registry and proper-noun runs instead).

The network's matrix products run on numpy's BLAS (OpenBLAS, one thread) instead of thinc's default,
BLIS: where measured (``benchmarks/README.md``) PyPI's BLIS ran its generic kernel and OpenBLAS, which
picks a kernel for the CPU it runs on, multiplied the tok2vec's matrices about 3x faster, halving the
tok2vec's time; the parses are the same (a test compares them with spaCy as shipped).

Profiling (``benchmarks/README.md``) showed that the two rule components cost more than the neural
network: spaCy's attribute ruler runs a general ``Matcher`` over every token for its 179 one- and
two-token patterns, and the rule lemmatizer caches only inflected words. Both are replaced here by exact
equivalents that apply *the same* pattern attributes in the same order and the same lemma function, with
the work done once per distinct token (a per-process cache) instead of once per token.
"""

from __future__ import annotations

import re
from functools import lru_cache

#: The coder reads POS, lemmas and the dependency parse. NER is left out: on the pre-filtered sentences of
#: 300 corpus articles it adds 50-135 % to spaCy's time (issue 9), and names are found from the registry
#: and proper-noun runs instead (mentions.py tells organisations from people by their name's words). With
#: NER on, realdev gained no more than that heuristic does.
KEEP = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer")

#: Token attributes the attribute ruler's patterns may read (anything else: the stock ruler is kept)
_READ = ("TAG", "LOWER", "DEP", "IS_SPACE")


def default_model() -> str:
    from pipeline.config import load_settings

    return load_settings().spacy_model


def _test(spec, value) -> bool:
    """One pattern attribute against one token value, as spaCy's Matcher tests it."""
    if not isinstance(spec, dict):
        return spec == value
    for op, arg in spec.items():
        if op == "IN" and value not in arg:
            return False
        if op == "NOT_IN" and value in arg:
            return False
        if op == "REGEX" and not re.search(arg, value):
            return False
    return True


def _token_test(spec: dict, sig: tuple) -> bool:
    """All of a spec's attributes match; an attribute whose value is None (not known yet) passes."""
    return all(sig[_READ.index(k)] is None or _test(spec[k], sig[_READ.index(k)]) for k in spec)


class _Index:
    """Token specs indexed by the literal lower form or tag they require, so that a new signature is tested
    against the few specs that can match it rather than all of them."""

    def __init__(self, specs: list[dict]):
        self.specs = specs
        self.by_lower: dict[str, list[int]] = {}
        self.by_tag: dict[str, list[int]] = {}
        self.other: list[int] = []
        for k, spec in enumerate(specs):
            lower, tag = spec.get("LOWER"), spec.get("TAG")
            if isinstance(lower, str):
                self.by_lower.setdefault(lower, []).append(k)
            elif isinstance(lower, dict) and set(lower) == {"IN"}:
                for w in lower["IN"]:
                    self.by_lower.setdefault(w, []).append(k)
            elif isinstance(tag, str):
                self.by_tag.setdefault(tag, []).append(k)
            else:
                self.other.append(k)

    def matching(self, sig: tuple) -> list[int]:
        """Numbers of the specs that match the signature (tag, lower, dep, is_space)."""
        cands = {*self.by_lower.get(sig[1], ()), *self.by_tag.get(sig[0], ()), *self.other}
        return [k for k in cands if _token_test(self.specs[k], sig)]


class CompiledRuler:
    """spaCy's ``AttributeRuler`` with its Matcher replaced by cached per-signature tests.

    A token's signature is the attributes the patterns read (tag, lower form, dependency, is-space). Which
    one-token patterns match depends on the signature alone, so it is computed once per distinct signature;
    two-token patterns are tested where their first token matches. The attributes are then set with
    spaCy's own ``set_token_attrs`` in spaCy's order (by pattern number: later patterns win)."""

    def __init__(self, ruler):
        from spacy.attrs import DEP, IS_SPACE, LOWER, TAG

        self.ruler = ruler
        self.strings = ruler.vocab.strings
        self.cols = [TAG, LOWER, DEP, IS_SPACE]
        self.single: list[tuple[int, dict]] = []  # (pattern number, token spec)
        self.double: list[tuple[int, dict, dict, int]] = []  # (number, first spec, second spec, index)
        for n, p in enumerate(ruler.patterns):
            for alt in p["patterns"]:
                if len(alt) == 1:
                    self.single.append((n, alt[0]))
                else:
                    self.double.append((n, alt[0], alt[1], p["index"]))
        self._singles = _Index([spec for _, spec in self.single])
        self._firsts = _Index([first for _, first, _, _ in self.double])
        self._short: dict[tuple, tuple[tuple[int, ...], tuple[int, ...], bool]] = {}
        self._sig: dict[tuple, tuple[tuple[int, ...], tuple[int, ...], bool]] = {}

    @staticmethod
    def supports(ruler) -> bool:
        """Only patterns of one or two tokens over the attributes in ``_READ``, with ==, IN, NOT_IN, REGEX,
        that set token attributes only (not a lexeme's: then the order across tokens would matter)."""
        from spacy.attrs import DEP, LEMMA, MORPH, POS, TAG

        if any(set(a) - {DEP, LEMMA, MORPH, POS, TAG} for a in getattr(ruler, "attrs", [])):
            return False
        for p in ruler.patterns:
            for alt in p["patterns"]:
                if len(alt) > 2 or (len(alt) == 2 and p["index"] not in (0, 1, -1, -2)):
                    return False
                for spec in alt:
                    for k, v in spec.items():
                        if k not in _READ or (isinstance(v, dict) and set(v) - {"IN", "NOT_IN", "REGEX"}):
                            return False
        return True

    def _match(self, sig: tuple) -> tuple[tuple[int, ...], tuple[int, ...], bool]:
        """(one-token pattern numbers that match, two-token patterns whose first token matches, whether a
        dependency test was skipped). With ``sig[2]`` None dependency tests pass (see ``_lookup``)."""
        singles = self._singles.matching(sig)
        firsts = self._firsts.matching(sig)
        reads_dep = [self.single[k][1] for k in singles] + [self.double[k][1] for k in firsts]
        skipped = sig[2] is None and any("DEP" in spec for spec in reads_dep)
        return tuple(sorted(self.single[k][0] for k in singles)), tuple(sorted(firsts)), skipped

    def _lookup(self, key: tuple) -> tuple[tuple[int, ...], tuple[int, ...], bool]:
        """Matches for a token signature (tag, lower, dep, space hashes). Cached by (tag, lower, space): a
        dependency enters the key only for the few tokens a dependency-reading pattern may match."""
        short = (key[0], key[1], key[3])
        got = self._short.get(short)
        if got is None:
            s = self.strings
            got = self._short[short] = self._match((s[key[0]], s[key[1]], None, bool(key[3])))
        if got[2]:
            full = self._sig.get(key)
            if full is None:
                s = self.strings
                full = self._sig[key] = self._match((s[key[0]], s[key[1]], s[key[2]], bool(key[3])))
            return full
        return got

    def __call__(self, doc):
        from spacy.tokens._retokenize import set_token_attrs

        keys = [tuple(r) for r in doc.to_array(self.cols).tolist()]
        s = self.strings
        per_token: list[list[int]] = []  # pattern numbers that set each token's attributes
        pairs: list[tuple[int, int]] = []  # (token, pattern number) of two-token matches
        for i, key in enumerate(keys):
            single, firsts, _ = self._lookup(key)
            per_token.append(list(single))
            if firsts and i + 1 < len(keys):
                nxt = keys[i + 1]
                sig2 = (s[nxt[0]], s[nxt[1]], s[nxt[2]], bool(nxt[3]))
                for k in firsts:
                    n, _, second, index = self.double[k]
                    if _token_test(second, sig2):
                        pairs.append((i + (index % 2), n))
        for i, n in pairs:
            per_token[i].append(n)
        attrs = self.ruler.attrs
        # spaCy applies all matches sorted by pattern number; the attributes set (POS, TAG, MORPH, LEMMA,
        # DEP) are the token's own, not its lexeme's, so only each token's own order matters
        for i, numbers in enumerate(per_token):
            if numbers:
                tok = doc[i]
                for n in sorted(numbers) if len(numbers) > 1 else numbers:
                    set_token_attrs(tok, attrs[n])
        return doc


class CachedLemmatizer:
    """spaCy's rule lemmatizer with every result cached by (form, POS, morphology), the key spaCy's own
    cache uses (spaCy skips its cache for base forms, which are most tokens), and its word index as sets
    (membership is all the lemmatizer asks of it)."""

    def __init__(self, lemmatizer):
        self.lemmatizer = lemmatizer
        self.cache: dict[tuple[int, int, int], str] = {}
        index = lemmatizer.lookups.get_table("lemma_index", {})
        for pos in list(index.keys()):  # spaCy tests "form in index[pos]" on a list of ~10^4 words
            if isinstance(index[pos], list):
                index[pos] = frozenset(index[pos])

    def __call__(self, doc):
        lem = self.lemmatizer
        cache = self.cache
        for token in doc:
            if lem.overwrite or token.lemma == 0:
                key = (token.orth, token.pos, token.morph.key)
                lemma = cache.get(key)
                if lemma is None:
                    lemma = cache[key] = lem.lemmatize(token)[0]
                token.lemma_ = lemma
        return doc


def compile_rules(nlp) -> None:
    """Swap the attribute ruler and the rule lemmatizer for their compiled equivalents (in place)."""
    from spacy.language import Language

    for name, wrap in (("attribute_ruler", CompiledRuler), ("lemmatizer", CachedLemmatizer)):
        if name not in nlp.pipe_names:
            continue
        stock = nlp.get_pipe(name)
        if wrap is CompiledRuler and not CompiledRuler.supports(stock):
            continue
        if wrap is CachedLemmatizer and getattr(stock, "mode", None) != "rule":
            continue
        factory = f"envoy_compiled_{name}"
        if not Language.has_factory(factory):
            Language.factory(factory, func=_factory)
        nlp.replace_pipe(name, factory)
        nlp.get_pipe(name).component = wrap(stock)


class _Slot:
    """A pipeline slot whose work is done by ``component`` (set right after ``replace_pipe``)."""

    def __init__(self) -> None:
        self.component = None

    def __call__(self, doc):
        return self.component(doc)


def _factory(nlp, name):
    return _Slot()


def numpy_blas():
    """A context in which a loaded model's layers multiply with numpy's BLAS (``NumpyOps(use_blis=False)``),
    with one BLAS thread per process: the coder scales by processes. In one process a second OpenBLAS thread
    made the parse 20 % faster for 43 % more CPU seconds; processes that fill the cores have none to spare."""
    from thinc.api import use_ops
    from threadpoolctl import threadpool_limits

    threadpool_limits(1, user_api="blas")
    return use_ops("numpy", use_blis=False)


@lru_cache(maxsize=8)
def load_nlp(model: str | None = None, compiled: bool = True):
    """Load (and cache) a spaCy pipeline; components the coder never reads are excluded. ``compiled``
    False keeps spaCy's own attribute ruler and lemmatizer (the benchmark's baseline, the tests' check)."""
    import spacy

    with numpy_blas():
        nlp = spacy.load(model or default_model())
    for p in [p for p in nlp.pipe_names if p not in KEEP]:
        nlp.remove_pipe(p)
    if compiled:
        compile_rules(nlp)
    nlp.max_length = max(nlp.max_length, 5_000_000)
    return nlp
