"""Who says so: source attribution and claim status for event clauses.

A source is the subject of a speech verb governing the event clause ("X said", "X told CNN",
"X reported that"), the object of "according to X", or, for sentences inside a quotation, the
speaker named right after the quotation closes. Short references ("the official", "Watson",
"he") are expanded to their first full mention in the article ("a Free Syrian Army official",
"CNN's Ivan Watson").
"""

from __future__ import annotations

import re
from pathlib import Path

from spacy.tokens import Doc, Span, Token

from geomap.nlp import doccache
from geomap.nlp.event_lexicon import DENIAL_VERBS, SPEECH_VERBS
from geomap.schema import read_table

__all__ = ["quote_regions", "find_source", "claim_status", "doc_verification_note"]

_OPEN = '“"‘'
_PRONOUNS = frozenset({"he", "she", "they", "it", "we", "i", "who"})
_SOURCE_DEPS = ("nsubj", "nsubjpass")


def quote_regions(doc: Doc, text: str | None = None) -> list[tuple[int, int]]:
    """Character ranges of quotations in ``doc.text`` (curly or straight double quotes).

    A linear scan: a curly quotation runs to its closing mark, a straight one to the next
    straight mark on the same line; an unclosed quotation ends at the paragraph break.
    """
    text = doccache.text(doc) if text is None else text
    regions = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "“" or ch == '"':
            close = "”" if ch == "“" else '"'
            j = i + 1
            while j < n and text[j] != close and not (text[j] == "\n" and (ch == '"' or text[j + 1 : j + 2] == "\n")):
                j += 1
            end = j + 1 if j < n and text[j] == close else j
            regions.append((i, end))
            i = max(end, i + 1)
        else:
            i += 1
    return regions


def _phrase(tok: Token) -> list[Token]:
    """The noun phrase headed by ``tok`` without trailing clauses ("Valerie Amos of the UN ...")."""
    doc = tok.doc
    right = tok.i
    for child in tok.rights:
        if child.dep_ in ("prep", "compound", "appos", "amod", "nmod", "poss") and child.dep_ != "relcl":
            if child.dep_ == "appos":
                continue
            right = max(right, child.right_edge.i)
    left = tok.left_edge.i
    # never across a line break (headlines and bylines above the sentence)
    for t in doc[left : tok.i]:
        if "\n" in t.text:
            left = t.i + 1
    toks = [t for t in doc[left : right + 1] if not t.is_punct or t.text in ("'", "’", "-", ".")]
    while toks and toks[-1].is_punct:
        toks.pop()
    return toks


_DATELINE = re.compile(r"^[A-Z][A-Z .,'-]*[A-Z]\s*(?:\([A-Za-z]+\)\s*[^\w\s]{0,3}|[—–-])\s+")


def _span_text(toks: list[Token]) -> str:
    if not toks:
        return ""
    doc = toks[0].doc
    text = doc[toks[0].i : toks[-1].i + 1].text.strip(" ,")
    # a wire dateline glued to the subject: "BEIRUT (AP) — A Kurdish militia spokesman"
    return _DATELINE.sub("", text) if _DATELINE.match(text) and len(_DATELINE.sub("", text)) > 3 else text


def _expand_reference(tok: Token, phrase: list[Token]) -> str:
    """Replace "the official" / "Watson" / "he" by the fullest earlier mention."""
    doc = tok.doc
    text = _span_text(phrase)
    low = tok.lower_
    if low in _PRONOUNS:
        return ""
    definite = phrase and phrase[0].lower_ in ("the", "this", "that")
    short_name = tok.pos_ == "PROPN" and len([t for t in phrase if t.pos_ == "PROPN"]) == 1
    if not (definite or short_name):
        return text
    index = doc.user_data.get("_geomap_lemmas")
    if index is None:
        index = {}
        for t in doc:
            index.setdefault(t.lemma_.lower(), []).append(t.i)
        doc.user_data["_geomap_lemmas"] = index
    for i in index.get(tok.lemma_.lower(), []):
        prev = doc[i]
        if prev.i >= phrase[0].i:
            break
        generic = prev.is_lower and prev.lemma_.lower() in _SOURCE_NOUNS
        earlier = _source_words(prev) if generic else doc[prev.left_edge.i : prev.i + 1]
        cand = _span_text(list(earlier))
        if (
            len(cand) > len(text)
            and not cand.lower().startswith(("the ", "this "))
            or (short_name and len(cand) > len(text))
        ):
            return cand
    return text


def _subject_of(verb: Token) -> Token | None:
    for child in verb.children:
        if child.dep_ in _SOURCE_DEPS:
            return child
    if verb.dep_ in ("conj", "advcl", "xcomp") and verb.head.pos_ in ("VERB", "AUX"):
        return _subject_of(verb.head)
    return None


def _according_to(sent: Span) -> str | None:
    for tok in sent:
        if tok.lower_ == "according" and tok.i + 1 < len(sent.doc) and sent.doc[tok.i + 1].lower_ == "to":
            to = sent.doc[tok.i + 1]
            for child in to.children:
                if child.dep_ == "pobj":
                    return _span_text(_phrase(child))
    return None


#: news outlets that pass on what others told them (the reporting chain "X, via Reuters"),
#: from lexicon/outlets.tsv
OUTLETS = frozenset(r["name"] for r in read_table(Path(__file__).with_name("lexicon") / "outlets.tsv"))


def outlet_name(tok: Token) -> str | None:
    """The news outlet a token heads ("Reuters", "The Associated Press"), else ``None``."""
    text = _span_text([t for t in tok.doc[tok.left_edge.i : tok.right_edge.i + 1] if not t.is_punct or t.text == "-"])
    low = text.lower()
    if low in OUTLETS or (low.startswith("the ") and low[4:] in OUTLETS):
        return text
    if tok.lower_ in OUTLETS and tok.pos_ == "PROPN":
        return tok.text
    return None


def _told_outlet(verb: Token) -> str | None:
    """ "residents told Reuters": the outlet the speaker talked to."""
    if verb.lemma_.lower() not in ("tell", "say"):
        return None
    for c in verb.children:
        if c.dep_ in ("dobj", "dative", "iobj"):
            return outlet_name(c)
        if c.dep_ == "prep" and c.lower_ == "to":  # "said to AFP"
            for cc in c.children:
                if cc.dep_ == "pobj":
                    return outlet_name(cc)
    return None


def _tail_subject(verb: Token) -> list[Token]:
    """ ", the Syrian Observatory for Human Rights said.": the phrase between the last comma and
    a sentence-final speech verb the parser left without a subject (it hung the name on a noun
    earlier in the sentence)."""
    doc = verb.doc
    toks: list[Token] = []
    i = verb.i - 1
    while i >= 0 and doc[i].text not in (",", ";", "\n", "—", "–") and len(toks) < 12:
        toks.insert(0, doc[i])
        i -= 1
    if i < 0 or doc[i].text != "," or not toks:
        return []
    nxt = doc[verb.i + 1] if verb.i + 1 < len(doc) else None
    if nxt is not None and not (nxt.is_punct or nxt.like_num or nxt.ent_type_ in ("DATE", "TIME")):
        return []
    if any(t.pos_ in ("VERB", "AUX") for t in toks) or not any(t.pos_ in ("NOUN", "PROPN") for t in toks):
        return []
    return toks


#: nouns that head a source phrase (lexicon/source_nouns.tsv)
_SOURCE_NOUNS = frozenset(r["lemma"] for r in read_table(Path(__file__).with_name("lexicon") / "source_nouns.tsv"))


def _in_place(tok: Token) -> bool:
    """Whether the token lies in a place the place recogniser found (a town the model tagged ORG)."""
    return any(p.start <= tok.i < p.end for p in (tok.doc._.places or []))


def _source_words(head: Token) -> list[Token]:
    """A generic source noun with the words that qualify it right before it: adjectives and one
    noun ("Syrian military sources", "security sources"), else the named organisation that ends
    there ("the Levant Rights Watch monitoring group"). Texts that lost their commas glue the end
    of the clause before to it ("border raid police sources", "shelled Homs military sources"):
    those words are not the source's."""
    doc = head.doc
    start, nouns = head.i, 0
    while start > 0:
        prev = doc[start - 1]
        adjective = prev.pos_ == "ADJ" or (prev.tag_ == "VBN" and prev.dep_ == "amod")  # "informed sources"
        # adjectives come before a compound noun ("Syrian security sources"), so a noun before an
        # adjective belongs to another phrase ("seized two tanks military sources")
        if adjective or (prev.pos_ == "NOUN" and prev.is_lower and nouns == 0 and start == head.i):
            nouns += prev.pos_ == "NOUN"
            start -= 1
            continue
        if prev.ent_type_ == "ORG" and prev.ent_iob_ in ("I", "B") and not _in_place(prev):
            # "the Levant Rights Watch monitoring group", "The Coastal Herald correspondent"
            start = next(e.start for e in doc.ents if e.start <= prev.i < e.end)
        break
    # "The Coastal Herald correspondent", "The Morning Post reporter": a capitalised name opened by "The"
    for k in range(start - 1, max(start - 5, -1), -1):
        if not doc[k].is_title:
            break
        if doc[k].text == "The":
            start = k
            break
    if start > 0 and (doc[start - 1].pos_ in ("DET", "NUM") or doc[start - 1].lower_ == "the"):
        start -= 1  # "a monitoring group", "two residents"
    return list(doc[start : head.i + 1])


def _adjacent_source(verb: Token) -> list[Token]:
    """ "... security sources said": the source phrase ending right before a speech verb the parser
    gave no subject of its own (it borrowed the event clause's doer, or none)."""
    if any(c.dep_ in _SOURCE_DEPS for c in verb.children) or verb.i == 0:
        return []
    prev = verb.doc[verb.i - 1]
    if prev.pos_ not in ("NOUN", "PROPN") or prev.lemma_.lower() not in _SOURCE_NOUNS:
        return []
    return _source_words(prev)


def _glued(subj: Token, verb: Token) -> bool:
    """The parser's subject of a speech verb ran back over the clause before: two or more nouns,
    or a place's name, before a generic source noun that ends right before the verb ("a joint
    border guard raid police sources said", "seized two tanks military sources said");
    "Opposition activists said" keeps its subject whole."""
    if subj.i != verb.i - 1:
        return False
    words = [t for t in _phrase(subj) if t.i < subj.i]
    nouns = [t for t in words if t.pos_ in ("NOUN", "PROPN")]
    # "seized two tanks military sources said": a number opens the object glued before
    return len(nouns) >= 2 or any(t.ent_type_ in ("GPE", "LOC", "FAC") or t.like_num for t in words)


def _speech_source(verb: Token) -> tuple[str | None, Token | None]:
    adjacent = _adjacent_source(verb)
    if adjacent:
        return _span_text(adjacent), adjacent[-1]
    subj = _subject_of(verb)
    if subj is not None and subj.is_lower and subj.lemma_.lower() in _SOURCE_NOUNS and _glued(subj, verb):
        # "... in a joint army and police border raid police sources said": the parser's subject ran back
        # over the clause before
        trimmed = _source_words(subj)
        if len(trimmed) < len(_phrase(subj)):
            return _span_text(trimmed), subj
    if subj is None:
        tail = _tail_subject(verb)
        if not tail:
            return None, None
        return _span_text(tail), tail[-1]
    phrase = _phrase(subj)
    # "state news agency SANA reported": the parser splits one name into two subjects
    subjects = [c for c in verb.children if c.dep_ in _SOURCE_DEPS]
    if len(subjects) > 1 and subjects[0] is not None and subjects[1].left_edge.i == subjects[0].right_edge.i + 1:
        phrase = _phrase(subjects[0]) + [t for t in _phrase(subjects[1]) if t.i > subjects[0].right_edge.i]
    text = _expand_reference(subj, phrase)
    outlet = _told_outlet(verb)
    if text and outlet and outlet.lower() not in text.lower():
        text = f"{text}, via {outlet}"
    return (text or None), subj


def find_source(
    trigger: Token, sent: Span, quote_speaker: str | None, last_source: str | None
) -> tuple[str | None, Token | None]:
    """The source of the clause holding ``trigger``.

    Parameters
    ----------
    trigger : Token
        The event's trigger word.
    sent : Span
        Its sentence.
    quote_speaker : str or None
        The speaker of the quotation the sentence sits in, if any.
    last_source : str or None
        The previous sentence's source, for pronouns ("he said").

    Returns
    -------
    (str or None, Token or None)
        The source phrase and the speech verb it came from.
    """
    # 1. a speech verb governing the trigger
    for anc in trigger.ancestors:
        if not (sent.start <= anc.i < sent.end):
            break
        if anc.lemma_.lower() in SPEECH_VERBS and anc.pos_ in ("VERB", "AUX"):
            text, subj = _speech_source(anc)
            if subj is not None and subj.lower_ in _PRONOUNS:
                return (quote_speaker or last_source), anc
            if text and not _contains(subj, trigger):
                return text, anc
    # 2. "according to X"
    acc = _according_to(sent)
    if acc:
        return acc, None
    # 3. a parenthetical speech verb elsewhere in the sentence ("..., Reuters reports.")
    for tok in sent:
        if (
            tok.lemma_.lower() in SPEECH_VERBS
            and tok.pos_ == "VERB"
            and tok.i != trigger.i
            and not _contains(tok, trigger)
        ):
            if tok.dep_ in ("ROOT", "parataxis", "conj", "ccomp") and tok.i > trigger.i:
                text, subj = _speech_source(tok)
                if subj is not None and subj.lower_ in _PRONOUNS:
                    return (quote_speaker or last_source), tok
                if text:
                    return text, tok
    if quote_speaker:
        return quote_speaker, None
    return None, None


def _contains(head: Token | None, tok: Token) -> bool:
    if head is None:
        return False
    return head.left_edge.i <= tok.i <= head.right_edge.i and (tok is head or head in tok.ancestors)


def _token_at(doc: Doc, char: int) -> int:
    """Index of the first token starting at or after ``char``."""
    import bisect

    return bisect.bisect_left(doccache.token_starts(doc), char)


def quote_speaker(doc: Doc, region: tuple[int, int]) -> str | None:
    """The speaker named right after (or right before) a quotation."""
    start, end = region
    first = _token_at(doc, end)
    for tok in doc[first : min(len(doc), first + 12)]:
        if tok.lemma_.lower() in SPEECH_VERBS and tok.pos_ == "VERB":
            text, subj = _speech_source(tok)
            if subj is not None and subj.lower_ in _PRONOUNS:
                # "..., he said": the speaker was named before the quotation.
                return _speaker_before(doc, start)
            if text:
                return text
        if tok.text in (".", "\n") and tok.i > first + 1:
            break
    return _speaker_before(doc, start)


def _speaker_before(doc: Doc, start: int) -> str | None:
    last = _token_at(doc, start)
    for tok in reversed(doc[max(0, last - 30) : last]):
        if "\n" in tok.text:
            break
        if tok.lemma_.lower() in SPEECH_VERBS and tok.pos_ == "VERB":
            text, subj = _speech_source(tok)
            return text
    return None


def claim_status(
    sent: Span, next_sent: Span | None, source_verb: Token | None, source: str | None, trigger: Token | None = None
) -> str:
    """reported / disputed / denied / confirmed for a clause in ``sent``.

    "activists denied the reports" after a state-media claim -> disputed (another party);
    "the army denied that..." where the army is the clause's own source -> denied;
    "X confirmed" -> confirmed.
    """
    if source_verb is not None:
        lemma = source_verb.lemma_.lower()
        if lemma in DENIAL_VERBS:
            return "denied"
        if lemma in ("confirm", "verify"):
            return "confirmed"
    for s in (sent, next_sent):
        if s is None:
            continue
        for tok in s:
            if tok.lemma_.lower() in DENIAL_VERBS and tok.pos_ == "VERB" and tok is not source_verb:
                if trigger is not None and (trigger is tok or tok in trigger.ancestors):
                    continue  # the denier's own account is not what is denied
                objs = [c for c in tok.children if c.dep_ in ("dobj", "ccomp")]
                about_reports = any(
                    o.lemma_.lower() in ("report", "claim", "account", "allegation", "statement") for o in objs
                )
                if s is sent or (about_reports and tok.i - s.start < 6):
                    return "disputed"
    return "reported"


_CAVEAT = re.compile(
    r"\b(?:cannot|could not|can't|couldn't|(?:was|is|were|are) unable to)\s+(?:be\s+)?independently\s+"
    r"(?:confirm|verify|verified|confirmed)",
    re.I,
)


def doc_verification_note(doc: Doc, text: str | None = None) -> str | None:
    """The outlet's caveat ("CNN cannot independently confirm reports...") if the text has one."""
    text = doccache.text(doc) if text is None else text  # Doc.text is rebuilt on each access
    m = _CAVEAT.search(text)
    if not m:
        return None
    start = max(text.rfind(".", 0, m.start()), text.rfind("\n", 0, m.start())) + 1
    stops = [i for i in (text.find(".", m.end()), text.find("\n", m.end())) if i != -1]
    end = min(stops) + 1 if stops else len(text)
    return text[start:end].strip()
