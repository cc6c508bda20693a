"""``manage.py restore FILE [--force]``: put a backup written by ``manage.py backup`` back."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from casework.backups import BackupError, Target, restore


class Command(BaseCommand):
    help = (
        "Restore a backup archive written by `manage.py backup` into the database and "
        "MEDIA_ROOT. Refuses when the database has tables or MEDIA_ROOT has files, unless "
        "--force, which first drops everything in the database's public schema and empties "
        "MEDIA_ROOT."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path, help="The .tar written by `manage.py backup`.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace an existing database and uploaded files (everything in them is lost).",
        )
        parser.add_argument(
            "--database-url",
            help="Restore into this database instead of the configured one (postgres://…), "
            "e.g. a scratch database for a restore drill.",
        )
        parser.add_argument(
            "--media-root",
            type=Path,
            help="Restore the uploaded files here instead of MEDIA_ROOT.",
        )

    def handle(self, *args, archive, force, database_url, media_root, **options):
        if not archive.is_file():
            raise CommandError(f"No such file: {archive}")
        target = Target.from_url(database_url) if database_url else None
        try:
            manifest = restore(archive, target=target, media_root=media_root, force=force)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored the backup of {manifest['created_at']} ({len(manifest['media'])} "
                "uploaded files). Run `manage.py migrate` if this release is newer than the "
                "backup."
            )
        )
