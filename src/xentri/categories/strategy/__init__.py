"""Strategy: the Universal Brief, its interview, goals and decisions."""
