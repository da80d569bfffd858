"""Places: a gazetteer over GeoNames data from pinned packages, and the state a place belonged to on a day.

``gazetteer`` looks up city, ADM1 and country names (``lookup``); ``successions`` assigns a place the
country it belonged to on a given date (``country_on``). Data files live in ``data/``; docs/geo.md
describes them.
"""
