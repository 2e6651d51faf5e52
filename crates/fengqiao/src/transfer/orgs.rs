//! Organisation files: the columns, one row to a `NewOrg` with its id, uniqueness checks before
//! the insert, and the export (courts before the shared courts that link to them).

use super::table::{Cell, Table};
use super::{Column, Importer, RowReader, WriteFailure, cells};
use fengqiao_domain::org::{OrgKind, Specialty};
use fengqiao_store::orgs::{NewOrg, OrgRow, create_org_in};
use fengqiao_store::{AuditCtx, Scope, Store, StoreError, Tx};
use std::collections::HashSet;

pub(super) const COLUMNS: &[Column] = &[
    Column {
        name: "id",
        required: false,
    },
    Column {
        name: "name",
        required: true,
    },
    Column {
        name: "kind",
        required: true,
    },
    Column {
        name: "region_code",
        required: true,
    },
    Column {
        name: "specialty",
        required: false,
    },
    Column {
        name: "court_id",
        required: false,
    },
    Column {
        name: "address",
        required: false,
    },
    Column {
        name: "phone",
        required: false,
    },
];

pub(super) struct OrgInput {
    id: Option<String>,
    org: NewOrg,
}

pub(super) struct OrgImporter<'a> {
    store: &'a Store,
    ctx: &'a AuditCtx,
    scope: &'a Scope,
    /// Ids and (region code, name) pairs written earlier in this file.
    ids: HashSet<String>,
    names: HashSet<(String, String)>,
}

impl<'a> OrgImporter<'a> {
    pub(super) fn new(store: &'a Store, ctx: &'a AuditCtx, scope: &'a Scope) -> Self {
        Self {
            store,
            ctx,
            scope,
            ids: HashSet::new(),
            names: HashSet::new(),
        }
    }
}

/// Whether a lookup found something; other failures abort the import.
pub(super) fn found<T>(lookup: Result<T, StoreError>) -> Result<bool, WriteFailure> {
    match lookup {
        Ok(_) => Ok(true),
        Err(StoreError::NotFound { .. }) => Ok(false),
        Err(e) => Err(WriteFailure::from_store(e, "")),
    }
}

impl Importer for OrgImporter<'_> {
    type Input = OrgInput;

    fn columns(&self) -> &'static [Column] {
        COLUMNS
    }

    fn parse(&self, r: &mut RowReader<'_>) -> Option<OrgInput> {
        let id = r.optional("id", cells::id);
        let name = r.required("name", cells::text);
        let kind = r.required(
            "kind",
            cells::choice(&OrgKind::ALL, OrgKind::code, OrgKind::label_zh),
        );
        let region_code = r.required("region_code", cells::text);
        let specialty = r.optional(
            "specialty",
            cells::choice(&Specialty::ALL, Specialty::code, Specialty::label_zh),
        );
        let court_id = r.optional("court_id", cells::text);
        let address = r.optional("address", cells::text);
        let phone = r.optional("phone", cells::text);
        Some(OrgInput {
            id,
            org: NewOrg {
                name: name?,
                kind: kind?,
                region_code: region_code?,
                specialty,
                court_id,
                address: address.unwrap_or_default(),
                phone: phone.unwrap_or_default(),
            },
        })
    }

    async fn write(&mut self, tx: &mut Tx, input: OrgInput) -> Result<(), WriteFailure> {
        let id = input.id.unwrap_or_else(|| uuid::Uuid::now_v7().to_string());
        // Unique columns are checked before the insert: on PostgreSQL a failed insert aborts the
        // whole transaction, so every later row would fail with it. Earlier rows of this file
        // are not committed yet, hence the sets.
        if self.ids.contains(&id) || found(self.store.get_org(&Scope::Everything, &id).await)? {
            return Err(WriteFailure::one("id", format!("编号 {id} 已存在")));
        }
        let name_key = (input.org.region_code.clone(), input.org.name.clone());
        let existing = self
            .store
            .find_org_by_name(&Scope::Everything, &name_key.0, &name_key.1)
            .await
            .map_err(|e| WriteFailure::from_store(e, "name"))?;
        if self.names.contains(&name_key) || existing.is_some() {
            return Err(WriteFailure::one("name", "该区域已有同名机构，已存在"));
        }
        create_org_in(tx, self.ctx, self.scope, &id, &input.org)
            .await
            .map_err(|e| WriteFailure::from_store(e, "region_code"))?;
        self.ids.insert(id);
        self.names.insert(name_key);
        Ok(())
    }
}

/// Rows as `all_orgs` returns them, with every organisation that links to a court moved after
/// those that do not, so each court precedes its shared courts on re-import.
pub(super) fn export_table(rows: Vec<OrgRow>) -> Table {
    let names: Vec<&str> = COLUMNS.iter().map(|c| c.name).collect();
    let (plain, linked): (Vec<OrgRow>, Vec<OrgRow>) =
        rows.into_iter().partition(|o| o.court_id.is_none());
    let rows = plain
        .iter()
        .chain(&linked)
        .map(|o| {
            vec![
                Cell::text(&o.id),
                Cell::text(&o.name),
                Cell::text(&o.kind),
                Cell::text(&o.region_code),
                Cell::opt_text(o.specialty.as_deref()),
                Cell::opt_text(o.court_id.as_deref()),
                Cell::text(&o.address),
                Cell::text(&o.phone),
            ]
        })
        .collect();
    Table::for_export(&names, rows)
}
