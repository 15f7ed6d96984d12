"""Numbers as people write them on pages and in documents: "3 a week", not "3.0 a week"; "1.5 a week" stays."""

from decimal import Decimal


def plain_number(value) -> str:
    """`value` (a whole number, a Decimal or a float) with no trailing zeros after the point and no exponent:
    3 and Decimal("3.0") give "3", Decimal("1.50") gives "1.5", 30 gives "30"; None or "" give ""."""
    if value is None or value == "":
        return ""
    number = Decimal(str(value))
    if number == 0:
        return "0"  # never "-0" or "0E+1"
    return format(number.normalize(), "f")
