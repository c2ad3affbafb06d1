"""Install the built wheels into a fresh venv outside the repository and use them as a vendor.

`make dist-check` (run by CI): with the wheels of `make dist` in `dist/`, this creates a
virtual environment in a temporary folder (not under the repository, so nothing of the
checkout can be imported by accident), installs the mock's wheel and the client's wheel into
it, and from that folder:

1. starts `tele2-ats-mock --port 0 --ready-file ...`, calls the documented API and the control
   API with what the ready file says, and stops it with SIGTERM (it must end with status 0);
2. runs a vendor's test file that uses the pytest plugin's fixtures (`tele2_ats`,
   `tele2_ats_mock`) and the client, with pytest installed from PyPI, and a tenant file of
   theirs: checked against the JSON Schema the wheel carries
   (`mock_server/openapi/tele2-ats-tenant.schema.json`) and loaded through the plugin's marker.

The mock from the wheel answers the guide's company (391) from the tenant file the wheel
carries (`mock_server/tenants/guide-391.json`): its manager 26 is checked in step 1.

Only loopback traffic, besides pip's downloads from the package index.
"""

from __future__ import annotations

import argparse
import json
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOW = "2026-03-04T15:00:00+03:00"
VENDOR_TEST = """
import httpx
import pytest
from tele2_ats_client.api.employees import get_employees


def test_the_plugin_gives_a_company_of_my_own(tele2_ats):
    with tele2_ats.client() as client:
        assert get_employees.sync(client=client)


def test_its_clock_is_mine(tele2_ats):
    tele2_ats.advance(86400)
    answer = httpx.get(tele2_ats.api_url + "/employees", headers=tele2_ats.headers)
    assert answer.json() == {"details": "The token is expired"}


def test_my_tenant_file_keeps_the_schema_the_wheel_carries():
    import json, yaml, jsonschema
    from mock_server.specs import spec_path

    schema = json.loads(spec_path("tele2-ats-tenant.schema.json").read_text())
    with open("tenant.yaml", encoding="utf-8") as file:
        jsonschema.Draft7Validator(schema).validate(yaml.safe_load(file))


@pytest.mark.tele2_ats(tenant="tenant.yaml")
def test_my_customers_company(tele2_ats):
    answer = httpx.get(tele2_ats.api_url + "/employees", headers=tele2_ats.headers)
    assert [e["name"] for e in answer.json()] == ["Анна", "Борис"]
"""
TENANT = """\
format: tele2-ats-tenant/1
employees:
  - {employeeId: 1, name: Анна, fullNumber: "79160000001", shortNumber: "0001"}
  - {employeeId: 2, name: Борис, fullNumber: "79160000002", shortNumber: "0002"}
"""


def step(message: str) -> None:
    print(f"dist-check: {message}", flush=True)


def run(*command: str | Path, cwd: Path) -> None:
    subprocess.run([str(c) for c in command], cwd=cwd, check=True)


def wheel(folder: Path, name: str) -> Path:
    found = sorted(folder.glob(f"{name}-*.whl"))
    if not found:
        sys.exit(f"dist-check: no {name} wheel in {folder}: run `make dist` first")
    return found[-1]


def get(url: str, token: str | None = None) -> tuple[int, object]:
    request = urllib.request.Request(url, headers={"Authorization": token} if token else {})
    with urllib.request.urlopen(request, timeout=30) as answer:  # loopback only
        return answer.status, json.loads(answer.read())


def check_the_server(venv: Path, work: Path) -> None:
    ready_file = work / "ready.json"
    log = (work / "mock.log").open("wb")
    mock = subprocess.Popen(
        [venv / "bin" / "tele2-ats-mock", "--port", "0", "--ready-file", ready_file],
        cwd=work,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 90
        while not ready_file.exists():
            if mock.poll() is not None or time.monotonic() > deadline:
                sys.exit(f"dist-check: the mock did not start:\n{(work / 'mock.log').read_text()}")
            time.sleep(0.1)
        ready = json.loads(ready_file.read_text())
        step(f"the mock from the wheel serves on port {ready['port']} (pid {ready['pid']})")
        status, employees = get(ready["apiUrl"] + "/employees", ready["accessToken"])
        if status != 200 or not isinstance(employees, list) or not employees:
            sys.exit(f"dist-check: GET /employees answered {status}: {employees!r}")
        status, health = get(ready["controlUrl"] + "/health")
        if status != 200 or not isinstance(health, dict):
            sys.exit(f"dist-check: GET /mock/health answered {status}: {health!r}")
        step(f"GET /employees: {len(employees)} employees; GET /mock/health: {health['status']}")
        status, managers = get(ready["apiUrl"] + "/managers", ready["accessToken"])
        ids = [m.get("id") for m in managers] if isinstance(managers, list) else []
        if status != 200 or 26 not in ids:
            sys.exit(f"dist-check: GET /managers answered {status} without the guide's 26: {ids}")
        step("GET /managers: the guide's manager 26, from the tenant file the wheel carries")
        mock.send_signal(signal.SIGTERM)
        code = mock.wait(timeout=30)
        if code != 0:
            sys.exit(f"dist-check: SIGTERM ended the mock with status {code}, not 0")
        step("SIGTERM: the mock ended with status 0")
    finally:
        if mock.poll() is None:
            mock.kill()
        log.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="where the wheels are")
    args = parser.parse_args()
    mock_wheel = wheel(args.dist.resolve(), "tele2_ats_mock")
    client_wheel = wheel(args.dist.resolve(), "tele2_ats_client")
    with tempfile.TemporaryDirectory(prefix="tele2-ats-dist-check-") as tmp:
        work = Path(tmp)
        venv = work / "venv"
        step(f"a fresh venv in {venv}")
        run(sys.executable, "-m", "venv", venv, cwd=work)
        pip: list[str | Path] = [venv / "bin" / "python", "-m", "pip", "install", "--quiet"]
        step(f"pip install {mock_wheel.name} {client_wheel.name} pytest")
        run(*pip, mock_wheel, client_wheel, "pytest", cwd=work)
        check_the_server(venv, work)
        (work / "test_vendor.py").write_text(textwrap.dedent(VENDOR_TEST), encoding="utf-8")
        (work / "tenant.yaml").write_text(TENANT, encoding="utf-8")
        step("a vendor's tests with the pytest plugin")
        run(venv / "bin" / "python", "-m", "pytest", "-q", "--tele2-ats-now", NOW, cwd=work)
    step("ok")


if __name__ == "__main__":
    main()
