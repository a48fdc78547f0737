"""Digital-signature stamps: how they are printed, and the values they carry.

Signed PDFs of Vietnamese bodies carry printed stamps of the signing certificates, usually
at the top of each page (Nghị định 30/2020, Phụ lục I, mục II; the government's and the
provinces' signing services print them):
- the government portal: "Người ký: Cổng Thông tin điện tử Chính phủ / Email: … / Cơ quan:
  Văn phòng Chính phủ / Thời gian ký: 10.10.2025 14:12:22 +07:00";
- a provincial publishing centre: "TRUNG TÂM CÔNG BÁO VÀ TIN HỌC / ttcbth@….gov.vn /
  18.03.2024 09:29:39 / +07:00" (no labels: the organization's name, an e-mail, a time);
- the issuer's own certificate: "Ký bởi: Ủy ban nhân dân tỉnh … / Cơ quan: … / Thời gian
  ký: 18/03/2024 08:41:42";
- an electronic copy: "SAO Y; Bộ Khoa học và Công nghệ; 07/10/2025 17:23:24".

They are data about the file, never the issuer, the date, the number or the subject: the
ingest stage keeps them out of the page text where it can, and the extract stage skips
the lines that carry them. Matching is on folded text (`orthography.fold`), so OCR that
drops a mark still matches.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .orthography import fold

# Labels of a stamp's fields, folded; the value follows a colon.
_SIGNER = r"nguoi\s*ky|ky\s*boi|signed\s*by|nguoi\s*ky\s*so"
_ORGANIZATION = r"co\s*quan|to\s*chuc|don\s*vi"
_EMAIL = r"e-?\s*mail|thu\s*dien\s*tu"
_TIME = r"thoi\s*gian\s*ky|ngay\s*ky|thoi\s*gian|ky\s*ngay"
_LABEL = re.compile(rf"^\W*(?P<label>{_SIGNER}|{_ORGANIZATION}|{_EMAIL}|{_TIME})\s*[:.]\s*(?P<value>.*)$")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# "18.03.2024 09:29:39", "18/03/2024 08:41:42", "2024-03-18 09:29:39", optional "+07:00".
DATETIME = re.compile(
    r"(?P<d>\d{1,2})[./-](?P<m>\d{1,2})[./-](?P<y>\d{4})[ ,T]*(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?"
    r"(?:\s*(?P<tz>[+-]\d{2}:?\d{2}))?"
)
_OFFSET = re.compile(r"^\W*(?P<tz>[+-]\d{2}:\d{2})\W*$")
_COPY = re.compile(r"^\W*(?:sao\s*y|sao\s*luc|trich\s*sao)\s*;")
# Organizations whose name is the whole of an unlabelled stamp's first lines.
_CENTRE = re.compile(r"trung\s*tam\s*cong\s*bao|cong\s*thong\s*tin\s*dien\s*tu|trung\s*tam\s*thong\s*tin")


_STRONG_LABEL = re.compile(rf"^\W*(?:{_SIGNER}|{_TIME})\s*[:.]")


def is_strong_stamp_line(text: str) -> bool:
    """A line only a stamp prints: "Người ký: …", "Ký bởi: …", "Thời gian ký: …", "SAO Y; …"."""
    folded = fold(text)
    return bool(_STRONG_LABEL.match(folded) or _COPY.match(folded))


def is_labelled_stamp_line(text: str) -> bool:
    """A stamp's line that names its field ("Người ký: …", "Email: …") or a copy's ("SAO Y;
    …"): such a stamp carries every value after its labels, nothing above it is its own."""
    folded = fold(text)
    return bool(_LABEL.match(folded) or _COPY.match(folded))


def is_stamp_line(text: str) -> bool:
    """True for a line that belongs to a digital-signature stamp."""
    folded = fold(text)
    return bool(_LABEL.match(folded) or _COPY.match(folded) or _OFFSET.match(folded)
                or (EMAIL.search(text) and len(text.split()) <= 3)
                or (DATETIME.search(text) and len(text.split()) <= 4 and not re.search(r"[^\W\d_]{3,}", folded))
                or (_CENTRE.search(folded) and len(text.split()) <= 9 and text.upper() == text))


@dataclass(frozen=True)
class DigitalSignature:
    """What one printed stamp says."""

    signer: str | None = None
    organization: str | None = None
    email: str | None = None
    time: str | None = None  # ISO 8601, with the offset when the stamp prints one

    @property
    def has_offset(self) -> bool:
        return bool(self.time and re.search(r"[+-]\d{2}:\d{2}$", self.time))


def iso_time(text: str) -> str | None:
    """The stamp's time as ISO 8601 ("2024-03-18T09:29:39+07:00"), or None."""
    match = DATETIME.search(text)
    if not match:
        return None
    day, month, year = int(match["d"]), int(match["m"]), int(match["y"])
    if not (1 <= day <= 31 and 1 <= month <= 12):
        return None
    seconds = match["S"] or "00"
    value = f"{year:04d}-{month:02d}-{day:02d}T{int(match['H']):02d}:{match['M']}:{seconds}"
    if match["tz"]:
        tz = match["tz"] if ":" in match["tz"] else f"{match['tz'][:3]}:{match['tz'][3:]}"
        value += tz
    return value


def _clean(value: str) -> str | None:
    value = re.sub(r"\s+", " ", value).strip(" ;,.")
    return value or None


def parse_stamp(lines: list[str]) -> DigitalSignature | None:
    """The values of one stamp, from its lines in reading order; None if it has none."""
    fields: dict[str, str | None] = {"signer": None, "organization": None, "email": None, "time": None}
    names: list[str] = []
    joined = " ".join(lines)
    if (copy := _COPY.match(fold(joined))) is not None:
        parts = [p.strip() for p in joined[copy.end():].split(";")]
        fields["signer"] = _clean(parts[0]) if parts else None
        fields["time"] = iso_time(joined)
        return DigitalSignature(**fields)
    last: str | None = None  # the field a wrapped value continues
    for line in lines:
        label = _LABEL.match(fold(line))
        if label:
            key = label.group("label")
            value = _clean(line[label.start("value"):])
            last = None
            if re.fullmatch(_SIGNER, key):
                last = "signer"
                fields["signer"] = fields["signer"] or value
            elif re.fullmatch(_ORGANIZATION, key):
                last = "organization"
                fields["organization"] = fields["organization"] or value
            elif re.fullmatch(_EMAIL, key):
                email = EMAIL.search(line)
                fields["email"] = fields["email"] or (email.group() if email else value)
            else:
                fields["time"] = fields["time"] or iso_time(line)
            continue
        if last and fields[last] and len(line.split()) <= 3 and not DATETIME.search(line) and not EMAIL.search(line):
            fields[last] = _clean(f"{fields[last]} {line}")  # a value wrapped onto the next line
            last = None
            continue
        if (email := EMAIL.search(line)) and fields["email"] is None:
            fields["email"] = email.group()
        elif (time := iso_time(line)) and fields["time"] is None:
            fields["time"] = time
        elif (offset := _OFFSET.match(line)) and fields["time"] and "+" not in fields["time"][10:]:
            fields["time"] += offset["tz"]
        elif not fields["email"] and not fields["time"] and re.search(r"[^\W\d_]", line):
            names.append(line.strip())
    if fields["signer"] is None and names:
        fields["signer"] = _clean(" ".join(names))
    if fields["signer"] is None and fields["organization"] is None and fields["time"] is None:
        return None
    return DigitalSignature(**fields)


def primary(stamps: list[DigitalSignature]) -> DigitalSignature | None:
    """The stamp that dates the file's publication: the one whose time carries an offset
    (the signing service's), else the first."""
    with_offset = [s for s in stamps if s.has_offset]
    return (with_offset or stamps or [None])[0]
