//! Base-data records: create, update, delete (soft), read, search and reveal, each write with its
//! history entry and audit entry in one transaction.

use crate::audit::{self, AuditCtx};
use crate::crypto::FieldCipher;
use crate::db::{Store, Tx};
use crate::error::{Result, StoreError};
use crate::page::{Page, PageRequest};
use crate::regions::{RegionRow, get_region_in};
use crate::scope::Scope;
use crate::users::{SensitiveField, reveal_reason};
use fengqiao_domain::basedata::{BaseKind, RecordDetails, RecordDraft, ValidRecord, validate};
use fengqiao_domain::identifiers::{CreditCode, MobileNumber, ResidentId};
use fengqiao_domain::time::Timestamp;
use fengqiao_domain::validation::FieldError;
use sea_query::{Expr, ExprTrait, Iden, Order, Query, SelectStatement};
use serde::{Deserialize, Serialize};

#[derive(Iden)]
pub(crate) enum BaseRecords {
    Table,
    Id,
    Kind,
    GridCode,
    RegionPath,
    Name,
    Address,
    Category,
    Tags,
    Notes,
    IdNumberEnc,
    IdNumberIndex,
    IdNumberMasked,
    PhoneEnc,
    PhoneIndex,
    PhoneMasked,
    CreditCode,
    HousingId,
    Lat,
    Lng,
    DetailsJson,
    Complete,
    Version,
    CreatedBy,
    CreatedAt,
    UpdatedBy,
    UpdatedAt,
    DeletedAt,
}

#[derive(Iden)]
pub(crate) enum BaseRecordHistory {
    Table,
    Id,
    RecordId,
    Version,
    Action,
    GridCode,
    RegionPath,
    At,
    ActorUserId,
    Reason,
    BeforeJson,
    AfterJson,
}

const COLUMNS: [BaseRecords; 27] = [
    BaseRecords::Id,
    BaseRecords::Kind,
    BaseRecords::GridCode,
    BaseRecords::RegionPath,
    BaseRecords::Name,
    BaseRecords::Address,
    BaseRecords::Category,
    BaseRecords::Tags,
    BaseRecords::Notes,
    BaseRecords::IdNumberEnc,
    BaseRecords::IdNumberIndex,
    BaseRecords::IdNumberMasked,
    BaseRecords::PhoneEnc,
    BaseRecords::PhoneIndex,
    BaseRecords::PhoneMasked,
    BaseRecords::CreditCode,
    BaseRecords::HousingId,
    BaseRecords::Lat,
    BaseRecords::Lng,
    BaseRecords::DetailsJson,
    BaseRecords::Complete,
    BaseRecords::Version,
    BaseRecords::CreatedBy,
    BaseRecords::CreatedAt,
    BaseRecords::UpdatedBy,
    BaseRecords::UpdatedAt,
    BaseRecords::DeletedAt,
];

/// A stored record; ciphertexts never leave the server (see [`BaseRecordView`]).
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub(crate) struct RecordRow {
    pub id: String,
    pub kind: String,
    pub grid_code: String,
    pub region_path: String,
    pub name: String,
    pub address: String,
    pub category: Option<String>,
    pub tags: String,
    pub notes: String,
    pub id_number_enc: Option<String>,
    pub id_number_index: Option<String>,
    pub id_number_masked: Option<String>,
    pub phone_enc: Option<String>,
    pub phone_index: Option<String>,
    pub phone_masked: Option<String>,
    pub credit_code: Option<String>,
    pub housing_id: Option<String>,
    pub lat: Option<f64>,
    pub lng: Option<f64>,
    pub details_json: String,
    pub complete: bool,
    pub version: i64,
    pub created_by: Option<String>,
    pub created_at: i64,
    pub updated_by: Option<String>,
    pub updated_at: i64,
    pub deleted_at: Option<i64>,
}

/// A record as lists, history and the audit trail show it: identifiers masked. The full credit
/// code is filled in only when one record is read (`GET /base-data/{id}`).
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct BaseRecordView {
    pub id: String,
    pub kind: BaseKind,
    pub grid_code: String,
    pub region_path: String,
    pub name: String,
    pub address: String,
    pub category: Option<String>,
    /// The category's Chinese label, when it is one of the kind's fixed values.
    pub category_label: Option<String>,
    pub tags: Vec<String>,
    pub notes: String,
    pub id_number_masked: Option<String>,
    pub phone_masked: Option<String>,
    pub credit_code_masked: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub credit_code: Option<String>,
    pub housing_id: Option<String>,
    pub lat: Option<f64>,
    pub lng: Option<f64>,
    pub details: RecordDetails,
    /// Whether the fields the data-quality duty asks for are all present.
    pub complete: bool,
    /// Increases with every change; send it back in a patch to refuse lost updates.
    pub version: i64,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub deleted_at: Option<Timestamp>,
}

impl RecordRow {
    pub(crate) fn kind(&self) -> Result<BaseKind> {
        self.kind.parse().map_err(StoreError::Corrupt)
    }

    pub(crate) fn view(&self) -> Result<BaseRecordView> {
        let kind = self.kind()?;
        let details: RecordDetails = serde_json::from_str(&self.details_json)
            .map_err(|e| StoreError::Corrupt(format!("base record details: {e}")))?;
        let category_label = self.category.as_deref().and_then(|c| {
            kind.category()
                .values
                .iter()
                .find(|(code, _)| *code == c)
                .map(|(_, label)| (*label).to_owned())
        });
        Ok(BaseRecordView {
            id: self.id.clone(),
            kind,
            grid_code: self.grid_code.clone(),
            region_path: self.region_path.clone(),
            name: self.name.clone(),
            address: self.address.clone(),
            category: self.category.clone(),
            category_label,
            tags: tags_of(&self.tags),
            notes: self.notes.clone(),
            id_number_masked: self.id_number_masked.clone(),
            phone_masked: self.phone_masked.clone(),
            credit_code_masked: self
                .credit_code
                .as_deref()
                .and_then(|c| CreditCode::parse(c).ok())
                .map(|c| c.masked()),
            credit_code: None,
            housing_id: self.housing_id.clone(),
            lat: self.lat,
            lng: self.lng,
            details,
            complete: self.complete,
            version: self.version,
            created_at: Timestamp::from_micros(self.created_at),
            updated_at: Timestamp::from_micros(self.updated_at),
            deleted_at: self.deleted_at.map(Timestamp::from_micros),
        })
    }
}

fn tags_of(text: &str) -> Vec<String> {
    text.split(',')
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Leading and trailing commas let a tag be matched as a whole item with LIKE '%,tag,%'.
fn tags_text(tags: &[String]) -> String {
    if tags.is_empty() {
        ",".to_owned()
    } else {
        format!(",{},", tags.join(","))
    }
}

/// Changes to a record. Absent fields keep their value; an empty string clears an optional
/// text; `clear` names other fields to empty (`lat`, `lng`, `area_m2`, `employees`, `tags`, …).
/// The kind never changes.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordPatch {
    /// The version the change was made against; a different stored version is refused (409).
    pub version: Option<i64>,
    pub grid_code: Option<String>,
    pub name: Option<String>,
    pub address: Option<String>,
    pub category: Option<String>,
    pub tags: Option<Vec<String>>,
    pub notes: Option<String>,
    pub id_number: Option<String>,
    pub phone: Option<String>,
    pub credit_code: Option<String>,
    pub housing_id: Option<String>,
    pub lat: Option<f64>,
    pub lng: Option<f64>,
    pub tenure: Option<String>,
    pub area_m2: Option<f64>,
    pub owner_name: Option<String>,
    pub legal_representative: Option<String>,
    pub employees: Option<i64>,
    pub contact_name: Option<String>,
    pub component_code: Option<String>,
    pub status: Option<String>,
    pub owner_department: Option<String>,
    #[serde(default)]
    pub clear: Vec<String>,
}

/// Search filters; all optional, combined with AND, always inside the caller's scope.
#[derive(Debug, Clone, Default)]
pub struct RecordFilter {
    pub kind: Option<BaseKind>,
    /// Materialised path of a region to search under (resolved from a code by the caller).
    pub under_path: Option<String>,
    pub grid_code: Option<String>,
    /// Name or address contains.
    pub text: Option<String>,
    pub id_number: Option<ResidentId>,
    pub phone: Option<MobileNumber>,
    pub credit_code: Option<CreditCode>,
    pub tag: Option<String>,
    pub category: Option<String>,
    pub housing_id: Option<String>,
    pub complete: Option<bool>,
}

/// One entry of a record's history.
#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct HistoryEntry {
    pub version: i64,
    /// `create`, `update`, `delete` or `import`.
    pub action: String,
    #[serde(serialize_with = "crate::page::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub at: i64,
    pub actor_user_id: Option<String>,
    pub reason: String,
    /// The record before the change (masked view as JSON text); absent on create.
    pub before_json: Option<String>,
    /// The record after the change; absent on nothing (a delete shows the deleted state).
    pub after_json: Option<String>,
}

/// Live records of one kind in a grid.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct KindCount {
    pub kind: BaseKind,
    pub label_zh: String,
    pub count: i64,
    /// Of those, complete (data quality).
    pub complete: i64,
}

/// What the grid map shows for one grid.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct GridBaseCounts {
    pub grid_code: String,
    pub grid_name: String,
    pub total: i64,
    pub kinds: Vec<KindCount>,
}

pub(crate) fn select_records() -> SelectStatement {
    Query::select()
        .columns(COLUMNS)
        .from(BaseRecords::Table)
        .to_owned()
}

/// A grid visible in `scope`, or a field problem on `field`.
pub(crate) async fn grid_in(
    tx: &mut Tx,
    scope: &Scope,
    field: &str,
    code: &str,
) -> Result<std::result::Result<RegionRow, FieldError>> {
    match get_region_in(tx, scope, code.trim()).await {
        Ok(r) if r.level == "grid" => Ok(Ok(r)),
        Ok(_) => Ok(Err(FieldError::new(field, "not_a_grid", "该区域不是网格"))),
        Err(StoreError::NotFound { .. }) => Ok(Err(FieldError::new(
            field,
            "not_found",
            "网格不存在或不在您的管辖范围",
        ))),
        Err(e) => Err(e),
    }
}

/// A live record of `kind` visible in `scope`.
pub(crate) async fn live_record_in(
    tx: &mut Tx,
    scope: &Scope,
    id: &str,
    kind: BaseKind,
) -> Result<Option<RecordRow>> {
    let q = select_records()
        .and_where(Expr::col(BaseRecords::Id).eq(id.trim()))
        .and_where(Expr::col(BaseRecords::Kind).eq(kind.code()))
        .and_where(Expr::col(BaseRecords::DeletedAt).is_null())
        .and_where(scope.path_condition(BaseRecords::RegionPath))
        .to_owned();
    Ok(tx.fetch_optional(&q).await?)
}

/// Identifier columns of a record: ciphertext, blind index and mask of each.
#[derive(Debug, Clone, Default)]
pub(crate) struct Sealed {
    pub id_enc: Option<String>,
    pub id_index: Option<String>,
    pub id_masked: Option<String>,
    pub phone_enc: Option<String>,
    pub phone_index: Option<String>,
    pub phone_masked: Option<String>,
}

impl Sealed {
    /// Seals the record's identifiers; an identifier equal to `keep`'s (same blind index) keeps
    /// its ciphertext, so an untouched field is not rewritten.
    pub(crate) fn of(
        cipher: &FieldCipher,
        record: &ValidRecord,
        keep: Option<&RecordRow>,
    ) -> Result<Self> {
        let mut s = Sealed::default();
        if let Some(id) = &record.id_number {
            let index = cipher.blind_index(id.as_str());
            s.id_enc = match keep.filter(|k| k.id_number_index.as_deref() == Some(&index)) {
                Some(k) => k.id_number_enc.clone(),
                None => Some(cipher.encrypt(id.as_str())?),
            };
            s.id_index = Some(index);
            s.id_masked = Some(id.masked());
        }
        if let Some(phone) = &record.phone {
            let index = cipher.blind_index(phone.as_str());
            s.phone_enc = match keep.filter(|k| k.phone_index.as_deref() == Some(&index)) {
                Some(k) => k.phone_enc.clone(),
                None => Some(cipher.encrypt(phone.as_str())?),
            };
            s.phone_index = Some(index);
            s.phone_masked = Some(phone.masked());
        }
        Ok(s)
    }
}

/// Builds the row a validated record becomes.
pub(crate) fn row_of(
    id: &str,
    record: &ValidRecord,
    grid: &RegionRow,
    sealed: Sealed,
    ctx: &AuditCtx,
    previous: Option<&RecordRow>,
) -> Result<RecordRow> {
    let details = serde_json::to_string(&record.details)
        .map_err(|e| StoreError::Corrupt(format!("base record details: {e}")))?;
    Ok(RecordRow {
        id: id.to_owned(),
        kind: record.kind.code().to_owned(),
        grid_code: grid.code.clone(),
        region_path: grid.path.clone(),
        name: record.name.clone(),
        address: record.address.clone(),
        category: record.category.clone(),
        tags: tags_text(&record.tags),
        notes: record.notes.clone(),
        id_number_enc: sealed.id_enc,
        id_number_index: sealed.id_index,
        id_number_masked: sealed.id_masked,
        phone_enc: sealed.phone_enc,
        phone_index: sealed.phone_index,
        phone_masked: sealed.phone_masked,
        credit_code: record.credit_code.as_ref().map(|c| c.as_str().to_owned()),
        housing_id: record.housing_id.clone(),
        lat: record.point.map(|p| p.0),
        lng: record.point.map(|p| p.1),
        details_json: details,
        complete: record.complete,
        version: previous.map_or(1, |p| p.version + 1),
        created_by: previous.map_or(ctx.actor_user_id.clone(), |p| p.created_by.clone()),
        created_at: previous.map_or(ctx.at.as_micros(), |p| p.created_at),
        updated_by: ctx.actor_user_id.clone(),
        updated_at: ctx.at.as_micros(),
        deleted_at: None,
    })
}

/// The record's uniqueness problems: a live person with the same ID number, or a live record of
/// the same kind with the same credit code (other than `except`).
pub(crate) async fn duplicates_in(
    tx: &mut Tx,
    row: &RecordRow,
    except: Option<&str>,
) -> Result<Vec<FieldError>> {
    let mut problems = Vec::new();
    let checks = [
        (
            "id_number",
            BaseRecords::IdNumberIndex,
            &row.id_number_index,
        ),
        ("credit_code", BaseRecords::CreditCode, &row.credit_code),
    ];
    for (field, column, value) in checks {
        let Some(value) = value else { continue };
        let mut q = Query::select()
            .column(BaseRecords::Id)
            .from(BaseRecords::Table)
            .and_where(Expr::col(BaseRecords::Kind).eq(row.kind.as_str()))
            .and_where(Expr::col(column).eq(value.as_str()))
            .and_where(Expr::col(BaseRecords::DeletedAt).is_null())
            .to_owned();
        if let Some(id) = except {
            q.and_where(Expr::col(BaseRecords::Id).ne(id));
        }
        let found: Option<(String,)> = tx.fetch_optional(&q).await?;
        if found.is_some() {
            problems.push(FieldError::new(
                field,
                "duplicate",
                "库中已有相同证件号码的记录（可能在其他网格）",
            ));
        }
    }
    Ok(problems)
}

fn insert_statement(row: &RecordRow) -> sea_query::InsertStatement {
    Query::insert()
        .into_table(BaseRecords::Table)
        .columns(COLUMNS)
        .values_panic([
            row.id.clone().into(),
            row.kind.clone().into(),
            row.grid_code.clone().into(),
            row.region_path.clone().into(),
            row.name.clone().into(),
            row.address.clone().into(),
            row.category.clone().into(),
            row.tags.clone().into(),
            row.notes.clone().into(),
            row.id_number_enc.clone().into(),
            row.id_number_index.clone().into(),
            row.id_number_masked.clone().into(),
            row.phone_enc.clone().into(),
            row.phone_index.clone().into(),
            row.phone_masked.clone().into(),
            row.credit_code.clone().into(),
            row.housing_id.clone().into(),
            row.lat.into(),
            row.lng.into(),
            row.details_json.clone().into(),
            row.complete.into(),
            row.version.into(),
            row.created_by.clone().into(),
            row.created_at.into(),
            row.updated_by.clone().into(),
            row.updated_at.into(),
            row.deleted_at.into(),
        ])
        .to_owned()
}

/// Appends the history entry and the audit entry of one change.
pub(crate) async fn record_change(
    tx: &mut Tx,
    ctx: &AuditCtx,
    action: &str,
    reason: &str,
    before: Option<&BaseRecordView>,
    after: &BaseRecordView,
) -> Result<()> {
    let json = |v: &BaseRecordView| {
        serde_json::to_string(v).map_err(|e| StoreError::Corrupt(format!("history: {e}")))
    };
    let insert = Query::insert()
        .into_table(BaseRecordHistory::Table)
        .columns([
            BaseRecordHistory::Id,
            BaseRecordHistory::RecordId,
            BaseRecordHistory::Version,
            BaseRecordHistory::Action,
            BaseRecordHistory::GridCode,
            BaseRecordHistory::RegionPath,
            BaseRecordHistory::At,
            BaseRecordHistory::ActorUserId,
            BaseRecordHistory::Reason,
            BaseRecordHistory::BeforeJson,
            BaseRecordHistory::AfterJson,
        ])
        .values_panic([
            format!("{}#{}", after.id, after.version).into(),
            after.id.clone().into(),
            after.version.into(),
            action.into(),
            after.grid_code.clone().into(),
            after.region_path.clone().into(),
            ctx.at.as_micros().into(),
            ctx.actor_user_id.clone().into(),
            reason.into(),
            before.map(json).transpose()?.into(),
            Some(json(after)?).into(),
        ])
        .to_owned();
    tx.execute(&insert).await?;
    let note =
        (!reason.is_empty()).then(|| serde_json::json!({ "reason": reason, "record": after }));
    match note {
        Some(n) => {
            audit::append(
                tx,
                ctx,
                &format!("base_record.{action}"),
                "base_record",
                &after.id,
                before,
                Some(&n),
            )
            .await?
        }
        None => {
            audit::append(
                tx,
                ctx,
                &format!("base_record.{action}"),
                "base_record",
                &after.id,
                before,
                Some(after),
            )
            .await?
        }
    };
    Ok(())
}

/// Checks a housing link of a person: a live housing record visible in `scope`.
pub(crate) async fn check_housing(
    tx: &mut Tx,
    scope: &Scope,
    record: &ValidRecord,
) -> Result<Option<FieldError>> {
    let Some(h) = &record.housing_id else {
        return Ok(None);
    };
    Ok(live_record_in(tx, scope, h, BaseKind::Housing)
        .await?
        .is_none()
        .then(|| {
            FieldError::new(
                "housing_id",
                "not_found",
                "房屋记录不存在或不在您的管辖范围",
            )
        }))
}

/// Validates and writes one new record with its history and audit entries inside `tx`.
pub async fn create_record_in(
    tx: &mut Tx,
    ctx: &AuditCtx,
    scope: &Scope,
    cipher: &FieldCipher,
    id: &str,
    kind: BaseKind,
    draft: &RecordDraft,
) -> Result<BaseRecordView> {
    let today = ctx.at.china_date();
    let (record, mut problems) = match validate(kind, draft, today) {
        Ok(r) => (Some(r), Vec::new()),
        Err(p) => (None, p),
    };
    let grid = if draft.grid_code.trim().is_empty() {
        None
    } else {
        match grid_in(tx, scope, "grid_code", &draft.grid_code).await? {
            Ok(g) => Some(g),
            Err(p) => {
                problems.push(p);
                None
            }
        }
    };
    if let Some(r) = &record
        && let Some(p) = check_housing(tx, scope, r).await?
    {
        problems.push(p);
    }
    if !problems.is_empty() {
        return Err(StoreError::Invalid(problems));
    }
    let (Some(record), Some(grid)) = (record, grid) else {
        return Err(StoreError::invalid(
            "grid_code",
            "required",
            "必须指定所属网格",
        ));
    };
    let row = row_of(
        id,
        &record,
        &grid,
        Sealed::of(cipher, &record, None)?,
        ctx,
        None,
    )?;
    if let Some(dup) = duplicates_in(tx, &row, None).await?.into_iter().next() {
        return Err(StoreError::Conflict { field: dup.field });
    }
    tx.execute(&insert_statement(&row)).await.map_err(|e| {
        StoreError::from_write(e, &[("id_number", "id_number"), ("credit", "credit_code")])
    })?;
    let view = row.view()?;
    record_change(tx, ctx, "create", "", None, &view).await?;
    Ok(view)
}

/// Writes an already validated and checked row (imports); no uniqueness check here.
pub(crate) async fn insert_checked_in(
    tx: &mut Tx,
    ctx: &AuditCtx,
    row: &RecordRow,
    action: &str,
) -> Result<BaseRecordView> {
    tx.execute(&insert_statement(row)).await?;
    let view = row.view()?;
    record_change(tx, ctx, action, "", None, &view).await?;
    Ok(view)
}

/// The draft a stored record corresponds to (identifiers decrypted), for re-validation on update.
fn draft_of(row: &RecordRow, cipher: &FieldCipher) -> Result<RecordDraft> {
    let details: RecordDetails = serde_json::from_str(&row.details_json)
        .map_err(|e| StoreError::Corrupt(format!("base record details: {e}")))?;
    Ok(RecordDraft {
        grid_code: row.grid_code.clone(),
        name: row.name.clone(),
        address: row.address.clone(),
        category: row.category.clone(),
        tags: tags_of(&row.tags),
        notes: row.notes.clone(),
        id_number: row
            .id_number_enc
            .as_deref()
            .map(|c| cipher.decrypt(c))
            .transpose()?,
        phone: row
            .phone_enc
            .as_deref()
            .map(|c| cipher.decrypt(c))
            .transpose()?,
        credit_code: row.credit_code.clone(),
        housing_id: row.housing_id.clone(),
        lat: row.lat,
        lng: row.lng,
        tenure: details.tenure,
        area_m2: details.area_m2,
        owner_name: details.owner_name,
        legal_representative: details.legal_representative,
        employees: details.employees,
        contact_name: details.contact_name,
        component_code: details.component_code,
        status: details.status,
        owner_department: details.owner_department,
    })
}

/// Fields `clear` may name.
const CLEARABLE: [&str; 19] = [
    "address",
    "category",
    "tags",
    "notes",
    "id_number",
    "phone",
    "credit_code",
    "housing_id",
    "lat",
    "lng",
    "tenure",
    "area_m2",
    "owner_name",
    "legal_representative",
    "employees",
    "contact_name",
    "component_code",
    "status",
    "owner_department",
];

fn apply_patch(draft: &mut RecordDraft, patch: &RecordPatch) -> Result<()> {
    fn set(target: &mut Option<String>, value: &Option<String>) {
        if let Some(v) = value {
            *target = Some(v.clone()).filter(|s| !s.trim().is_empty());
        }
    }
    if let Some(v) = &patch.grid_code {
        draft.grid_code = v.clone();
    }
    if let Some(v) = &patch.name {
        draft.name = v.clone();
    }
    if let Some(v) = &patch.address {
        draft.address = v.clone();
    }
    if let Some(v) = &patch.notes {
        draft.notes = v.clone();
    }
    if let Some(v) = &patch.tags {
        draft.tags = v.clone();
    }
    set(&mut draft.category, &patch.category);
    set(&mut draft.id_number, &patch.id_number);
    set(&mut draft.phone, &patch.phone);
    set(&mut draft.credit_code, &patch.credit_code);
    set(&mut draft.housing_id, &patch.housing_id);
    set(&mut draft.tenure, &patch.tenure);
    set(&mut draft.owner_name, &patch.owner_name);
    set(&mut draft.legal_representative, &patch.legal_representative);
    set(&mut draft.contact_name, &patch.contact_name);
    set(&mut draft.component_code, &patch.component_code);
    set(&mut draft.status, &patch.status);
    set(&mut draft.owner_department, &patch.owner_department);
    if patch.lat.is_some() {
        draft.lat = patch.lat;
    }
    if patch.lng.is_some() {
        draft.lng = patch.lng;
    }
    if patch.area_m2.is_some() {
        draft.area_m2 = patch.area_m2;
    }
    if patch.employees.is_some() {
        draft.employees = patch.employees;
    }
    let mut problems = Vec::new();
    for (i, field) in patch.clear.iter().enumerate() {
        match field.as_str() {
            "address" => draft.address.clear(),
            "notes" => draft.notes.clear(),
            "tags" => draft.tags.clear(),
            "category" => draft.category = None,
            "id_number" => draft.id_number = None,
            "phone" => draft.phone = None,
            "credit_code" => draft.credit_code = None,
            "housing_id" => draft.housing_id = None,
            "lat" => draft.lat = None,
            "lng" => draft.lng = None,
            "tenure" => draft.tenure = None,
            "area_m2" => draft.area_m2 = None,
            "owner_name" => draft.owner_name = None,
            "legal_representative" => draft.legal_representative = None,
            "employees" => draft.employees = None,
            "contact_name" => draft.contact_name = None,
            "component_code" => draft.component_code = None,
            "status" => draft.status = None,
            "owner_department" => draft.owner_department = None,
            _ => problems.push(FieldError::new(
                format!("clear.{i}"),
                "bad_value",
                format!("可清空的字段：{}", CLEARABLE.join("、")),
            )),
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(StoreError::Invalid(problems))
    }
}

impl Store {
    pub async fn create_base_record(
        &self,
        ctx: &AuditCtx,
        scope: &Scope,
        cipher: &FieldCipher,
        id: &str,
        kind: BaseKind,
        draft: &RecordDraft,
    ) -> Result<BaseRecordView> {
        let mut tx = self.begin().await?;
        let view = create_record_in(&mut tx, ctx, scope, cipher, id, kind, draft).await?;
        tx.commit().await?;
        Ok(view)
    }

    pub(crate) async fn record_row(&self, scope: &Scope, id: &str) -> Result<RecordRow> {
        let q = select_records()
            .and_where(Expr::col(BaseRecords::Id).eq(id))
            .and_where(scope.path_condition(BaseRecords::RegionPath))
            .to_owned();
        self.fetch_optional(&q).await?.ok_or(StoreError::NotFound {
            entity: "base_record",
        })
    }

    /// One record (deleted ones too, with `deleted_at`), with its full credit code.
    pub async fn get_base_record(&self, scope: &Scope, id: &str) -> Result<BaseRecordView> {
        let row = self.record_row(scope, id).await?;
        let mut view = row.view()?;
        view.credit_code = row.credit_code.clone();
        Ok(view)
    }

    /// Applies a patch: the whole record is validated again, identifiers re-sealed only when
    /// they change, and the change is refused if the stored version moved on.
    pub async fn update_base_record(
        &self,
        ctx: &AuditCtx,
        scope: &Scope,
        cipher: &FieldCipher,
        id: &str,
        patch: &RecordPatch,
    ) -> Result<BaseRecordView> {
        let mut tx = self.begin().await?;
        let before = tx
            .fetch_optional::<RecordRow>(
                &select_records()
                    .and_where(Expr::col(BaseRecords::Id).eq(id))
                    .and_where(Expr::col(BaseRecords::DeletedAt).is_null())
                    .and_where(scope.path_condition(BaseRecords::RegionPath))
                    .to_owned(),
            )
            .await?
            .ok_or(StoreError::NotFound {
                entity: "base_record",
            })?;
        if patch.version.is_some_and(|v| v != before.version) {
            return Err(StoreError::Conflict {
                field: "version".into(),
            });
        }
        let kind = before.kind()?;
        let mut draft = draft_of(&before, cipher)?;
        apply_patch(&mut draft, patch)?;
        let (record, mut problems) = match validate(kind, &draft, ctx.at.china_date()) {
            Ok(r) => (Some(r), Vec::new()),
            Err(p) => (None, p),
        };
        let grid = match grid_in(&mut tx, scope, "grid_code", &draft.grid_code).await? {
            Ok(g) => Some(g),
            Err(p) => {
                if !problems.iter().any(|e| e.field == "grid_code") {
                    problems.push(p);
                }
                None
            }
        };
        if let Some(r) = &record
            && r.housing_id != before.housing_id
            && let Some(p) = check_housing(&mut tx, scope, r).await?
        {
            problems.push(p);
        }
        if !problems.is_empty() {
            return Err(StoreError::Invalid(problems));
        }
        let (Some(record), Some(grid)) = (record, grid) else {
            return Err(StoreError::invalid(
                "grid_code",
                "required",
                "必须指定所属网格",
            ));
        };
        let sealed = Sealed::of(cipher, &record, Some(&before))?;
        let after = row_of(id, &record, &grid, sealed, ctx, Some(&before))?;
        if let Some(dup) = duplicates_in(&mut tx, &after, Some(id))
            .await?
            .into_iter()
            .next()
        {
            return Err(StoreError::Conflict { field: dup.field });
        }
        let update = Query::update()
            .table(BaseRecords::Table)
            .values([
                (BaseRecords::GridCode, after.grid_code.clone().into()),
                (BaseRecords::RegionPath, after.region_path.clone().into()),
                (BaseRecords::Name, after.name.clone().into()),
                (BaseRecords::Address, after.address.clone().into()),
                (BaseRecords::Category, after.category.clone().into()),
                (BaseRecords::Tags, after.tags.clone().into()),
                (BaseRecords::Notes, after.notes.clone().into()),
                (BaseRecords::IdNumberEnc, after.id_number_enc.clone().into()),
                (
                    BaseRecords::IdNumberIndex,
                    after.id_number_index.clone().into(),
                ),
                (
                    BaseRecords::IdNumberMasked,
                    after.id_number_masked.clone().into(),
                ),
                (BaseRecords::PhoneEnc, after.phone_enc.clone().into()),
                (BaseRecords::PhoneIndex, after.phone_index.clone().into()),
                (BaseRecords::PhoneMasked, after.phone_masked.clone().into()),
                (BaseRecords::CreditCode, after.credit_code.clone().into()),
                (BaseRecords::HousingId, after.housing_id.clone().into()),
                (BaseRecords::Lat, after.lat.into()),
                (BaseRecords::Lng, after.lng.into()),
                (BaseRecords::DetailsJson, after.details_json.clone().into()),
                (BaseRecords::Complete, after.complete.into()),
                (BaseRecords::Version, after.version.into()),
                (BaseRecords::UpdatedBy, after.updated_by.clone().into()),
                (BaseRecords::UpdatedAt, after.updated_at.into()),
            ])
            .and_where(Expr::col(BaseRecords::Id).eq(id))
            .and_where(Expr::col(BaseRecords::Version).eq(before.version))
            .to_owned();
        let changed = tx.execute(&update).await.map_err(|e| {
            StoreError::from_write(e, &[("id_number", "id_number"), ("credit", "credit_code")])
        })?;
        if changed != 1 {
            // Someone else's change landed between our read and write.
            return Err(StoreError::Conflict {
                field: "version".into(),
            });
        }
        let (b, a) = (before.view()?, after.view()?);
        record_change(&mut tx, ctx, "update", "", Some(&b), &a).await?;
        tx.commit().await?;
        Ok(a)
    }

    /// Marks a record deleted (kept for its history and for visits that name it).
    pub async fn delete_base_record(
        &self,
        ctx: &AuditCtx,
        scope: &Scope,
        id: &str,
        reason: &str,
    ) -> Result<BaseRecordView> {
        let reason = reason.trim();
        if reason.chars().count() > 200 {
            return Err(StoreError::invalid(
                "reason",
                "too_long",
                "不能超过 200 个字符",
            ));
        }
        let mut tx = self.begin().await?;
        let before = tx
            .fetch_optional::<RecordRow>(
                &select_records()
                    .and_where(Expr::col(BaseRecords::Id).eq(id))
                    .and_where(Expr::col(BaseRecords::DeletedAt).is_null())
                    .and_where(scope.path_condition(BaseRecords::RegionPath))
                    .to_owned(),
            )
            .await?
            .ok_or(StoreError::NotFound {
                entity: "base_record",
            })?;
        let mut after = before.clone();
        after.version += 1;
        after.deleted_at = Some(ctx.at.as_micros());
        after.updated_at = ctx.at.as_micros();
        after.updated_by = ctx.actor_user_id.clone();
        let update = Query::update()
            .table(BaseRecords::Table)
            .values([
                (BaseRecords::DeletedAt, after.deleted_at.into()),
                (BaseRecords::Version, after.version.into()),
                (BaseRecords::UpdatedAt, after.updated_at.into()),
                (BaseRecords::UpdatedBy, after.updated_by.clone().into()),
            ])
            .and_where(Expr::col(BaseRecords::Id).eq(id))
            .and_where(Expr::col(BaseRecords::Version).eq(before.version))
            .to_owned();
        if tx.execute(&update).await? != 1 {
            return Err(StoreError::Conflict {
                field: "version".into(),
            });
        }
        let (b, a) = (before.view()?, after.view()?);
        record_change(&mut tx, ctx, "delete", reason, Some(&b), &a).await?;
        tx.commit().await?;
        Ok(a)
    }

    /// Searches live records in scope.
    pub async fn list_base_records(
        &self,
        scope: &Scope,
        cipher: &FieldCipher,
        filter: &RecordFilter,
        page: PageRequest,
    ) -> Result<Page<BaseRecordView>> {
        let mut q = select_records();
        q.and_where(scope.path_condition(BaseRecords::RegionPath))
            .and_where(Expr::col(BaseRecords::DeletedAt).is_null());
        if let Some(kind) = filter.kind {
            q.and_where(Expr::col(BaseRecords::Kind).eq(kind.code()));
        }
        if let Some(path) = &filter.under_path {
            q.and_where(Scope::Subtree(path.clone()).path_condition(BaseRecords::RegionPath));
        }
        if let Some(grid) = &filter.grid_code {
            q.and_where(Expr::col(BaseRecords::GridCode).eq(grid.trim()));
        }
        if let Some(text) = filter
            .text
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
        {
            let pattern = crate::scope::contains(text);
            q.and_where(
                Expr::col(BaseRecords::Name)
                    .like(pattern.clone())
                    .or(Expr::col(BaseRecords::Address).like(pattern)),
            );
        }
        if let Some(id) = &filter.id_number {
            q.and_where(Expr::col(BaseRecords::IdNumberIndex).eq(cipher.blind_index(id.as_str())));
        }
        if let Some(phone) = &filter.phone {
            q.and_where(Expr::col(BaseRecords::PhoneIndex).eq(cipher.blind_index(phone.as_str())));
        }
        if let Some(code) = &filter.credit_code {
            q.and_where(Expr::col(BaseRecords::CreditCode).eq(code.as_str()));
        }
        if let Some(tag) = filter
            .tag
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
        {
            q.and_where(
                Expr::col(BaseRecords::Tags).like(crate::scope::contains(&format!(",{tag},"))),
            );
        }
        if let Some(category) = &filter.category {
            q.and_where(Expr::col(BaseRecords::Category).eq(category.trim()));
        }
        if let Some(h) = &filter.housing_id {
            q.and_where(Expr::col(BaseRecords::HousingId).eq(h.trim()));
        }
        if let Some(complete) = filter.complete {
            q.and_where(Expr::col(BaseRecords::Complete).eq(complete));
        }
        let mut count = q.clone();
        count.clear_selects();
        let total = self
            .fetch_count(&count.expr(Expr::col(BaseRecords::Id).count()).to_owned())
            .await?;
        q.order_by(BaseRecords::GridCode, Order::Asc)
            .order_by(BaseRecords::Name, Order::Asc)
            .order_by(BaseRecords::Id, Order::Asc);
        page.apply(&mut q);
        let rows: Vec<RecordRow> = self.fetch_all(&q).await?;
        let items = rows
            .iter()
            .map(RecordRow::view)
            .collect::<Result<Vec<_>>>()?;
        Ok(Page::new(items, total, page))
    }

    /// Every change of one record, oldest first.
    pub async fn base_record_history(&self, scope: &Scope, id: &str) -> Result<Vec<HistoryEntry>> {
        // The record's current path decides visibility, like reading the record itself.
        self.record_row(scope, id).await?;
        let q = Query::select()
            .columns([
                BaseRecordHistory::Version,
                BaseRecordHistory::Action,
                BaseRecordHistory::At,
                BaseRecordHistory::ActorUserId,
                BaseRecordHistory::Reason,
                BaseRecordHistory::BeforeJson,
                BaseRecordHistory::AfterJson,
            ])
            .from(BaseRecordHistory::Table)
            .and_where(Expr::col(BaseRecordHistory::RecordId).eq(id))
            .order_by(BaseRecordHistory::Version, Order::Asc)
            .to_owned();
        self.fetch_all(&q).await
    }

    /// Decrypts one identifier of a record for an authorised caller and records the reveal.
    pub async fn reveal_base_field(
        &self,
        ctx: &AuditCtx,
        scope: &Scope,
        cipher: &FieldCipher,
        id: &str,
        field: SensitiveField,
        reason: &str,
    ) -> Result<Option<String>> {
        let reason = reveal_reason(reason)?;
        let row = self.record_row(scope, id).await?;
        let stored = match field {
            SensitiveField::Phone => &row.phone_enc,
            SensitiveField::IdNumber => &row.id_number_enc,
        };
        let plain = stored.as_deref().map(|c| cipher.decrypt(c)).transpose()?;
        let mut tx = self.begin().await?;
        let note = serde_json::json!({ "field": field, "reason": reason });
        audit::append(
            &mut tx,
            ctx,
            "base_record.reveal",
            "base_record",
            &row.id,
            None::<&()>,
            Some(&note),
        )
        .await?;
        tx.commit().await?;
        Ok(plain)
    }

    /// Live records per kind in one grid (every kind listed, zeros included).
    pub async fn grid_base_counts(&self, scope: &Scope, grid_code: &str) -> Result<GridBaseCounts> {
        let grid = self.get_region(scope, grid_code).await?;
        if grid.level != "grid" {
            return Err(StoreError::NotFound { entity: "grid" });
        }
        let q = Query::select()
            .columns([BaseRecords::Kind, BaseRecords::Complete])
            .expr(Expr::col(BaseRecords::Id).count())
            .from(BaseRecords::Table)
            .and_where(Expr::col(BaseRecords::GridCode).eq(grid.code.as_str()))
            .and_where(Expr::col(BaseRecords::DeletedAt).is_null())
            .and_where(scope.path_condition(BaseRecords::RegionPath))
            .group_by_col(BaseRecords::Kind)
            .group_by_col(BaseRecords::Complete)
            .to_owned();
        let rows: Vec<(String, bool, i64)> = self.fetch_all(&q).await?;
        let kinds: Vec<KindCount> = BaseKind::ALL
            .iter()
            .map(|k| {
                let of_kind = rows.iter().filter(|r| r.0 == k.code());
                KindCount {
                    kind: *k,
                    label_zh: k.label_zh().to_owned(),
                    count: of_kind.clone().map(|r| r.2).sum(),
                    complete: of_kind.filter(|r| r.1).map(|r| r.2).sum(),
                }
            })
            .collect();
        Ok(GridBaseCounts {
            grid_code: grid.code,
            grid_name: grid.name,
            total: kinds.iter().map(|k| k.count).sum(),
            kinds,
        })
    }
}
