"""Deterministic seed data per company: the same (seed, company) always gives the same PBX.

Names, e-mails and client companies come from Faker's ru_RU locale; every random choice is
drawn from a `random.Random` keyed by the seed, the company's profile and the kind of data, so
adding a company later (a new tenant asked for through the control API) does not change the
others. A company's profile is its own id, but for a tenant made by `POST /mock/companies`
without an id: those are drawn from one profile (`TENANT_PROFILE`), so that each is a copy of
one template with its own ids (storage/templates.py). The profile is kept (`company_profiles`)
where it is not the id.
"""

from __future__ import annotations

import random
import sqlite3
from dataclasses import dataclass

from faker import Faker

__all__ = [
    "DEPARTMENTS",
    "GUIDE_COMPANY_ID",
    "QUEUE_NAMES",
    "SeededEmployee",
    "company_main_number",
    "company_profile",
    "rng_for",
    "seed_company",
]

DEPARTMENTS = ("Отдел продаж", "Служба поддержки", "Бухгалтерия", "Логистика", "Руководство")
QUEUE_NAMES = ("1", "Продажи", "Поддержка")
COMPANY_FORMS = ("ООО", "АО", "ИП")
_TRANSLIT = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
        [
            "a",
            "b",
            "v",
            "g",
            "d",
            "e",
            "e",
            "zh",
            "z",
            "i",
            "y",
            "k",
            "l",
            "m",
            "n",
            "o",
            "p",
            "r",
            "s",
            "t",
            "u",
            "f",
            "kh",
            "ts",
            "ch",
            "sh",
            "sch",
            "",
            "y",
            "",
            "e",
            "yu",
            "ya",
        ],
        strict=True,
    )
)


# The guide's sample objects live in the company of its sample token (391), so that every
# example of the guide replays against the mock verbatim and answers as the guide says.
GUIDE_COMPANY_ID = 391
GUIDE_MANAGER_ID = 26
GUIDE_BLACKLIST = ((10622, "79023581212", "MANUAL"), (10700, "79998889988", "MANUAL"))


@dataclass(frozen=True, slots=True)
class SeededEmployee:
    employee_id: int
    name: str | None
    surname: str | None
    full_number: str | None
    short_number: str | None
    group_name: str | None
    email: str | None


def rng_for(seed: int, company_id: int, kind: str) -> random.Random:
    """A generator private to one kind of data of one company."""
    return random.Random(f"{seed}:{company_id}:{kind}")


def company_profile(conn: sqlite3.Connection, company_id: int) -> int:
    """What company `company_id`'s seeded data was drawn from (`seed_company`)."""
    row = conn.execute(
        "SELECT profile FROM company_profiles WHERE company_id = ?", (company_id,)
    ).fetchone()
    return company_id if row is None else int(row[0])


def company_main_number(seed: int, profile: int) -> str:
    """The multi-channel number (what clients dial; queues answer on it) of the companies of
    this profile (`company_profile`)."""
    rng = rng_for(seed, profile, "main-number")
    return f"7495{rng.randrange(10**7):07d}"


def _faker(rng: random.Random) -> Faker:
    fake = Faker("ru_RU")
    fake.seed_instance(rng.getrandbits(64))
    return fake


def translit(text: str) -> str:
    return "".join(_TRANSLIT.get(ch, ch) for ch in text.lower())


def mobile_number(rng: random.Random) -> str:
    return "79" + "".join(rng.choice("0123456789") for _ in range(9))


GUIDE_EMPLOYEES = (
    SeededEmployee(433, "Артем", None, "79081560008", None, None, "asd@asd.ru"),
    SeededEmployee(5412, None, None, None, None, None, None),
    SeededEmployee(5521, "Asd", None, "74534534454", None, None, None),
    # The manager of the guide's examples (id 26) and the employee of its POST example.
    SeededEmployee(440, "Роман", "Рыбаков", "79026840778", "0440", "Отдел продаж", None),
    SeededEmployee(2, "Пётр", "Петров", "79533933500", "0002", "Отдел продаж", None),
)


def make_employees(
    seed: int, company_id: int, domain: str, profile: int | None = None
) -> list[SeededEmployee]:
    rng = rng_for(seed, company_id if profile is None else profile, "employees")
    fake = _faker(rng)
    count = rng.randint(12, 20)
    next_id = rng.randint(400, 900)
    employees = list(GUIDE_EMPLOYEES) if company_id == GUIDE_COMPANY_ID else []
    taken_ids = {e.employee_id for e in employees}
    taken_shorts = {e.short_number for e in employees}
    used_numbers = {e.full_number for e in employees if e.full_number}
    for index in range(count):
        next_id += rng.randint(1, 9)
        while next_id in taken_ids:
            next_id += 1
        # Some PBX numbers carry nothing but their id, as the guide's example shows.
        if index in (4, 11):
            employees.append(SeededEmployee(next_id, None, None, None, None, None, None))
            continue
        male = rng.random() < 0.5
        name = fake.first_name_male() if male else fake.first_name_female()
        surname = fake.last_name_male() if male else fake.last_name_female()
        number = mobile_number(rng)
        while number in used_numbers:
            number = mobile_number(rng)
        used_numbers.add(number)
        email = f"{translit(name)}.{translit(surname)}@{domain}" if rng.random() < 0.8 else None
        employees.append(
            SeededEmployee(
                employee_id=next_id,
                name=name,
                surname=surname,
                full_number=number,
                short_number=_short_number(index, taken_shorts),
                group_name=rng.choice(DEPARTMENTS) if rng.random() < 0.9 else None,
                email=email,
            )
        )
    return employees


def _short_number(index: int, taken: set[str | None]) -> str:
    number = index + 1
    while f"{number:04d}" in taken:
        number += 100
    return f"{number:04d}"


def email_domain_suffix(company_id: int) -> str:
    """How the e-mail domain of a company's employees ends: the only trace of its id in the
    data drawn from its profile."""
    return f"-{company_id}.ru"


def seed_company(
    conn: sqlite3.Connection, seed: int, company_id: int, profile: int | None = None
) -> None:
    """Create company `company_id` with employees, a manager, a blacklist and queues, drawn
    from `profile` (by default its own id)."""
    profile = company_id if profile is None else profile
    rng = rng_for(seed, profile, "company")
    fake = _faker(rng)
    company_name = f"{rng.choice(COMPANY_FORMS)} «{fake.last_name_male()} и партнёры»"
    domain = f"{translit(fake.last_name_male())}{email_domain_suffix(company_id)}"
    conn.execute("INSERT INTO companies (id, name) VALUES (?, ?)", (company_id, company_name))
    if profile != company_id:
        conn.execute(
            "INSERT INTO company_profiles (company_id, profile) VALUES (?, ?)",
            (company_id, profile),
        )

    employees = make_employees(seed, company_id, domain, profile)
    conn.executemany(
        "INSERT INTO employees (company_id, employee_id, name, surname, full_number, "
        "short_number, group_name, email) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                company_id,
                e.employee_id,
                e.name,
                e.surname,
                e.full_number,
                e.short_number,
                e.group_name,
                e.email,
            )
            for e in employees
        ],
    )

    conn.executemany(
        "INSERT INTO queues (company_id, name, position) VALUES (?, ?, ?)",
        [(company_id, name, i) for i, name in enumerate(QUEUE_NAMES)],
    )

    numbers = {e.full_number for e in employees}
    if company_id == GUIDE_COMPANY_ID:
        conn.executemany(
            "INSERT INTO blacklist (id, company_id, number, source_type) VALUES (?, ?, ?, ?)",
            [(i, company_id, n, t) for i, n, t in GUIDE_BLACKLIST],
        )
        numbers.update(n for _, n, _ in GUIDE_BLACKLIST)
    blacklist_rng = rng_for(seed, profile, "blacklist")
    for source_type in ("MANUAL", "FILE", "MANUAL", "FILE", "FILE"):
        number = mobile_number(blacklist_rng)
        if number not in numbers:
            numbers.add(number)
            conn.execute(
                "INSERT INTO blacklist (company_id, number, source_type) VALUES (?, ?, ?)",
                (company_id, number, source_type),
            )

    manager_rng = rng_for(seed, profile, "managers")
    manager_fake = _faker(manager_rng)
    if company_id == GUIDE_COMPANY_ID:
        _seed_guide_manager(conn, company_id)
    employee = next(
        e for e in employees if e.full_number and e.surname and e not in GUIDE_EMPLOYEES
    )
    manager_id = conn.execute(
        "INSERT INTO managers (company_id, employee_id, name, handle_all_customers) "
        "VALUES (?, ?, ?, 0)",
        (company_id, employee.employee_id, f"{employee.name} {employee.surname}"),
    ).lastrowid
    for position in range(manager_rng.randint(2, 3)):
        number = mobile_number(manager_rng)
        while number in numbers:
            number = mobile_number(manager_rng)
        numbers.add(number)
        conn.execute(
            "INSERT INTO customers (manager_id, company_id, position, real_number, "
            "company_name, info, is_vip, name) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                manager_id,
                company_id,
                position,
                number,
                manager_fake.company(),
                manager_rng.choice(("постоянный клиент", "оптовик", None)),
                int(manager_rng.random() < 0.3),
                manager_fake.name(),
            ),
        )


def _seed_guide_manager(conn: sqlite3.Connection, company_id: int) -> None:
    """Manager 26 of the guide's examples (5.8.1, 5.8.2), with its three customers as the
    guide shows them: 92 and 73, and 449, whose fields are the placeholder "string"."""
    conn.execute(
        "INSERT INTO managers (id, company_id, employee_id, name, handle_all_customers) "
        "VALUES (?, ?, 440, 'r', 0)",
        (GUIDE_MANAGER_ID, company_id),
    )
    conn.executemany(
        "INSERT INTO customers (id, manager_id, company_id, position, real_number, "
        "company_name, info, is_vip, name) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL)",
        [
            (92, GUIDE_MANAGER_ID, company_id, 0, "79081581621", "мммм", "специалист", 0),
            (73, GUIDE_MANAGER_ID, company_id, 1, "79518045856", "P&G", None, 0),
            (449, GUIDE_MANAGER_ID, company_id, 2, "string", "string", "string", 1),
        ],
    )
