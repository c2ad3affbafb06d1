"""Deterministic seed data per company: the same (seed, company) always gives the same PBX.

Names, e-mails and client companies come from Faker's ru_RU locale; every random choice is
drawn from a `random.Random` keyed by the seed, the company's profile and the kind of data, so
adding a company later (a new tenant asked for through the control API) does not change the
others. A company's profile is its own id, but for a tenant made by `POST /mock/companies`
without an id (and without a file): those are drawn from one profile (`TENANT_PROFILE`), so
that each is a copy of one template with its own ids (storage/templates.py). The profile is
kept (`company_profiles`) where it is not the id.

A company loaded from a tenant file (rules/tenants.py) gives some of its data itself
(`GivenCompany`); the generator fills in the rest around it, drawing what it would have drawn
for the company and skipping the ids, numbers and short numbers the file took, so that the
company of a file that gives nothing is the seeded company, and the guide's company (391,
mock_server/tenants/guide-391.json) is the seeded one with the guide's objects beside.
"""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass

from faker import Faker

from mock_server.domain.storage.store import next_id

__all__ = [
    "DEPARTMENTS",
    "QUEUE_NAMES",
    "GivenCompany",
    "GivenCustomer",
    "GivenManager",
    "SeededEmployee",
    "company_main_number",
    "company_profile",
    "default_name",
    "email_domain_suffix",
    "main_number",
    "make_employees",
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
    """What company `company_id`'s generated data was drawn from (`seed_company`)."""
    row = conn.execute(
        "SELECT profile FROM company_profiles WHERE company_id = ?", (company_id,)
    ).fetchone()
    return company_id if row is None else int(row[0])


def company_main_number(seed: int, profile: int) -> str:
    """The generator's multi-channel number (what clients dial; queues answer on it) of the
    companies of this profile (`company_profile`)."""
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


def make_employees(
    seed: int,
    company_id: int,
    domain: str,
    given: Sequence[SeededEmployee] = (),
    count: int | None = None,
    profile: int | None = None,
) -> list[SeededEmployee]:
    """The `given` employees, then the generator's (`count` of them, else as many as it
    draws, 12 to 20), with ids, numbers and short numbers the given ones leave free; drawn
    from `profile` (by default the company's own id)."""
    rng = rng_for(seed, company_id if profile is None else profile, "employees")
    fake = _faker(rng)
    drawn = rng.randint(12, 20)
    count = drawn if count is None else count
    next_id = rng.randint(400, 900)
    employees = list(given)
    taken_ids = {e.employee_id for e in employees}
    taken_shorts = {e.short_number for e in employees}
    used_numbers = {e.full_number for e in employees if e.full_number}
    for index in range(count):
        next_id += rng.randint(1, 9)
        while next_id in taken_ids:
            next_id += 1
        taken_ids.add(next_id)
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
        short = _short_number(index, taken_shorts)
        taken_shorts.add(short)
        employees.append(
            SeededEmployee(
                employee_id=next_id,
                name=name,
                surname=surname,
                full_number=number,
                short_number=short,
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


@dataclass(frozen=True, slots=True)
class GivenCustomer:
    id: int | None
    real_number: str
    company_name: str | None = None
    info: str | None = None
    is_vip: bool = False
    name: str | None = None


@dataclass(frozen=True, slots=True)
class GivenManager:
    id: int | None
    employee_id: int
    name: str | None
    handle_all: bool
    customers: tuple[GivenCustomer, ...] = ()


@dataclass(frozen=True, slots=True)
class GivenCompany:
    """What a tenant file gives of a company (everything else is the generator's, when
    `generate` is true): queues None are the generator's (`QUEUE_NAMES`, no members); ids
    None are assigned."""

    name: str | None = None
    main_number: str | None = None
    employees: tuple[SeededEmployee, ...] = ()
    queues: tuple[tuple[str, tuple[int, ...]], ...] | None = None
    blacklist: tuple[tuple[int | None, str, str], ...] = ()
    managers: tuple[GivenManager, ...] = ()
    generate: bool = True
    employee_count: int | None = None
    generate_blacklist: bool = True
    generate_managers: bool = True


def email_domain_suffix(company_id: int) -> str:
    """How the e-mail domain of a company's employees ends: the only trace of its id in the
    data drawn from its profile."""
    return f"-{company_id}.ru"


def default_name(seed: int, company_id: int, profile: int | None = None) -> tuple[str, str]:
    """The generator's name of the company and the domain of its e-mails, drawn from
    `profile` (by default the company's own id); the domain ends with the company's id."""
    rng = rng_for(seed, company_id if profile is None else profile, "company")
    fake = _faker(rng)
    company_name = f"{rng.choice(COMPANY_FORMS)} «{fake.last_name_male()} и партнёры»"
    domain = f"{translit(fake.last_name_male())}{email_domain_suffix(company_id)}"
    return company_name, domain


def main_number(conn: sqlite3.Connection, seed: int, company_id: int) -> str:
    """The company's multi-channel number as the store keeps it (the generator's for the
    company's profile when it keeps none)."""
    row = conn.execute("SELECT main_number FROM companies WHERE id = ?", (company_id,)).fetchone()
    if row is not None and row[0]:
        return str(row[0])
    return company_main_number(seed, company_profile(conn, company_id))


def seed_company(
    conn: sqlite3.Connection,
    seed: int,
    company_id: int,
    given: GivenCompany | None = None,
    profile: int | None = None,
) -> None:
    """Create company `company_id` with employees, managers, a blacklist and queues: those
    `given`, and (unless `given.generate` is false) the generator's around them, drawn from
    `profile` (by default the company's own id; another only for a company made without an
    id and without a file, whose data is all the generator's)."""
    given = given or GivenCompany()
    profile = company_id if profile is None else profile
    generated_name, domain = default_name(seed, company_id, profile)
    conn.execute(
        "INSERT INTO companies (id, name, main_number) VALUES (?, ?, ?) ON CONFLICT (id) "
        "DO UPDATE SET name = excluded.name, main_number = excluded.main_number",
        (
            company_id,
            given.name or generated_name,
            given.main_number or company_main_number(seed, profile),
        ),
    )
    if profile != company_id:
        conn.execute(
            "INSERT INTO company_profiles (company_id, profile) VALUES (?, ?)",
            (company_id, profile),
        )

    employees = list(given.employees)
    if given.generate:
        employees = make_employees(
            seed, company_id, domain, given.employees, given.employee_count, profile
        )
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

    queues = given.queues
    if queues is None:
        queues = tuple((name, ()) for name in QUEUE_NAMES) if given.generate else ()
    conn.executemany(
        "INSERT INTO queues (company_id, name, position) VALUES (?, ?, ?)",
        [(company_id, name, i) for i, (name, _) in enumerate(queues)],
    )
    conn.executemany(
        "INSERT INTO queue_members (company_id, queue_name, employee_id, position) "
        "VALUES (?, ?, ?, ?)",
        [
            (company_id, name, employee_id, position)
            for name, members in queues
            for position, employee_id in enumerate(members)
        ],
    )

    numbers = {e.full_number for e in employees}
    for entry_id, number, source_type in given.blacklist:
        _insert_listed(conn, company_id, entry_id, number, source_type)
        numbers.add(number)
    if given.generate and given.generate_blacklist:
        blacklist_rng = rng_for(seed, profile, "blacklist")
        for source_type in ("MANUAL", "FILE", "MANUAL", "FILE", "FILE"):
            number = mobile_number(blacklist_rng)
            if number not in numbers:
                numbers.add(number)
                _insert_listed(conn, company_id, None, number, source_type)

    for manager in given.managers:
        numbers.update(c.real_number for c in manager.customers)
        _insert_manager(conn, company_id, manager)
    if not (given.generate and given.generate_managers):
        return
    manager_rng = rng_for(seed, profile, "managers")
    manager_fake = _faker(manager_rng)
    given_ids = {e.employee_id for e in given.employees}
    employee = next(
        (e for e in employees if e.full_number and e.surname and e.employee_id not in given_ids),
        None,
    )
    if employee is None:
        return
    customers = []
    for _ in range(manager_rng.randint(2, 3)):
        number = mobile_number(manager_rng)
        while number in numbers:
            number = mobile_number(manager_rng)
        numbers.add(number)
        customers.append(
            GivenCustomer(
                None,
                number,
                manager_fake.company(),
                manager_rng.choice(("постоянный клиент", "оптовик", None)),
                manager_rng.random() < 0.3,
                manager_fake.name(),
            )
        )
    _insert_manager(
        conn,
        company_id,
        GivenManager(
            None,
            employee.employee_id,
            f"{employee.name} {employee.surname}",
            False,
            tuple(customers),
        ),
    )


def _insert_listed(
    conn: sqlite3.Connection, company_id: int, entry_id: int | None, number: str, source: str
) -> None:
    conn.execute(
        "INSERT INTO blacklist (company_id, id, number, source_type) VALUES (?, ?, ?, ?)",
        (
            company_id,
            next_id(conn, "blacklist") if entry_id is None else entry_id,
            number,
            source,
        ),
    )


def _insert_manager(conn: sqlite3.Connection, company_id: int, manager: GivenManager) -> None:
    manager_id = next_id(conn, "managers") if manager.id is None else manager.id
    conn.execute(
        "INSERT INTO managers (company_id, id, employee_id, name, handle_all_customers) "
        "VALUES (?, ?, ?, ?, ?)",
        (company_id, manager_id, manager.employee_id, manager.name, int(manager.handle_all)),
    )
    for position, customer in enumerate(manager.customers):
        conn.execute(
            "INSERT INTO customers (company_id, id, manager_id, position, real_number, "
            "company_name, info, is_vip, name) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                company_id,
                next_id(conn, "customers") if customer.id is None else customer.id,
                manager_id,
                position,
                customer.real_number,
                customer.company_name,
                customer.info,
                int(customer.is_vip),
                customer.name,
            ),
        )
