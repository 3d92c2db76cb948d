"""Fuzzers: hypothesis strategies for cases, dates, CSV sheets and documents, a runner
that puts them through belie, and a short run in the suite (see run.py for the long one)."""
