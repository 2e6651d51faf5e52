//! Dispute cases: intake with the lifetime tracking code, parties (identifiers encrypted), the
//! scoped case list and detail, and the one write path for stage changes ([`Store::apply_command`]).

use crate::audit::{self, AuditCtx};
use crate::crypto::FieldCipher;
use crate::db::{Store, Tx};
use crate::error::{Result, StoreError};
use crate::page::{Page, PageRequest};
use crate::regions::get_region_in;
use crate::scope::Scope;
use fengqiao_domain::dispute::group::{GroupKey, GroupParams, RespondentKey};
use fengqiao_domain::dispute::stage::{Actor, CaseState, Command, Effect, Stage, decide};
use fengqiao_domain::dispute::{Channel, PartyKind, PartyRole, clocks_started_by};
use fengqiao_domain::identifiers::{CreditCode, MobileNumber, ResidentId};
use fengqiao_domain::role::Role;
use fengqiao_domain::time::Timestamp;
use fengqiao_domain::tracking_code::{AccessSecret, TrackingCode};
use fengqiao_domain::validation::Problems;
use sea_query::{Alias, Expr, ExprTrait, Iden, Order, Query, SelectStatement};

mod extensions;
mod online;
mod reveal;
pub use extensions::{NewExtension, StoredExtension, granted_extensions};
use serde::{Deserialize, Serialize};

#[derive(Iden)]
pub(crate) enum Disputes {
    Table,
    Id,
    Code,
    SecretEnc,
    PhoneLast4Index,
    Title,
    DisputeType,
    Facts,
    Claims,
    AmountFen,
    RegionCode,
    RegionPath,
    Address,
    Channel,
    Flags,
    Stage,
    StageBeforeMerge,
    MergedInto,
    GroupKey,
    RespondentKey,
    RoutingJson,
    IdempotencyKey,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
    ClosedAt,
}

#[derive(Iden)]
enum DisputeParties {
    Table,
    Id,
    DisputeId,
    Seq,
    Role,
    Kind,
    Name,
    IdNumberEnc,
    IdNumberIndex,
    IdNumberMasked,
    CreditCode,
    PhoneEnc,
    PhoneIndex,
    PhoneMasked,
    Address,
    LegalRepresentative,
}

#[derive(Iden)]
pub(crate) enum DisputeAssignments {
    Table,
    DisputeId,
    OrgId,
    Kind,
    AssignedAt,
}

#[derive(Iden)]
enum DisputeEvents {
    Table,
    Id,
    DisputeId,
    At,
    ActorUserId,
    ActorKind,
    Command,
    FromStage,
    ToStage,
    DetailJson,
    PublicNote,
}

#[derive(Iden)]
enum DisputeClocks {
    Table,
    Id,
    DisputeId,
    ClockId,
    Event,
    StartedAt,
    PausedSince,
    PausesJson,
    StoppedAt,
    ExtensionsJson,
}

#[derive(Iden)]
enum DisputeTypes {
    Table,
    Code,
    NameZh,
    Specialty,
    LegalClock,
    Active,
    UpdatedAt,
}

/// One party as entered at intake.
#[derive(Debug, Clone)]
pub struct NewParty {
    pub role: PartyRole,
    pub kind: PartyKind,
    pub name: String,
    pub id_number: Option<ResidentId>,
    pub credit_code: Option<CreditCode>,
    pub phone: Option<MobileNumber>,
    pub address: String,
    /// 法定代表人 of an entity party.
    pub legal_representative: Option<String>,
}

/// A dispute as registered at intake.
#[derive(Debug, Clone)]
pub struct NewDispute {
    pub title: String,
    pub dispute_type: String,
    pub facts: String,
    pub claims: String,
    pub amount_fen: i64,
    pub region_code: String,
    pub address: String,
    pub channel: Channel,
    pub flags: Vec<String>,
    pub parties: Vec<NewParty>,
    pub idempotency_key: Option<String>,
}

/// Randomness the edge supplies for a new case (the domain and store never draw it themselves).
#[derive(Debug, Clone, Copy)]
pub struct IntakeRandom {
    pub code: u64,
    pub secret: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct DisputeRow {
    pub id: String,
    pub code: String,
    #[serde(skip)]
    pub secret_enc: String,
    #[serde(skip)]
    pub phone_last4_index: Option<String>,
    pub title: String,
    pub dispute_type: String,
    pub facts: String,
    pub claims: String,
    pub amount_fen: i64,
    pub region_code: String,
    pub region_path: String,
    pub address: String,
    pub channel: String,
    pub flags: String,
    pub stage: String,
    pub stage_before_merge: Option<String>,
    pub merged_into: Option<String>,
    pub group_key: Option<String>,
    pub respondent_key: Option<String>,
    pub routing_json: Option<String>,
    #[serde(skip)]
    pub idempotency_key: Option<String>,
    pub created_by: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
    pub closed_at: Option<i64>,
}

impl DisputeRow {
    pub fn stage(&self) -> Result<Stage> {
        self.stage.parse().map_err(StoreError::Corrupt)
    }
    pub fn flags(&self) -> Vec<String> {
        self.flags
            .split(',')
            .filter(|f| !f.is_empty())
            .map(str::to_owned)
            .collect()
    }
    /// The code as printed: grouped digits.
    pub fn display_code(&self) -> String {
        TrackingCode::parse(&self.code)
            .map(|c| c.to_string())
            .unwrap_or_else(|_| self.code.clone())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct PartyRow {
    pub id: String,
    pub dispute_id: String,
    pub seq: i64,
    pub role: String,
    pub kind: String,
    pub name: String,
    #[serde(skip)]
    pub id_number_enc: Option<String>,
    #[serde(skip)]
    pub id_number_index: Option<String>,
    pub id_number_masked: Option<String>,
    pub credit_code: Option<String>,
    #[serde(skip)]
    pub phone_enc: Option<String>,
    #[serde(skip)]
    pub phone_index: Option<String>,
    pub phone_masked: Option<String>,
    pub address: String,
    pub legal_representative: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct AssignmentRow {
    pub dispute_id: String,
    pub org_id: String,
    pub kind: String,
    pub assigned_at: i64,
    pub org_name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct EventRow {
    pub id: String,
    pub dispute_id: String,
    pub at: i64,
    pub actor_user_id: Option<String>,
    pub actor_kind: String,
    pub command: String,
    pub from_stage: Option<String>,
    pub to_stage: String,
    pub detail_json: String,
    pub public_note: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct ClockRow {
    pub id: String,
    pub dispute_id: String,
    pub clock_id: String,
    pub event: String,
    pub started_at: i64,
    pub paused_since: Option<i64>,
    pub pauses_json: String,
    pub stopped_at: Option<i64>,
    /// Extensions granted (`[GrantedExtension]` plus reason and reference), JSON.
    pub extensions_json: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
pub struct DisputeTypeRow {
    pub code: String,
    pub name_zh: String,
    pub specialty: Option<String>,
    pub legal_clock: Option<String>,
    pub active: bool,
    pub updated_at: i64,
}

impl DisputeTypeRow {
    pub fn from_domain(t: &fengqiao_domain::dispute::taxonomy::DisputeType, at: Timestamp) -> Self {
        Self {
            code: t.code.clone(),
            name_zh: t.name_zh.clone(),
            specialty: t.specialty.map(|s| s.code().to_owned()),
            legal_clock: t.legal_clock.clone(),
            active: t.active,
            updated_at: at.as_micros(),
        }
    }
    /// The built-in taxonomy (DOMAIN §3.1).
    pub fn defaults(at: Timestamp) -> Vec<Self> {
        fengqiao_domain::dispute::taxonomy::default_dispute_types()
            .iter()
            .map(|t| Self::from_domain(t, at))
            .collect()
    }
}

/// An open case that looks like the same matter (信访工作条例 art. 19: one matter, one handling).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct DuplicateHint {
    pub id: String,
    pub code: String,
    pub stage: String,
    pub region_code: String,
}

/// The result of intake.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Created {
    pub dispute: DisputeRow,
    /// Printed on the 受理通知书 with the code; the second factor for party access.
    pub access_secret: String,
    pub duplicates: Vec<DuplicateHint>,
    /// True when an earlier request with the same idempotency key created this case.
    pub replayed: bool,
    /// The mass-involvement alert this filing raised or updated, if any.
    pub alert: Option<crate::alerts::AlertRow>,
}

/// A case with everything the detail page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DisputeDetail {
    pub dispute: DisputeRow,
    pub parties: Vec<PartyRow>,
    pub assignments: Vec<AssignmentRow>,
    pub events: Vec<EventRow>,
    pub clocks: Vec<ClockRow>,
}

/// Who may see which cases: their jurisdiction's cases, plus cases assigned to their body.
#[derive(Debug, Clone)]
pub struct CaseScope {
    pub region: Scope,
    pub org_id: Option<String>,
}

impl CaseScope {
    pub fn everything() -> Self {
        Self {
            region: Scope::Everything,
            org_id: None,
        }
    }
    fn condition(&self) -> sea_query::SimpleExpr {
        let region = self
            .region
            .path_condition((Disputes::Table, Disputes::RegionPath));
        match &self.org_id {
            Some(org) => region.or(Expr::col((Disputes::Table, Disputes::Id)).in_subquery(
                Query::select()
                    .column(DisputeAssignments::DisputeId)
                    .from(DisputeAssignments::Table)
                    .and_where(Expr::col(DisputeAssignments::OrgId).eq(org.as_str()))
                    .to_owned(),
            )),
            None => region,
        }
    }
}

/// Who issues a command: staff (with their roles and body) or the applicant via the code.
#[derive(Debug, Clone)]
pub enum Issuer {
    Staff {
        user_id: String,
        org_id: String,
        roles: Vec<Role>,
        region: Scope,
    },
    Applicant,
}

#[derive(Debug, Clone, Default)]
pub struct DisputeFilter {
    pub stage: Option<Stage>,
    pub dispute_type: Option<String>,
    /// Only cases assigned to this organisation.
    pub assigned_to: Option<String>,
    /// Title, code or facts contain this text.
    pub text: Option<String>,
    pub open_only: bool,
    /// Only cases under this materialised region path (a district, street or community).
    pub region_path: Option<String>,
    /// Only the cases of one group (mass-involvement group key).
    pub group_key: Option<String>,
}

const PARTY_COLUMNS: [DisputeParties; 15] = [
    DisputeParties::Id,
    DisputeParties::DisputeId,
    DisputeParties::Seq,
    DisputeParties::Role,
    DisputeParties::Kind,
    DisputeParties::Name,
    DisputeParties::IdNumberEnc,
    DisputeParties::IdNumberIndex,
    DisputeParties::IdNumberMasked,
    DisputeParties::CreditCode,
    DisputeParties::PhoneEnc,
    DisputeParties::PhoneIndex,
    DisputeParties::PhoneMasked,
    DisputeParties::Address,
    DisputeParties::LegalRepresentative,
];

const EVENT_COLUMNS: [DisputeEvents; 10] = [
    DisputeEvents::Id,
    DisputeEvents::DisputeId,
    DisputeEvents::At,
    DisputeEvents::ActorUserId,
    DisputeEvents::ActorKind,
    DisputeEvents::Command,
    DisputeEvents::FromStage,
    DisputeEvents::ToStage,
    DisputeEvents::DetailJson,
    DisputeEvents::PublicNote,
];

const TYPE_COLUMNS: [DisputeTypes; 6] = [
    DisputeTypes::Code,
    DisputeTypes::NameZh,
    DisputeTypes::Specialty,
    DisputeTypes::LegalClock,
    DisputeTypes::Active,
    DisputeTypes::UpdatedAt,
];

const CLOCK_COLUMNS: [DisputeClocks; 9] = [
    DisputeClocks::Id,
    DisputeClocks::DisputeId,
    DisputeClocks::ClockId,
    DisputeClocks::Event,
    DisputeClocks::StartedAt,
    DisputeClocks::PausedSince,
    DisputeClocks::PausesJson,
    DisputeClocks::StoppedAt,
    DisputeClocks::ExtensionsJson,
];

const DISPUTE_COLUMNS: [Disputes; 25] = [
    Disputes::Id,
    Disputes::Code,
    Disputes::SecretEnc,
    Disputes::PhoneLast4Index,
    Disputes::Title,
    Disputes::DisputeType,
    Disputes::Facts,
    Disputes::Claims,
    Disputes::AmountFen,
    Disputes::RegionCode,
    Disputes::RegionPath,
    Disputes::Address,
    Disputes::Channel,
    Disputes::Flags,
    Disputes::Stage,
    Disputes::StageBeforeMerge,
    Disputes::MergedInto,
    Disputes::GroupKey,
    Disputes::RespondentKey,
    Disputes::RoutingJson,
    Disputes::IdempotencyKey,
    Disputes::CreatedBy,
    Disputes::CreatedAt,
    Disputes::UpdatedAt,
    Disputes::ClosedAt,
];

fn select_disputes() -> SelectStatement {
    Query::select()
        .columns(DISPUTE_COLUMNS.map(|c| (Disputes::Table, c)))
        .from(Disputes::Table)
        .to_owned()
}

fn flags_text(flags: &[String]) -> String {
    let mut f: Vec<&str> = flags
        .iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .collect();
    f.sort_unstable();
    f.dedup();
    format!(",{},", f.join(","))
}

/// The first respondent's group identity: its credit code, else its spelling-normalised name.
pub fn respondent_of(parties: &[NewParty]) -> Option<RespondentKey> {
    parties
        .iter()
        .find(|p| p.role == PartyRole::Respondent)
        .map(|p| {
            RespondentKey::new(&p.name, p.credit_code.as_ref().map(|c| c.as_str())).canonical()
        })
}

/// The stored form of [`respondent_of`].
pub fn respondent_key(parties: &[NewParty]) -> Option<String> {
    respondent_of(parties).map(|r| GroupKey::Respondent(r).storage_key())
}

async fn get_in(tx: &mut Tx, scope: &CaseScope, id: &str) -> Result<DisputeRow> {
    let q = select_disputes()
        .and_where(Expr::col((Disputes::Table, Disputes::Id)).eq(id))
        .and_where(scope.condition())
        .to_owned();
    tx.fetch_optional(&q)
        .await?
        .ok_or(StoreError::NotFound { entity: "dispute" })
}

async fn assignments_in(tx: &mut Tx, id: &str) -> Result<Vec<(String, String)>> {
    let q = Query::select()
        .columns([DisputeAssignments::OrgId, DisputeAssignments::Kind])
        .from(DisputeAssignments::Table)
        .and_where(Expr::col(DisputeAssignments::DisputeId).eq(id))
        .to_owned();
    Ok(tx.fetch_all(&q).await?)
}

impl Store {
    /// Registers a dispute: validates, mints the code, encrypts identifiers, writes parties, the
    /// first timeline event and one audit entry — all in one transaction.
    pub async fn create_dispute(
        &self,
        ctx: &AuditCtx,
        scope: &Scope,
        cipher: &FieldCipher,
        id: &str,
        random: IntakeRandom,
        input: &NewDispute,
    ) -> Result<Created> {
        let mut tx = self.begin().await?;
        if let Some(key) = &input.idempotency_key {
            let q = select_disputes()
                .and_where(Expr::col((Disputes::Table, Disputes::IdempotencyKey)).eq(key.as_str()))
                .to_owned();
            if let Some(existing) = tx.fetch_optional::<DisputeRow>(&q).await? {
                let secret = cipher.decrypt(&existing.secret_enc)?;
                return Ok(Created {
                    dispute: existing,
                    access_secret: secret,
                    duplicates: vec![],
                    replayed: true,
                    alert: None,
                });
            }
        }
        let mut problems = Problems::default();
        let title = problems.text("title", &input.title, 100);
        let facts = problems.text("facts", &input.facts, 20_000);
        let claims = problems.text("claims", &input.claims, 10_000);
        let address = problems.optional_text("address", &input.address, 200);
        if input.amount_fen < 0 {
            problems.push("amount_fen", "negative", "争议金额不能为负");
        }
        let type_row: Option<DisputeTypeRow> = tx
            .fetch_optional(
                &Query::select()
                    .columns([
                        DisputeTypes::Code,
                        DisputeTypes::NameZh,
                        DisputeTypes::Specialty,
                        DisputeTypes::LegalClock,
                        DisputeTypes::Active,
                        DisputeTypes::UpdatedAt,
                    ])
                    .from(DisputeTypes::Table)
                    .and_where(Expr::col(DisputeTypes::Code).eq(input.dispute_type.as_str()))
                    .to_owned(),
            )
            .await?;
        if !type_row.is_some_and(|t| t.active) {
            problems.push(
                "dispute_type",
                "unknown",
                format!("未知的纠纷类型 {}", input.dispute_type),
            );
        }
        if !input.parties.iter().any(|p| p.role == PartyRole::Applicant) {
            problems.push("parties", "applicant_required", "至少需要一名申请人");
        }
        if input.parties.len() > 500 {
            problems.push("parties", "too_many", "当事人不能超过 500 人，请分批登记");
        }
        for (i, p) in input.parties.iter().enumerate() {
            problems.text(&format!("parties.{i}.name"), &p.name, 100);
            problems.optional_text(&format!("parties.{i}.address"), &p.address, 200);
            if p.kind == PartyKind::Entity && p.id_number.is_some() {
                problems.push(
                    &format!("parties.{i}.id_number"),
                    "not_for_entity",
                    "单位当事人请填写统一社会信用代码",
                );
            }
            if p.kind == PartyKind::Person && p.credit_code.is_some() {
                problems.push(
                    &format!("parties.{i}.credit_code"),
                    "not_for_person",
                    "自然人当事人请填写身份证号码",
                );
            }
        }
        for (i, f) in input.flags.iter().enumerate() {
            if f.is_empty()
                || f.len() > 32
                || !f.chars().all(|c| c.is_ascii_lowercase() || c == '_')
            {
                problems.push(
                    &format!("flags.{i}"),
                    "bad_flag",
                    "风险标记为小写字母与下划线",
                );
            }
        }
        let region = match get_region_in(&mut tx, scope, &input.region_code).await {
            Ok(r) => Some(r),
            Err(StoreError::NotFound { .. }) => {
                problems.push(
                    "region_code",
                    "not_found",
                    format!("区域 {} 不存在或不在您的管辖范围", input.region_code),
                );
                None
            }
            Err(e) => return Err(e),
        };
        problems.finish().map_err(StoreError::Invalid)?;
        let Some(region) = region else {
            return Err(StoreError::NotFound { entity: "region" });
        };

        // Draw codes until one is free: 9·10^11 codes make a clash rare, never impossible.
        let mut code = TrackingCode::from_random(random.code);
        let mut bump = random.code;
        for _ in 0..8 {
            let taken: Option<(String,)> = tx
                .fetch_optional(
                    &Query::select()
                        .column(Disputes::Id)
                        .from(Disputes::Table)
                        .and_where(Expr::col(Disputes::Code).eq(code.as_compact()))
                        .to_owned(),
                )
                .await?;
            if taken.is_none() {
                break;
            }
            bump = bump
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            code = TrackingCode::from_random(bump);
        }
        let secret = AccessSecret::from_random(random.secret);
        let applicant_phone = input
            .parties
            .iter()
            .filter(|p| p.role == PartyRole::Applicant)
            .find_map(|p| p.phone.as_ref());
        let row = DisputeRow {
            id: id.to_owned(),
            code: code.as_compact().to_owned(),
            secret_enc: cipher.encrypt(secret.as_str())?,
            phone_last4_index: applicant_phone
                .map(|p| cipher.blind_index(&format!("last4:{}", p.last_four()))),
            title,
            dispute_type: input.dispute_type.clone(),
            facts,
            claims,
            amount_fen: input.amount_fen,
            region_code: region.code.clone(),
            region_path: region.path.clone(),
            address,
            channel: serde_json::to_value(input.channel)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default(),
            flags: flags_text(&input.flags),
            stage: Stage::Registered.code().to_owned(),
            stage_before_merge: None,
            merged_into: None,
            group_key: None,
            respondent_key: respondent_key(&input.parties),
            routing_json: None,
            idempotency_key: input.idempotency_key.clone(),
            created_by: ctx.actor_user_id.clone(),
            created_at: ctx.at.as_micros(),
            updated_at: ctx.at.as_micros(),
            closed_at: None,
        };
        let duplicates = self.duplicate_hints_in(&mut tx, cipher, input).await?;
        insert_dispute(&mut tx, &row).await?;
        for (seq, p) in input.parties.iter().enumerate() {
            insert_party(&mut tx, cipher, &row.id, seq as i64, p).await?;
        }
        insert_event(
            &mut tx,
            &row.id,
            ctx,
            "staff",
            "register",
            None,
            Stage::Registered,
            &serde_json::json!({"channel": row.channel}),
            "已登记，赋予解纷码",
        )
        .await?;
        let summary = serde_json::json!({
            "code": row.code, "title": row.title, "type": row.dispute_type, "amount_fen": row.amount_fen,
            "region_code": row.region_code, "channel": row.channel, "parties": input.parties.len(),
        });
        audit::append(
            &mut tx,
            ctx,
            "dispute.register",
            "dispute",
            &row.id,
            None::<&()>,
            Some(&summary),
        )
        .await?;
        // Mass involvement is judged as the claim is written, not by a nightly batch.
        let alert = match respondent_of(&input.parties) {
            Some(respondent) => {
                let filing = crate::alerts::NewFiling {
                    case_id: &row.id,
                    region_path: &row.region_path,
                    respondent,
                    claimant_keys: input
                        .parties
                        .iter()
                        .filter(|p| p.role == PartyRole::Applicant)
                        .map(|p| {
                            crate::alerts::claimant_key(
                                p.id_number
                                    .as_ref()
                                    .map(|i| cipher.blind_index(i.as_str()))
                                    .as_deref(),
                                p.phone
                                    .as_ref()
                                    .map(|m| cipher.blind_index(m.as_str()))
                                    .as_deref(),
                                &p.name,
                            )
                        })
                        .collect(),
                    amount_fen: row.amount_fen,
                    at: ctx.at,
                };
                crate::alerts::assess_filing_in(&mut tx, ctx, filing, &GroupParams::default())
                    .await?
            }
            None => None,
        };
        tx.commit().await?;
        let mut row = row;
        if let Some(a) = &alert {
            row.group_key = Some(a.group_key.clone());
        }
        Ok(Created {
            dispute: row,
            access_secret: secret.as_str().to_owned(),
            duplicates,
            replayed: false,
            alert,
        })
    }

    async fn duplicate_hints_in(
        &self,
        tx: &mut Tx,
        cipher: &FieldCipher,
        input: &NewDispute,
    ) -> Result<Vec<DuplicateHint>> {
        let applicant_keys: Vec<String> = input
            .parties
            .iter()
            .filter(|p| p.role == PartyRole::Applicant)
            .flat_map(|p| {
                p.id_number
                    .iter()
                    .map(|i| cipher.blind_index(i.as_str()))
                    .chain(p.phone.iter().map(|m| cipher.blind_index(m.as_str())))
            })
            .collect();
        let Some(resp) = respondent_key(&input.parties) else {
            return Ok(vec![]);
        };
        if applicant_keys.is_empty() {
            return Ok(vec![]);
        }
        let open: Vec<&str> = Stage::ALL
            .into_iter()
            .filter(|s| s.is_open())
            .map(|s| s.code())
            .collect();
        let q = Query::select()
            .distinct()
            .columns([
                (Disputes::Table, Disputes::Id),
                (Disputes::Table, Disputes::Code),
                (Disputes::Table, Disputes::Stage),
                (Disputes::Table, Disputes::RegionCode),
            ])
            .from(Disputes::Table)
            .inner_join(
                DisputeParties::Table,
                Expr::col((DisputeParties::Table, DisputeParties::DisputeId))
                    .equals((Disputes::Table, Disputes::Id)),
            )
            .and_where(
                Expr::col((Disputes::Table, Disputes::DisputeType)).eq(input.dispute_type.as_str()),
            )
            .and_where(Expr::col((Disputes::Table, Disputes::RespondentKey)).eq(resp))
            .and_where(Expr::col((Disputes::Table, Disputes::Stage)).is_in(open))
            .and_where(Expr::col((DisputeParties::Table, DisputeParties::Role)).eq("applicant"))
            .and_where(
                Expr::col((DisputeParties::Table, DisputeParties::IdNumberIndex))
                    .is_in(applicant_keys.clone())
                    .or(
                        Expr::col((DisputeParties::Table, DisputeParties::PhoneIndex))
                            .is_in(applicant_keys),
                    ),
            )
            .limit(20)
            .to_owned();
        Ok(tx.fetch_all(&q).await?)
    }

    pub async fn get_dispute(&self, scope: &CaseScope, id: &str) -> Result<DisputeRow> {
        let q = select_disputes()
            .and_where(Expr::col((Disputes::Table, Disputes::Id)).eq(id))
            .and_where(scope.condition())
            .to_owned();
        self.fetch_optional(&q)
            .await?
            .ok_or(StoreError::NotFound { entity: "dispute" })
    }

    pub async fn get_dispute_by_code(&self, code: &TrackingCode) -> Result<Option<DisputeRow>> {
        let q = select_disputes()
            .and_where(Expr::col((Disputes::Table, Disputes::Code)).eq(code.as_compact()))
            .to_owned();
        self.fetch_optional(&q).await
    }

    /// Everything the detail page needs (parties masked).
    pub async fn dispute_detail(&self, scope: &CaseScope, id: &str) -> Result<DisputeDetail> {
        let dispute = self.get_dispute(scope, id).await?;
        self.detail_of(dispute).await
    }

    pub async fn detail_of(&self, dispute: DisputeRow) -> Result<DisputeDetail> {
        let id = dispute.id.clone();
        let parties = self
            .fetch_all(
                &Query::select()
                    .columns(PARTY_COLUMNS)
                    .from(DisputeParties::Table)
                    .and_where(Expr::col(DisputeParties::DisputeId).eq(id.as_str()))
                    .order_by(DisputeParties::Seq, Order::Asc)
                    .to_owned(),
            )
            .await?;
        let assignments = self
            .fetch_all(
                &Query::select()
                    .columns([
                        (DisputeAssignments::Table, DisputeAssignments::DisputeId),
                        (DisputeAssignments::Table, DisputeAssignments::OrgId),
                        (DisputeAssignments::Table, DisputeAssignments::Kind),
                        (DisputeAssignments::Table, DisputeAssignments::AssignedAt),
                    ])
                    .expr_as(
                        Expr::col((Alias::new("organisations"), Alias::new("name"))),
                        Alias::new("org_name"),
                    )
                    .from(DisputeAssignments::Table)
                    .inner_join(
                        Alias::new("organisations"),
                        Expr::col((Alias::new("organisations"), Alias::new("id")))
                            .equals((DisputeAssignments::Table, DisputeAssignments::OrgId)),
                    )
                    .and_where(
                        Expr::col((DisputeAssignments::Table, DisputeAssignments::DisputeId))
                            .eq(id.as_str()),
                    )
                    .order_by(
                        (DisputeAssignments::Table, DisputeAssignments::AssignedAt),
                        Order::Asc,
                    )
                    .order_by(
                        (DisputeAssignments::Table, DisputeAssignments::OrgId),
                        Order::Asc,
                    )
                    .to_owned(),
            )
            .await?;
        let events = self
            .fetch_all(
                &Query::select()
                    .columns(EVENT_COLUMNS)
                    .from(DisputeEvents::Table)
                    .and_where(Expr::col(DisputeEvents::DisputeId).eq(id.as_str()))
                    .order_by(DisputeEvents::At, Order::Asc)
                    .order_by(DisputeEvents::Id, Order::Asc)
                    .to_owned(),
            )
            .await?;
        let clocks = self
            .fetch_all(
                &Query::select()
                    .columns(CLOCK_COLUMNS)
                    .from(DisputeClocks::Table)
                    .and_where(Expr::col(DisputeClocks::DisputeId).eq(id.as_str()))
                    .order_by(DisputeClocks::StartedAt, Order::Asc)
                    .to_owned(),
            )
            .await?;
        Ok(DisputeDetail {
            dispute,
            parties,
            assignments,
            events,
            clocks,
        })
    }

    pub async fn list_disputes(
        &self,
        scope: &CaseScope,
        filter: &DisputeFilter,
        page: PageRequest,
    ) -> Result<Page<DisputeRow>> {
        let mut q = select_disputes();
        q.and_where(scope.condition());
        if let Some(stage) = filter.stage {
            q.and_where(Expr::col((Disputes::Table, Disputes::Stage)).eq(stage.code()));
        }
        if filter.open_only {
            let open: Vec<&str> = Stage::ALL
                .into_iter()
                .filter(|s| s.is_open())
                .map(|s| s.code())
                .collect();
            q.and_where(Expr::col((Disputes::Table, Disputes::Stage)).is_in(open));
        }
        if let Some(t) = &filter.dispute_type {
            q.and_where(Expr::col((Disputes::Table, Disputes::DisputeType)).eq(t.as_str()));
        }
        if let Some(org) = &filter.assigned_to {
            q.and_where(
                Expr::col((Disputes::Table, Disputes::Id)).in_subquery(
                    Query::select()
                        .column(DisputeAssignments::DisputeId)
                        .from(DisputeAssignments::Table)
                        .and_where(Expr::col(DisputeAssignments::OrgId).eq(org.as_str()))
                        .to_owned(),
                ),
            );
        }
        if let Some(path) = &filter.region_path {
            q.and_where(
                Scope::Subtree(path.clone())
                    .path_condition((Disputes::Table, Disputes::RegionPath)),
            );
        }
        if let Some(group) = &filter.group_key {
            q.and_where(Expr::col((Disputes::Table, Disputes::GroupKey)).eq(group.as_str()));
        }
        if let Some(text) = &filter.text {
            // Codes are read out with dashes and spaces; compare without them.
            let pattern = crate::scope::contains(&text.replace(['-', ' '], ""));
            q.and_where(
                Expr::col((Disputes::Table, Disputes::Title))
                    .like(pattern.clone())
                    .or(Expr::col((Disputes::Table, Disputes::Code)).like(pattern.clone()))
                    .or(Expr::col((Disputes::Table, Disputes::Facts)).like(pattern)),
            );
        }
        let mut count = q.clone();
        count.clear_selects();
        let total = self
            .fetch_count(
                &count
                    .expr(Expr::col((Disputes::Table, Disputes::Id)).count())
                    .to_owned(),
            )
            .await?;
        q.order_by((Disputes::Table, Disputes::CreatedAt), Order::Desc);
        page.apply(&mut q);
        Ok(Page::new(self.fetch_all(&q).await?, total, page))
    }

    /// The one write path for stage changes: loads the case, asks the domain machine, applies the
    /// decision's effects, appends the timeline event and exactly one audit entry — or writes
    /// nothing when the machine refuses.
    pub async fn apply_command(
        &self,
        ctx: &AuditCtx,
        issuer: &Issuer,
        id: &str,
        command: &Command,
        detail: &serde_json::Value,
    ) -> Result<DisputeRow> {
        let mut tx = self.begin().await?;
        let scope = match issuer {
            Issuer::Staff { org_id, region, .. } => CaseScope {
                region: region.clone(),
                org_id: Some(org_id.clone()),
            },
            Issuer::Applicant => CaseScope::everything(),
        };
        let case = get_in(&mut tx, &scope, id).await?;
        let assignments = assignments_in(&mut tx, id).await?;
        let actor = match issuer {
            Issuer::Staff {
                org_id,
                roles,
                region,
                ..
            } => Actor {
                roles: roles.clone(),
                is_assignee: assignments
                    .iter()
                    .any(|(o, k)| o == org_id && k == "handler"),
                is_invited_court: assignments.iter().any(|(o, k)| o == org_id && k == "court"),
                is_applicant: false,
                in_jurisdiction: region.covers(&case.region_path),
            },
            Issuer::Applicant => Actor {
                roles: vec![Role::Citizen],
                is_assignee: false,
                is_invited_court: false,
                is_applicant: true,
                in_jurisdiction: false,
            },
        };
        let state = CaseState {
            stage: case.stage()?,
            stage_before_merge: case
                .stage_before_merge
                .as_deref()
                .map(str::parse)
                .transpose()
                .map_err(StoreError::Corrupt)?,
            is_labour: case.dispute_type == "labour",
            has_assignees: assignments.iter().any(|(_, k)| k == "handler"),
        };
        let decision = decide(&state, &actor, command).map_err(|e| match e {
            fengqiao_domain::dispute::StageError::NotPermitted(_) => {
                StoreError::Forbidden(e.to_string())
            }
            fengqiao_domain::dispute::StageError::NotInThisStage { .. } => {
                StoreError::invalid("command", "wrong_stage", e.to_string())
            }
            fengqiao_domain::dispute::StageError::Invalid { field, reason } => {
                StoreError::invalid(field, "invalid", reason)
            }
        })?;
        let type_clock = self.type_clock_in(&mut tx, &case.dispute_type).await?;
        let mut after = case.clone();
        after.stage = decision.to.code().to_owned();
        after.updated_at = ctx.at.as_micros();
        if !decision.to.is_open() && case.closed_at.is_none() && decision.to != Stage::Merged {
            after.closed_at = Some(ctx.at.as_micros());
        }
        if decision.to.is_open() {
            after.closed_at = None;
        }
        for effect in &decision.effects {
            match effect {
                Effect::AssignOrgs { org_ids } => {
                    // An assignment not accepted in time escalates (scheduler: `acceptance_deadline`).
                    let due = acceptance_due(&self.rules(), &case.region_path, ctx.at);
                    crate::timers::schedule_in(
                        &mut tx,
                        "acceptance_deadline",
                        id,
                        due,
                        &serde_json::json!({ "org_ids": org_ids }),
                        ctx.at,
                    )
                    .await?;
                    for org in org_ids {
                        ensure_org_exists(&mut tx, org).await?;
                    }
                    tx.execute(
                        &Query::delete()
                            .from_table(DisputeAssignments::Table)
                            .and_where(Expr::col(DisputeAssignments::DisputeId).eq(id))
                            .and_where(Expr::col(DisputeAssignments::Kind).eq("handler"))
                            .to_owned(),
                    )
                    .await?;
                    for org in org_ids {
                        insert_assignment(&mut tx, id, org, "handler", ctx.at).await?;
                    }
                }
                Effect::AddInvitedCourt { org_id } => {
                    ensure_org_exists(&mut tx, org_id).await?;
                    if !assignments.iter().any(|(o, k)| o == org_id && k == "court") {
                        insert_assignment(&mut tx, id, org_id, "court", ctx.at).await?;
                    }
                }
                Effect::EscalateRouting => {
                    let mut flags = after.flags();
                    flags.push("escalated".into());
                    after.flags = flags_text(&flags);
                }
                Effect::StartClocks { event } => {
                    for clock_id in clocks_started_by(event, type_clock.as_deref()) {
                        let clock_row_id = format!("{id}:{clock_id}:{}", ctx.at.as_micros());
                        tx.execute(
                            &Query::insert()
                                .into_table(DisputeClocks::Table)
                                .columns([
                                    DisputeClocks::Id,
                                    DisputeClocks::DisputeId,
                                    DisputeClocks::ClockId,
                                    DisputeClocks::Event,
                                    DisputeClocks::StartedAt,
                                ])
                                .values_panic([
                                    clock_row_id.into(),
                                    id.into(),
                                    clock_id.into(),
                                    (*event).into(),
                                    ctx.at.as_micros().into(),
                                ])
                                .to_owned(),
                        )
                        .await?;
                    }
                }
                Effect::StopClocks { events } => {
                    tx.execute(
                        &Query::update()
                            .table(DisputeClocks::Table)
                            .value(DisputeClocks::StoppedAt, ctx.at.as_micros())
                            .and_where(Expr::col(DisputeClocks::DisputeId).eq(id))
                            .and_where(
                                Expr::col(DisputeClocks::Event).is_in(events.iter().copied()),
                            )
                            .and_where(Expr::col(DisputeClocks::StoppedAt).is_null())
                            .to_owned(),
                    )
                    .await?;
                }
                Effect::PauseClocks { condition } => {
                    pause_clocks(&mut tx, id, condition, ctx.at).await?
                }
                Effect::ResumeClocks => resume_clocks(&mut tx, id, ctx.at).await?,
                Effect::RecordMergeTarget { target_case_id } => {
                    if target_case_id == id {
                        return Err(StoreError::invalid(
                            "target_case_id",
                            "self",
                            "不能与自身合并",
                        ));
                    }
                    get_in(&mut tx, &scope, target_case_id).await.map_err(|_| {
                        StoreError::invalid("target_case_id", "not_found", "合并目标案件不存在")
                    })?;
                    after.merged_into = Some(target_case_id.clone());
                    after.stage_before_merge = Some(case.stage.clone());
                }
                Effect::ClearMergeTarget => {
                    after.merged_into = None;
                    after.stage_before_merge = None;
                }
                Effect::ScheduleFollowUp => {
                    let due = ctx.at.plus_seconds(FOLLOW_UP_AFTER_DAYS * 86_400);
                    crate::timers::schedule_in(
                        &mut tx,
                        "follow_up_visit",
                        id,
                        due,
                        &serde_json::json!({}),
                        ctx.at,
                    )
                    .await?;
                }
                Effect::NotifyParties => {
                    let applicants: Vec<(String,)> = tx
                        .fetch_all(
                            &Query::select()
                                .column(DisputeParties::Id)
                                .from(DisputeParties::Table)
                                .and_where(Expr::col(DisputeParties::DisputeId).eq(id))
                                .and_where(Expr::col(DisputeParties::Role).eq("applicant"))
                                .and_where(Expr::col(DisputeParties::PhoneEnc).is_not_null())
                                .to_owned(),
                        )
                        .await?;
                    let body = format!(
                        "【枫桥】您的纠纷（解纷码 {}）：{}。可凭解纷码查询进度。",
                        case.display_code(),
                        decision.to.public_label_zh()
                    );
                    for (party_id,) in applicants {
                        let notice_id =
                            format!("{party_id}:{}:{}", ctx.at.as_micros(), command.name());
                        let recipient = format!("party:{party_id}");
                        let notice = crate::timers::NewNotice {
                            id: &notice_id,
                            dispute_id: Some(id),
                            channel: "sms",
                            recipient: &recipient,
                            subject: "案件进展",
                            body: &body,
                        };
                        crate::timers::enqueue_notice_in(&mut tx, &notice, ctx.at).await?;
                    }
                    // A court that diverted the suit to pre-litigation mediation hears of each step.
                    if case.channel == "court_diversion"
                        && let Some(court_user) = &case.created_by
                    {
                        let notice_id =
                            format!("court:{id}:{}:{}", ctx.at.as_micros(), command.name());
                        let recipient = format!("user:{court_user}");
                        let court_body = format!(
                            "诉前委派调解案件（解纷码 {}）：{}。",
                            case.display_code(),
                            decision.to.public_label_zh()
                        );
                        let notice = crate::timers::NewNotice {
                            id: &notice_id,
                            dispute_id: Some(id),
                            channel: "internal",
                            recipient: &recipient,
                            subject: "诉前调解进展",
                            body: &court_body,
                        };
                        crate::timers::enqueue_notice_in(&mut tx, &notice, ctx.at).await?;
                    }
                }
            }
        }
        tx.execute(
            &Query::update()
                .table(Disputes::Table)
                .values([
                    (Disputes::Stage, after.stage.clone().into()),
                    (
                        Disputes::StageBeforeMerge,
                        after.stage_before_merge.clone().into(),
                    ),
                    (Disputes::MergedInto, after.merged_into.clone().into()),
                    (Disputes::Flags, after.flags.clone().into()),
                    (Disputes::UpdatedAt, after.updated_at.into()),
                    (Disputes::ClosedAt, after.closed_at.into()),
                ])
                .and_where(Expr::col(Disputes::Id).eq(id))
                .to_owned(),
        )
        .await?;
        let actor_kind = match issuer {
            Issuer::Staff { .. } => "staff",
            Issuer::Applicant => "applicant",
        };
        let mut detail = detail.clone();
        if let (Some(obj), Ok(cmd)) = (detail.as_object_mut(), serde_json::to_value(command)) {
            obj.insert("command".into(), cmd);
        }
        insert_event(
            &mut tx,
            id,
            ctx,
            actor_kind,
            command.name(),
            Some(state.stage),
            decision.to,
            &detail,
            decision.to.public_label_zh(),
        )
        .await?;
        let before = serde_json::json!({ "stage": case.stage });
        let after_json =
            serde_json::json!({ "stage": after.stage, "command": command, "detail": detail });
        audit::append(
            &mut tx,
            ctx,
            &format!("dispute.{}", command.name()),
            "dispute",
            id,
            Some(&before),
            Some(&after_json),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    async fn type_clock_in(&self, tx: &mut Tx, code: &str) -> Result<Option<String>> {
        let row: Option<(Option<String>,)> = tx
            .fetch_optional(
                &Query::select()
                    .column(DisputeTypes::LegalClock)
                    .from(DisputeTypes::Table)
                    .and_where(Expr::col(DisputeTypes::Code).eq(code))
                    .to_owned(),
            )
            .await?;
        Ok(row.and_then(|r| r.0))
    }

    /// Stores the routing explanation shown beside a case.
    pub async fn set_routing_explanation(
        &self,
        id: &str,
        routing: &serde_json::Value,
    ) -> Result<()> {
        self.execute(
            &Query::update()
                .table(Disputes::Table)
                .value(Disputes::RoutingJson, routing.to_string())
                .and_where(Expr::col(Disputes::Id).eq(id))
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    /// Dispute types (admin-extensible taxonomy).
    pub async fn dispute_types(&self) -> Result<Vec<DisputeTypeRow>> {
        self.fetch_all(
            &Query::select()
                .columns(TYPE_COLUMNS)
                .from(DisputeTypes::Table)
                .order_by(DisputeTypes::Code, Order::Asc)
                .to_owned(),
        )
        .await
    }

    /// Adds or replaces a dispute type, audited.
    pub async fn upsert_dispute_type(&self, ctx: &AuditCtx, row: &DisputeTypeRow) -> Result<()> {
        let mut tx = self.begin().await?;
        // Cases refer to their type, so a type is updated in place, never deleted and re-added.
        let before: Option<DisputeTypeRow> = tx
            .fetch_optional(
                &Query::select()
                    .columns(TYPE_COLUMNS)
                    .from(DisputeTypes::Table)
                    .and_where(Expr::col(DisputeTypes::Code).eq(row.code.as_str()))
                    .to_owned(),
            )
            .await?;
        tx.execute(
            &Query::insert()
                .into_table(DisputeTypes::Table)
                .columns(TYPE_COLUMNS)
                .values_panic([
                    row.code.clone().into(),
                    row.name_zh.clone().into(),
                    row.specialty.clone().into(),
                    row.legal_clock.clone().into(),
                    row.active.into(),
                    ctx.at.as_micros().into(),
                ])
                .on_conflict(
                    sea_query::OnConflict::column(DisputeTypes::Code)
                        .update_columns([
                            DisputeTypes::NameZh,
                            DisputeTypes::Specialty,
                            DisputeTypes::LegalClock,
                            DisputeTypes::Active,
                            DisputeTypes::UpdatedAt,
                        ])
                        .to_owned(),
                )
                .to_owned(),
        )
        .await?;
        audit::append(
            &mut tx,
            ctx,
            "dispute_type.upsert",
            "dispute_type",
            &row.code,
            before.as_ref(),
            Some(row),
        )
        .await?;
        tx.commit().await
    }

    /// Checks the party's second factor (phone last 4 or the printed secret) for a case, counting
    /// failures per code; more than `max_failures` in `window_secs` refuses further tries.
    pub async fn party_access(
        &self,
        cipher: &FieldCipher,
        code: &TrackingCode,
        factor: &str,
        now: Timestamp,
        max_failures: i64,
        window_secs: i64,
    ) -> Result<PartyAccess> {
        let since = now.plus_seconds(-window_secs).as_micros();
        let failures = self
            .fetch_count(
                &Query::select()
                    .expr(Expr::col(Alias::new("code")).count())
                    .from(Alias::new("party_access_failures"))
                    .and_where(Expr::col(Alias::new("code")).eq(code.as_compact()))
                    .and_where(Expr::col(Alias::new("at")).gt(since))
                    .to_owned(),
            )
            .await?;
        if failures >= max_failures {
            return Ok(PartyAccess::Throttled {
                retry_after_secs: window_secs,
            });
        }
        let case = self.get_dispute_by_code(code).await?;
        let matched = match &case {
            Some(c) => {
                let secret = cipher.decrypt(&c.secret_enc)?;
                let last4 = c.phone_last4_index.clone();
                let given_last4 = cipher.blind_index(&format!("last4:{}", factor.trim()));
                let secret_ok = fengqiao_domain::tracking_code::verify_second_factor(
                    None,
                    &secret,
                    factor.trim(),
                );
                let phone_ok = last4
                    .as_deref()
                    .is_some_and(|l| constant_eq(l.as_bytes(), given_last4.as_bytes()));
                secret_ok || phone_ok
            }
            None => false,
        };
        match (case, matched) {
            (Some(c), true) => Ok(PartyAccess::Granted(Box::new(c))),
            _ => {
                self.execute(
                    &Query::insert()
                        .into_table(Alias::new("party_access_failures"))
                        .columns([Alias::new("code"), Alias::new("at")])
                        .values_panic([code.as_compact().into(), now.as_micros().into()])
                        .to_owned(),
                )
                .await?;
                Ok(PartyAccess::Denied)
            }
        }
    }
}

/// Days after an agreement when the mediator's follow-up visit (回访) falls due.
pub const FOLLOW_UP_AFTER_DAYS: i64 = 7;
/// Working days an assigned body has to accept before the case escalates.
pub const ACCEPT_WITHIN_WORKING_DAYS: u32 = 2;

/// End of the second working day after `at` on the official calendar. Outside published years the
/// escalation timer falls back to calendar days: it only prompts supervision, it sets no legal limit.
fn acceptance_due(rules: &crate::rules::RuleSet, region_path: &str, at: Timestamp) -> Timestamp {
    use fengqiao_domain::calendar::deadline_working_days;
    let start = at.china_date();
    let due_date = deadline_working_days(
        &rules.calendar_for(region_path),
        start,
        ACCEPT_WITHIN_WORKING_DAYS,
    )
    .map(|d| d.due)
    .unwrap_or_else(|_| start + chrono::Days::new(u64::from(ACCEPT_WITHIN_WORKING_DAYS)));
    Timestamp::start_of_china_day(due_date + chrono::Days::new(1))
}

fn constant_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The outcome of a party's attempt to open a case by its code.
#[derive(Debug)]
pub enum PartyAccess {
    Granted(Box<DisputeRow>),
    /// Wrong code or second factor — deliberately not saying which.
    Denied,
    Throttled {
        retry_after_secs: i64,
    },
}

async fn ensure_org_exists(tx: &mut Tx, org_id: &str) -> Result<()> {
    let found: Option<(String,)> = tx
        .fetch_optional(
            &Query::select()
                .column(Alias::new("id"))
                .from(Alias::new("organisations"))
                .and_where(Expr::col(Alias::new("id")).eq(org_id))
                .to_owned(),
        )
        .await?;
    found
        .map(|_| ())
        .ok_or_else(|| StoreError::invalid("org_ids", "not_found", format!("机构 {org_id} 不存在")))
}

async fn insert_assignment(
    tx: &mut Tx,
    id: &str,
    org: &str,
    kind: &str,
    at: Timestamp,
) -> Result<()> {
    tx.execute(
        &Query::insert()
            .into_table(DisputeAssignments::Table)
            .columns([
                DisputeAssignments::DisputeId,
                DisputeAssignments::OrgId,
                DisputeAssignments::Kind,
                DisputeAssignments::AssignedAt,
            ])
            .values_panic([id.into(), org.into(), kind.into(), at.as_micros().into()])
            .to_owned(),
    )
    .await?;
    Ok(())
}

/// One interval in which a clock stood still, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredPause {
    pub condition: String,
    pub from: i64,
    pub until: Option<i64>,
}

async fn open_clocks_in(tx: &mut Tx, id: &str) -> Result<Vec<ClockRow>> {
    Ok(tx
        .fetch_all(
            &Query::select()
                .columns(CLOCK_COLUMNS)
                .from(DisputeClocks::Table)
                .and_where(Expr::col(DisputeClocks::DisputeId).eq(id))
                .and_where(Expr::col(DisputeClocks::StoppedAt).is_null())
                .to_owned(),
        )
        .await?)
}

async fn write_pauses(
    tx: &mut Tx,
    clock_id: &str,
    paused_since: Option<i64>,
    pauses: &[StoredPause],
) -> Result<()> {
    let json = serde_json::to_string(pauses).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    tx.execute(
        &Query::update()
            .table(DisputeClocks::Table)
            .values([
                (DisputeClocks::PausedSince, paused_since.into()),
                (DisputeClocks::PausesJson, json.into()),
            ])
            .and_where(Expr::col(DisputeClocks::Id).eq(clock_id))
            .to_owned(),
    )
    .await?;
    Ok(())
}

/// Opens a pause with its condition on every running clock of the case.
async fn pause_clocks(tx: &mut Tx, id: &str, condition: &str, at: Timestamp) -> Result<()> {
    for clock in open_clocks_in(tx, id).await? {
        if clock.paused_since.is_some() {
            continue;
        }
        let mut pauses: Vec<StoredPause> =
            serde_json::from_str(&clock.pauses_json).unwrap_or_default();
        pauses.push(StoredPause {
            condition: condition.to_owned(),
            from: at.as_micros(),
            until: None,
        });
        write_pauses(tx, &clock.id, Some(at.as_micros()), &pauses).await?;
    }
    Ok(())
}

/// Closes every open pause, so deadlines exclude exactly the paused days.
async fn resume_clocks(tx: &mut Tx, id: &str, at: Timestamp) -> Result<()> {
    for clock in open_clocks_in(tx, id).await? {
        if clock.paused_since.is_none() {
            continue;
        }
        let mut pauses: Vec<StoredPause> =
            serde_json::from_str(&clock.pauses_json).unwrap_or_default();
        for p in pauses.iter_mut().filter(|p| p.until.is_none()) {
            p.until = Some(at.as_micros());
        }
        write_pauses(tx, &clock.id, None, &pauses).await?;
    }
    Ok(())
}

async fn insert_dispute(tx: &mut Tx, row: &DisputeRow) -> Result<()> {
    tx.execute(
        &Query::insert()
            .into_table(Disputes::Table)
            .columns(DISPUTE_COLUMNS)
            .values_panic([
                row.id.clone().into(),
                row.code.clone().into(),
                row.secret_enc.clone().into(),
                row.phone_last4_index.clone().into(),
                row.title.clone().into(),
                row.dispute_type.clone().into(),
                row.facts.clone().into(),
                row.claims.clone().into(),
                row.amount_fen.into(),
                row.region_code.clone().into(),
                row.region_path.clone().into(),
                row.address.clone().into(),
                row.channel.clone().into(),
                row.flags.clone().into(),
                row.stage.clone().into(),
                row.stage_before_merge.clone().into(),
                row.merged_into.clone().into(),
                row.group_key.clone().into(),
                row.respondent_key.clone().into(),
                row.routing_json.clone().into(),
                row.idempotency_key.clone().into(),
                row.created_by.clone().into(),
                row.created_at.into(),
                row.updated_at.into(),
                row.closed_at.into(),
            ])
            .to_owned(),
    )
    .await
    .map_err(|e| {
        StoreError::from_write(e, &[("idempotency", "idempotency_key"), ("code", "code")])
    })?;
    Ok(())
}

async fn insert_party(
    tx: &mut Tx,
    cipher: &FieldCipher,
    dispute_id: &str,
    seq: i64,
    p: &NewParty,
) -> Result<()> {
    let role = match p.role {
        PartyRole::Applicant => "applicant",
        PartyRole::Respondent => "respondent",
        PartyRole::ThirdParty => "third_party",
    };
    let kind = match p.kind {
        PartyKind::Person => "person",
        PartyKind::Entity => "entity",
    };
    tx.execute(
        &Query::insert()
            .into_table(DisputeParties::Table)
            .columns(PARTY_COLUMNS)
            .values_panic([
                format!("{dispute_id}:{seq}").into(),
                dispute_id.into(),
                seq.into(),
                role.into(),
                kind.into(),
                p.name.trim().into(),
                p.id_number
                    .as_ref()
                    .map(|i| cipher.encrypt(i.as_str()))
                    .transpose()?
                    .into(),
                p.id_number
                    .as_ref()
                    .map(|i| cipher.blind_index(i.as_str()))
                    .into(),
                p.id_number.as_ref().map(|i| i.masked()).into(),
                p.credit_code.as_ref().map(|c| c.as_str().to_owned()).into(),
                p.phone
                    .as_ref()
                    .map(|m| cipher.encrypt(m.as_str()))
                    .transpose()?
                    .into(),
                p.phone
                    .as_ref()
                    .map(|m| cipher.blind_index(m.as_str()))
                    .into(),
                p.phone.as_ref().map(|m| m.masked()).into(),
                p.address.trim().into(),
                p.legal_representative
                    .as_deref()
                    .map(str::trim)
                    .filter(|r| !r.is_empty())
                    .map(str::to_owned)
                    .into(),
            ])
            .to_owned(),
    )
    .await?;
    Ok(())
}

#[allow(clippy::too_many_arguments)]
async fn insert_event(
    tx: &mut Tx,
    dispute_id: &str,
    ctx: &AuditCtx,
    actor_kind: &str,
    command: &str,
    from: Option<Stage>,
    to: Stage,
    detail: &serde_json::Value,
    public_note: &str,
) -> Result<()> {
    // Ids sort in time order; the same command twice in one microsecond (a scripted client, a
    // test clock) gets a suffix instead of a failed write. A new case's first event cannot clash.
    let base = format!("{dispute_id}:{}:{command}", ctx.at.as_micros());
    let mut event_id = base.clone();
    if command != "register" {
        for n in 2.. {
            let taken: Option<(String,)> = tx
                .fetch_optional(
                    &Query::select()
                        .column(DisputeEvents::Id)
                        .from(DisputeEvents::Table)
                        .and_where(Expr::col(DisputeEvents::Id).eq(event_id.as_str()))
                        .to_owned(),
                )
                .await?;
            if taken.is_none() {
                break;
            }
            event_id = format!("{base}:{n}");
        }
    }
    tx.execute(
        &Query::insert()
            .into_table(DisputeEvents::Table)
            .columns(EVENT_COLUMNS)
            .values_panic([
                event_id.into(),
                dispute_id.into(),
                ctx.at.as_micros().into(),
                ctx.actor_user_id.clone().into(),
                actor_kind.into(),
                command.into(),
                from.map(|s| s.code()).into(),
                to.code().into(),
                detail.to_string().into(),
                public_note.into(),
            ])
            .to_owned(),
    )
    .await?;
    Ok(())
}

impl Store {
    /// Inserts the reference dispute types that are missing (startup and demo seeding); existing
    /// rows, possibly edited by administrators, are left as they are.
    pub async fn ensure_dispute_types(
        &self,
        ctx: &AuditCtx,
        types: &[DisputeTypeRow],
    ) -> Result<usize> {
        let existing: Vec<String> = self
            .dispute_types()
            .await?
            .into_iter()
            .map(|t| t.code)
            .collect();
        let mut added = 0;
        for t in types.iter().filter(|t| !existing.contains(&t.code)) {
            self.upsert_dispute_type(ctx, t).await?;
            added += 1;
        }
        Ok(added)
    }
}

/// A running clock of an open case, with what supervision shows beside it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct OpenClockRow {
    pub clock_row_id: String,
    pub dispute_id: String,
    pub code: String,
    pub title: String,
    pub stage: String,
    pub clock_id: String,
    pub started_at: i64,
    pub paused_since: Option<i64>,
    pub pauses_json: String,
    pub extensions_json: String,
    /// The case's region path: its regional calendar applies.
    pub region_path: String,
}

impl Store {
    /// Running clocks of open cases in scope (for the supervision list and clock badges).
    pub async fn open_clocks(&self, scope: &CaseScope) -> Result<Vec<OpenClockRow>> {
        let open: Vec<&str> = Stage::ALL
            .into_iter()
            .filter(|s| s.is_open())
            .map(|s| s.code())
            .collect();
        let q = Query::select()
            .expr_as(
                Expr::col((DisputeClocks::Table, DisputeClocks::Id)),
                Alias::new("clock_row_id"),
            )
            .columns([(DisputeClocks::Table, DisputeClocks::DisputeId)])
            .columns([
                (Disputes::Table, Disputes::Code),
                (Disputes::Table, Disputes::Title),
                (Disputes::Table, Disputes::Stage),
            ])
            .columns([
                (DisputeClocks::Table, DisputeClocks::ClockId),
                (DisputeClocks::Table, DisputeClocks::StartedAt),
                (DisputeClocks::Table, DisputeClocks::PausedSince),
                (DisputeClocks::Table, DisputeClocks::PausesJson),
                (DisputeClocks::Table, DisputeClocks::ExtensionsJson),
            ])
            .column((Disputes::Table, Disputes::RegionPath))
            .from(DisputeClocks::Table)
            .inner_join(
                Disputes::Table,
                Expr::col((Disputes::Table, Disputes::Id))
                    .equals((DisputeClocks::Table, DisputeClocks::DisputeId)),
            )
            .and_where(Expr::col((DisputeClocks::Table, DisputeClocks::StoppedAt)).is_null())
            .and_where(Expr::col((Disputes::Table, Disputes::Stage)).is_in(open))
            .and_where(scope.condition())
            .order_by((DisputeClocks::Table, DisputeClocks::StartedAt), Order::Asc)
            .to_owned();
        self.fetch_all(&q).await
    }
}
