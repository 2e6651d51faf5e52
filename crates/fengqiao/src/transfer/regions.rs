//! Regions files: the columns, one row to a `NewRegion`, and the export (parents before children,
//! so the file re-imports in order).

use super::table::{Cell, Table};
use super::{Column, Importer, RowReader, WriteFailure, cells};
use fengqiao_domain::region::{GridKind, RegionLevel};
use fengqiao_store::regions::{NewRegion, RegionRow, create_region_in};
use fengqiao_store::{AuditCtx, Scope, Tx};

pub(super) const COLUMNS: &[Column] = &[
    Column {
        name: "code",
        required: true,
    },
    Column {
        name: "name",
        required: true,
    },
    Column {
        name: "level",
        required: true,
    },
    Column {
        name: "parent_code",
        required: false,
    },
    Column {
        name: "grid_kind",
        required: false,
    },
    Column {
        name: "population",
        required: false,
    },
    Column {
        name: "geometry",
        required: false,
    },
];

pub(super) struct RegionImporter<'a> {
    ctx: &'a AuditCtx,
    scope: &'a Scope,
}

impl<'a> RegionImporter<'a> {
    pub(super) fn new(ctx: &'a AuditCtx, scope: &'a Scope) -> Self {
        Self { ctx, scope }
    }
}

impl Importer for RegionImporter<'_> {
    type Input = NewRegion;

    fn columns(&self) -> &'static [Column] {
        COLUMNS
    }

    fn parse(&self, r: &mut RowReader<'_>) -> Option<NewRegion> {
        let code = r.required("code", cells::text);
        let name = r.required("name", cells::text);
        let level = r.required(
            "level",
            cells::choice(&RegionLevel::ALL, RegionLevel::code, RegionLevel::label_zh),
        );
        let parent_code = r.optional("parent_code", cells::text);
        let grid_kind = r.optional(
            "grid_kind",
            cells::choice(&GridKind::ALL, GridKind::code, GridKind::label_zh),
        );
        let population = r.optional("population", cells::integer);
        let geometry = r.optional("geometry", cells::geometry);
        Some(NewRegion {
            code: code?,
            name: name?,
            level: level?,
            parent_code,
            grid_kind,
            population,
            geometry,
        })
    }

    async fn write(&mut self, tx: &mut Tx, input: NewRegion) -> Result<(), WriteFailure> {
        // Region codes are checked for duplicates inside the transaction by the store itself,
        // so a repeated code never reaches the insert.
        create_region_in(tx, self.ctx, self.scope, &input)
            .await
            .map(|_| ())
            .map_err(|e| WriteFailure::from_store(e, "parent_code"))
    }
}

/// Stored geometry back to JSON (an object in JSON files, compact text in xlsx).
fn geometry_cell(stored: Option<&str>) -> Cell {
    match stored {
        None => Cell::Empty,
        Some(text) => serde_json::from_str(text).map_or_else(|_| Cell::text(text), Cell::Json),
    }
}

/// Rows as `all_regions` returns them: ordered by path, so every parent precedes its children.
pub(super) fn export_table(rows: &[RegionRow]) -> Table {
    let names: Vec<&str> = COLUMNS.iter().map(|c| c.name).collect();
    let rows = rows
        .iter()
        .map(|r| {
            vec![
                Cell::text(&r.code),
                Cell::text(&r.name),
                Cell::text(&r.level),
                Cell::opt_text(r.parent_code.as_deref()),
                Cell::opt_text(r.grid_kind.as_deref()),
                r.population.map_or(Cell::Empty, Cell::Int),
                geometry_cell(r.geometry.as_deref()),
            ]
        })
        .collect();
    Table::for_export(&names, rows)
}
