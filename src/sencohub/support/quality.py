"""A deterministic, explained check of a support plan: each flag names the rule and says why it matters.

Pure functions over plain values, so the rules can be read and tested on their own. The rules are listed
on the help page (`RULES`), in the order they are checked.
"""

import re
from dataclasses import dataclass

RULES = [
    (
        "no-outcomes",
        "The plan has no outcomes",
        "Without outcomes nobody can tell at the review whether the support worked.",
    ),
    (
        "no-criteria",
        "An outcome has no success criteria",
        "Say how you will know it is achieved: what the pupil will do, how often, how well.",
    ),
    (
        "no-measure",
        "An outcome has no measure",
        "Give a number, a score, an age or a count (for example ‘reads 40 words a minute’), "
        "or a baseline and a target.",
    ),
    ("no-date", "An outcome has no date", "Say by when, so the review can judge it."),
    (
        "vague-outcome",
        "An outcome is only a direction",
        "Words such as ‘improve’, ‘develop’ or ‘work on’ say which way, not how far: add the measure.",
    ),
    (
        "no-owner",
        "A strategy has no owner",
        "Say who uses it (class teacher, TA, all staff), so someone does.",
    ),
    ("no-frequency", "Provision has no frequency", "Say how many sessions a week."),
    ("no-duration", "Provision has no duration", "Say how many minutes a session."),
]
_RULE_TEXT = {key: (title, why) for key, title, why in RULES}

_NUMBER = re.compile(r"\d")
_DIRECTION = re.compile(
    r"\b(improve|develop|increase|better|work on|support|encourage|continue to|more confident)\w*", re.I
)


@dataclass(frozen=True)
class Flag:
    rule: str
    part: str  # "plan", "outcome", "strategy" or "provision"
    item: str  # the words it is about, shortened
    title: str
    why: str


def _flag(rule: str, part: str, item: str) -> Flag:
    title, why = _RULE_TEXT[rule]
    return Flag(rule, part, item[:90] + ("…" if len(item) > 90 else ""), title, why)


def check_outcome(what: str, success_criteria: str, baseline: str, target: str, by_when) -> list[Flag]:
    flags = []
    text = " ".join([what, success_criteria, baseline, target])
    if not success_criteria.strip():
        flags.append(_flag("no-criteria", "outcome", what))
    if not _NUMBER.search(text) and not (baseline.strip() and target.strip()):
        flags.append(_flag("no-measure", "outcome", what))
    if by_when is None:
        flags.append(_flag("no-date", "outcome", what))
    if _DIRECTION.search(what) and not _NUMBER.search(what + " " + target + " " + success_criteria):
        flags.append(_flag("vague-outcome", "outcome", what))
    return flags


def check_plan(outcomes, strategies, provisions) -> list[Flag]:
    """`outcomes`, `strategies` and `provisions` are objects with the support models' fields."""
    flags: list[Flag] = []
    if not outcomes:
        flags.append(_flag("no-outcomes", "plan", "this plan"))
    for o in outcomes:
        flags += check_outcome(o.what, o.success_criteria, o.baseline, o.target, o.by_when)
    for s in strategies:
        if not s.owner.strip():
            flags.append(_flag("no-owner", "strategy", s.text))
    for p in provisions:
        if p.sessions_per_week is None:
            flags.append(_flag("no-frequency", "provision", p.description))
        if p.minutes is None:
            flags.append(_flag("no-duration", "provision", p.description))
    return flags
