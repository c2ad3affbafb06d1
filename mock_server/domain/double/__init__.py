"""The test double: what the real PBX does not have and tests need. Fault rules, the request
journal and what its patterns and the rules match, fidelity advisories, forced call outcomes and
the calls placed while the mock runs, a token's claims read without trusting it. It may import
the kernel, every other room (storage, media, rules) and PyJWT; in the domain only `pbx.py`, the
composition root, imports it.
"""
