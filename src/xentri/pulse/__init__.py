"""The Pulse: items per org at every level (strategy, category, sub-category, module), produced
from events by each category's producers, promoted upwards by judges, read per person.

What a category needs to register its producers (see docs/adr/0020-pulse.md)."""

from xentri.pulse.i18n import N_
from xentri.pulse.producers import Candidate, PulseDraft, PulseProducers

__all__ = ["N_", "Candidate", "PulseDraft", "PulseProducers"]
