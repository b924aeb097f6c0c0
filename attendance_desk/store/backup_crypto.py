"""Encrypted backups: a lock kept on the PC, a key only the passphrase opens.

A backup on a USB stick or a network share leaves the office's control; if the stick is
lost, every pupil's record, safeguarding flags included, must stay unreadable. So a
backup there is encrypted, and can be opened only with the backup passphrase the
administrator chose (and printed on the recovery sheet kept in the school's safe).

How, and why this way:
- The administrator's passphrase makes a key pair (X25519). Only the public half (the
  "lock") is kept in the database in clear; the private half is sealed with a key derived
  from the passphrase by Argon2id (memory-hard, so guessing passphrases on a graphics
  card is slow; argon2-cffi is already how the app hashes passwords). So the PC takes
  encrypted backups every day without knowing the passphrase, and a copy of the database
  is not a key to the backups.
- Each backup gets a fresh ephemeral key pair; with the lock it agrees a file key (HKDF),
  and the file is encrypted with AES-256-GCM in 1 MiB chunks, each authenticated with its
  number, a last-chunk flag and the whole header, so a changed, reordered or cut-short
  file is refused, not restored. The sealed private key travels in every backup's header:
  an old backup opens with the passphrase it was made under, even on a new PC.
- The cryptography is PyCA `cryptography`'s (AESGCM, X25519, HKDF), a library maintained
  for exactly this; nothing here invents a cipher.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from attendance_desk.store import private_files

MAGIC = b"ATTENDANCE-DESK-ENCRYPTED-BACKUP\n"
CHUNK = 1 << 20
#: Argon2id cost: about a third of a second and 64 MiB on an office PC, per guess.
KDF = {"name": "argon2id", "time_cost": 3, "memory_cost": 65536, "parallelism": 4}
MIN_PASSPHRASE = 12
_SEAL_LABEL = b"attendance-desk backup key v1"
_FILE_LABEL = b"attendance-desk backup file v1"
_TAG = 16

#: Asks for the passphrase (a prompt, an environment variable); None when there is none.
Passphrase = Callable[[], str | None]


class CryptoError(Exception):
    """An encrypted backup that cannot be opened; the message says why."""


@dataclass(frozen=True, slots=True)
class BackupLock:
    """The public half (`public`), the private half sealed by the passphrase (`sealed`),
    and a short fingerprint people can compare (on the recovery sheet, in a backup)."""

    public: bytes
    sealed: dict[str, Any]

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.public)


def fingerprint(public: bytes) -> str:
    """`3F7A-91C2-0B5D-E4A8`: the first 8 bytes of the lock's SHA-256, for people."""
    digest = hashlib.sha256(public).hexdigest()[:16].upper()
    return "-".join(digest[i : i + 4] for i in range(0, 16, 4))


def check_passphrase(passphrase: str) -> None:
    """`ValueError` naming what is wrong with a new passphrase."""
    if len(passphrase.strip()) < MIN_PASSPHRASE:
        raise ValueError(
            f"the backup passphrase needs at least {MIN_PASSPHRASE} characters (a few words "
            "in a row are easy to type and hard to guess)"
        )


def new_lock(passphrase: str) -> BackupLock:
    """A new key pair whose private half only `passphrase` unseals."""
    check_passphrase(passphrase)
    private = X25519PrivateKey.generate()
    salt, nonce = os.urandom(16), os.urandom(12)
    sealing = _derive(passphrase, salt, KDF)
    raw = private.private_bytes(
        serialization.Encoding.Raw,
        serialization.PrivateFormat.Raw,
        serialization.NoEncryption(),
    )
    sealed = {
        "kdf": dict(KDF, salt=to_text(salt)),
        "nonce": to_text(nonce),
        "key": to_text(AESGCM(sealing).encrypt(nonce, raw, _SEAL_LABEL)),
    }
    public = private.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    return BackupLock(public, sealed)


def unseal(lock: BackupLock, passphrase: str) -> X25519PrivateKey:
    """The private key; `CryptoError` when the passphrase is not the one it was sealed by."""
    kdf = lock.sealed["kdf"]
    sealing = _derive(passphrase, from_text(kdf["salt"]), kdf)
    try:
        raw = AESGCM(sealing).decrypt(
            from_text(lock.sealed["nonce"]), from_text(lock.sealed["key"]), _SEAL_LABEL
        )
    except InvalidTag:
        raise CryptoError("that is not the backup passphrase this backup was made with") from None
    return X25519PrivateKey.from_private_bytes(raw)


def is_encrypted(path: Path) -> bool:
    """True when `path` starts as an encrypted backup does."""
    with open(path, "rb") as stream:
        return stream.read(len(MAGIC)) == MAGIC


def encrypt_file(source: Path, target: Path, lock: BackupLock, meta: dict[str, str]) -> None:
    """Write `source` encrypted to `lock` as `target` (0600), synced before it returns."""
    ephemeral = X25519PrivateKey.generate()
    salt = os.urandom(16)
    header = {
        "version": 1,
        "cipher": "AES-256-GCM",
        "chunk": CHUNK,
        "public": to_text(lock.public),
        "fingerprint": lock.fingerprint,
        "ephemeral": to_text(
            ephemeral.public_key().public_bytes(
                serialization.Encoding.Raw, serialization.PublicFormat.Raw
            )
        ),
        "salt": to_text(salt),
        "sealed": lock.sealed,
        "meta": meta,
    }
    raw_header = json.dumps(header, sort_keys=True).encode("utf-8")
    cipher = AESGCM(
        _file_key(ephemeral.exchange(X25519PublicKey.from_public_bytes(lock.public)), salt)
    )
    private_files.create_private(target)
    with open(source, "rb") as plain, open(target, "wb") as out:
        out.write(MAGIC + len(raw_header).to_bytes(4, "big") + raw_header)
        for number, (chunk, last) in enumerate(_chunks(plain)):
            out.write(cipher.encrypt(_nonce(number, last), chunk, raw_header))
        out.flush()
        os.fsync(out.fileno())


def read_header(path: Path) -> dict[str, Any]:
    """The header of an encrypted backup (its lock's fingerprint, school and time)."""
    with open(path, "rb") as stream:
        return _header(stream)[0]


def decrypt_file(source: Path, target: Path, passphrase: str) -> None:
    """Write the plain database from the encrypted backup `source` as `target` (0600).

    `CryptoError` for a wrong passphrase or a file that was changed or cut short; the
    half-written `target` is removed then.
    """
    with open(source, "rb") as stream:
        header, raw_header = _header(stream)
        lock = BackupLock(from_text(header["public"]), header["sealed"])
        private = unseal(lock, passphrase)
        shared = private.exchange(X25519PublicKey.from_public_bytes(from_text(header["ephemeral"])))
        cipher = AESGCM(_file_key(shared, from_text(header["salt"])))
        private_files.create_private(target)
        try:
            with open(target, "wb") as out:
                _decrypt_chunks(stream, out, cipher, raw_header, int(header["chunk"]))
                out.flush()
                os.fsync(out.fileno())
        except BaseException:
            Path(target).unlink(missing_ok=True)
            raise


def copy_plain(source: Path, target: Path, *, passphrase: Passphrase | None = None) -> None:
    """`source` as a plain database at `target` (0600): decrypted when it is encrypted
    (asking `passphrase`), copied byte for byte otherwise."""
    from attendance_desk.store.backup import BackupError  # the error every restore caller expects

    if is_encrypted(source):
        given = passphrase() if passphrase is not None else None
        if not given:
            raise BackupError(
                f"{Path(source).name} is an encrypted backup: it needs the backup passphrase "
                "(on the school's recovery sheet)"
            )
        try:
            decrypt_file(source, target, given)
        except CryptoError as exc:
            raise BackupError(f"{Path(source).name}: {exc}") from exc
        return
    from attendance_desk.store import db_cipher

    if db_cipher.is_encrypted(source) and db_cipher.key_for(source):
        db_cipher.export(source, target, encrypt_with=None)  # a copy of an encrypted database
        return
    private_files.create_private(target)
    with open(source, "rb") as plain, open(target, "wb") as out:
        shutil.copyfileobj(plain, out, CHUNK)
        out.flush()
        os.fsync(out.fileno())


# --- the pieces ---------------------------------------------------------------------------
def _derive(passphrase: str, salt: bytes, kdf: dict[str, Any]) -> bytes:
    if kdf.get("name") != "argon2id":
        raise CryptoError(f"unknown key derivation {kdf.get('name')!r} (a newer version's backup?)")
    return hash_secret_raw(
        passphrase.encode("utf-8"),
        salt,
        time_cost=int(kdf["time_cost"]),
        memory_cost=int(kdf["memory_cost"]),
        parallelism=int(kdf["parallelism"]),
        hash_len=32,
        type=Type.ID,
    )


def _file_key(shared: bytes, salt: bytes) -> bytes:
    return HKDF(hashes.SHA256(), 32, salt, _FILE_LABEL).derive(shared)


def _nonce(number: int, last: bool) -> bytes:
    return number.to_bytes(11, "big") + (b"\x01" if last else b"\x00")


def _chunks(stream: BinaryIO) -> Iterator[tuple[bytes, bool]]:
    """Every chunk with whether it is the last (an empty file is one empty last chunk)."""
    current = stream.read(CHUNK)
    while True:
        following = stream.read(CHUNK)
        yield current, not following
        if not following:
            return
        current = following


def _header(stream: BinaryIO) -> tuple[dict[str, Any], bytes]:
    if stream.read(len(MAGIC)) != MAGIC:
        raise CryptoError("this is not an encrypted Attendance Desk backup")
    size = int.from_bytes(stream.read(4), "big")
    raw = stream.read(size)
    try:
        header = json.loads(raw)
        if header.get("version") != 1:
            raise CryptoError(f"backup format {header.get('version')} is from a newer version")
        return header, raw
    except (ValueError, AttributeError):
        raise CryptoError("the backup's header is damaged") from None


def _decrypt_chunks(
    stream: BinaryIO, out: BinaryIO, cipher: AESGCM, raw_header: bytes, chunk: int
) -> None:
    number = 0
    while True:
        sealed = stream.read(chunk + _TAG)
        last = len(sealed) < chunk + _TAG or not stream.peek(1)  # type: ignore[attr-defined]
        try:
            out.write(cipher.decrypt(_nonce(number, last), sealed, raw_header))
        except InvalidTag:
            raise CryptoError(
                "the backup has been changed or cut short since it was made (its chunk "
                f"{number + 1} does not check out); it cannot be used"
            ) from None
        if last:
            return
        number += 1


def to_text(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def from_text(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"))
