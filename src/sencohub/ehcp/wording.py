"""Section F wording that is not specific enough to be enforced.

Section F must be "detailed and specific" and normally quantified (SEND Code of Practice 9.69): what
provision, how much, how often, by whom. Phrases that leave it to someone's discretion are flagged with
the reason, so the SENCo can ask the LA to put them right before the plan is final. A deterministic list,
not a judgement: each flag says which words it found.
"""

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Flag:
    phrase: str
    reason: str
    excerpt: str


VAGUE = [
    (r"\baccess to\b", "“Access to” does not say how much the pupil will get, or how often."),
    (
        r"\bopportunit(?:y|ies) (?:for|to)\b",
        "“Opportunities for” does not commit anyone to provide anything.",
    ),
    (r"\bregular(?:ly)?\b", "“Regular” is not a frequency: say how many times a week or term."),
    (
        r"\bas (?:and when )?(?:required|needed|necessary|appropriate)\b",
        "Leaves it to someone's discretion: say when and how much.",
    ),
    (r"\bwhere (?:possible|appropriate|available)\b", "Makes the provision optional."),
    (r"\bif (?:possible|appropriate|available)\b", "Makes the provision optional."),
    (r"\bup to\b", "“Up to” allows anything down to none: give the amount to be provided."),
    (r"\b(?:may|might|could|should)\b", "Not a commitment: the plan should say what will be provided."),
    (r"\bsupport (?:from|with|for)\b(?![^.]*\b\d)", "Says who or what, but not how much or how often."),
    (r"\bsome\b", "“Some” is not an amount."),
    (r"\b(?:periodic|occasional)(?:ly)?\b", "Not a frequency: say how often."),
    (r"\bsmall group\b(?![^.]*\b\d)", "Gives no group size: say how many pupils."),
    (r"\bmonitor(?:ed|ing)?\b", "Monitoring is not provision: say what will be done and by whom."),
]
_PATTERNS = [(re.compile(p, re.IGNORECASE), reason) for p, reason in VAGUE]


def vague_phrases(text: str) -> list[Flag]:
    """Every vague phrase in `text`, in order, with a few words around it."""
    found = []
    for pattern, reason in _PATTERNS:
        for match in pattern.finditer(text):
            start, end = max(0, match.start() - 40), min(len(text), match.end() + 40)
            excerpt = ("…" if start else "") + text[start:end].strip() + ("…" if end < len(text) else "")
            found.append((match.start(), Flag(match.group(0), reason, excerpt)))
    return [flag for _, flag in sorted(found, key=lambda item: item[0])]
