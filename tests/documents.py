"""Generated dispatches for inbox tests and benchmarks: each one different (number, date,
issuer, units, deadline, citation), all in the register of real documents."""

from __future__ import annotations

import random

PROVINCES = ["Quảng Ngãi", "Bình Định", "Hải Dương", "Nghệ An", "Đồng Nai", "Thái Bình", "Lâm Đồng"]
SECTORS = [("Sở Tài chính", "STC"), ("Sở Nội vụ", "SNV"), ("Sở Y tế", "SYT"), ("Sở Xây dựng", "SXD"),
           ("Sở Tư pháp", "STP"), ("Sở Giáo dục và Đào tạo", "SGDĐT"), ("Sở Công Thương", "SCT")]
TOPICS = ["rà soát thủ tục hành chính", "báo cáo kết quả chuyển đổi số", "kiểm kê tài sản công",
          "phòng, chống thiên tai", "quyết toán ngân sách năm", "cải cách hành chính",
          "bảo đảm an toàn thông tin mạng"]
SIGNERS = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Hoàng Cường", "Phạm Minh Đức", "Võ Thị Hoa"]


def generated_document(index: int) -> str:
    """A công văn unique to `index` (its number is the index)."""
    rng = random.Random(index)
    province = rng.choice(PROVINCES)
    sector, code = rng.choice(SECTORS)
    other, _ = rng.choice([s for s in SECTORS if s[0] != sector])
    topic = rng.choice(TOPICS)
    month, day = rng.randint(1, 10), rng.randint(1, 28)
    year = rng.choice([2023, 2024, 2025])
    due_day, due_month = rng.randint(1, 28), month + rng.randint(1, 2)
    return f"""UBND TỈNH {province.upper()}
{sector.upper()}

CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc

Số: {index + 100}/{code}-VP
{province}, ngày {day:02d} tháng {month} năm {year}
V/v {topic}

Kính gửi:
- {other};
- UBND các huyện, thị xã, thành phố.

Thực hiện Kế hoạch số {rng.randint(10, 300)}/KH-UBND ngày {rng.randint(1, 28)}/{month}/{year} của UBND tỉnh về {topic}, {sector} đề nghị:

1. {other}

- Chủ trì, phối hợp với các đơn vị liên quan tổng hợp số liệu, gửi {sector} trước ngày {due_day:02d}/{due_month:02d}/{year}.

2. UBND các huyện, thị xã, thành phố

- Tổ chức triển khai thực hiện, báo cáo kết quả trong tháng {due_month + 1}/{year}.

Đề nghị các đơn vị quan tâm phối hợp thực hiện./.

Nơi nhận:
- Như trên;
- UBND tỉnh (b/c);
- Lưu: VT, VP.

GIÁM ĐỐC

{rng.choice(SIGNERS)}
"""
