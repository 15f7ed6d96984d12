"""Pure rules with dates, codes and money: no Django imports here, so they can be read and tested alone."""
