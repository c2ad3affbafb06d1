"""The PBX's rules, and nothing of the web: no module here imports Connexion, Starlette or Flask.

A kernel (errors, clock, timeutil, fields) that every part uses; four rooms, each a package
that says what it may import: storage (the SQLite store, the journal's tables, seeding), media
(recordings and transcripts), rules (the PBX as the guide describes it) and the test double
(fault rules, the request journal, advisories, forced call outcomes); and `pbx.py`, the
composition root that puts them together. tests/test_layers.py holds every module to its
room's rule and the whole package to no import circle.
"""
