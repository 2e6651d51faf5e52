//! Random command sequences from random actors against stored cases, on both backends: every
//! accepted command writes exactly one audit entry and one timeline event, every refused one
//! writes nothing, and the stage only ever moves along the machine's allowed edges.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed unwrap is a failed test

use fengqiao_domain::dispute::stage::{Command, NextChannel, PauseReason, Stage, allowed_edges};
use fengqiao_domain::dispute::{Channel, PartyKind, PartyRole};
use fengqiao_domain::org::{OrgKind, Specialty};
use fengqiao_domain::region::RegionLevel;
use fengqiao_domain::role::Role;
use fengqiao_domain::time::Timestamp;
use fengqiao_store::disputes::{
    CaseScope, DisputeTypeRow, IntakeRandom, Issuer, NewDispute, NewParty,
};
use fengqiao_store::orgs::NewOrg;
use fengqiao_store::regions::NewRegion;
use fengqiao_store::testing::TestStore;
use fengqiao_store::{AuditCtx, FieldCipher, PageRequest, Scope};

fengqiao_store::contract_tests! {
    random_commands_write_one_audit_entry_or_none => random_commands_write_one_audit_entry_or_none;
}

/// SplitMix64: a fixed-seed generator, so a failure replays exactly.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn pick<T: Clone>(&mut self, items: &[T]) -> T {
        items[(self.next() % items.len() as u64) as usize].clone()
    }
}

fn ctx(step: i64) -> AuditCtx {
    AuditCtx {
        actor_user_id: Some("u".into()),
        actor_org_id: None,
        request_id: None,
        at: Timestamp::from_micros(1_790_000_000_000_000 + step * 1_000_000),
    }
}

async fn seed(s: &TestStore) -> Vec<String> {
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
    s.create_region(
        &c,
        &all,
        &region("339902001", RegionLevel::Street, Some("339902")),
    )
    .await
    .unwrap();
    let org = |name: &str, kind, region: &str, specialty| NewOrg {
        name: name.into(),
        kind,
        region_code: region.into(),
        specialty,
        court_id: None,
        address: String::new(),
        phone: String::new(),
    };
    s.create_org(
        &c,
        &all,
        "committee",
        &org("调委会", OrgKind::MediationCommittee, "339902001", None),
    )
    .await
    .unwrap();
    s.create_org(
        &c,
        &all,
        "labour",
        &org(
            "劳动调委会",
            OrgKind::IndustryMediationCommittee,
            "339902",
            Some(Specialty::Labour),
        ),
    )
    .await
    .unwrap();
    s.create_org(
        &c,
        &all,
        "court",
        &org("法院", OrgKind::Court, "339902", None),
    )
    .await
    .unwrap();
    s.ensure_dispute_types(&c, &DisputeTypeRow::defaults(c.at))
        .await
        .unwrap();
    let cipher = FieldCipher::new(&[3u8; 32]);
    let mut ids = Vec::new();
    for (i, t) in [
        "labour",
        "neighbour",
        "contract",
        "labour",
        "family",
        "property",
    ]
    .into_iter()
    .enumerate()
    {
        let input = NewDispute {
            title: format!("案件{i}"),
            dispute_type: t.into(),
            facts: "事实".into(),
            claims: "请求".into(),
            amount_fen: 100_000,
            region_code: "339902001".into(),
            address: String::new(),
            channel: Channel::Window,
            flags: vec![],
            parties: vec![NewParty {
                role: PartyRole::Applicant,
                kind: PartyKind::Person,
                name: "申请人".into(),
                id_number: None,
                credit_code: None,
                phone: None,
                address: String::new(),
                legal_representative: None,
            }],
            idempotency_key: None,
        };
        let id = format!("case-{i}");
        s.create_dispute(
            &c,
            &all,
            &cipher,
            &id,
            IntakeRandom {
                code: 1000 + i as u64,
                secret: 7,
            },
            &input,
        )
        .await
        .unwrap();
        ids.push(id);
    }
    ids
}

fn commands() -> Vec<Command> {
    let r = || "理由充分".to_owned();
    vec![
        Command::Route {
            org_ids: vec!["committee".into()],
        },
        Command::Route {
            org_ids: vec!["labour".into(), "committee".into()],
        },
        Command::Accept,
        Command::DeclineAssignment { reason: r() },
        Command::Escalate { reason: r() },
        Command::Transfer {
            org_ids: vec!["labour".into()],
            reason: r(),
        },
        Command::StartMediation,
        Command::RecordSession,
        Command::Pause {
            reason: PauseReason::Appraisal,
        },
        Command::Resume,
        Command::ReachAgreement,
        Command::Fail {
            next: NextChannel::Arbitration,
            reason: r(),
        },
        Command::Fail {
            next: NextChannel::Litigation,
            reason: r(),
        },
        Command::RequestConfirmation,
        Command::ConfirmAgreement,
        Command::RejectConfirmation { reason: r() },
        Command::StartPerformance,
        Command::FollowUp { performed: true },
        Command::FollowUp { performed: false },
        Command::Conclude,
        Command::InviteJudge {
            judge_org_id: "court".into(),
        },
        Command::RecordGuidance,
        Command::Evaluate,
        Command::Reopen { reason: r() },
        Command::Withdraw { reason: r() },
        Command::RejectCase { reason: r() },
        Command::MergeInto {
            target_case_id: "case-2".into(),
        },
        Command::Unmerge,
        Command::Route {
            org_ids: vec!["no-such-org".into()],
        },
    ]
}

fn issuers() -> Vec<Issuer> {
    let street = Scope::Subtree("/339900/339902/339902001/".into());
    let elsewhere = Scope::Subtree("/339900/339903/".into());
    let staff = |org: &str, roles: Vec<Role>, region: &Scope| Issuer::Staff {
        user_id: "u".into(),
        org_id: org.into(),
        roles,
        region: region.clone(),
    };
    vec![
        Issuer::Applicant,
        staff("centre", vec![Role::Intake], &street),
        staff("committee", vec![Role::Mediator], &street),
        staff("labour", vec![Role::Mediator], &elsewhere),
        staff("court", vec![Role::Judge], &elsewhere),
        staff("centre", vec![Role::Commander], &street),
        staff("other", vec![Role::Mediator], &elsewhere),
        staff("other", vec![Role::Analyst], &street),
    ]
}

async fn audit_total(s: &TestStore) -> i64 {
    s.audit_recent(PageRequest::new(Some(1), Some(1)))
        .await
        .unwrap()
        .total
}

async fn random_commands_write_one_audit_entry_or_none(s: &TestStore) {
    let ids = seed(s).await;
    let (cmds, who, edges) = (commands(), issuers(), allowed_edges());
    let mut rng = Rng(0x5EED_F00D);
    let (mut accepted, mut refused) = (0, 0);
    for step in 1..=600i64 {
        let id = rng.pick(&ids);
        // Ending commands are drawn rarely, so cases live long enough to travel the whole chain.
        let mut cmd = rng.pick(&cmds);
        while matches!(cmd, Command::Withdraw { .. } | Command::RejectCase { .. })
            && !rng.next().is_multiple_of(20)
        {
            cmd = rng.pick(&cmds);
        }
        let issuer = rng.pick(&who);
        let before_stage: Stage = s
            .get_dispute(&CaseScope::everything(), &id)
            .await
            .unwrap()
            .stage()
            .unwrap();
        let before_audit = audit_total(s).await;
        let before_events = s
            .dispute_detail(&CaseScope::everything(), &id)
            .await
            .unwrap()
            .events
            .len();
        let result = s
            .apply_command(&ctx(step), &issuer, &id, &cmd, &serde_json::json!({}))
            .await;
        let after_audit = audit_total(s).await;
        let after = s
            .dispute_detail(&CaseScope::everything(), &id)
            .await
            .unwrap();
        let after_stage = after.dispute.stage().unwrap();
        match result {
            Ok(row) => {
                accepted += 1;
                assert_eq!(
                    after_audit - before_audit,
                    1,
                    "step {step}: {} accepted must write one entry",
                    cmd.name()
                );
                assert_eq!(
                    after.events.len(),
                    before_events + 1,
                    "step {step}: one timeline event"
                );
                assert_eq!(row.stage, after.dispute.stage);
                assert!(
                    edges.contains(&(before_stage, after_stage)),
                    "step {step}: illegal {before_stage:?} -> {after_stage:?}"
                );
            }
            Err(_) => {
                refused += 1;
                assert_eq!(
                    after_audit,
                    before_audit,
                    "step {step}: refused {} wrote an audit entry",
                    cmd.name()
                );
                assert_eq!(after.events.len(), before_events);
                assert_eq!(after_stage, before_stage);
            }
        }
    }
    assert!(
        accepted >= 20 && refused >= 20,
        "the sequence exercises both paths: {accepted} accepted, {refused} refused"
    );
    assert_eq!(s.audit_verify().await.unwrap().broken_at, None);
}
