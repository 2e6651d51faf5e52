//! The demo city's hand-drawn plan: 临江市, its districts, streets and communities, and where each sits.

/// 临江市 — fictional. 3399xx is not a real GB/T 2260 prefecture (33 is Zhejiang, which stops at 3311xx).
pub const CITY_CODE: &str = "339900";
pub const CITY_NAME: &str = "临江市";

/// One district or county and its streets/towns, in code order.
pub struct DistrictSpec {
    pub code: &'static str,
    pub name: &'static str,
    pub streets: &'static [StreetSpec],
}

/// One street (街道) or town (镇). `letter` marks its blocks on [`BLOCK_MAP`]; the communities are
/// listed in the order their blocks are met on the map (north to south, then west to east), two per
/// block, the northern half first.
pub struct StreetSpec {
    pub letter: char,
    pub name: &'static str,
    pub communities: &'static [&'static str],
}

/// The city seen from above, north at the top. Each letter is one block of 2 × 5 lattice cells
/// (two communities of five grids each) belonging to the street with that letter. Streets and
/// districts are unions of blocks, so their outlines follow the lattice exactly.
///
/// 临溪区 west (a–d), 江城区 the old town in the middle (e–h), 东港区 by the harbour (j, k),
/// 桐山县 the hills to the east (l–n).
pub const BLOCK_MAP: [&str; 3] = ["aabeefjjmm", "cbbgffkjmn", "cddghhklln"];

/// Lattice cells per block: 2 wide, 5 tall.
pub const BLOCK_COLS: usize = 2;
pub const BLOCK_ROWS: usize = 5;

/// South-west corner of the lattice and the size of one cell in degrees (about 770 m × 550 m).
pub const ORIGIN: (f64, f64) = (120.12, 30.16);
pub const CELL_SIZE: (f64, f64) = (0.008, 0.005);

/// The first district is the one the fixed demo accounts work in.
pub const DISTRICTS: [DistrictSpec; 4] = [
    DistrictSpec {
        code: "339902",
        name: "江城区",
        streets: &[
            StreetSpec {
                letter: 'e',
                name: "鼓楼街道",
                communities: &["鼓楼社区", "大井巷社区", "红巷社区", "府前社区"],
            },
            StreetSpec {
                letter: 'f',
                name: "望江街道",
                communities: &[
                    "望江社区",
                    "江滨社区",
                    "水门社区",
                    "候潮社区",
                    "近江社区",
                    "春江社区",
                ],
            },
            StreetSpec {
                letter: 'g',
                name: "南浦街道",
                communities: &["南浦社区", "花园社区", "长生社区", "紫荆社区"],
            },
            StreetSpec {
                letter: 'h',
                name: "白沙街道",
                communities: &["白沙社区", "樟树社区", "沙井社区", "新民社区"],
            },
        ],
    },
    DistrictSpec {
        code: "339903",
        name: "临溪区",
        streets: &[
            StreetSpec {
                letter: 'a',
                name: "溪口街道",
                communities: &["溪口社区", "金桥社区", "翠苑社区", "学府社区"],
            },
            StreetSpec {
                letter: 'b',
                name: "文昌街道",
                communities: &[
                    "文昌社区",
                    "文晖社区",
                    "桂花社区",
                    "双桥社区",
                    "钟楼社区",
                    "丰乐社区",
                ],
            },
            StreetSpec {
                letter: 'c',
                name: "新塘街道",
                communities: &["新塘社区", "永兴社区", "荷花社区", "塘西社区"],
            },
            StreetSpec {
                letter: 'd',
                name: "柳营街道",
                communities: &["柳营社区", "兴隆社区", "安居社区", "和平社区"],
            },
        ],
    },
    DistrictSpec {
        code: "339904",
        name: "东港区",
        streets: &[
            StreetSpec {
                letter: 'j',
                name: "东港街道",
                communities: &[
                    "东港社区",
                    "港城社区",
                    "海天社区",
                    "滨海社区",
                    "渔港社区",
                    "新城社区",
                ],
            },
            StreetSpec {
                letter: 'k',
                name: "沙洲街道",
                communities: &["沙洲社区", "长洲社区", "明珠社区", "蓝湾社区"],
            },
        ],
    },
    DistrictSpec {
        // Counties take 21–29 in GB/T 2260, districts 01–20.
        code: "339921",
        name: "桐山县",
        streets: &[
            StreetSpec {
                letter: 'l',
                name: "桐山镇",
                communities: &["桐山社区", "城南社区", "下湾村", "上杭村"],
            },
            StreetSpec {
                letter: 'm',
                name: "青石镇",
                communities: &["青石村", "石门村", "后塘村", "茶园村", "竹坞村", "岭下村"],
            },
            StreetSpec {
                letter: 'n',
                name: "梅岭镇",
                communities: &["梅岭村", "枫树湾村", "溪头村", "大坑村"],
            },
        ],
    },
];

/// Statistical code suffixes: 街道 001–099 and 镇 101–199 under a district; 社区 (居委会) 001–199 and
/// 村 (村委会) 201–399 under a street — the ranges GB/T 10114 uses.
pub fn street_suffix_base(name: &str) -> usize {
    if name.ends_with('镇') { 100 } else { 0 }
}

pub fn community_suffix_base(name: &str) -> usize {
    if name.ends_with('村') { 200 } else { 0 }
}

/// An industry grid (行业专属网格) laid over one cell of a community.
pub struct IndustrySpec {
    pub community: &'static str,
    pub name: &'static str,
    pub kind: fengqiao_domain::region::GridKind,
    /// Which of the community's five cells (0–4, grid 001–005) it sits in.
    pub cell: usize,
    /// Radius as a fraction of the cell; capped so that the overlay stays inside the cell.
    pub radius: f64,
}

pub const INDUSTRY_GRIDS: [IndustrySpec; 13] = {
    use fengqiao_domain::region::GridKind::*;
    [
        IndustrySpec {
            community: "府前社区",
            name: "临江市第一人民医院",
            kind: Hospital,
            cell: 2,
            radius: 0.22,
        },
        IndustrySpec {
            community: "大井巷社区",
            name: "临江市第一中学",
            kind: School,
            cell: 1,
            radius: 0.2,
        },
        IndustrySpec {
            community: "红巷社区",
            name: "红巷农贸市场",
            kind: Market,
            cell: 3,
            radius: 0.15,
        },
        IndustrySpec {
            community: "江滨社区",
            name: "江心洲景区",
            kind: ScenicArea,
            cell: 0,
            radius: 0.24,
        },
        IndustrySpec {
            community: "花园社区",
            name: "南浦实验小学",
            kind: School,
            cell: 2,
            radius: 0.16,
        },
        IndustrySpec {
            community: "文昌社区",
            name: "临江市中医院",
            kind: Hospital,
            cell: 2,
            radius: 0.18,
        },
        IndustrySpec {
            community: "荷花社区",
            name: "临溪湿地公园",
            kind: ScenicArea,
            cell: 4,
            radius: 0.24,
        },
        IndustrySpec {
            community: "兴隆社区",
            name: "临江国际服装城",
            kind: Market,
            cell: 1,
            radius: 0.24,
        },
        IndustrySpec {
            community: "学府社区",
            name: "临江职业技术学院",
            kind: School,
            cell: 3,
            radius: 0.25,
        },
        IndustrySpec {
            community: "港城社区",
            name: "临江经济技术开发区",
            kind: IndustrialPark,
            cell: 2,
            radius: 0.25,
        },
        IndustrySpec {
            community: "明珠社区",
            name: "东港区人民医院",
            kind: Hospital,
            cell: 0,
            radius: 0.18,
        },
        IndustrySpec {
            community: "城南社区",
            name: "桐山工业园区",
            kind: IndustrialPark,
            cell: 4,
            radius: 0.25,
        },
        IndustrySpec {
            community: "枫树湾村",
            name: "梅岭风景区",
            kind: ScenicArea,
            cell: 2,
            radius: 0.24,
        },
    ]
};
