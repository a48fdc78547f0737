"""Generated dispatches for inbox tests, query tests and benchmarks: each one different
(number, date, issuer, units, deadlines, citation), all in the register of real documents.

`generated_document(i)` is the text a scanner or a typist would give; `generated_record(i)`
is the record vanthu makes of it, built directly (no extraction) so that an archive of
100,000 records can be made in seconds, with `params(i)` to compute expected answers. The
record is exactly what extraction gives (tests/test_roundtrip.py) for i < 999,900: the number
is i + 100, and printed numbers have at most six digits."""

from __future__ import annotations

import calendar
import functools
import hashlib
import random
from dataclasses import dataclass

PROVINCES = ["Quảng Ngãi", "Bình Định", "Hải Dương", "Nghệ An", "Đồng Nai", "Thái Bình", "Lâm Đồng"]
SECTORS = [("Sở Tài chính", "STC"), ("Sở Nội vụ", "SNV"), ("Sở Y tế", "SYT"), ("Sở Xây dựng", "SXD"),
           ("Sở Tư pháp", "STP"), ("Sở Giáo dục và Đào tạo", "SGDĐT"), ("Sở Công Thương", "SCT"),
           ("Sở Thông tin và Truyền thông", "STTTT")]
TOPICS = ["rà soát thủ tục hành chính", "báo cáo kết quả chuyển đổi số", "kiểm kê tài sản công",
          "phòng, chống thiên tai", "quyết toán ngân sách năm", "cải cách hành chính",
          "bảo đảm an toàn thông tin mạng"]
SIGNERS = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Hoàng Cường", "Phạm Minh Đức", "Võ Thị Hoa"]
# Every 1000th document mentions this conference, and nothing else does.
RARE_PHRASE = "Hội nghị Bạch Đằng"


@dataclass(frozen=True)
class Params:
    index: int
    province: str
    sector: str
    code: str
    other: str  # the recipient charged with the first task, as printed
    topic: str
    issued: str
    due: str  # the first task's due date
    due_month: str  # the second task's (the end of a month)
    plan: int  # the Kế hoạch cited
    signer: str

    @property
    def number(self) -> str:
        return str(self.index + 100)

    @property
    def symbol(self) -> str:
        return f"{self.code}-VP"


def params(index: int) -> Params:
    rng = random.Random(index)
    province = rng.choice(PROVINCES)
    sector, code = rng.choice(SECTORS)
    other = rng.choice([s for s, _ in SECTORS if s != sector])
    if other == "Sở Thông tin và Truyền thông" and index % 2:
        other = "Sở TT&TT"  # offices abbreviate it half the time
    topic = rng.choice(TOPICS)
    year, month, day = rng.choice([2023, 2024, 2025]), rng.randint(1, 9), rng.randint(1, 28)
    due_month = month + rng.randint(1, 2)
    last = calendar.monthrange(year, due_month + 1)[1]
    return Params(index, province, sector, code, other, topic, f"{year}-{month:02d}-{day:02d}",
                  f"{year}-{due_month:02d}-{rng.randint(1, 28):02d}", f"{year}-{due_month + 1:02d}-{last:02d}",
                  rng.randint(10, 300), rng.choice(SIGNERS))


def generated_document(index: int, p: Params | None = None) -> str:
    """A công văn unique to `index` (its number is the index + 100); `p` gives other values
    (dataclasses.replace(params(i), due=…): a deadline relative to today)."""
    p = p or params(index)
    year, month, day = (int(x) for x in p.issued.split("-"))
    due_year, due_month, due_day = (int(x) for x in p.due.split("-"))
    rare = f" Kết quả được báo cáo tại {RARE_PHRASE}." if index % 1000 == 0 else ""
    return f"""UBND TỈNH {p.province.upper()}
{p.sector.upper()}

CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc

Số: {p.number}/{p.symbol}
{p.province}, ngày {day:02d} tháng {month} năm {year}
V/v {p.topic}

Kính gửi:
- {p.other};
- UBND các huyện, thị xã, thành phố.

Thực hiện Kế hoạch số {p.plan}/KH-UBND ngày {day}/{month}/{year} của UBND tỉnh về {p.topic}, {p.sector} đề nghị:

1. {p.other} chủ trì, phối hợp với các đơn vị liên quan tổng hợp số liệu, gửi {p.sector} trước ngày {due_day:02d}/{due_month:02d}/{due_year}.{rare}

2. UBND các huyện, thị xã, thành phố

- Tổ chức triển khai thực hiện, báo cáo kết quả trong tháng {int(p.due_month[5:7])}/{p.due_month[:4]}.

Đề nghị các đơn vị quan tâm phối hợp thực hiện./.

Nơi nhận:
- Như trên;
- UBND tỉnh (b/c);
- Lưu: VT, VP.

GIÁM ĐỐC

{p.signer}
"""


@functools.lru_cache(maxsize=None)
def _organizations(role: str, printed: tuple[str, ...], province: str) -> tuple:
    """The organizations normalization makes of units printed in one role (a few hundred
    distinct calls over any archive: cached, so 100,000 records build in seconds)."""
    from vanthu.normalize.units import organizations

    return tuple(organizations(role, list(printed), province))


def generated_record(index: int, p: Params | None = None):
    """(record, ingest result) of `generated_document(index)` read from a text file, built
    without extraction: every value is what the extractor gives for that text
    (tests/test_roundtrip.py checks it)."""
    from vanthu.extract import EXTRACTOR_VERSION
    from vanthu.ingest import INGEST_VERSION
    from vanthu.ingest.models import IngestedText, PageInfo, Source
    from vanthu.normalize import NORMALIZER_VERSION
    from vanthu.normalize.record import Authority, Deadline, Directive, Record, Reference

    p = p or params(index)
    text = generated_document(index, p)
    units = "UBND các huyện, thị xã, thành phố"
    due = "/".join(reversed(p.due.split("-")))
    month = f"{int(p.due_month[5:7])}/{p.due_month[:4]}"
    first_task = f"{p.other} chủ trì, phối hợp với các đơn vị liên quan tổng hợp số liệu, gửi {p.sector} trước ngày {due}"
    second_task = f"Tổ chức triển khai thực hiện, báo cáo kết quả trong tháng {month}"
    rare = f" Kết quả được báo cáo tại {RARE_PHRASE}." if index % 1000 == 0 else ""
    parent = f"Ủy ban nhân dân tỉnh {p.province}"
    source = Source(path=f"archive/cv-{index:06d}.txt", sha256=hashlib.sha256(text.encode()).hexdigest(),
                    method="text", ingest_version=INGEST_VERSION, per_page=[PageInfo(number=1, method="text")])
    roles = [("issuer", (p.sector,)), ("parent_issuer", (parent,)), ("recipient", (p.other, units)),
             ("cc", ("Như trên", "UBND tỉnh (b/c)", "Lưu: VT, VP")), ("addressee", (p.other, units)),
             ("responsible", tuple(sorted({p.other, units}))), ("supporting", ("Các đơn vị liên quan",)),
             ("cited_issuer", ("Ủy ban nhân dân tỉnh",))]
    record = Record(
        doc_type="Công văn", number=p.number, symbol=p.symbol, issue_date=p.issued, place=p.province,
        issuer=p.sector, parent_issuer=parent, subject=p.topic, recipients=[p.other, units],
        directives=[Directive(id="1", addressee=p.other, text=f"{first_task}.{rare}"),
                    Directive(id="2", addressee=units, text=units,
                              items=[Directive(id="2.-1", text=f"{second_task}.")])],
        deadlines=[
            Deadline(date=p.due, text=first_task, responsible=p.other, supporting=["Các đơn vị liên quan"],
                     expression=f"trước ngày {due}", directive_id="1"),
            Deadline(date=p.due_month, text=second_task, responsible=units, expression=f"trong tháng {month}",
                     kind="month", directive_id="2.-1"),
        ],
        references=[Reference(doc_type="Kế hoạch", number=str(p.plan), symbol="KH-UBND", issue_date=p.issued,
                              issuer="Ủy ban nhân dân tỉnh")],
        signer=p.signer, signer_title="GIÁM ĐỐC", authority=[Authority(title="GIÁM ĐỐC")], cc=["Như trên", "UBND tỉnh (b/c)", "Lưu: VT, VP"],
        organizations=[o for role, printed in roles for o in _organizations(role, printed, p.province)],
        source=source, extractor_version=f"{INGEST_VERSION}+{EXTRACTOR_VERSION}+{NORMALIZER_VERSION}",
    )
    return record, IngestedText(text=text, source=source)
