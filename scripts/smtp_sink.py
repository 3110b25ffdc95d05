"""A test SMTP server's handler (aiosmtpd, from Debian's python3-aiosmtpd): every message it is
given is written to a Maildir, and

- a recipient whose mailbox name starts with "unknown" is refused with 550 at RCPT, as a real
  server refuses a mailbox that does not exist;
- a recipient whose mailbox name starts with "gone" is accepted, and then, as a relay does when
  the next server refuses it, a delivery status notification (RFC 3464, laid out as Postfix's
  bounce(8) writes it: Action failed, Status 5.1.1) is written to the same Maildir, addressed to
  the message's envelope sender.

    python3 -m aiosmtpd -n -l 127.0.0.1:PORT -c smtp_sink.Sink MAILDIR   (PYTHONPATH=scripts)
"""
import email.utils
import time

from aiosmtpd.handlers import Mailbox


def delivery_status_notification(envelope_from, recipient, original):
    """The notification's bytes, as Postfix lays them out."""
    boundary = f"{int(time.time() * 1000)}.DSN/relay.test"
    now = email.utils.formatdate(localtime=True)
    headers = original.split(b"\r\n\r\n", 1)[0].decode("ascii", "replace")
    return (
        f"Delivered-To: {envelope_from}\r\n"
        f"Date: {now}\r\n"
        "From: MAILER-DAEMON@relay.test (Mail Delivery System)\r\n"
        "Subject: Undelivered Mail Returned to Sender\r\n"
        f"To: {envelope_from}\r\n"
        "Auto-Submitted: auto-replied\r\n"
        "MIME-Version: 1.0\r\n"
        f'Content-Type: multipart/report; report-type=delivery-status;\r\n\tboundary="{boundary}"\r\n'
        f"Message-Id: {email.utils.make_msgid(domain='relay.test')}\r\n"
        "\r\n"
        "This is a MIME-encapsulated message.\r\n\r\n"
        f"--{boundary}\r\n"
        "Content-Description: Notification\r\n"
        "Content-Type: text/plain; charset=us-ascii\r\n\r\n"
        "This is the mail system at host relay.test.\r\n\r\n"
        "I'm sorry to have to inform you that your message could not\r\n"
        "be delivered to one or more recipients.\r\n\r\n"
        f"<{recipient}>: host mx.test[192.0.2.25] said: 550 5.1.1 <{recipient}>:\r\n"
        "    Recipient address rejected: User unknown (in reply to RCPT TO command)\r\n\r\n"
        f"--{boundary}\r\n"
        "Content-Description: Delivery report\r\n"
        "Content-Type: message/delivery-status\r\n\r\n"
        "Reporting-MTA: dns; relay.test\r\n"
        f"X-Postfix-Sender: rfc822; {envelope_from}\r\n"
        f"Arrival-Date: {now}\r\n\r\n"
        f"Final-Recipient: rfc822; {recipient}\r\n"
        f"Original-Recipient: rfc822;{recipient}\r\n"
        "Action: failed\r\n"
        "Status: 5.1.1\r\n"
        "Remote-MTA: dns; mx.test\r\n"
        f"Diagnostic-Code: smtp; 550 5.1.1 <{recipient}>: Recipient address rejected:\r\n"
        "    User unknown\r\n\r\n"
        f"--{boundary}\r\n"
        "Content-Description: Undelivered Message Headers\r\n"
        "Content-Type: text/rfc822-headers\r\n\r\n"
        f"{headers}\r\n\r\n"
        f"--{boundary}--\r\n"
    ).encode("ascii", "replace")


class Sink(Mailbox):
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.split("@", 1)[0].lower().startswith("unknown"):
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    def handle_message(self, message):
        super().handle_message(message)
        envelope_from = message.get("X-MailFrom", "")
        for rcpt in (message.get("X-RcptTo", "") or "").split(","):
            rcpt = rcpt.strip()
            if rcpt.split("@", 1)[0].lower().startswith("gone") and envelope_from:
                self.mailbox.add(delivery_status_notification(envelope_from, rcpt, message.as_bytes()))
