"""Names an answer gives its actors: "G is like a forger", "the police (discriminator)".

Read by ``actors.py`` while it finds actor mentions; this module must not resolve subjects,
match phrasings or decide marks.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .actors import Actors, Mention

# Verbs that introduce what an actor is or is like ("G is like a forger", "D acts as a judge").
_COPULAS = frozenset(
    "is are was were be acts act serves serve works work plays play behaves".split()
)
_ALIAS_DETERMINERS = frozenset("a an the some".split())
# Verbs of making between "as" and the thing an actor is likened to ("as making a thumbnail").
_MAKING = frozenset("making creating taking producing building drawing".split())
# Nouns too general to name one actor ("the generator is a network").
_GENERIC_NOUNS = frozenset(
    """network networks net nets model models function functions module modules part parts
    component components system systems thing things way ways method methods player players
    role roles step steps layer layers neural deep kind sort type version example one ones
    """.split()
)


def answer_aliases(
    actors: Actors, mentions: list[Mention]
) -> tuple[dict[str, str], dict[int, str]]:
    """Names the answer gives its actors: (alias stem -> actor, mention start -> actor).

    "<actor> is like (a) Y", "<actor> as a Y", "<actor> is a [adjective] Y" and the
    parenthetical "Y (<actor>)" / "<actor> (Y)" make Y a name of the actor. When Y is itself
    another actor's word ("the generator is a binary classifier") that mention is the
    subject's. Generic nouns ("network", "model") and the rubric's own words are never
    aliases; a word claimed by two actors is dropped.
    """
    toks = actors.analysis.tokens
    by_start = {m.first: m for m in mentions}
    by_token = {t: m for m in mentions for t in m.tokens}
    claims: dict[str, set[str]] = {}
    relabel: dict[int, str] = {}

    def head_after(j: int, need_det: bool) -> int | None:
        """The head noun of a short noun phrase starting at token j."""
        k = j
        had_det = False
        while k < len(toks) and toks[k].norm in _ALIAS_DETERMINERS:
            k += 1
            had_det = True
        if need_det and not had_det:
            return None
        run: list[int] = []
        while k < len(toks) and len(run) < 3:
            t = toks[k]
            if t.sentence != toks[j].sentence or t.is_stop or t.is_cue:
                break
            if run and any(ch in t.gap_before for ch in ",;:.!?()[]"):
                break
            if k in by_token:
                m = by_token[k]
                return m.first if m.first == k else None
            run.append(k)
            k += 1
        if not run or len(run) > 2:
            return None
        return run[-1]

    def claim(head: int | None, name: str) -> None:
        if head is None:
            return
        if head in by_start:
            if by_start[head].name != name:
                relabel[head] = name
            return
        tok = toks[head]
        if (
            not tok.norm.isalpha()
            or len(tok.norm) < 3
            or tok.norm in _GENERIC_NOUNS
            or tok.stem in actors.words.vocab_stems
        ):
            return
        claims.setdefault(tok.stem, set()).add(name)

    for mention in mentions:
        first, last, name = mention
        # "<actor> is/acts/serves (like|as) (a) Y" and "think of <actor> as a Y"; not for
        # two actors together ("downsampling and upsampling are the encoder and decoder")
        j = last + 1 if not actors.coordinated(mention, mentions) else len(toks)
        copula = False
        while j < len(toks) and toks[j].norm in _COPULAS and j - last <= 3:
            copula = True
            j += 1
        if j < len(toks) and toks[j].sentence == toks[last].sentence:
            if toks[j].norm == "like":
                claim(head_after(j + 1, need_det=False), name)
            elif toks[j].norm == "as":
                head = head_after(j + 1, need_det=True)
                if head is None and j + 1 < len(toks) and toks[j + 1].norm in _MAKING:
                    # "think of downsampling as making a thumbnail of the photo"
                    head = head_after(j + 2, need_det=True)
                claim(head, name)
            elif copula and toks[j].norm in _ALIAS_DETERMINERS and toks[j].norm != "its":
                claim(head_after(j, need_det=True), name)
        # "<actor> (Y)"
        if (
            last + 1 < len(toks)
            and "(" in toks[last + 1].gap_before
            and actors.closes_paren(last + 1)
        ):
            claim(last + 1, name)
        # "Y (<actor>)"
        if (
            first > 0
            and "(" in toks[first].gap_before
            and actors.closes_paren(last)
            and not toks[first - 1].is_stop
            and len(toks[first - 1].norm) >= 4
        ):
            claim(first - 1, name)
    # A metaphor of one actor given to the other ("The generator is the critic, ..."): the word
    # names that actor for the whole answer ("... while the critic tries to catch the fakes").
    # Not an actor's own name ("D is a discriminator"), nor a word claimed both ways.
    given: dict[str, set[str]] = {}
    for head, name in relabel.items():
        mention = by_start[head]
        word = toks[head].norm
        if (mention.first == mention.last and len(word) > 1
                and word.rstrip("s") != mention.name):
            given.setdefault(toks[head].stem, set()).add(name)
    for mention in mentions:
        names = given.get(toks[mention.first].stem)
        if (mention.first == mention.last and mention.first not in relabel and names
                and len(names) == 1):
            relabel[mention.first] = next(iter(names))
    aliases = {stem: next(iter(names)) for stem, names in claims.items() if len(names) == 1}
    return aliases, relabel


__all__ = ["answer_aliases"]
