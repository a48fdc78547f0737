"""The organization gazetteer: organ types, sector names, administrative levels, the
abbreviations offices use, and the positions that head a unit.

Shared by `knowledge.entities` (finding organizations in running text) and
by `normalize.organizations` (writing names out in canonical case). Everything here is
general to Vietnamese state and Party bodies, not to any particular province.

Sources (compiled for this project, not an official list): organ types, the abbreviations
offices print and the capitalization of names from Nghị định 30/2020/NĐ-CP (Phụ lục I-III);
ministries and sectors from Nghị quyết 176/2025/QH15 (the Government's structure) and the
ministries before it; provincial departments from Nghị định 24/2014/NĐ-CP and
45/2025/NĐ-CP; positions from the organization laws (Luật Tổ chức Chính phủ, Luật Tổ chức
chính quyền địa phương). Place names are not here: `places` reads them from underthesea's
administrative-unit table.
"""

from __future__ import annotations

# Abbreviation (folded, as a whole token) -> written-out form.
ABBREVIATIONS: dict[str, str] = {
    "ubnd": "Ủy ban nhân dân",
    "hdnd": "Hội đồng nhân dân",
    "ubmttq": "Ủy ban Mặt trận Tổ quốc",
    "ubmttqvn": "Ủy ban Mặt trận Tổ quốc Việt Nam",
    "mttq": "Mặt trận Tổ quốc",
    "mttqvn": "Mặt trận Tổ quốc Việt Nam",
    "vpub": "Văn phòng Ủy ban nhân dân",
    "vpubnd": "Văn phòng Ủy ban nhân dân",
    "vptu": "Văn phòng Tỉnh ủy",
    "vpcp": "Văn phòng Chính phủ",
    "vp": "Văn phòng",
    "bcd": "Ban Chỉ đạo",
    "btv": "Ban Thường vụ",
    "bch": "Ban Chấp hành",
    "bchqs": "Bộ Chỉ huy Quân sự",
    "ubkt": "Ủy ban Kiểm tra",
    "btg": "Ban Tuyên giáo",
    "ldld": "Liên đoàn Lao động",
    "bhxh": "Bảo hiểm xã hội",
    "kbnn": "Kho bạc Nhà nước",
    "tand": "Tòa án nhân dân",
    "vksnd": "Viện Kiểm sát nhân dân",
    "tp": "thành phố",
    "tp.": "thành phố",
    "hcm": "Hồ Chí Minh",
    "tphcm": "thành phố Hồ Chí Minh",
    "tp.hcm": "thành phố Hồ Chí Minh",
    "tt&tt": "Thông tin và Truyền thông",
    "tttt": "Thông tin và Truyền thông",
    "kh&cn": "Khoa học và Công nghệ",
    "khcn": "Khoa học và Công nghệ",
    "kh&dt": "Kế hoạch và Đầu tư",
    "khdt": "Kế hoạch và Đầu tư",
    "tn&mt": "Tài nguyên và Môi trường",
    "tnmt": "Tài nguyên và Môi trường",
    "nn&mt": "Nông nghiệp và Môi trường",
    "gd&dt": "Giáo dục và Đào tạo",
    "gddt": "Giáo dục và Đào tạo",
    "nn&ptnt": "Nông nghiệp và Phát triển nông thôn",
    "ldtb&xh": "Lao động - Thương binh và Xã hội",
    "ld-tb&xh": "Lao động - Thương binh và Xã hội",
    "vh,tt&dl": "Văn hóa, Thể thao và Du lịch",
    "vhttdl": "Văn hóa, Thể thao và Du lịch",
    "gtvt": "Giao thông vận tải",
    "pt-th": "Phát thanh và Truyền hình",
    "ptth": "Phát thanh và Truyền hình",
    "cntt": "công nghệ thông tin",
    "cds": "chuyển đổi số",
    "btttt": "Bộ Thông tin và Truyền thông",
    "skhcn": "Sở Khoa học và Công nghệ",
    "stttt": "Sở Thông tin và Truyền thông",
    # Positions, as cc lists abbreviate them ("CT, PCT UBND tỉnh"; "VPUB: CVP, PCVP").
    "ct": "Chủ tịch",
    "pct": "Phó Chủ tịch",
    "cvp": "Chánh Văn phòng",
    "pcvp": "Phó Chánh Văn phòng",
    "gd": "Giám đốc",
    "pgd": "Phó Giám đốc",
    "vt": "Văn thư",
}

# Abbreviations of positions, not of bodies ("CT, PCT UBND tỉnh"): a name starts with them,
# nothing else in it is one ("thành phố Bến Cát" read "BẾN CT" is not "Bến Chủ tịch").
POSITION_ABBREVIATIONS = frozenset({"ct", "pct", "cvp", "pcvp", "gd", "pgd", "vt"})

# Organ types whose canonical case is fixed. Longest first, so the longest one matches.
ORGAN_TYPES: tuple[str, ...] = tuple(sorted({
    "Ủy ban nhân dân", "Hội đồng nhân dân", "Ủy ban Mặt trận Tổ quốc Việt Nam",
    "Mặt trận Tổ quốc Việt Nam", "Ủy ban Mặt trận Tổ quốc", "Tỉnh ủy", "Thành ủy", "Huyện ủy",
    "Quận ủy", "Thị ủy", "Đảng ủy", "Ban Thường vụ", "Ban Chấp hành", "Ban Chỉ đạo",
    "Văn phòng", "Sở", "Bộ", "Ban", "Cục", "Chi cục", "Tổng cục", "Trung tâm", "Công an",
    "Bộ Chỉ huy Quân sự", "Kho bạc Nhà nước", "Thanh tra", "Đảng đoàn", "Ban cán sự đảng",
    "Liên đoàn Lao động", "Tỉnh đoàn", "Hội Nông dân", "Hội Liên hiệp Phụ nữ",
    "Hội Cựu chiến binh", "Ban Tuyên giáo", "Ban Tổ chức", "Ban Dân vận", "Ban Nội chính",
    "Ủy ban Kiểm tra", "Chính phủ", "Văn phòng Chính phủ", "Thủ tướng Chính phủ",
    "Ban Quản lý", "Bảo hiểm xã hội", "Đài Phát thanh và Truyền hình",
    "Đài Phát thanh - Truyền hình", "Báo", "Phòng", "Bộ Chính trị", "Ban Bí thư",
    "Văn phòng Trung ương Đảng", "Quốc hội", "Đoàn đại biểu Quốc hội", "Tòa án nhân dân",
    "Viện Kiểm sát nhân dân", "Cục Thuế", "Tổng cục Thuế", "Ngân hàng Nhà nước",
    "Bộ đội Biên phòng", "Ủy ban Quốc gia", "Đài", "Hội", "Trường", "Bệnh viện", "Công ty",
    "Tổng công ty", "Tập đoàn",
    "Thường trực Tỉnh ủy", "Thường trực HĐND", "Thường trực",
}, key=len, reverse=True))

# Specific names of departments and ministries, in canonical case.
SECTORS: tuple[str, ...] = (
    "Thông tin và Truyền thông", "Khoa học và Công nghệ", "Kế hoạch và Đầu tư", "Tài chính",
    "Nội vụ", "Tư pháp", "Công Thương", "Xây dựng", "Giao thông vận tải", "Y tế",
    "Tài nguyên và Môi trường", "Giáo dục và Đào tạo", "Nông nghiệp và Phát triển nông thôn",
    "Nông nghiệp và Môi trường", "Lao động - Thương binh và Xã hội", "Ngoại vụ", "Du lịch",
    "Văn hóa, Thể thao và Du lịch", "Văn hóa và Thể thao", "Dân tộc và Tôn giáo", "Quốc phòng",
    "Công an", "Ngoại giao", "Dân tộc", "Giao thông vận tải", "Trung ương Đảng", "Trung ương",
)

# Administrative levels: lowercase, and followed by a place name in title case.
LEVELS: tuple[str, ...] = ("thành phố", "thị xã", "thị trấn", "đặc khu", "tỉnh", "huyện",
                           "quận", "xã", "phường")

# Organ types that take a sector name ("Sở Tài chính", "Bộ Nội vụ").
SECTOR_ORGANS: tuple[str, ...] = ("Sở", "Bộ", "Phòng", "Ban", "Cục", "Chi cục")

# Positions that head a unit; "Giám đốc Sở Tài chính" charges the Sở.
POSITIONS: tuple[str, ...] = (
    "Thủ trưởng", "Chủ tịch", "Phó Chủ tịch", "Giám đốc", "Phó Giám đốc", "Chánh Văn phòng",
    "Trưởng ban", "Trưởng Ban", "Bí thư", "Bộ trưởng", "Thủ tướng", "Cục trưởng", "Chi cục trưởng",
    "Người đứng đầu", "Lãnh đạo", "Hiệu trưởng", "Chánh Thanh tra", "Tổng Giám đốc",
)

# Words that name a class of units rather than one body ("các sở, ban, ngành").
GROUP_WORDS: tuple[str, ...] = ("các", "những", "mọi", "toàn thể")

# Addressing the recipients themselves ("Quý cơ quan", "các đơn vị", "đề nghị …").
RECIPIENT_WORDS: tuple[str, ...] = ("quý cơ quan", "quý đơn vị", "quý địa phương", "quý vị")

# Phrases naming classes of units, common in addressee lists.
GROUP_PHRASES: tuple[str, ...] = (
    "tổ chức chính trị - xã hội", "tổ chức chính trị", "cơ quan chuyên môn", "đơn vị sự nghiệp",
    "cơ quan, đơn vị", "sở, ban, ngành", "cấp ủy", "chính quyền", "đảng ủy trực thuộc",
    "ban cán sự đảng", "đảng đoàn", "huyện ủy", "thị ủy", "thành ủy", "Tỉnh ủy viên",
    "đại biểu Quốc hội", "các cấp", "thị xã", "thành phố",
)


# What a signature block prints: the positions that sign (a "Chức vụ" line) and the bodies a
# TM. ("thay mặt") line names, in capitals as printed. From the positions and collective
# bodies named in Nghị định 30/2020/NĐ-CP (Phụ lục I, mục II.7: "Chức vụ, họ tên của người
# ký") and in the organization laws (Luật Tổ chức Chính phủ, Luật Tổ chức chính quyền địa
# phương), with the usual deputies ("PHÓ …"). Used to read a title line through OCR slips
# ("PHÓ CHỦ TIC", "THỦ TƯỞNG") and to tell a title line from noise.
SIGNING_POSITIONS: tuple[str, ...] = tuple(
    prefix + head for head in (
        "CHỦ TỊCH", "CHỦ TỊCH NƯỚC", "THỦ TƯỚNG", "BỘ TRƯỞNG", "CHỦ NHIỆM", "TỔNG THANH TRA",
        "THỐNG ĐỐC", "TỔNG KIỂM TOÁN", "GIÁM ĐỐC", "TỔNG GIÁM ĐỐC", "CỤC TRƯỞNG",
        "TỔNG CỤC TRƯỞNG", "CHI CỤC TRƯỞNG", "VỤ TRƯỞNG", "CHÁNH VĂN PHÒNG", "CHÁNH THANH TRA",
        "TRƯỞNG BAN", "TRƯỞNG PHÒNG", "HIỆU TRƯỞNG", "VIỆN TRƯỞNG", "BÍ THƯ", "CHÁNH ÁN",
        "VIỆN TRƯỞNG VIỆN KIỂM SÁT", "TRƯỞNG ĐOÀN", "TỔNG BÍ THƯ", "GIÁM ĐỐC ĐẠI HỌC",
        "TRƯỞNG KHOA", "THỦ TRƯỞNG", "TƯ LỆNH", "CHỈ HUY TRƯỞNG", "CHÍNH ỦY", "TRƯỞNG CÔNG AN",
    ) for prefix in ("", "PHÓ ")
) + ("THỨ TRƯỞNG", "ỦY VIÊN", "THƯ KÝ", "KẾ TOÁN TRƯỞNG", "BỘ TRƯỞNG, CHỦ NHIỆM")
SIGNING_BODIES: tuple[str, ...] = (
    "ỦY BAN NHÂN DÂN", "HỘI ĐỒNG NHÂN DÂN", "THƯỜNG TRỰC HỘI ĐỒNG NHÂN DÂN", "CHÍNH PHỦ",
    "BAN THƯỜNG VỤ", "BAN CHẤP HÀNH", "BAN CHỈ ĐẠO", "BAN CÁN SỰ ĐẢNG", "ĐẢNG ĐOÀN",
    "ĐOÀN CHỦ TỊCH", "HỘI ĐỒNG", "ỦY BAN", "TỈNH ỦY", "THÀNH ỦY", "HUYỆN ỦY", "ĐẢNG ỦY",
    "HỘI ĐỒNG QUẢN TRỊ", "HỘI ĐỒNG THÀNH VIÊN", "HỘI ĐỒNG TRƯỜNG", "BAN GIÁM ĐỐC",
    "BAN TỔ CHỨC", "BAN QUẢN LÝ", "ỦY BAN KIỂM TRA", "BỘ CHÍNH TRỊ", "BAN BÍ THƯ",
)
