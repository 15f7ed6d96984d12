"""National comparisons say what they are (STATUTORY.md section 11): need shares of all EHC plans, ages 0-25, from
the DfE's 2025 release, read from the copy kept in the package and checked here against the release file."""

import csv
from pathlib import Path

import pytest

from sencohub.statutory import national

# The shared data sits beside the checkout (../shared/data), not in it, wherever the checkout is cloned.
_IN_SHARED = Path("shared", "data", "ehcp_stats_2025", "sen_needs_all_plans__national_only.csv")
RELEASE = next((f / _IN_SHARED for f in Path(__file__).resolve().parents if (f / _IN_SHARED).exists()), _IN_SHARED)


def test_the_need_shares_are_the_dfe_2025_figures():
    # STATUTORY.md section 11, from the release: SLD 4.0% and SPLD 2.3% (not 3.9% and 2.4%), and "not known" 0.8%.
    shares = national.EHC_PRIMARY_NEED_PERCENT_WITH_NOT_KNOWN
    assert shares == {
        "ASD": 31.5, "SLCN": 21.3, "SEMH": 20.7, "MLD": 10.6, "SLD": 4.0, "PD": 3.9, "SPLD": 2.3, "HI": 1.4,
        "PMLD": 1.3, "OTH": 1.2, "VI": 0.8, "MSI": 0.3, national.NOT_KNOWN: 0.8,
    }  # fmt: skip
    assert list(shares)[-1] == national.NOT_KNOWN
    assert national.NOT_KNOWN not in national.EHC_PRIMARY_NEED_PERCENT


def test_the_source_says_these_are_all_ehc_plans_aged_0_to_25_not_the_census():
    assert "ages 0 to 25" in national.EHC_NEEDS_SOURCE and "SEN2" in national.EHC_NEEDS_SOURCE
    assert "not school census figures" in national.EHC_NEEDS_SOURCE


@pytest.mark.skipif(not RELEASE.exists(), reason="the DfE release file is kept outside the repository")
def test_the_copy_in_the_package_matches_the_release_file():
    with RELEASE.open(encoding="utf-8") as f:
        england = next(r for r in csv.DictReader(f) if r["geographic_level"] == "National" and r["breakdown"] == "All EHC plans")
    assert int(england["ehc_plans"]) == national.EHC_PLANS_MAINTAINED
    for code, share in national.EHC_PRIMARY_NEED_PERCENT_WITH_NOT_KNOWN.items():
        column = "unknown_pc" if code == national.NOT_KNOWN else f"{code.lower()}_pc"
        assert float(england[column]) == share, code
        counted = "number_need_unknown" if code == national.NOT_KNOWN else f"number_{code.lower()}"
        assert round(100 * int(england[counted]) / int(england["ehc_plans"]), 1) == share, code
