// The questions of "Create VIP for Service…" without the editor: for each step, what an argument
// or a default answers without asking (`configure`) and whether it asks (`shouldPrompt`). The UI
// adds the prompts (src/vip/ui/wizard.ts) and runs them on the shell's wizard engine. Every answer
// given as a command argument skips its step but is checked the same.
import { UserFacingError } from '../../shared/errors';
import type { AddressPolicy } from './addresses';
import type { CreateVipArgs, VipMode } from './inputs';
import type { LiveState } from './live';
import type { BalanceAlgorithm } from './planner';
import type { ServiceContext } from './workflow';

/** Where the questions read from (the workflow provides them). */
export interface CreateSources {
  services(): Promise<ServiceContext[]>;
  connections(): { id: string; name: string; url: string }[];
  /** The live configuration of each connection (read once per connection and command). */
  liveStates(ids: string[]): Promise<LiveState[]>;
  gatewayClasses(): Promise<string[]>;
  addressPolicy(ctx: ServiceContext, live: LiveState[]): AddressPolicy;
}

/** The answers so far (the wizard's state). */
export interface CreateState {
  services?: ServiceContext[];
  ctx?: ServiceContext;
  mode?: VipMode;
  classes?: string[];
  gatewayClassName?: string;
  connections?: string[];
  live?: LiveState[];
  /** The connections `live` was read for. */
  liveOf?: string;
  policy?: AddressPolicy;
  vip?: string;
  insidePools?: boolean;
  outsideConfirmed: boolean;
  ports?: (string | number)[];
  balance?: BalanceAlgorithm;
  healthChecks?: boolean;
}

export interface CreateAnswers {
  ctx: ServiceContext;
  mode: VipMode;
  connections: string[];
  vip: string;
  insidePools: boolean;
  ports: (string | number)[] | undefined;
  balance: BalanceAlgorithm;
  healthChecks: boolean;
  gatewayClassName?: string;
  live: LiveState[];
}

export type CreateQuestion =
  'service' | 'mode' | 'gatewayClass' | 'connections' | 'vip' | 'ports' | 'balance' | 'healthChecks';

export interface CreateStep {
  readonly question: CreateQuestion;
  configure(state: CreateState): void | Promise<void>;
  shouldPrompt(state: CreateState): boolean;
}

/** The title of every step: it names the Service once it is known. */
export function createTitle(state: CreateState): string {
  const s = state.ctx?.service.metadata;
  return s ? `Create VIP for ${s.namespace ?? 'default'}/${s.name}` : 'Create VIP for Service';
}

export function initialCreateState(args: CreateVipArgs, preset?: ServiceContext): CreateState {
  return { ctx: preset, outsideConfirmed: args.allowOutsidePools === true };
}

/** The steps in order; `preset` is the Service the command ran on. */
export function createSteps(sources: CreateSources, args: CreateVipArgs, preset?: ServiceContext): CreateStep[] {
  // Confirmed by argument (automation): unanswered steps take their defaults instead of asking.
  const auto = args.confirm === true;
  const direct = (s: CreateState) => s.mode !== 'gateway';
  return [
    {
      question: 'service',
      configure: async (s) => {
        if (preset) return;
        s.services ??= await sources.services();
        if (args.service) {
          const { namespace, name } = args.service;
          s.ctx = s.services.find(
            (c) => c.service.metadata.namespace === namespace && c.service.metadata.name === name,
          );
          if (!s.ctx) throw new UserFacingError(`There is no Service ${namespace}/${name} in the current context.`);
        } else if (s.services.length === 0) {
          throw new UserFacingError('The current Kubernetes context has no Service (in the namespaces shown).');
        }
      },
      shouldPrompt: () => !preset && !args.service,
    },
    {
      question: 'mode',
      configure: (s) => {
        if (args.mode || auto) s.mode = args.mode ?? 'direct';
      },
      shouldPrompt: () => !(args.mode || auto),
    },
    {
      question: 'gatewayClass',
      configure: async (s) => {
        if (direct(s)) return;
        s.connections = [];
        s.live = [];
        if (args.gatewayClassName) return void (s.gatewayClassName = args.gatewayClassName);
        s.classes ??= await sources.gatewayClasses();
        if (s.classes.length === 0)
          throw new UserFacingError(
            'The cluster has no GatewayClass: Gateway mode needs one (with a controller that programs it).',
          );
        if (auto && s.classes.length === 1) s.gatewayClassName = s.classes[0];
      },
      shouldPrompt: (s) => !direct(s) && !args.gatewayClassName && !(auto && s.classes?.length === 1),
    },
    {
      question: 'connections',
      configure: (s) => {
        if (!direct(s)) return;
        const all = sources.connections();
        if (all.length === 0)
          throw new UserFacingError('No Data Plane API connection yet: add one in the Data Plane API view first.');
        const ids = givenConnections(args, all, auto);
        if (!ids) return;
        const unknown = ids.filter((id) => !all.some((c) => c.id === id));
        if (unknown.length) throw new UserFacingError(`Unknown Data Plane connection(s): ${unknown.join(', ')}.`);
        s.connections = ids;
      },
      shouldPrompt: (s) => direct(s) && !givenConnections(args, sources.connections(), auto),
    },
    vipStep(sources, args, auto),
    {
      question: 'ports',
      configure: (s) => {
        if (args.ports) s.ports = args.ports;
        else if (!askPorts(s, auto)) s.ports = undefined;
      },
      shouldPrompt: (s) => !args.ports && askPorts(s, auto),
    },
    {
      question: 'balance',
      configure: (s) => {
        if (direct(s) && (args.balance || auto)) s.balance = args.balance ?? 'roundrobin';
      },
      shouldPrompt: (s) => direct(s) && !(args.balance || auto),
    },
    {
      question: 'healthChecks',
      configure: (s) => {
        if (direct(s) && (args.healthChecks !== undefined || auto)) s.healthChecks = args.healthChecks ?? true;
      },
      shouldPrompt: (s) => direct(s) && !(args.healthChecks !== undefined || auto),
    },
  ];
}

/** The VIP: the live state of the servers is read (once per choice of servers) for the address policy. */
function vipStep(sources: CreateSources, args: CreateVipArgs, auto: boolean): CreateStep {
  return {
    question: 'vip',
    configure: async (s) => {
      if (s.mode !== 'gateway' && s.liveOf !== String(s.connections)) {
        s.live = await sources.liveStates(s.connections ?? []);
        s.liveOf = String(s.connections);
      }
      s.policy = sources.addressPolicy(s.ctx!, s.live ?? []);
      const given = args.vip ?? (auto ? autoVip(s.policy) : undefined);
      if (given === undefined) return;
      const { address, insidePools } = s.policy.accept(given, s.outsideConfirmed);
      s.vip = address;
      s.insidePools = insidePools;
    },
    shouldPrompt: () => !args.vip && !auto,
  };
}

function givenConnections(args: CreateVipArgs, all: { id: string }[], auto: boolean): string[] | undefined {
  return args.connections ?? (auto && all.length === 1 ? [all[0]!.id] : undefined);
}

/** The ports question asks when the Service has several ports (an unknown Service counts as several). */
function askPorts(s: CreateState, auto: boolean): boolean {
  return !auto && (s.ctx?.service.spec?.ports?.length ?? 2) > 1;
}

function autoVip(policy: AddressPolicy): string {
  if (policy.suggestion.kind === 'none') throw new UserFacingError(policy.suggestion.reason);
  return policy.suggestion.address;
}

/** The answers of a finished run, with the defaults of the steps that were skipped. */
export function createAnswers(s: CreateState): CreateAnswers {
  return {
    ctx: s.ctx!,
    mode: s.mode ?? 'direct',
    connections: s.connections ?? [],
    vip: s.vip!,
    insidePools: s.insidePools ?? false,
    ports: s.ports,
    balance: s.balance ?? 'roundrobin',
    healthChecks: s.healthChecks ?? true,
    gatewayClassName: s.gatewayClassName,
    live: s.live ?? [],
  };
}
