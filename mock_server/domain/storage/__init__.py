"""Storage: where the PBX's facts are kept. The SQLite store (one connection per thread, the
rules that are constraints), the call journal's tables with the triggers that write each
record's JSON, its links and the roll-ups of what each statistic counts, the bulk writing of a
seeded history, and the seeding of a company's people. It may import the kernel
(`mock_server.domain`'s errors, clock, timeutil, fields) and Faker, nothing of the other rooms.
"""
