"""``manage.py backup [--output FILE | --dir DIR]``: the database and uploaded files in one .tar."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from casework.backups import BackupError, Target, backup


class Command(BaseCommand):
    help = (
        "Write a backup: the database (pg_dump, custom format) and every uploaded file under "
        "MEDIA_ROOT, with checksums, in one .tar readable by its owner only. Restore it with "
        "`manage.py restore`."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", type=Path, help="The archive to write.")
        parser.add_argument(
            "--dir",
            type=Path,
            default=None,
            help="Where to write casework-<date>-<time>.tar when --output is not given "
            "(default: BACKUP_DIR, var/backups).",
        )
        parser.add_argument(
            "--keep",
            type=int,
            default=0,
            help="Afterwards delete all but the newest N casework-*.tar in that directory "
            "(default 0: delete nothing).",
        )
        parser.add_argument(
            "--database-url",
            help="Back up this database instead of the configured one (postgres://…).",
        )

    def handle(self, *args, output, dir, keep, database_url, **options):
        directory = Path(dir or settings.BACKUP_DIR)
        if output is None:
            stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
            output = directory / f"casework-{stamp}.tar"
        target = Target.from_url(database_url) if database_url else None
        try:
            manifest = backup(output, target=target)
        except BackupError as error:
            raise CommandError(str(error)) from error
        size = output.stat().st_size
        self.stdout.write(
            self.style.SUCCESS(
                f"Backup written to {output} ({size / 1_000_000:.1f} MB: database "
                f"{manifest['database']} by pg_dump {manifest['pg_dump']['major']}, "
                f"{len(manifest['media'])} uploaded files)."
            )
        )
        if keep > 0:
            archives = sorted(directory.glob("casework-*.tar"), key=lambda p: p.name)
            for old in archives[:-keep]:
                if old != output:
                    old.unlink()
                    self.stdout.write(f"Deleted the older backup {old.name}.")
