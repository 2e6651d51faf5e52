//! Loads the generated demo city into an empty store, deterministically.

use crate::demo_city::{self, DemoCity};
use anyhow::Context;
use fengqiao_domain::identifiers::MobileNumber;
use fengqiao_domain::time::Timestamp;
use fengqiao_store::orgs::NewOrg;
use fengqiao_store::regions::NewRegion;
use fengqiao_store::users::NewUser;
use fengqiao_store::{AuditCtx, FieldCipher, Scope, Store};
use std::collections::HashMap;

/// Namespace for the demo's deterministic ids (UUID v5 of each record's stable key).
const DEMO_NAMESPACE: uuid::Uuid = uuid::Uuid::from_u128(0x6665_6e67_7169_616f_2d64_656d_6f2d_6369);

pub fn demo_id(key: &str) -> String {
    uuid::Uuid::new_v5(&DEMO_NAMESPACE, key.as_bytes()).to_string()
}

/// What was written.
pub struct SeedSummary {
    pub regions: usize,
    pub orgs: usize,
    pub users: usize,
}

/// Writes the demo city in one transaction (all or nothing), every record audited as the system.
pub async fn seed_demo(
    store: &Store,
    cipher: &FieldCipher,
    at: Timestamp,
) -> anyhow::Result<SeedSummary> {
    let city: DemoCity = demo_city::generate();
    let ctx = AuditCtx::system(at);
    let all = Scope::Everything;
    // One argon2 hash serves every demo account: they share the printed demo password, and 400
    // separate hashes would only slow the first start down.
    let password_hash = fengqiao_http::routes::auth::hash_password(demo_city::DEMO_PASSWORD)
        .map_err(|e| anyhow::anyhow!("hashing the demo password: {e}"))?;
    let mut tx = store.begin().await?;
    for r in &city.regions {
        let input = NewRegion {
            code: r.code.clone(),
            name: r.name.clone(),
            level: r.level,
            parent_code: r.parent_code.clone(),
            grid_kind: r.grid_kind,
            population: r.population,
            geometry: r.geometry.clone(),
        };
        fengqiao_store::regions::create_region_in(&mut tx, &ctx, &all, &input)
            .await
            .with_context(|| format!("demo region {}", r.code))?;
    }
    let mut org_ids = HashMap::new();
    for o in &city.orgs {
        let id = demo_id(&format!("org:{}", o.key));
        let input = NewOrg {
            name: o.name.clone(),
            kind: o.kind,
            region_code: o.region_code.clone(),
            specialty: o.specialty,
            court_id: o.court_key.as_ref().and_then(|k| org_ids.get(k).cloned()),
            address: o.address.clone(),
            phone: o.phone.clone(),
        };
        fengqiao_store::orgs::create_org_in(&mut tx, &ctx, &all, &id, &input)
            .await
            .with_context(|| format!("demo organisation {}", o.key))?;
        org_ids.insert(o.key.clone(), id);
    }
    for u in &city.users {
        let org_id = org_ids
            .get(&u.org_key)
            .cloned()
            .with_context(|| format!("demo user {} has no org {}", u.username, u.org_key))?;
        let input = NewUser {
            username: u.username.clone(),
            display_name: u.display_name.clone(),
            org_id,
            roles: u.roles.clone(),
            password_hash: password_hash.clone(),
            phone: Some(
                MobileNumber::parse(&u.phone)
                    .with_context(|| format!("demo phone of {}", u.username))?,
            ),
            id_number: None,
        };
        fengqiao_store::users::create_user_in(
            &mut tx,
            &ctx,
            &all,
            cipher,
            &demo_id(&format!("user:{}", u.username)),
            &input,
        )
        .await
        .with_context(|| format!("demo user {}", u.username))?;
        // `gw_<grid code>` accounts patrol that grid (网格员).
        if let Some(grid) = u.username.strip_prefix("gw_") {
            fengqiao_store::grids::assign_grid_worker_in(
                &mut tx,
                &ctx,
                &all,
                grid,
                &demo_id(&format!("user:{}", u.username)),
            )
            .await
            .with_context(|| format!("demo grid worker {}", u.username))?;
        }
    }
    tx.commit().await?;
    // 金融智审: a bank's batch of loan cases at the demo judge's court.
    if let Some(court) = city
        .users
        .iter()
        .find(|u| u.username == "judge")
        .and_then(|u| org_ids.get(&u.org_key))
    {
        crate::finance_demo::seed_batch(store, cipher, at, court).await?;
    }
    Ok(SeedSummary {
        regions: city.regions.len(),
        orgs: city.orgs.len(),
        users: city.users.len(),
    })
}

/// The accounts `demo` prints, one per role, with what each is for.
pub const DEMO_ACCOUNTS: &[(&str, &str)] = &[
    ("admin", "管理员（临江市社会治理中心）"),
    ("district_intake", "受理窗口（江城区社会治理中心）"),
    ("district_commander", "指挥中心值班员（江城区）"),
    ("analyst", "研判人员（江城区）"),
    ("street_intake", "受理窗口（鼓楼街道综治中心）"),
    ("mediator", "调解员（鼓楼街道人民调解委员会）"),
    ("labour_mediator", "调解员（江城区劳动争议人民调解委员会）"),
    ("judge", "法官（江城区人民法院）"),
    ("arbitrator", "仲裁员（江城区劳动人事争议仲裁委员会）"),
    ("grid_worker", "网格员（鼓楼社区）"),
    ("handler", "部门处置人员（江城区人社局）"),
    ("citizen", "群众"),
    ("street2_intake", "受理窗口（望江街道，用于演示数据权限）"),
];
