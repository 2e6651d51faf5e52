// Which stage-machine commands a screen offers for a case, and what each needs to be filled in.
// The server has the last word (it checks stage and permission); this only keeps the buttons
// relevant: the steps the case's stage allows and the caller's roles and body could take.
import type { CommandName, DisputeDetail, Stage } from '@/api/disputes';
import type { Role } from '@/stores/session';

export type ActionInput = 'none' | 'note' | 'reason' | 'orgs' | 'transfer' | 'session' | 'pause' | 'fail' | 'followup' | 'judge' | 'merge';

export interface ActionSpec {
  name: CommandName;
  input: ActionInput;
  /** Shown as a button (true) or in the "more" menu. */
  main: boolean;
  danger?: boolean;
}

const SPECS: Record<string, ActionSpec> = {
  route: { name: 'route', input: 'orgs', main: true },
  accept: { name: 'accept', input: 'note', main: true },
  decline_assignment: { name: 'decline_assignment', input: 'reason', main: true, danger: true },
  escalate: { name: 'escalate', input: 'reason', main: false },
  transfer: { name: 'transfer', input: 'transfer', main: false },
  start_mediation: { name: 'start_mediation', input: 'note', main: true },
  record_session: { name: 'record_session', input: 'session', main: true },
  pause: { name: 'pause', input: 'pause', main: true },
  resume: { name: 'resume', input: 'note', main: true },
  reach_agreement: { name: 'reach_agreement', input: 'note', main: true },
  fail: { name: 'fail', input: 'fail', main: true, danger: true },
  request_confirmation: { name: 'request_confirmation', input: 'note', main: true },
  confirm_agreement: { name: 'confirm_agreement', input: 'note', main: true },
  reject_confirmation: { name: 'reject_confirmation', input: 'reason', main: true, danger: true },
  start_performance: { name: 'start_performance', input: 'note', main: true },
  follow_up: { name: 'follow_up', input: 'followup', main: true },
  conclude: { name: 'conclude', input: 'note', main: true },
  invite_judge: { name: 'invite_judge', input: 'judge', main: false },
  record_guidance: { name: 'record_guidance', input: 'note', main: true },
  withdraw: { name: 'withdraw', input: 'reason', main: false, danger: true },
  reject_case: { name: 'reject_case', input: 'reason', main: false, danger: true },
  merge_into: { name: 'merge_into', input: 'merge', main: false },
  unmerge: { name: 'unmerge', input: 'note', main: true },
};

const GUIDED: Stage[] = ['triaged', 'accepted', 'mediating', 'paused', 'agreement'];
const BY_STAGE: Partial<Record<Stage, string[]>> = {
  registered: ['route', 'reject_case', 'merge_into', 'withdraw'],
  triaged: ['accept', 'decline_assignment', 'escalate', 'transfer', 'invite_judge', 'reject_case', 'merge_into', 'withdraw'],
  accepted: ['start_mediation', 'transfer', 'invite_judge', 'merge_into', 'withdraw'],
  mediating: ['record_session', 'reach_agreement', 'pause', 'fail', 'transfer', 'invite_judge', 'merge_into', 'withdraw'],
  paused: ['resume', 'fail', 'transfer', 'invite_judge', 'merge_into', 'withdraw'],
  agreement: ['request_confirmation', 'start_performance', 'invite_judge', 'merge_into', 'withdraw'],
  confirmation_requested: ['confirm_agreement', 'reject_confirmation', 'withdraw'],
  confirmed: ['start_performance', 'withdraw'],
  confirmation_rejected: ['fail', 'withdraw'],
  performing: ['follow_up', 'withdraw'],
  arbitration: ['conclude', 'withdraw'],
  litigation: ['conclude', 'withdraw'],
  petition: ['conclude', 'withdraw'],
  merged: ['unmerge'],
};

const ROUTERS: Role[] = ['intake', 'commander', 'admin'];
const HANDLERS: Role[] = ['mediator', 'intake'];

/** The steps this user could take on this case now, main ones first. */
export function actionsFor(detail: DisputeDetail, roles: readonly Role[], orgId: string | undefined): ActionSpec[] {
  const stage = detail.dispute.stage;
  const has = (wanted: Role[]) => wanted.some((r) => roles.includes(r));
  const assignee = detail.assignments.some((a) => a.kind === 'handler' && a.org_id === orgId);
  const invitedCourt = detail.assignments.some((a) => a.kind === 'court' && a.org_id === orgId);
  const handler = assignee && has(HANDLERS);
  const allowed = (name: string): boolean => {
    switch (name) {
      case 'route': case 'escalate': case 'merge_into': case 'unmerge':
        return has(ROUTERS);
      case 'transfer': case 'invite_judge':
        return handler || has(ROUTERS);
      case 'confirm_agreement': case 'reject_confirmation':
        return roles.includes('judge');
      case 'record_guidance':
        return roles.includes('judge') && invitedCourt;
      case 'conclude':
        return handler || has(['arbitrator', 'judge']);
      case 'withdraw': case 'reject_case':
        return handler || has(['intake', 'admin']);
      case 'request_confirmation':
        return handler;
      default:
        return handler;
    }
  };
  const names = [...(BY_STAGE[stage] ?? [])];
  if (GUIDED.includes(stage)) names.push('record_guidance');
  return names
    .filter(allowed)
    .map((n) => SPECS[n])
    .filter((s): s is ActionSpec => s !== undefined)
    .sort((a, b) => Number(b.main) - Number(a.main));
}

export function specOf(name: CommandName): ActionSpec {
  return SPECS[name] ?? { name, input: 'note', main: true };
}
