"""Statistical disclosure control: what a person who may not see pupils (a governor, the reader of an anonymised
export) is shown of a count of people.

The DfE's statistics, like all official statistics, protect the people behind small counts (Code of Practice for
Statistics, T6.4; the Government Statistical Service's "Disclosure control guidance for tables produced from
administrative sources"). Its tables show a small count as "c" ("confidential", in the symbols of the DfE's
explore education statistics service) and hide a second figure where the first could otherwise be worked out
from a total ("secondary suppression"). The rule here, for every figure a governor sees:

- a count from 1 to 4 is never shown;
- in a group whose total a reader knows or can work out, the hidden counts are never one alone, they hide at least
  5 between them, and they are not all 1s, so subtracting the shown counts from the total gives away no hidden
  count and no small number;
- when the group's total is itself hidden, every count in it other than 0 is hidden too, so adding the group up
  cannot give the total away;
- 0 is shown: it names no one.
"""

from collections.abc import Sequence
from typing import TypeVar

SUPPRESS_BELOW = 5
SUPPRESSED = "c"
IN_WORDS = "fewer than 5"  # how a hidden count reads in a sentence

Label = TypeVar("Label")


def is_small(n: int) -> bool:
    return 0 < n < SUPPRESS_BELOW


def count(n: int) -> int | str:
    """One count on its own: shown unless it is from 1 to 4."""
    return SUPPRESSED if is_small(n) else n


def count_in_words(n: int) -> str:
    """One count for a sentence: "none", "fewer than 5" or the number."""
    return "none" if n == 0 else (IN_WORDS if is_small(n) else str(n))


def suppress(
    group: Sequence[tuple[Label, int]], *, total_hidden: bool = False
) -> list[tuple[Label, int | str]]:
    """The counts of a group (for example pupils by area of need) as they may be shown: each kept, or "c".

    `total_hidden` says the group's total is hidden where it is shown (a count from 1 to 4, or hidden to protect
    another): then no count other than 0 is shown, so the group cannot be added up to find it."""
    return suppress_with_total(group, total_hidden=total_hidden)[0]


def suppress_with_total(
    group: Sequence[tuple[Label, int]], *, total_hidden: bool = False
) -> tuple[list[tuple[Label, int | str]], int | str]:
    """As `suppress`, with the group's total as it may be shown beside it: hidden when it is from 1 to 4, when
    `total_hidden` says so, or when the counts hidden in the group could otherwise be worked out from it (five 1s
    and a total of 5)."""
    total = sum(n for _, n in group)
    total_hidden = total_hidden or is_small(total)
    hidden = {i for i, (_, n) in enumerate(group) if is_small(n) or (total_hidden and n > 0)}

    def exposed() -> bool:
        if not hidden:
            return False
        hidden_total = sum(group[i][1] for i in hidden)
        return len(hidden) == 1 or hidden_total < SUPPRESS_BELOW or hidden_total == len(hidden)

    while exposed():
        # Hide the smallest count still shown (never a 0, which would hide nothing).
        shown = sorted((n, i) for i, (_, n) in enumerate(group) if i not in hidden and n > 0)
        if not shown:
            total_hidden = True  # every count but the 0s is hidden, and the total alone would give them away
            break
        hidden.add(shown[0][1])
    cells = [(label, SUPPRESSED if i in hidden else n) for i, (label, n) in enumerate(group)]
    return cells, SUPPRESSED if total_hidden else total


def percent(part: int | str, whole: int | str, value: float) -> float | str:
    """A percentage shown only when both of the counts it comes from are shown (otherwise it gives one away)."""
    return SUPPRESSED if SUPPRESSED in (part, whole) else value
