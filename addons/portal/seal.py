# This file is part of the insurance intermediary platform.
"""The platform's electronic seal on the PDFs it issues (PAdES).

``seal(pdf)`` signs the PDF with the platform's seal certificate, as a
PAdES B-T signature with an RFC 3161 timestamp when the configuration names
a time-stamping authority, B-B without one, and draws a visible stamp on the
last page naming the platform and the local time. Any PDF reader (Adobe
Reader, poppler's ``pdfsig``, pyHanko) then tells whether the document is
the one the platform issued. ``verify(pdf)`` is the same check, here.

The configuration, section ``[seal]`` (docs/operations.md)::

    certificate = /etc/platform/seal.cert.pem   # the seal certificate
    key = /etc/platform/seal.key.pem            # its private key (PEM)
    passphrase =                                # the key's, if encrypted
    chain = /etc/platform/ca.pem                # issuer certificates
    tsa_url = https://tsa.example/rfc3161       # RFC 3161 authority
    tsa_username =                              # its account, if any
    tsa_password =
    trust = /etc/platform/roots.pem             # roots verify() trusts
    name = Sportello Assicurativo               # on the stamp
    location = Italia                           # where it seals

Without ``certificate`` the documents are issued unsealed, with a warning.
"""
import atexit
import datetime as dt
import io
import logging
import os
import tempfile
import threading
from dataclasses import dataclass, field
from functools import lru_cache

from trytond import config

from . import formats, i18n

logger = logging.getLogger(__name__)
SECTION = 'seal'
FIELD = 'PlatformSeal'
DEFAULT_NAME = 'Sportello Assicurativo'
DEFAULT_LOCATION = 'Italia'
FONT = '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf'
# the stamp, at the bottom right of the last page, inside A4's margins
STAMP_BOX = (335, 8, 585, 46)
STAMP_TITLE = i18n.N_("Electronic seal of %(platform)s")
STAMP_TIME = i18n.N_("Sealed on %(time)s")
# room for the signature: certificates, timestamp token and its chain
RESERVED = 16384
_lock = threading.Lock()


def option(name, default=None):
    return config.get(SECTION, name, default=default) or default


def configured():
    "Tell whether the configuration names a seal certificate."
    return bool(option('certificate'))


def location():
    "Return where the seal is applied, as the configuration says."
    return option('location', DEFAULT_LOCATION)


def platform_name():
    return option('name', DEFAULT_NAME)


def _paths(value):
    return tuple((value or '').split())


@lru_cache(maxsize=4)
def _signer(certificate, key, chain, passphrase):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
    from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
    from pyhanko.sign import signers
    from pyhanko.sign.general import get_pyca_cryptography_hash

    class Signer(signers.SimpleSigner):
        "The seal's signer, its RSA key loaded once instead of each time."
        def sign_raw(self, data, digest_algorithm):
            mechanism = self.get_signature_mechanism_for_digest(
                digest_algorithm).signature_algo
            if mechanism != 'rsassa_pkcs1v15' or not isinstance(
                    private, RSAPrivateKey):
                return super().sign_raw(data, digest_algorithm)
            return private.sign(data, PKCS1v15(),
                get_pyca_cryptography_hash(digest_algorithm))

    loaded = signers.SimpleSigner.load(key, certificate,
        ca_chain_files=chain or None,
        key_passphrase=passphrase.encode() if passphrase else None)
    if loaded is None:
        raise ValueError(f"[seal] cannot load {certificate} and {key}")
    private = serialization.load_der_private_key(
        loaded.signing_key.dump(), password=None)
    return Signer(signing_cert=loaded.signing_cert,
        signing_key=loaded.signing_key, cert_registry=loaded.cert_registry)


def signer():
    "Return the seal's signer as the configuration names it."
    return _signer(option('certificate'), option('key'),
        _paths(option('chain')), option('passphrase'))


def timestamper():
    "Return the time-stamping authority's client, or None (B-B)."
    from pyhanko.sign.timestamps.requests_client import (
        RequestsHTTPTimeStamper)
    url = option('tsa_url')
    if not url:
        return None
    username = option('tsa_username')
    return RequestsHTTPTimeStamper(url, timeout=20,
        auth=(username, option('tsa_password', '')) if username else None)


def _shown(text, language):
    "Return the stamp's text in display order (Persian shaped)."
    if i18n.direction(language) != 'rtl':
        return text
    import arabic_reshaper
    from bidi import get_display
    return '\n'.join(get_display(arabic_reshaper.reshape(line))
        for line in text.split('\n'))


# the stamp's letters: Latin, Persian and its presentation forms, digits
STAMP_UNICODES = [*range(0x20, 0x7f), *range(0xa0, 0x180),
    *range(0x600, 0x700), *range(0x2000, 0x2070), *range(0xfb50, 0xfe00),
    *range(0xfe70, 0xff00)]


@lru_cache(maxsize=1)
def _font():
    """Return the stamp's font engine: DejaVu Sans cut down once to the
    stamp's letters, so each seal embeds its subset quickly, and scaled to
    1000 units an em."""
    from fontTools import subset
    from fontTools.ttLib.scaleUpem import scale_upem
    from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
    if not os.path.exists(FONT):
        return None
    options = subset.Options()
    options.layout_features = []
    options.name_IDs = ['*']
    font = subset.load_font(FONT, options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=STAMP_UNICODES)
    subsetter.subset(font)
    # pyHanko writes the glyph widths in font units, as if 1000 an em
    scale_upem(font, 1000)
    handle, path = tempfile.mkstemp(prefix='platform-stamp-', suffix='.ttf')
    with os.fdopen(handle, 'wb') as file:
        font.save(file)
    atexit.register(os.unlink, path)
    # the text comes in display order, Persian already shaped: left to right
    return GlyphAccumulatorFactory(path, font_size=7, writing_direction='ltr')


def stamp_style():
    from pyhanko.pdf_utils.text import TextBoxStyle
    from pyhanko.stamp import TextStampStyle
    font = _font()
    box = TextBoxStyle(font=font, font_size=7, leading=9) if font \
        else TextBoxStyle(font_size=7, leading=9)
    return TextStampStyle(stamp_text='%(text)s', text_box_style=box,
        border_width=1, background=None)


def stamp_text(language, when):
    "Return the stamp's lines: the platform and the local time."
    local = formats.local(when)
    time = formats.localize_digits(
        f"{formats.format_datetime(when, language, seconds=True)} "
        f"{formats.timezone_name()} ({local.strftime('%Z')})", language)
    return '\n'.join([
            i18n.gettext(STAMP_TITLE, language, platform=platform_name()),
            i18n.gettext(STAMP_TIME, language, time=time)])


def seal(pdf_bytes, *, reason, location, language):
    """Return the PDF sealed by the platform (PAdES B-T, or B-B without a
    time-stamping authority) with its stamp on the last page; the PDF as it
    is when no seal certificate is configured."""
    if not configured():
        logger.warning("[seal] certificate is not configured: the PDF is "
            "issued unsealed")
        return pdf_bytes
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers
    when = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes), strict=False)
    metadata = signers.PdfSignatureMetadata(
        field_name=FIELD, reason=reason, location=location,
        name=platform_name(), md_algorithm='sha256',
        subfilter=fields.SigSeedSubFilter.PADES)
    pdf_signer = signers.PdfSigner(metadata, signer(),
        timestamper=timestamper(), stamp_style=stamp_style(),
        new_field_spec=fields.SigFieldSpec(
            FIELD, on_page=-1, box=STAMP_BOX))
    # the font's glyph accumulator is shared: one signature at a time
    with _lock:
        output = pdf_signer.sign_pdf(writer, bytes_reserved=RESERVED,
            appearance_text_params={
                'text': _shown(stamp_text(language, when), language)})
    return output.getvalue()


@dataclass
class Verification:
    "What the check of a PDF's seal found."
    sealed: bool = False
    intact: bool = False
    valid: bool = False
    trusted: bool = False
    whole: bool = False
    timestamped: bool = False
    signer: str = ''
    signed_at: dt.datetime | None = None
    timestamp_failed: bool = False
    problems: list = field(default_factory=list)

    @property
    def ok(self):
        "The seal covers the whole document, unchanged, by a trusted key."
        return (self.sealed and self.intact and self.valid and self.whole
            and not self.timestamp_failed
            and (self.trusted or not option('trust')))

    def __str__(self):
        if not self.sealed:
            return "not sealed"
        state = "valid" if self.ok else "INVALID"
        when = f" {self.signed_at:%Y-%m-%d %H:%M:%S %Z}" \
            if self.signed_at else ''
        stamp = ", timestamped" if self.timestamped else ''
        problems = f" ({'; '.join(self.problems)})" if self.problems else ''
        return f"seal {state}: {self.signer}{when}{stamp}{problems}"


@lru_cache(maxsize=4)
def _trust_roots(paths):
    from asn1crypto import pem, x509
    roots = []
    for path in paths:
        with open(path, 'rb') as file:
            data = file.read()
        for _, _, der in pem.unarmor(data, multiple=True):
            roots.append(x509.Certificate.load(der))
    return roots


def validation_context():
    from pyhanko_certvalidator import ValidationContext
    return ValidationContext(
        trust_roots=_trust_roots(_paths(option('trust'))),
        allow_fetching=False)


def verify(pdf_bytes):
    """Return the Verification of the PDF's last seal: intact, valid,
    covering the whole file, by a certificate of the ``trust`` roots."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    result = Verification()
    try:
        reader = PdfFileReader(io.BytesIO(pdf_bytes), strict=False)
        signatures = reader.embedded_signatures
        if not signatures:
            return result
        result.sealed = True
        context = validation_context()
        status = validate_pdf_signature(signatures[-1],
            signer_validation_context=context,
            ts_validation_context=context)
    except Exception as error:  # a damaged file fails in many ways
        result.sealed = True
        result.problems.append(f"{type(error).__name__}: {error}")
        return result
    result.intact, result.valid = status.intact, status.valid
    result.trusted = status.trusted
    result.whole = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    result.signer = status.signing_cert.subject.human_friendly
    timestamp = status.timestamp_validity
    result.timestamped = bool(timestamp and timestamp.intact
        and timestamp.valid)
    result.signed_at = timestamp.timestamp if timestamp \
        else status.signer_reported_dt
    for ok, problem in [(status.intact, "document modified"),
            (status.valid, "signature invalid"),
            (result.whole, "signature does not cover the whole file"),
            (status.trusted or not option('trust'),
                "certificate not trusted"),
            (not timestamp or result.timestamped, "timestamp invalid")]:
        if not ok:
            result.problems.append(problem)
    result.timestamp_failed = bool(timestamp) and not result.timestamped
    return result
