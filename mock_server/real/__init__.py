"""The guarded way to the real service: configuration, the transport guard, token pairs and
redaction, shared by the real-service contract run (contract_tests/real/) and `tele2-ats-mock
calibrate` (mock_server/calibrate/), which a vendor runs from the wheel."""
