"""Impact of provision: pure arithmetic over entry and exit measures, checked against hand-worked examples.

- Average change: the mean of (exit - entry) over pupils with both measures.
- Ratio gain, for age-based measures (reading or spelling age in months): months gained / months elapsed,
  for the group the mean gain over the mean time elapsed. 1 is ordinary progress; 2 or more is useful, 4 or
  more substantial (Brooks, "What works for children and young people with literacy difficulties?").
- Effect size: Cohen's d, the change in means over the pooled standard deviation of entry and exit (sample
  standard deviations), given when at least 2 pupils have both measures and the scores vary; its 95%
  confidence interval, d ± 1.96 x sqrt(2/n + d²/(4n)), when at least 5 pupils do. Small groups give wide
  intervals: that is the point of showing them.
"""

import math
from dataclasses import dataclass
from statistics import mean, stdev

MIN_FOR_EFFECT = 2
MIN_FOR_INTERVAL = 5
Z95 = 1.96


@dataclass(frozen=True)
class Impact:
    n: int
    average_change: float | None
    ratio_gain: float | None
    effect_size: float | None
    interval: tuple[float, float] | None


def ratio_gain(months_gained: list[float], months_elapsed: list[float]) -> float | None:
    elapsed = mean(months_elapsed) if months_elapsed else 0
    if not months_gained or elapsed <= 0:
        return None
    return mean(months_gained) / elapsed


def effect_size(entry: list[float], exit_: list[float]) -> tuple[float | None, tuple[float, float] | None]:
    n = len(entry)
    if n != len(exit_):
        raise ValueError("every pupil needs an entry and an exit measure")
    if n < MIN_FOR_EFFECT:
        return None, None
    pooled = math.sqrt((stdev(entry) ** 2 + stdev(exit_) ** 2) / 2)
    if pooled == 0:
        return None, None
    d = (mean(exit_) - mean(entry)) / pooled
    if n < MIN_FOR_INTERVAL:
        return d, None
    half = Z95 * math.sqrt(2 / n + d * d / (4 * n))
    return d, (d - half, d + half)


def impact(pairs: list[tuple[float, float]], months_elapsed: list[float] | None = None) -> Impact:
    """`pairs` are (entry, exit) for each pupil with both; `months_elapsed` only for age-based measures."""
    if not pairs:
        return Impact(0, None, None, None, None)
    entry, exit_ = [a for a, _ in pairs], [b for _, b in pairs]
    d, interval = effect_size(entry, exit_)
    gains = [b - a for a, b in pairs]
    return Impact(
        len(pairs), mean(gains), ratio_gain(gains, months_elapsed) if months_elapsed else None, d, interval
    )
