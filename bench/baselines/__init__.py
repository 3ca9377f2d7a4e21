"""Hand-written minimal handlers: the floor each function is compared with (see docs/performance.md)."""
