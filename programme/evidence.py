"""Checking uploaded evidence: allowed types, size, and that the content matches.

We trust neither the file name nor the browser's Content-Type: the first bytes
must carry the signature of the format the extension claims.
"""

import zipfile
from pathlib import PurePath

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


def _zip_kind(upload) -> str | None:
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError):
        return None
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
