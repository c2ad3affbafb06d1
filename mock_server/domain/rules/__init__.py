"""Rules: the PBX as the operator's guide describes it. Tokens and their 403s, employees,
managers, the blacklist, companies, live calls and queues, the call journal's queries and the
history a company is seeded with, statistics, numbers, paging and sorting. It may import the
kernel, storage and media, and PyJWT; never the test double (`double/`), which bends these
rules on a test's request.
"""
