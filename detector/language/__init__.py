"""The language rules of the 错敏 check, one pure module each, composed in ONE ordered list.

As Scrapy composes its middlewares, the word matcher (detector/words.py) builds every rule of `RULES`
from the loaded word-list entries, in this order: their terms share one automaton, and where two rules
report the same span the earlier one's finding is kept. Adding a rule means adding its module (a
`Rule` subclass, see base.py), its tests under tests/detector/language/, and one line here.
"""

from __future__ import annotations

from .approximate import ApproximateRule
from .base import Rule
from .edit import EditRule
from .formulations import FormulationRule
from .gazetteer import GazetteerRule
from .homophone import HomophoneRule
from .lexicon import ListRule
from .nearmiss import NearMissRule
from .renamed import RenamedRule
from .statistical import StatisticalRule
from .traditional import TraditionalRule

RULES: list[type[Rule]] = [
    ListRule,
    RenamedRule,
    FormulationRule,
    NearMissRule,
    EditRule,
    GazetteerRule,
    StatisticalRule,
    HomophoneRule,
    TraditionalRule,
    ApproximateRule,
]
