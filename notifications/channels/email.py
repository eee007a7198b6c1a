"""Email: subject, text and HTML from templates; who needs to act, the reference and a link,
never case details. SMTP refusals with a 5xx code are permanent; anything else is retried."""

from __future__ import annotations

import smtplib

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

from notifications.messages import render_context
from notifications.models import Notification

from .base import DeliveryError


def render_email(notification: Notification) -> EmailMultiAlternatives:
    context = render_context(notification)
    subject = " ".join(render_to_string("emails/notification_subject.txt", context).split())
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("emails/notification.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.recipient.email],
    )
    message.attach_alternative(render_to_string("emails/notification.html", context), "text/html")
    return message


def smtp_error(error: Exception) -> DeliveryError:
    """5xx is permanent; 4xx (greylisting, a full queue: "451 try again later") is retried."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in error.recipients.values()]
        permanent = bool(codes) and all(500 <= code < 600 for code in codes)
        return DeliveryError(
            f"The mail server refused the address ({', '.join(map(str, codes))}): {error}",
            permanent=permanent,
        )
    if isinstance(error, smtplib.SMTPResponseException):
        permanent = 500 <= error.smtp_code < 600
        return DeliveryError(
            f"The mail server answered {error.smtp_code}: {error}", permanent=permanent
        )
    return DeliveryError(f"The mail server could not be reached: {error!r}")


class EmailChannel:
    name = "email"

    def send(self, notification: Notification) -> None:
        if not notification.recipient.email:
            raise DeliveryError("This person has no email address.", permanent=True)
        message = render_email(notification)
        try:
            message.send()
        except (smtplib.SMTPException, OSError) as error:
            raise smtp_error(error) from error
