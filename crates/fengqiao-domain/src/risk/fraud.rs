//! 电诈预警 — the three telecom-fraud models (冒充公检法, 冒充领导, 冒充客服) scoring a reported
//! incident or tip-off from its features into a warning level and a dissuasion task (劝阻).
//!
//! Each model is a table of points per feature, so a deployment tunes it as data; the score is
//! the sum of the features present and the explanation lists every one with its points.

use crate::dispute::group::AlertLevel;
use serde::{Deserialize, Serialize};

/// Who the caller claimed to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ClaimedIdentity {
    None,
    Police,
    Procuratorate,
    Court,
    /// The victim's own boss or a cadre (冒充领导).
    Leader,
    /// Customer service of a shop, platform, bank or courier (冒充客服).
    CustomerService,
    Other,
}

impl ClaimedIdentity {
    pub fn label_zh(self) -> &'static str {
        match self {
            ClaimedIdentity::None => "未自称身份",
            ClaimedIdentity::Police => "公安",
            ClaimedIdentity::Procuratorate => "检察院",
            ClaimedIdentity::Court => "法院",
            ClaimedIdentity::Leader => "领导",
            ClaimedIdentity::CustomerService => "客服",
            ClaimedIdentity::Other => "其他身份",
        }
    }
}

/// The story used to get the money.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Pretext {
    None,
    /// "Your account is involved in money laundering / a case" (涉案、洗钱).
    CaseInvestigation,
    /// "The leader needs money transferred now" (急需转账).
    UrgentTransfer,
    /// A refund or compensation for a purchase (退款理赔).
    Refund,
    /// Cancelling a membership or "student loan account" (注销会员/账户).
    CancelMembership,
    /// Repairing a credit record (修复征信).
    CreditRepair,
    Other,
}

impl Pretext {
    pub fn label_zh(self) -> &'static str {
        match self {
            Pretext::None => "无",
            Pretext::CaseInvestigation => "涉案调查",
            Pretext::UrgentTransfer => "急需转账",
            Pretext::Refund => "退款理赔",
            Pretext::CancelMembership => "注销会员",
            Pretext::CreditRepair => "修复征信",
            Pretext::Other => "其他",
        }
    }
}

/// How the victim was contacted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ContactChannel {
    PhoneCall,
    Sms,
    /// WeChat, QQ and other messengers.
    Messenger,
    VideoCall,
    App,
    InPerson,
    Other,
}

/// The features of one reported incident or tip-off, as the models read them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FraudFeatures {
    pub claimed_identity: ClaimedIdentity,
    pub pretext: Pretext,
    pub channel: ContactChannel,
    /// Asked to move money into a "safe account" (安全账户).
    #[serde(default)]
    pub safe_account_transfer: bool,
    /// Asked to share the phone screen (屏幕共享).
    #[serde(default)]
    pub screen_sharing: bool,
    /// Asked to install a remote-control or meeting app.
    #[serde(default)]
    pub remote_control_app: bool,
    /// Told to keep it secret from family, colleagues or the bank.
    #[serde(default)]
    pub asked_secrecy: bool,
    /// The victim handles an organisation's payments (财务人员).
    #[serde(default)]
    pub victim_handles_payments: bool,
    pub victim_age: Option<u8>,
    /// Amount asked for or already paid, in fen.
    #[serde(default)]
    pub amount_fen: i64,
    /// Money has already left the victim's account (then police stop-payment, not only dissuasion).
    #[serde(default)]
    pub money_transferred: bool,
}

/// Which model a score belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum FraudScheme {
    /// 冒充公检法
    ImpersonateAuthority,
    /// 冒充领导
    ImpersonateLeader,
    /// 冒充客服
    ImpersonateService,
}

impl FraudScheme {
    pub const ALL: [FraudScheme; 3] = [
        FraudScheme::ImpersonateAuthority,
        FraudScheme::ImpersonateLeader,
        FraudScheme::ImpersonateService,
    ];

    pub fn label_zh(self) -> &'static str {
        match self {
            FraudScheme::ImpersonateAuthority => "冒充公检法",
            FraudScheme::ImpersonateLeader => "冒充领导",
            FraudScheme::ImpersonateService => "冒充客服",
        }
    }
}

/// One feature's points in a model. `when` names the feature in [`FraudFeatures`] terms.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "when", rename_all = "snake_case", deny_unknown_fields)]
pub enum FeatureWeight {
    Identity {
        identities: Vec<ClaimedIdentity>,
        points: u32,
    },
    Pretext {
        pretexts: Vec<Pretext>,
        points: u32,
    },
    Channel {
        channels: Vec<ContactChannel>,
        points: u32,
    },
    SafeAccount {
        points: u32,
    },
    ScreenSharing {
        points: u32,
    },
    RemoteControlApp {
        points: u32,
    },
    AskedSecrecy {
        points: u32,
    },
    VictimHandlesPayments {
        points: u32,
    },
    /// The victim is at least `min_age` years old.
    VictimAge {
        min_age: u8,
        points: u32,
    },
    /// The amount is at least `min_fen`; of several such rows only the highest one met counts.
    Amount {
        min_fen: i64,
        points: u32,
    },
}

/// A fraud model: which scheme it recognises, the points per feature, and the level thresholds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct FraudModel {
    pub scheme: FraudScheme,
    /// The model only scores a report that shows this scheme's mark (its gate feature):
    /// a claimed identity or pretext in these lists.
    pub gate_identities: Vec<ClaimedIdentity>,
    #[serde(default)]
    pub gate_pretexts: Vec<Pretext>,
    pub weights: Vec<FeatureWeight>,
    /// Lowest scores for red, orange and yellow; below yellow no warning is raised.
    pub red_from: u32,
    pub orange_from: u32,
    pub yellow_from: u32,
    /// From this level up (or once money has left the account) the dissuasion goes to the police.
    pub police_from: AlertLevel,
}

/// Who is sent to dissuade the victim (劝阻).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DissuasionTarget {
    /// The grid worker of the victim's grid visits or calls.
    Grid,
    /// The police anti-fraud centre (and stop-payment when money has moved).
    Police,
}

impl DissuasionTarget {
    pub fn code(self) -> &'static str {
        match self {
            DissuasionTarget::Grid => "grid",
            DissuasionTarget::Police => "police",
        }
    }
}

/// A model's reading of one report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FraudScore {
    pub scheme: FraudScheme,
    pub score: u32,
    /// `None` below the yellow threshold (or when the gate feature is missing).
    pub level: Option<AlertLevel>,
    pub dissuasion: Option<DissuasionTarget>,
    /// One line per feature that scored, e.g. "要求转入“安全账户” +30".
    pub explanation: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FraudModelError {
    #[error(
        "thresholds must rise from yellow to orange to red (found yellow {yellow}, orange {orange}, red {red})"
    )]
    Thresholds { yellow: u32, orange: u32, red: u32 },
    #[error("gate_identities and gate_pretexts are both empty: the model would score every report")]
    NoGate,
    #[error("weights[{index}]: {reason}")]
    Weight { index: usize, reason: &'static str },
}

impl FraudModel {
    pub fn validate(&self) -> Result<(), FraudModelError> {
        if self.yellow_from == 0
            || self.yellow_from >= self.orange_from
            || self.orange_from >= self.red_from
        {
            return Err(FraudModelError::Thresholds {
                yellow: self.yellow_from,
                orange: self.orange_from,
                red: self.red_from,
            });
        }
        if self.gate_identities.is_empty() && self.gate_pretexts.is_empty() {
            return Err(FraudModelError::NoGate);
        }
        for (index, w) in self.weights.iter().enumerate() {
            let reason = match w {
                FeatureWeight::Identity { identities, .. } if identities.is_empty() => {
                    Some("identities must not be empty")
                }
                FeatureWeight::Pretext { pretexts, .. } if pretexts.is_empty() => {
                    Some("pretexts must not be empty")
                }
                FeatureWeight::Channel { channels, .. } if channels.is_empty() => {
                    Some("channels must not be empty")
                }
                FeatureWeight::Amount { min_fen, .. } if *min_fen <= 0 => {
                    Some("min_fen must be positive")
                }
                _ => None,
            };
            if let Some(reason) = reason {
                return Err(FraudModelError::Weight { index, reason });
            }
        }
        Ok(())
    }

    /// Scores one report. Pure and cheap: a pass over the weight table.
    pub fn score(&self, f: &FraudFeatures) -> FraudScore {
        let gated = self.gate_identities.contains(&f.claimed_identity)
            || self.gate_pretexts.contains(&f.pretext);
        let mut score = 0u32;
        let mut explanation = Vec::new();
        if !gated {
            return FraudScore {
                scheme: self.scheme,
                score,
                level: None,
                dissuasion: None,
                explanation,
            };
        }
        let mut add = |points: u32, why: String| {
            score = score.saturating_add(points);
            explanation.push(format!("{why} +{points}"));
        };
        let mut best_amount: Option<(i64, u32)> = None;
        for w in &self.weights {
            match w {
                FeatureWeight::Identity { identities, points }
                    if identities.contains(&f.claimed_identity) =>
                {
                    add(*points, format!("自称{}", f.claimed_identity.label_zh()));
                }
                FeatureWeight::Pretext { pretexts, points } if pretexts.contains(&f.pretext) => {
                    add(*points, format!("以“{}”为由", f.pretext.label_zh()));
                }
                FeatureWeight::Channel { channels, points } if channels.contains(&f.channel) => {
                    add(*points, format!("联系方式：{}", channel_zh(f.channel)));
                }
                FeatureWeight::SafeAccount { points } if f.safe_account_transfer => {
                    add(*points, "要求转入“安全账户”".into());
                }
                FeatureWeight::ScreenSharing { points } if f.screen_sharing => {
                    add(*points, "要求开启屏幕共享".into());
                }
                FeatureWeight::RemoteControlApp { points } if f.remote_control_app => {
                    add(*points, "诱导下载远程控制/会议软件".into());
                }
                FeatureWeight::AskedSecrecy { points } if f.asked_secrecy => {
                    add(*points, "要求对家人、单位或银行保密".into());
                }
                FeatureWeight::VictimHandlesPayments { points } if f.victim_handles_payments => {
                    add(*points, "受害人为财务人员".into());
                }
                FeatureWeight::VictimAge { min_age, points }
                    if f.victim_age.is_some_and(|age| age >= *min_age) =>
                {
                    add(*points, format!("受害人年满 {min_age} 岁"));
                }
                // Of several amount rows only the highest one met counts.
                FeatureWeight::Amount { min_fen, points }
                    if f.amount_fen >= *min_fen
                        && best_amount.is_none_or(|(m, _)| *min_fen > m) =>
                {
                    best_amount = Some((*min_fen, *points));
                }
                _ => {}
            }
        }
        if let Some((min_fen, points)) = best_amount {
            add(points, format!("涉及金额达 {} 元", min_fen / 100));
        }
        let level = if score >= self.red_from {
            Some(AlertLevel::Red)
        } else if score >= self.orange_from {
            Some(AlertLevel::Orange)
        } else if score >= self.yellow_from {
            Some(AlertLevel::Yellow)
        } else {
            None
        };
        let dissuasion = level.map(|level| {
            if f.money_transferred || level >= self.police_from {
                DissuasionTarget::Police
            } else {
                DissuasionTarget::Grid
            }
        });
        FraudScore {
            scheme: self.scheme,
            score,
            level,
            dissuasion,
            explanation,
        }
    }

    /// The shipped defaults for the three schemes.
    pub fn defaults() -> Vec<FraudModel> {
        use ClaimedIdentity as I;
        use ContactChannel as C;
        use FeatureWeight as W;
        use Pretext as P;
        let amounts = || {
            vec![
                W::Amount {
                    min_fen: 1_000_000,
                    points: 5,
                },
                W::Amount {
                    min_fen: 5_000_000,
                    points: 10,
                },
                W::Amount {
                    min_fen: 20_000_000,
                    points: 15,
                },
            ]
        };
        let authority = [I::Police, I::Procuratorate, I::Court];
        vec![
            FraudModel {
                scheme: FraudScheme::ImpersonateAuthority,
                gate_identities: authority.to_vec(),
                gate_pretexts: vec![P::CaseInvestigation],
                weights: [
                    vec![
                        W::Identity {
                            identities: authority.to_vec(),
                            points: 30,
                        },
                        W::Pretext {
                            pretexts: vec![P::CaseInvestigation],
                            points: 15,
                        },
                        W::SafeAccount { points: 30 },
                        W::ScreenSharing { points: 10 },
                        W::RemoteControlApp { points: 10 },
                        W::AskedSecrecy { points: 10 },
                        W::Channel {
                            channels: vec![C::PhoneCall, C::VideoCall],
                            points: 5,
                        },
                        W::VictimAge {
                            min_age: 60,
                            points: 10,
                        },
                    ],
                    amounts(),
                ]
                .concat(),
                red_from: 80,
                orange_from: 60,
                yellow_from: 40,
                police_from: AlertLevel::Orange,
            },
            FraudModel {
                scheme: FraudScheme::ImpersonateLeader,
                gate_identities: vec![I::Leader],
                gate_pretexts: vec![],
                weights: [
                    vec![
                        W::Identity {
                            identities: vec![I::Leader],
                            points: 35,
                        },
                        W::Pretext {
                            pretexts: vec![P::UrgentTransfer],
                            points: 25,
                        },
                        W::VictimHandlesPayments { points: 20 },
                        W::Channel {
                            channels: vec![C::Messenger],
                            points: 10,
                        },
                        W::AskedSecrecy { points: 10 },
                    ],
                    amounts(),
                ]
                .concat(),
                red_from: 85,
                orange_from: 65,
                yellow_from: 45,
                police_from: AlertLevel::Orange,
            },
            FraudModel {
                scheme: FraudScheme::ImpersonateService,
                gate_identities: vec![I::CustomerService],
                gate_pretexts: vec![P::Refund, P::CancelMembership, P::CreditRepair],
                weights: [
                    vec![
                        W::Identity {
                            identities: vec![I::CustomerService],
                            points: 25,
                        },
                        W::Pretext {
                            pretexts: vec![P::Refund, P::CancelMembership, P::CreditRepair],
                            points: 25,
                        },
                        W::ScreenSharing { points: 20 },
                        W::RemoteControlApp { points: 20 },
                        W::SafeAccount { points: 15 },
                        W::VictimAge {
                            min_age: 60,
                            points: 5,
                        },
                    ],
                    amounts(),
                ]
                .concat(),
                red_from: 80,
                orange_from: 60,
                yellow_from: 40,
                police_from: AlertLevel::Red,
            },
        ]
    }
}

fn channel_zh(c: ContactChannel) -> &'static str {
    match c {
        ContactChannel::PhoneCall => "电话",
        ContactChannel::Sms => "短信",
        ContactChannel::Messenger => "微信/QQ 等即时通讯",
        ContactChannel::VideoCall => "视频通话",
        ContactChannel::App => "App",
        ContactChannel::InPerson => "当面",
        ContactChannel::Other => "其他",
    }
}
