"""Benchmarks: each module here with a ``main(argv) -> int`` prints its own figures."""
