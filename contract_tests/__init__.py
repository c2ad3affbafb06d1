"""Contract tests: Schemathesis holds the mock and the real service to openapi/tele2-ats.yaml.

Against the mock (`make contract`): the spec is read from the file, never from the server,
and tested in-process against the ASGI app and over HTTP against `tele2-ats-mock --port 0`,
with every built-in check plus this package's own (`checks.py`) and stateful sequences that
follow the spec's OpenAPI links. Against the real service (`make contract-real`): the
read-only, budgeted, rate-limited harness in `real/`, proven on every run against a mock
process on loopback (`test_real_harness.py`).
"""
