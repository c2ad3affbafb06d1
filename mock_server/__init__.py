"""Stateful mock of Tele2's corporate PBX CRM API."""
