//! Dispute figures on both backends: counts by stage and type, how mediations ended, the
//! evaluations, and the case scope (another street's cases and cases assigned elsewhere are not
//! counted; cases assigned to the caller's body are, wherever they lie).

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed unwrap is a failed test

use fengqiao_domain::dispute::stage::{Command, NextChannel};
use fengqiao_domain::dispute::{Channel, PartyKind, PartyRole};
use fengqiao_domain::org::OrgKind;
use fengqiao_domain::region::RegionLevel;
use fengqiao_domain::role::Role;
use fengqiao_domain::time::Timestamp;
use fengqiao_store::disputes::{
    CaseScope, DisputeTypeRow, IntakeRandom, Issuer, NewDispute, NewParty,
};
use fengqiao_store::orgs::NewOrg;
use fengqiao_store::regions::NewRegion;
use fengqiao_store::stats::DisputeCounts;
use fengqiao_store::testing::TestStore;
use fengqiao_store::{AuditCtx, FieldCipher, Scope};

fengqiao_store::contract_tests! {
    figures_count_stages_types_endings_and_evaluations => figures_count_stages_types_endings_and_evaluations;
}

const STREET_1: &str = "339902001";
const STREET_2: &str = "339902002";

fn ctx(step: i64) -> AuditCtx {
    AuditCtx {
        actor_user_id: Some("u".into()),
        actor_org_id: None,
        request_id: None,
        at: Timestamp::from_micros(1_790_000_000_000_000 + step * 1_000_000),
    }
}

async fn seed(s: &TestStore) {
    let all = Scope::Everything;
    let c = ctx(0);
    let region = |code: &str, level, parent: Option<&str>| NewRegion {
        code: code.into(),
        name: format!("区域{code}"),
        level,
        parent_code: parent.map(Into::into),
        grid_kind: None,
        population: None,
        geometry: None,
    };
    s.create_region(&c, &all, &region("339900", RegionLevel::City, None))
        .await
        .unwrap();
    s.create_region(
        &c,
        &all,
        &region("339902", RegionLevel::District, Some("339900")),
    )
    .await
    .unwrap();
    for street in [STREET_1, STREET_2] {
        s.create_region(
            &c,
            &all,
            &region(street, RegionLevel::Street, Some("339902")),
        )
        .await
        .unwrap();
    }
    for (id, region) in [("committee-1", STREET_1), ("committee-2", STREET_2)] {
        s.create_org(
            &c,
            &all,
            id,
            &NewOrg {
                name: format!("调委会{id}"),
                kind: OrgKind::MediationCommittee,
                region_code: region.into(),
                specialty: None,
                court_id: None,
                address: String::new(),
                phone: String::new(),
            },
        )
        .await
        .unwrap();
    }
    s.ensure_dispute_types(&c, &DisputeTypeRow::defaults(c.at))
        .await
        .unwrap();
}

async fn case(s: &TestStore, n: u64, dispute_type: &str, region: &str) -> String {
    let input = NewDispute {
        title: format!("案件{n}"),
        dispute_type: dispute_type.into(),
        facts: "事实".into(),
        claims: "请求".into(),
        amount_fen: 100_000,
        region_code: region.into(),
        address: String::new(),
        channel: Channel::Window,
        flags: vec![],
        parties: vec![NewParty {
            role: PartyRole::Applicant,
            kind: PartyKind::Person,
            name: format!("申请人{n}"),
            id_number: None,
            credit_code: None,
            phone: None,
            address: String::new(),
            legal_representative: None,
        }],
        idempotency_key: None,
    };
    let id = format!("case-{n}");
    s.create_dispute(
        &ctx(n as i64),
        &Scope::Everything,
        &FieldCipher::new(&[3u8; 32]),
        &id,
        IntakeRandom {
            code: 5000 + n,
            secret: 9,
        },
        &input,
    )
    .await
    .unwrap();
    id
}

fn staff(org: &str, region: &str) -> Issuer {
    Issuer::Staff {
        user_id: "u".into(),
        org_id: org.into(),
        roles: vec![Role::Mediator, Role::Intake],
        region: Scope::Subtree(format!("/339900/339902/{region}/")),
    }
}

async fn run(s: &TestStore, issuer: &Issuer, id: &str, commands: &[Command]) {
    for (i, cmd) in commands.iter().enumerate() {
        s.apply_command(
            &ctx(100 + i as i64),
            issuer,
            id,
            cmd,
            &serde_json::json!({}),
        )
        .await
        .unwrap_or_else(|e| panic!("{cmd:?} on {id}: {e}"));
    }
}

async fn evaluate(s: &TestStore, id: &str, satisfaction: u8, fair: bool) {
    let detail = serde_json::json!({ "evaluation": {
        "satisfaction": satisfaction, "heard": true, "timely": true, "fair": fair, "comment": "",
    }});
    s.apply_command(
        &ctx(900),
        &Issuer::Applicant,
        id,
        &Command::Evaluate,
        &detail,
    )
    .await
    .unwrap();
}

fn stage(c: &DisputeCounts, code: &str) -> i64 {
    c.by_stage.iter().find(|s| s.stage == code).unwrap().count
}

async fn figures_count_stages_types_endings_and_evaluations(s: &TestStore) {
    seed(s).await;
    let street_1 = staff("committee-1", STREET_1);
    let route = |org: &str| Command::Route {
        org_ids: vec![org.into()],
    };
    let to_agreement = |org: &str| {
        vec![
            route(org),
            Command::Accept,
            Command::StartMediation,
            Command::ReachAgreement,
        ]
    };
    let mut closing = to_agreement("committee-1");
    closing.extend([
        Command::StartPerformance,
        Command::FollowUp { performed: true },
    ]);

    // Street 1: two closed and evaluated (5 and 3), one agreed, one failed to litigation, one
    // registered, one withdrawn.
    let a = case(s, 1, "labour", STREET_1).await;
    run(s, &street_1, &a, &closing).await;
    evaluate(s, &a, 5, true).await;
    let b = case(s, 2, "labour", STREET_1).await;
    run(s, &street_1, &b, &closing).await;
    evaluate(s, &b, 3, false).await;
    let c = case(s, 3, "neighbour", STREET_1).await;
    run(s, &street_1, &c, &to_agreement("committee-1")).await;
    let d = case(s, 4, "family", STREET_1).await;
    let mut failing = to_agreement("committee-1");
    failing.truncate(3);
    failing.push(Command::Fail {
        next: NextChannel::Litigation,
        reason: "双方分歧大".into(),
    });
    run(s, &street_1, &d, &failing).await;
    case(s, 5, "neighbour", STREET_1).await;
    let f = case(s, 6, "property", STREET_1).await;
    run(
        s,
        &street_1,
        &f,
        &[Command::Withdraw {
            reason: "已自行和解".into(),
        }],
    )
    .await;
    // Street 2: one case assigned to street 2's committee, one assigned to street 1's committee.
    let g = case(s, 7, "contract", STREET_2).await;
    run(
        s,
        &staff("committee-2", STREET_2),
        &g,
        &[route("committee-2")],
    )
    .await;
    let h = case(s, 8, "contract", STREET_2).await;
    run(
        s,
        &staff("committee-2", STREET_2),
        &h,
        &[route("committee-1")],
    )
    .await;

    // Everything: 8 cases.
    let all = s.dispute_counts(&CaseScope::everything()).await.unwrap();
    assert_eq!(all.total, 8);
    assert_eq!(all.by_stage.len(), 18, "every stage listed, zeros included");
    assert_eq!(stage(&all, "evaluated"), 2);
    assert_eq!(stage(&all, "agreement"), 1);
    assert_eq!(stage(&all, "litigation"), 1);
    assert_eq!(stage(&all, "registered"), 1);
    assert_eq!(stage(&all, "withdrawn"), 1);
    assert_eq!(stage(&all, "triaged"), 2);
    assert_eq!(all.completed, 2);
    assert_eq!(all.not_handled, 1);
    assert_eq!(all.open, 5);
    assert_eq!((all.mediation_succeeded, all.mediation_failed), (3, 1));
    let e = &all.evaluations;
    assert_eq!((e.count, e.satisfaction_sum), (2, 8));
    assert_eq!(e.by_score, [0, 0, 1, 0, 1]);
    assert_eq!((e.heard, e.timely, e.fair), (2, 2, 1));
    assert_eq!(all.by_type[0].count, 2, "{:?}", all.by_type);
    let labour = all.by_type.iter().find(|t| t.code == "labour").unwrap();
    assert_eq!(labour.count, 2);
    assert!(labour.name_zh.as_deref().unwrap().contains("劳动"));
    assert_eq!(all.by_type.iter().map(|t| t.count).sum::<i64>(), 8);

    // Street 1's committee: its six cases plus the one street 2 assigned to it.
    let mine = s
        .dispute_counts(&CaseScope {
            region: Scope::Subtree(format!("/339900/339902/{STREET_1}/")),
            org_id: Some("committee-1".into()),
        })
        .await
        .unwrap();
    assert_eq!(mine.total, 7);
    assert_eq!(stage(&mine, "triaged"), 1);
    assert!(
        !mine
            .by_type
            .iter()
            .any(|t| t.code == "contract" && t.count > 1)
    );
    // Street 2 without an organisation sees only its own two.
    let other = s
        .dispute_counts(&CaseScope {
            region: Scope::Subtree(format!("/339900/339902/{STREET_2}/")),
            org_id: None,
        })
        .await
        .unwrap();
    assert_eq!(other.total, 2);
    assert_eq!(other.evaluations.count, 0);
    assert_eq!(other.evaluations.by_score, [0, 0, 0, 0, 0]);
    assert_eq!((other.mediation_succeeded, other.mediation_failed), (0, 0));
    // Nothing sees nothing.
    let none = s
        .dispute_counts(&CaseScope {
            region: Scope::Nothing,
            org_id: None,
        })
        .await
        .unwrap();
    assert_eq!(none.total, 0);
    assert!(none.by_type.is_empty());
}
