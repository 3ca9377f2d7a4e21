"""The performance benchmark: cold start, warm overhead and package size against hand-written floors."""
