//! Realistic, unique Chinese personal names and mainland mobile numbers for demo users, drawn from a fixed-seed stream.

use super::prng::SplitMix64;
use std::collections::BTreeSet;

/// Common surnames, the most frequent ones listed twice so they come up about as often as in life.
const SURNAMES: [&str; 100] = [
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "王", "李", "张", "刘", "陈", "徐",
    "孙", "马", "朱", "胡", "郭", "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩",
    "冯", "邓", "曹", "彭", "曾", "肖", "田", "董", "袁", "潘", "于", "蒋", "蔡", "余", "杜", "叶",
    "程", "苏", "魏", "吕", "丁", "任", "沈", "姚", "卢", "姜", "崔", "钟", "谭", "陆", "汪", "范",
    "金", "石", "廖", "贾", "夏", "韦", "方", "白", "邹", "孟", "熊", "秦", "邱", "江", "尹", "薛",
    "段", "雷", "侯", "龙", "史", "陶", "黎", "贺", "顾", "毛", "郝", "龚", "邵", "钱", "严", "戴",
    "莫", "孔", "汤", "楼",
];

/// Given names as people actually carry them: two characters for most, one for some.
const MALE_GIVEN: [&str; 82] = [
    "建国", "建华", "建军", "建平", "志强", "志明", "志刚", "志华", "国强", "国庆", "国平", "海涛",
    "海波", "海峰", "晓东", "晓峰", "晓军", "俊杰", "俊辉", "文杰", "文斌", "文博", "子轩", "子豪",
    "浩然", "浩宇", "宇航", "宇轩", "嘉诚", "嘉豪", "明辉", "明亮", "立新", "立军", "永强", "永刚",
    "永明", "德明", "德华", "荣华", "振华", "振宇", "鹏飞", "鹏程", "春雷", "春生", "伟东", "伟民",
    "新民", "卫东", "学军", "庆丰", "长青", "金华", "金龙", "家乐", "家豪", "一鸣", "天佑", "天宇",
    "思远", "博文", "晨阳", "泽宇", "俊峰", "建新", "宏伟", "红军", "忠良", "福根", "水根", "根发",
    "阿强", "剑锋", "云飞", "旭东", "少华", "国栋", "伟华", "勇军", "江涛", "锦程",
];

const FEMALE_GIVEN: [&str; 73] = [
    "丽萍", "丽娟", "丽华", "秀英", "秀兰", "桂英", "桂芳", "玉兰", "玉梅", "美玲", "美华", "晓燕",
    "晓红", "晓丽", "海燕", "春梅", "春燕", "雪梅", "红霞", "丹丹", "婷婷", "静怡", "欣怡", "雨涵",
    "梓涵", "诗涵", "思琪", "佳怡", "雅婷", "慧敏", "文静", "淑芬", "淑珍", "月娥", "凤英", "素珍",
    "兰芳", "燕萍", "亚萍", "琳琳", "晶晶", "倩倩", "彩霞", "金凤", "爱华", "爱琴", "小红", "小燕",
    "巧玲", "雅琴", "月华", "雪芳", "琴芳", "建英", "丽君", "晓琳", "佳琪", "心怡", "子涵", "若曦",
    "可欣", "嘉怡", "梦瑶", "雨萱", "艳红", "美娟", "慧娟", "秀珍", "杏芳", "菊英", "银娣", "彩凤",
    "宁宁",
];

const MALE_SINGLE: [&str; 22] = [
    "伟", "强", "磊", "军", "勇", "杰", "涛", "明", "超", "刚", "平", "辉", "鹏", "斌", "峰", "浩",
    "凯", "波", "亮", "健", "鑫", "翔",
];

const FEMALE_SINGLE: [&str; 22] = [
    "芳", "娜", "敏", "静", "丽", "艳", "娟", "霞", "燕", "玲", "萍", "红", "琳", "婷", "颖", "洁",
    "琴", "倩", "丹", "蕾", "瑶", "璐",
];

/// Mobile prefixes of the three carriers; all are `1[3-9]x`.
const MOBILE_PREFIXES: [&str; 18] = [
    "135", "136", "137", "138", "139", "150", "151", "152", "157", "158", "159", "182", "183",
    "187", "188", "177", "189", "199",
];

/// Hands out names and phone numbers that are never repeated.
pub struct Directory {
    rng: SplitMix64,
    names: BTreeSet<String>,
    phones: BTreeSet<String>,
}

impl Directory {
    pub fn new(seed: u64) -> Self {
        Self {
            rng: SplitMix64::new(seed),
            names: BTreeSet::new(),
            phones: BTreeSet::new(),
        }
    }

    /// Reserves a hand-picked name so no generated person gets it too.
    pub fn reserve_name(&mut self, name: &str) {
        self.names.insert(name.to_owned());
    }

    /// A new unique name, with the given surname when there is one.
    pub fn name(&mut self, surname: Option<&str>) -> String {
        let mut attempt = 0u32;
        loop {
            attempt += 1;
            let family = match surname {
                Some(s) => s,
                None => self.rng.pick(&SURNAMES).copied().unwrap_or("王"),
            };
            let female = self.rng.next_u64().is_multiple_of(2);
            // About one in six people has a one-character given name.
            let single = self.rng.range(0, 6) == 0;
            let given: &[&str] = match (female, single) {
                (false, false) => &MALE_GIVEN,
                (true, false) => &FEMALE_GIVEN,
                (false, true) => &MALE_SINGLE,
                (true, true) => &FEMALE_SINGLE,
            };
            let candidate = format!("{family}{}", self.rng.pick(given).copied().unwrap_or("明"));
            // The name space holds over 15,000 names, so a few draws always suffice; the cap only
            // guarantees the loop ends, and a numbered name would fail the tests loudly.
            let candidate = if attempt > 1_000 {
                format!("{candidate}{attempt}")
            } else {
                candidate
            };
            if self.names.insert(candidate.clone()) {
                return candidate;
            }
        }
    }

    /// A new unique mobile number of the shape `1[3-9]\d{9}`.
    pub fn mobile(&mut self) -> String {
        loop {
            let prefix = self.rng.pick(&MOBILE_PREFIXES).copied().unwrap_or("139");
            let number = format!("{prefix}{:08}", self.rng.range(0, 100_000_000));
            if self.phones.insert(number.clone()) {
                return number;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_chinese_and_deterministic() {
        let mut a = Directory::new(5);
        let mut b = Directory::new(5);
        a.reserve_name("王伟");
        b.reserve_name("王伟");
        let names: Vec<String> = (0..2_000).map(|_| a.name(None)).collect();
        let again: Vec<String> = (0..2_000).map(|_| b.name(None)).collect();
        assert_eq!(names, again);
        let unique: BTreeSet<&String> = names.iter().collect();
        assert_eq!(unique.len(), names.len());
        assert!(!names.contains(&"王伟".to_owned()));
        for name in &names {
            let len = name.chars().count();
            assert!((2..=3).contains(&len), "{name}");
            assert!(
                name.chars().all(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                "{name}"
            );
        }
        assert!(a.name(Some("李")).starts_with('李'));
    }

    #[test]
    fn mobiles_have_the_mainland_shape() {
        let mut d = Directory::new(6);
        let phones: Vec<String> = (0..500).map(|_| d.mobile()).collect();
        let unique: BTreeSet<&String> = phones.iter().collect();
        assert_eq!(unique.len(), 500);
        for p in &phones {
            let bytes = p.as_bytes();
            assert_eq!(bytes.len(), 11, "{p}");
            assert_eq!(bytes[0], b'1');
            assert!((b'3'..=b'9').contains(&bytes[1]), "{p}");
            assert!(bytes.iter().all(u8::is_ascii_digit), "{p}");
        }
    }
}
