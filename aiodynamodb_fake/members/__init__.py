"""Declarative request shapes: one table of members per operation, and one engine that checks them.

``kinds.py`` writes DynamoDB's SerializationException texts (the one place they are written);
``rules.py`` the constraint rules; ``engine.py`` the member kinds and ``check_request``, which runs a
table against a request in DynamoDB's order; the other modules declare the tables, one family each
(``items``, ``reads``, ``batches``, ``transactions``, ``tables``, ``create_table``). Import from
those modules: this package module imports nothing, so ``shapes`` and ``values`` can use ``kinds``
without a cycle.
"""
