"""The mock as a test double in other projects' test suites: a typed client of the control
API, a process runner and a pytest plugin (loaded through the `pytest11` entry point)."""
