"""The line to beat: the share of women in Sachsen-Anhalt's local councils today.

19.4 % = 139 women among the 718 members of the Kreistage and of the Stadträte of the
kreisfreie Städte (March 2022), from MDR SACHSEN-ANHALT's data analysis "Frauen sind in
Sachsen-Anhalts Kommunalpolitik deutlich unterrepräsentiert", 21 March 2022,
https://www.mdr.de/nachrichten/sachsen-anhalt/landespolitik/frauen-kommunal-politik-anteil-gering-102.html
(the figure ../shared/DESIGN.md quotes). For comparison, the state government counted
146 of 720 (about 20 %) in March 2023 (dpa via stern.de, 8 March 2023).
"""

from django.utils.translation import gettext_lazy as _

WOMEN_BASELINE_PERCENT = 19.4
WOMEN_BASELINE_LABEL = _(
    "19,4 % Frauen in den Kreistagen und Stadträten der kreisfreien Städte heute "
    "(139 von 718, MDR Sachsen-Anhalt, Datenanalyse vom 21.03.2022)"
)
WOMEN_BASELINE_SOURCE = (
    "https://www.mdr.de/nachrichten/sachsen-anhalt/landespolitik/"
    "frauen-kommunal-politik-anteil-gering-102.html"
)
