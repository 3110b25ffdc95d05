"""A test SMTP server's handler (aiosmtpd, from Debian's python3-aiosmtpd): every message it is
given is written to a Maildir, and a recipient whose mailbox name starts with "unknown" is refused
with 550, as a real server refuses a mailbox that does not exist.

    python3 -m aiosmtpd -n -l 127.0.0.1:PORT -c smtp_sink.Sink MAILDIR   (PYTHONPATH=scripts)
"""
from aiosmtpd.handlers import Mailbox


class Sink(Mailbox):
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.split("@", 1)[0].lower().startswith("unknown"):
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"
