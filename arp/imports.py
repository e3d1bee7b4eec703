"""What every file import shares, before any app reads its columns."""


def decode_text(data: bytes) -> tuple[str, str]:
    """A text file's (text, encoding): UTF-8 (a byte-order mark allowed), else
    Windows-1252, as Excel saves a CSV. UnicodeDecodeError when it is neither."""
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    return data.decode("cp1252"), "windows-1252"
