"""Helpers shared by the project's own tests: sample tables and settings for the property tests
(``tables``), the model's independent view of keys and items (``oracle``), and the fuzzers' junk,
mutations and per-operation requests (``fuzz``, ``fuzz_requests``). Users' strategies are public, in
``aiodynamodb_fake.strategies``."""
