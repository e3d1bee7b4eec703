"""The import summary the commands print (the upload result page shows the same)."""

from arp.management.file_import import FileImportCommand


def write_summary(command, batch) -> None:
    out = command.stdout.write
    out(f"File: {batch.file_name} (sha256 {batch.sha256[:12]}…)")
    out(f"Format detected: {batch.format_detected or 'unknown'}")
    out(f"Status: {batch.get_status_display()}")
    out(
        f"Rows read: {batch.rows_read}; created: {batch.rows_created}; "
        f"updated: {batch.rows_updated}; unchanged: {batch.rows_unchanged}; "
        f"ignored: {batch.rows_ignored}; outside England: {batch.rows_outside_england}"
    )
    out(
        f"Suppressed or not available cells: {batch.suppressed_cells}; areas created: "
        f"{batch.areas_created}; areas renamed: {batch.areas_renamed}"
    )
    for change in batch.changed_cells:
        out(f"Changed: {change['cell']}: {change['from']} → {change['to']}")
    for warning in batch.warnings:
        row = f"Row {warning['row']}: " if warning.get("row") else ""
        out(f"Warning: {row}{warning['message']}")


def write_errors(command, batch) -> None:
    err = command.stderr.write
    err(f"Rejected: {batch.error_count} problem(s); nothing was imported.")
    for problem in batch.errors:
        row = f"Row {problem['row']}: " if problem.get("row") else ""
        err(f"  {row}{problem['message']}")
    hidden = batch.error_count - len(batch.errors)
    if hidden > 0:
        err(f"  … and {hidden} more.")


def report_batch(command, batch) -> None:
    """Print the batch's summary; a rejected batch exits non-zero with its rows."""
    from django.core.management.base import CommandError

    from disproportionality.models import ImportBatch

    write_summary(command, batch)
    if batch.status != ImportBatch.Status.SUCCEEDED:
        write_errors(command, batch)
        raise CommandError("The file was rejected.")


class BatchImportCommand(FileImportCommand):
    """Runs one import service on the file and prints its batch (``report_batch``)."""

    def run_import(self, data: bytes, file_name: str, **options):
        """The service's ImportBatch for this file."""
        raise NotImplementedError

    def import_file(self, data: bytes, file_name: str, **options) -> None:
        report_batch(self, self.run_import(data, file_name, **options))
