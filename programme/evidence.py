"""Checking uploaded evidence: allowed types, size, and that the content matches.

We trust neither the file name nor the browser's Content-Type: the first bytes
must carry the signature of the format the extension claims.
"""

import zipfile
from pathlib import PurePath, PurePosixPath, PureWindowsPath

from django.conf import settings

MAX_EVIDENCE_BYTES = 10 * 1024 * 1024

PDF = "pdf"
OLE = "ole"  # legacy Office: .doc .xls .ppt
OOXML = "ooxml"  # Office Open XML: .docx .xlsx .pptx (a ZIP with [Content_Types].xml)
ODF = "odf"  # OpenDocument: .odt .ods .odp (a ZIP with a mimetype entry)
PNG, JPEG, GIF, WEBP = "png", "jpeg", "gif", "webp"

EXTENSION_KINDS = {
    ".pdf": PDF,
    ".doc": OLE,
    ".xls": OLE,
    ".ppt": OLE,
    ".docx": OOXML,
    ".xlsx": OOXML,
    ".pptx": OOXML,
    ".odt": ODF,
    ".ods": ODF,
    ".odp": ODF,
    ".png": PNG,
    ".jpg": JPEG,
    ".jpeg": JPEG,
    ".gif": GIF,
    ".webp": WEBP,
}
ALLOWED_EXTENSIONS_TEXT = (
    "PDF, Word, Excel, PowerPoint, OpenDocument, PNG, JPEG, GIF, WebP"
)


class EvidenceError(ValueError):
    """The file is not acceptable as evidence; the message says why."""


def sniff_kind(head: bytes) -> str | None:
    """The format the leading bytes announce (file signatures), or None."""
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return OLE
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith((b"GIF87a", b"GIF89a")):
        return GIF
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    return None


def _unsafe_name(name: str) -> bool:
    posix, windows = PurePosixPath(name), PureWindowsPath(name)
    return (
        posix.is_absolute()
        or windows.is_absolute()
        or bool(windows.drive)
        or ".." in posix.parts
        or ".." in windows.parts
    )


def check_archive(members: list[zipfile.ZipInfo]) -> None:
    """Refuse an archive that would unpack too big, too many files, or outside.

    Office and OpenDocument files are zip archives; only their file list was
    checked, so a 4 GiB zip bomb named .docx was accepted. The sizes are the
    ones the archive declares, checked before anything is unpacked.
    """
    max_members = settings.EVIDENCE_MAX_ARCHIVE_MEMBERS
    max_bytes = settings.EVIDENCE_MAX_UNCOMPRESSED_BYTES
    if len(members) > max_members:
        raise EvidenceError(
            f"The file holds {len(members):,} parts; the limit is {max_members:,}."
        )
    total = sum(m.file_size for m in members)
    if total > max_bytes:
        raise EvidenceError(
            f"The file would unpack to {total / 1024 / 1024:,.0f} MB; the limit is "
            f"{max_bytes // 1024 // 1024} MB."
        )
    for member in members:
        if _unsafe_name(member.filename):
            raise EvidenceError(
                f"The file holds a part with an unsafe name (“{member.filename[:80]}”)."
            )


def _zip_kind(upload) -> str | None:
    try:
        with zipfile.ZipFile(upload) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    check_archive(members)
    names = {m.filename for m in members}
    if "[Content_Types].xml" in names:
        return OOXML
    if "mimetype" in names:
        return ODF
    return None


def check_evidence_file(upload, *, max_bytes: int = MAX_EVIDENCE_BYTES) -> None:
    """Raise ``EvidenceError`` unless ``upload`` is an allowed, honest file."""
    size = getattr(upload, "size", None) or 0
    if size > max_bytes:
        raise EvidenceError(
            f"The file is {size / 1024 / 1024:.1f} MB; the limit is "
            f"{max_bytes // 1024 // 1024} MB."
        )
    if size == 0:
        raise EvidenceError("The file is empty.")
    extension = PurePath(upload.name or "").suffix.lower()
    expected = EXTENSION_KINDS.get(extension)
    if expected is None:
        raise EvidenceError(
            f"Files of type “{extension or 'unknown'}” are not accepted. "
            f"Upload one of: {ALLOWED_EXTENSIONS_TEXT}."
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    kind = sniff_kind(head)
    if kind == "zip":
        kind = _zip_kind(upload)
        upload.seek(0)
    if kind != expected:
        raise EvidenceError(
            f"The file's content does not match its “{extension}” name. "
            "Save it again in that format, or upload a PDF."
        )
