"""This checkout's working tree as a git repository of its own: what the twin's repository
would hold at a release (the CI recipes' and release-check's tests work on one)."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.spec_utils import ROOT

__all__ = ["commit", "copy_checkout", "git"]


def git(repo: Path, *args: str) -> None:
    author = ("-c", "user.name=twin", "-c", "user.email=twin@127.0.0.1")
    subprocess.run(["git", *author, *args], cwd=repo, check=True, capture_output=True)


def copy_checkout(repo: Path) -> Path:
    """The working tree's files (tracked, and new ones not ignored) committed into `repo`."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.split(b"\0")
    for name in filter(None, (item.decode() for item in listed)):
        source = ROOT / name
        if source.is_file():  # a file deleted in the working tree is listed, and gone
            (repo / name).parent.mkdir(parents=True, exist_ok=True)
            (repo / name).write_bytes(source.read_bytes())
    git(repo, "init", "-q")
    commit(repo, "release")
    return repo


def commit(repo: Path, message: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "--allow-empty", "-m", message)
