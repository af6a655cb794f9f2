// "Diagnose…": on a Service or Gateway row, a VIP row, with arguments, or from the palette. It
// gathers what the rules read (one pass over the cluster and every Data Plane API server), runs the
// doctor and shows the findings in a QuickPick: observed, why, and the fix, run as its command.
import * as vscode from 'vscode';
import type { CommandTable } from '../../shell/commands';
import { reportOutcome } from '../../shell/outcome';
import type { ResourceTarget } from '../../kubernetes/api';
import { diagnose, type Finding } from '../core/doctor';
import type { Gathered } from '../core/gather';

export interface DoctorContext {
  log: vscode.LogOutputChannel;
  gather(signal?: AbortSignal): Promise<Gathered>;
  resourceOf(node: unknown): ResourceTarget | undefined;
}

/** What Diagnose returns (for tests and automation): plain data. */
export interface DiagnoseResult {
  /** What was diagnosed: `svc:ns/name`, `gw:ns/name`, `conn:<id>`, or `all`. */
  subjects: string[];
  findings: Finding[];
  problems: string[];
  /** How much was read: a clean result over nothing is no result. */
  read: { services: number; gateways: number; routes: number; servers: number };
}

export const doctorCommands: CommandTable<DoctorContext> = {
  'haproxyGateway.traffic.diagnose': diagnoseCommand,
};

type Ref = { namespace: string; name: string };
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const refOf = (v: unknown): Ref | undefined =>
  isObj(v) && typeof v.name === 'string' && v.name !== ''
    ? { namespace: typeof v.namespace === 'string' && v.namespace ? v.namespace : 'default', name: v.name }
    : undefined;

/** The subjects a command target stands for; empty for "everything". */
export function subjectsOf(target: ResourceTarget | undefined, arg: unknown): string[] {
  if (target?.ref.kind === 'Service') return [`svc:${target.ref.namespace ?? 'default'}/${target.ref.name}`];
  if (target?.ref.kind === 'Gateway') return [`gw:${target.ref.namespace ?? 'default'}/${target.ref.name}`];
  if (!isObj(arg)) return [];
  const service = refOf(arg.service);
  if (service) return [`svc:${service.namespace}/${service.name}`];
  const gateway = refOf(arg.gateway);
  if (gateway) return [`gw:${gateway.namespace}/${gateway.name}`];
  // A VIP row of the Data Plane tree: its Service when the frontend name tells it, and its server.
  if (typeof arg.connectionId === 'string' && isObj(arg.vip)) {
    const identity = isObj(arg.vip.identity) ? arg.vip.identity : undefined;
    const svc =
      identity && typeof identity.namespace === 'string' && typeof identity.service === 'string'
        ? [`svc:${identity.namespace}/${identity.service}`]
        : [];
    return [...svc, `conn:${arg.connectionId}`];
  }
  return [];
}

/** The findings that concern the subjects: their own, their Routes', and every failed reload. */
export function relevantFindings(findings: readonly Finding[], subjects: readonly string[], g: Gathered): Finding[] {
  if (subjects.length === 0) return [...findings];
  const wanted = new Set(subjects);
  for (const r of g.input.routes ?? [])
    if (r.parents.some((p) => wanted.has(`gw:${p.gatewayNamespace}/${p.gatewayName}`)))
      wanted.add(`route:${r.kind}:${r.namespace}/${r.name}`);
  // A failed reload keeps every change of that server out of service: it concerns every subject.
  return findings.filter((f) => wanted.has(f.subject) || f.subject.startsWith('conn:'));
}

const ICONS = { error: '$(error)', warning: '$(warning)', info: '$(info)' } as const;

async function diagnoseCommand(ctx: DoctorContext, arg?: unknown, more?: unknown): Promise<DiagnoseResult> {
  const target = ctx.resourceOf(arg);
  const subjects = subjectsOf(target, arg);
  const options = (target ? more : (more ?? arg)) as { quiet?: unknown } | undefined;
  const g = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Diagnosing…') },
    () => ctx.gather(),
  );
  const findings = relevantFindings(diagnose(g.input), subjects, g);
  const read = {
    services: g.services.length,
    gateways: g.input.gateways?.length ?? 0,
    routes: g.input.routes?.length ?? 0,
    servers: g.servers.filter((s) => !s.error).length,
  };
  const result: DiagnoseResult = {
    subjects: subjects.length ? subjects : ['all'],
    findings,
    problems: g.problems,
    read,
  };
  ctx.log.info(`Diagnose ${result.subjects.join(', ')}: ${findings.length} finding(s)`);
  for (const f of findings) ctx.log.info(`  [${f.severity}] ${f.rule} ${f.subject}: ${f.observed}`);
  if (!isObj(options) || options.quiet !== true) void show(ctx, result);
  return result;
}

async function show(ctx: DoctorContext, result: DiagnoseResult): Promise<void> {
  const what =
    result.subjects[0] === 'all' ? vscode.l10n.t('the cluster and the HAProxy servers') : result.subjects.join(', ');
  const unread = result.problems.length ? ` ${vscode.l10n.t('Not read: {0}', result.problems.join('; '))}` : '';
  if (result.findings.length === 0) {
    await reportOutcome(ctx.log, {
      level: result.problems.length ? 'warning' : 'info',
      message: vscode.l10n.t('No problem found for {0}.', what) + unread,
    });
    return;
  }
  const pick = vscode.window.createQuickPick<vscode.QuickPickItem & { finding: Finding }>();
  pick.title = vscode.l10n.t('Diagnose {0}: {1} finding(s)', what, result.findings.length) + unread;
  pick.placeholder = vscode.l10n.t('Enter runs the fix of the selected finding');
  pick.matchOnDetail = true;
  pick.items = result.findings.map((f) => ({
    label: `${ICONS[f.severity]} ${f.observed.split('\n')[0]}`,
    description: f.fix ? vscode.l10n.t('Fix: {0}', f.fix.title) : undefined,
    detail: `${f.observed.split('\n').slice(1).join(' ')} ${vscode.l10n.t('Why: {0}', f.why)}`.trim(),
    finding: f,
  }));
  pick.onDidAccept(() => {
    const fix = pick.selectedItems[0]?.finding.fix;
    pick.hide();
    if (fix) void vscode.commands.executeCommand(fix.command, ...fix.args);
  });
  pick.onDidHide(() => pick.dispose());
  pick.show();
}
