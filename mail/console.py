"""The embedded default's e-mail backend: Django's console backend, each message framed so it
stands out among the server's and worker's lines in ``make run``'s output."""

from django.core.mail.backends.console import EmailBackend as ConsoleBackend

RULE = "=" * 30


class EmailBackend(ConsoleBackend):
    def write_message(self, message):
        recipients = ", ".join(message.recipients())
        self.stream.write(f"\n{RULE} e-mail to {recipients} (printed, not sent) {RULE}\n")
        super().write_message(message)
        self.stream.write(f"{RULE} end of e-mail {RULE}\n\n")
