// "Create VIP for Service…" as one multi-step QuickInput with Back, on the shell's wizard engine: the
// core (../core/questions) says which steps ask and what arguments answer; this only asks.
import * as vscode from 'vscode';
import type { QuickPickItem } from 'vscode';
import {
  AGAIN,
  BACK,
  inputText,
  pickMany,
  pickOne,
  runWizard,
  type StepPosition,
  type StepResult,
} from '../../shell/wizard/quickInput';
import type { CreateVipArgs, VipMode } from '../core/inputs';
import { BALANCE_ALGORITHMS, modeFor, type BalanceAlgorithm } from '../core/planner';
import {
  createAnswers,
  createSteps,
  createTitle,
  initialCreateState,
  type CreateAnswers,
  type CreateQuestion,
  type CreateSources,
  type CreateState,
} from '../core/questions';
import type { ServiceContext } from '../core/workflow';

type Prompt = (s: CreateState, at: StepPosition<CreateState>, sources: CreateSources) => Promise<StepResult>;

/** Runs the steps the arguments do not answer. Throws OperationCancelledError on Escape. */
export async function createVipWizard(
  sources: CreateSources,
  args: CreateVipArgs,
  preset?: ServiceContext,
): Promise<CreateAnswers> {
  const steps = createSteps(sources, args, preset).map((step) => ({
    configure: (s: CreateState) => step.configure(s),
    shouldPrompt: (s: CreateState) => step.shouldPrompt(s),
    prompt: (s: CreateState, at: StepPosition<CreateState>) => PROMPTS[step.question](s, at, sources),
  }));
  return createAnswers(await runWizard(steps, initialCreateState(args, preset), { title: createTitle }));
}

function answered<T>(v: T | typeof BACK, apply: (v: T) => void): StepResult {
  if (v === BACK) return BACK;
  apply(v);
  return undefined;
}

const PROMPTS: Record<CreateQuestion, Prompt> = {
  service: async (s, at) =>
    answered(
      await pickOne<CreateState, ServiceContext>(at, {
        placeholder: vscode.l10n.t('Service to give a VIP'),
        items: (s.services ?? []).map((c) => ({
          label: c.service.metadata.name,
          description: c.service.metadata.namespace,
          detail: describeService(c),
          value: c,
        })),
        preview: (ctx) => ({ ctx }),
      }),
      (v) => (s.ctx = v),
    ),
  mode: async (s, at) =>
    answered(
      await pickOne<CreateState, VipMode>(at, {
        placeholder: vscode.l10n.t('How should the VIP be served?'),
        preview: (mode) => ({ mode }),
        items: [
          {
            label: vscode.l10n.t('$(server-process) Direct'),
            description: vscode.l10n.t('configure HAProxy through the Data Plane API'),
            detail: vscode.l10n.t(
              'One frontend and one backend per port, in one transaction and one reload per server',
            ),
            value: 'direct',
            picked: true,
          },
          {
            label: vscode.l10n.t('$(type-hierarchy) Gateway'),
            description: vscode.l10n.t('create a Gateway and TCPRoutes'),
            detail: vscode.l10n.t("The cluster's Gateway controller programs the load balancer"),
            value: 'gateway',
          },
        ],
      }),
      (v) => (s.mode = v),
    ),
  gatewayClass: async (s, at) =>
    answered(
      await pickOne(at, {
        placeholder: vscode.l10n.t('GatewayClass of the new Gateway'),
        items: (s.classes ?? []).map((c) => ({ label: c, value: c })),
      }),
      (v) => (s.gatewayClassName = v),
    ),
  connections: async (s, at, sources) => {
    const all = sources.connections();
    const v = await pickMany(at, {
      placeholder: vscode.l10n.t('Data Plane API servers to serve the VIP (several: an HA pair gets the same change)'),
      items: all.map((c) => ({ label: c.name, description: c.url, value: c.id, picked: all.length === 1 })),
    });
    return answered(v, (ids) => (s.connections = ids));
  },
  vip: async (s, at) => {
    const policy = s.policy!;
    const suggestion = policy.suggestion;
    const why =
      suggestion.kind === 'requested'
        ? vscode.l10n.t('Requested by the Service ({0}).', suggestion.source)
        : suggestion.kind === 'allocated'
          ? vscode.l10n.t('The next free address of pool {0}.', suggestion.pool)
          : suggestion.reason;
    const check = (t: string) => policy.check(t);
    const value = await inputText(at, {
      prompt: vscode.l10n.t('The VIP. {0}', why),
      value: s.vip ?? (suggestion.kind === 'none' ? '' : suggestion.address),
      placeholder: '10.0.0.10 or fd00::10',
      trim: true,
      required: vscode.l10n.t('Enter an address'),
      validate: (t) => {
        const c = check(t);
        return c.ok ? undefined : c.problem;
      },
      note: (t) => {
        const c = check(t);
        return c.ok && !c.insidePools
          ? vscode.l10n.t('{0} is outside every VIP pool for this namespace: you will be asked to confirm.', c.address)
          : undefined;
      },
    });
    if (value === BACK) return BACK;
    const c = check(value);
    if (!c.ok) return AGAIN;
    if (!c.insidePools) {
      const ok = await pickOne(at, {
        placeholder: vscode.l10n.t('{0} is outside every VIP pool of haproxyGateway.vip.pools', c.address),
        items: [
          { label: vscode.l10n.t('$(warning) Use {0} anyway', c.address), value: true },
          { label: vscode.l10n.t('$(arrow-left) Choose another address'), value: false },
        ],
      });
      if (ok === BACK || !ok) return AGAIN;
      s.outsideConfirmed = true;
    }
    s.vip = c.address;
    s.insidePools = c.insidePools;
    return undefined;
  },
  ports: async (s, at) => {
    const ports = s.ctx!.service.spec?.ports ?? [];
    const v = await pickMany(at, {
      placeholder: vscode.l10n.t('Ports to serve (all by default)'),
      items: ports.map((p) => ({
        label: `${p.port}`,
        description: [p.name, p.protocol ?? 'TCP', modeFor(p) === 'http' ? 'HTTP mode' : 'TCP mode']
          .filter(Boolean)
          .join(' · '),
        value: p.name ?? p.port,
        picked: true,
      })),
    });
    return answered(v, (chosen) => (s.ports = chosen.length === ports.length ? undefined : chosen));
  },
  balance: async (s, at) =>
    answered(
      await pickOne<CreateState, BalanceAlgorithm>(at, {
        placeholder: vscode.l10n.t('Load-balancing algorithm'),
        items: BALANCE_ALGORITHMS.map((a) => ({
          label: a,
          description: BALANCE_HELP[a],
          value: a,
          picked: a === (s.balance ?? 'roundrobin'),
        })),
      }),
      (v) => (s.balance = v),
    ),
  healthChecks: async (s, at) =>
    answered(
      await pickOne<CreateState, boolean>(at, {
        placeholder: vscode.l10n.t('Health checks of the endpoints'),
        items: [
          {
            label: vscode.l10n.t('$(pulse) Health checks on'),
            description: vscode.l10n.t('a server that stops answering gets no traffic'),
            value: true,
            picked: true,
          },
          { label: vscode.l10n.t('Health checks off'), value: false },
        ] satisfies (QuickPickItem & { value: boolean })[],
      }),
      (v) => (s.healthChecks = v),
    ),
};

const BALANCE_HELP: Record<BalanceAlgorithm, string> = {
  roundrobin: vscode.l10n.t('each server in turn, by weight (default)'),
  'static-rr': vscode.l10n.t('in turn, weights fixed at start'),
  leastconn: vscode.l10n.t('the server with the fewest connections (long sessions)'),
  first: vscode.l10n.t('fill the first server before the next'),
  source: vscode.l10n.t('the same client address to the same server'),
  random: vscode.l10n.t('a random server, by weight'),
};

function describeService(c: ServiceContext): string {
  const s = c.service;
  const ports = (s.spec?.ports ?? []).map((p) => `${p.port}${p.name ? ` (${p.name})` : ''}`).join(', ');
  const ingress = (s.status?.loadBalancer?.ingress ?? [])
    .map((i) => i.ip ?? i.hostname)
    .filter(Boolean)
    .join(', ');
  return [s.spec?.type ?? 'ClusterIP', ports && `ports ${ports}`, ingress && `ingress ${ingress}`]
    .filter(Boolean)
    .join(' · ');
}
