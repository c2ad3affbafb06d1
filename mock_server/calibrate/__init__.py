"""Calibration against production: each decision's probe (`probe` in the spec's `x-decisions`)
sent to the live service and to a mock started for the run, compared, and a verdict per decision.

- `probes.py`: the probes as the spec declares them;
- `observe.py`: what an answer shows (pure: answers in, observations out);
- `report.py`: verdicts, the shape of production's answers, fidelity, the redacted report;
- `run.py`: the transport (the guarded one of `mock_server/real/` for the target);
- `apply.py` and `command.py`: `tele2-ats-mock calibrate [apply]`.
"""
