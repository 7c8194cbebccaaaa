"""Personal tokens: issued once, stored only as a hash, kept across reruns.

The server keeps ``sha256(token)`` and never the token, so a copied database signs
nobody in. The plain tokens exist in one place: the file ``autograder tokens --out``
writes for the instructor to send out. Rerunning the command with the same ``--out``
reads that file back and keeps every token in it that still matches its stored hash
(so links already sent keep working); only people without one get a new token. A
person registered earlier whose token is not in the file cannot be given it again
(the server does not know it): the file lists them with an empty token and a warning,
and ``--reissue ID`` replaces their token (the old link stops working).
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from autograder.exceptions import UsageError
from autograder.lms.export import write_bytes_atomic
from autograder.server.roster import Member
from autograder.server.store import Person, Role, Store

TOKEN_BYTES = 24  # 192 bits: not guessable, short enough for a link


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Issued:
    id: str
    name: str
    token: str  # "" when issued earlier and not in the --out file


def read_issued(path: Path) -> dict[str, str]:
    """id -> token of an earlier ``--out`` file (empty when there is none)."""
    if not path.is_file():
        return {}
    try:
        rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise UsageError(f"{path}: cannot be read back ({error})") from None
    return {row["id"]: row["token"] for row in rows if row.get("id") and row.get("token")}


def issue(store: Store, members: Sequence[Member], role: Role, earlier: dict[str, str],
          reissue: Sequence[str] = (), warn: Callable[[str], None] = lambda message: None) -> list[Issued]:
    """Register ``members`` with ``role``; their tokens, new or kept (see the module)."""
    unknown = set(reissue) - {m.id for m in members}
    if unknown:
        raise UsageError(f"--reissue: not in the roster: {', '.join(sorted(unknown))}")
    known = store.people()
    issued = []
    for member in members:
        stored = store.token_hash_of(member.id)
        kept = earlier.get(member.id, "")
        if stored is not None and member.id not in reissue:
            if known[member.id].role != role:
                raise UsageError(f"{member.id!r} is already registered as {known[member.id].role}")
            if known[member.id].name != member.name:
                store.rename(member.id, member.name)
            if kept and hmac.compare_digest(token_hash(kept), stored):
                issued.append(Issued(member.id, member.name, kept))
            else:
                warn(f"{member.id}: a token was issued earlier and is not in the --out file; "
                     f"it keeps working (use --reissue {member.id} for a new one)")
                issued.append(Issued(member.id, member.name, ""))
            continue
        token = new_token()
        store.register(Person(member.id, member.name, role), token_hash(token))
        issued.append(Issued(member.id, member.name, token))
    return issued


def write_tokens(path: Path, issued: Sequence[Issued], base_url: str | None) -> None:
    """``id,name,token`` (and ``link`` when the server's address is known), UTF-8."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["id", "name", "token", *(["link"] if base_url else [])])
    for row in issued:
        link = [f"{base_url.rstrip('/')}/login?token={row.token}" if row.token else ""] if base_url else []
        writer.writerow([row.id, row.name, row.token, *link])
    write_bytes_atomic(path, out.getvalue().encode("utf-8"))
    path.chmod(0o600)  # the tokens sign people in
