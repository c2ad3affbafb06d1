"""The contract tests against the real service (`make contract-real`), and their guards."""
