"""Web addresses as the articles write them: an ``http``/``https`` URL, or a bare host name (``www.juventas.cn``).

A bare host name is stored as written (no invented scheme or path) and linked over https. Any other scheme
(``javascript:``, ``data:``, ``ftp:``) is refused, so a link built from a stored address is always http(s).
"""

import re

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator, URLValidator
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

from cgt_tracker.patterns import WHITESPACE

HTTP = re.compile(r"^https?://", re.IGNORECASE)
# A scheme is letters before a colon; "host:8080" (a port) is not one.
OTHER_SCHEME = re.compile(r"^(?:[a-z][a-z0-9+.-]*:(?!\d)|//)", re.IGNORECASE)
_http_url = URLValidator(schemes=["http", "https"])
_LABEL = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
# What the API schema promises (a client can check an address before sending it); the validator decides.
WEB_ADDRESS_PATTERN = (
    rf"^(?:[Hh][Tt][Tt][Pp][Ss]?://)?(?:{_LABEL}\.)+[A-Za-z]{{2,63}}(?::[0-9]{{1,5}})?(?:[/?#][^{WHITESPACE}]*)?$"
)


def web_address_href(address):
    """The link to ``address``: as written if it names http(s), else over https."""
    return address if HTTP.match(address) else f"https://{address}"


MESSAGE = _("Enter an http:// or https:// address, or a bare host name such as www.example.cn.")


@deconstructible
class WebAddressValidator(RegexValidator):
    """The pattern (which the API schema shows), then the scheme and Django's URL check of the link."""

    regex = WEB_ADDRESS_PATTERN
    message = MESSAGE
    code = "invalid"

    def __call__(self, address):
        super().__call__(address)
        try:
            if not HTTP.match(address) and OTHER_SCHEME.match(address):
                raise ValidationError("not http(s)")
            _http_url(web_address_href(address))
        except ValidationError as error:
            raise ValidationError(self.message, code=self.code) from error


validate_web_address = WebAddressValidator()
