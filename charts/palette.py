"""Every colour of the charts, named by the role it plays: the one place a chart's colour is chosen.

Built on Okabe & Ito (2008)'s colour-blind-safe palette. Each role's colour is told apart from the
others it is shown with under every colour-vision deficiency, and marks that carry meaning keep at
least 3:1 against the white background (WCAG 2.1 SC 1.4.11).
"""

from __future__ import annotations

#: Okabe & Ito (2008) colour-blind-safe palette.
OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
BLUE, ORANGE, GREEN, PURPLE, SKY, VERMILLION, YELLOW, BLACK = OKABE_ITO

#: National (single-country) and regional (multi-country) money: Okabe-Ito blue and vermillion, told apart
#: with every colour-vision deficiency, each at least 3:1 against white (Okabe-Ito orange has only 2.25:1).
SCOPE = {"national": BLUE, "regional": VERMILLION}
#: One bar per EUTF window.
WINDOW = BLUE
#: One bar per EUTF strategic objective.
OBJECTIVE = BLUE
#: One bar per Valletta Action Plan domain.
DOMAIN = GREEN
#: One bar per theme.
THEME = PURPLE
#: One bar per OECD DAC sector (3.9:1 against white; apart from the objectives', domains' and themes' bars).
SECTOR = VERMILLION
#: Results coverage (share of the decisions' budget with a reported value).
COVERAGE = BLUE
#: Decisions approved, by year.
APPROVED = BLUE
#: Decisions without a date: grey, apart from the dated years (4.5:1 against white).
UNDATED = "#767676"
#: Decisions under implementation, by year.
RUNNING = VERMILLION
#: A figure read from the source to compare against (the communiqué's control totals).
REPORTED = VERMILLION
#: A reference line (the 100 % of a share).
REFERENCE_LINE = BLACK
#: Inferred amounts: hatching over the bar's own colour, never a colour of their own.
INFERRED_PATTERN = {"shape": "/", "fgcolor": "#ffffff", "size": 7, "solidity": 0.4, "fillmode": "overlay"}

#: Map: countries covered only by regional initiatives (no single-country amount to colour).
MAP_COVERED = "#d9d9d9"
#: Map: the sequential scale of single-country amounts (colour-blind safe; brightest on the largest amount).
MAP_SCALE = "Cividis"
MAP_COVERED_BORDER = "#666666"
MAP_BORDER = "#222222"
MAP_COUNTRY_LINE = "#999999"
MAP_LAND = "#f7f7f7"

#: Text, grid and axis greys of every chart's frame.
TEXT = "#1a1a1a"
FOOTER = "#444444"
NOTE = "#333333"
GRID = "#dddddd"
ZERO_LINE = "#888888"
