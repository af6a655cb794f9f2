// "Create VIP for Service…" as one multi-step QuickInput with Back: Service (from the palette),
// mode, target connections, the VIP, ports, balance, health checks (or, in Gateway mode, the
// GatewayClass). Every answer given as a command argument skips its step but is checked the same.
import * as vscode from 'vscode';
import { OperationCancelledError, UserFacingError } from '../../shared/errors';
// eslint-disable-next-line local/capability-boundaries -- TODO(arch-vip): import through the capability's api.ts
import type { ConnectionSettings } from '../../dataplane/core/connection';
import type { CreateVipArgs, VipMode } from '../core/inputs';
import type { PoolSetting } from '../core/ipam';
import type { LiveState } from '../core/live';
import { BALANCE_ALGORITHMS, modeFor, type BalanceAlgorithm } from '../core/planner';
import { addressesInUse, checkVip, suggestVip, type ServiceContext } from '../core/workflow';

const BACK = Symbol('back');
type Step<T> = T | typeof BACK;

export interface WizardSources {
  services(): Promise<ServiceContext[]>;
  connections(): ConnectionSettings[];
  /** The live configuration of each connection (read once per connection and wizard). */
  liveStates(ids: string[]): Promise<LiveState[]>;
  gatewayClasses(): Promise<string[]>;
  pools(): PoolSetting[];
}

export interface WizardAnswers {
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

/** Runs the steps the arguments do not answer. Throws OperationCancelledError on Escape. */
export async function createVipWizard(sources: WizardSources, args: CreateVipArgs, preset?: ServiceContext): Promise<WizardAnswers> {
  const title = 'Create VIP for Service';
  const s: Partial<WizardAnswers> & { ctx?: ServiceContext } = { ctx: preset };
  let outsideConfirmed = args.allowOutsidePools === true;
  // Confirmed by argument (automation): unanswered steps take their defaults instead of asking.
  const auto = args.confirm === true;
  // The steps that will ask something, from what is known so far (skipped steps do not count).
  const total = () => {
    const gateway = s.mode === 'gateway';
    const ports = s.ctx?.service.spec?.ports?.length ?? 2;
    const asks = (answered: unknown) => (answered ? 0 : 1);
    return asks(preset || args.service) + asks(args.mode || auto) + asks(gateway ? args.gatewayClassName : args.connections) + asks(args.vip || auto) + asks(args.ports || auto || ports <= 1) + (gateway ? 0 : asks(args.balance || auto) + asks(args.healthChecks !== undefined || auto));
  };
  let n = 0;
  const steps: Array<() => Promise<Step<void>>> = [
    // 1. the Service, when the command was not run on one
    async () => {
      if (preset) return undefined;
      const all = await sources.services();
      if (args.service) {
        s.ctx = all.find((c) => c.service.metadata.namespace === args.service!.namespace && c.service.metadata.name === args.service!.name);
        if (!s.ctx) throw new UserFacingError(`There is no Service ${args.service.namespace}/${args.service.name} in the current context.`);
        return undefined;
      }
      if (all.length === 0) throw new UserFacingError('The current Kubernetes context has no Service (in the namespaces shown).');
      const picked = await pickOne({ title, step: ++n, total: total(), placeholder: 'Service to give a VIP', items: all.map((c) => ({ label: c.service.metadata.name, description: c.service.metadata.namespace, detail: describeService(c), value: c })) });
      if (picked === BACK) return BACK;
      s.ctx = picked;
      return undefined;
    },
    // 2. the mode
    async () => {
      if (args.mode || auto) return void (s.mode = args.mode ?? 'direct');
      const v = await pickOne<VipMode>({ title, step: ++n, total: total(), placeholder: 'How should the VIP be served?', back: n > 1, items: [
        { label: '$(server-process) Direct', description: 'configure HAProxy through the Data Plane API', detail: 'One frontend and one backend per port, in one transaction and one reload per server', value: 'direct', picked: true },
        { label: '$(type-hierarchy) Gateway', description: 'create a Gateway and TCPRoutes', detail: "The cluster's Gateway controller programs the load balancer", value: 'gateway' },
      ] });
      if (v === BACK) return BACK;
      s.mode = v;
      return undefined;
    },
    // 3. target connections (direct) or GatewayClass (gateway)
    async () => {
      if (s.mode === 'gateway') {
        if (args.gatewayClassName) return void (s.gatewayClassName = args.gatewayClassName);
        const classes = await sources.gatewayClasses();
        if (classes.length === 0) throw new UserFacingError('The cluster has no GatewayClass: Gateway mode needs one (with a controller that programs it).');
        if (auto && classes.length === 1) return void (s.gatewayClassName = classes[0]);
        const v = await pickOne({ title, step: ++n, total: total(), placeholder: 'GatewayClass of the new Gateway', back: n > 1, items: classes.map((c) => ({ label: c, value: c })) });
        if (v === BACK) return BACK;
        s.gatewayClassName = v;
        s.connections = [];
        s.live = [];
        return undefined;
      }
      const all = sources.connections();
      if (all.length === 0) throw new UserFacingError('No Data Plane API connection yet: add one in the Data Plane API view first.');
      let ids = args.connections ?? (auto && all.length === 1 ? [all[0]!.id] : undefined);
      if (ids) {
        const unknown = ids.filter((id) => !all.some((c) => c.id === id));
        if (unknown.length) throw new UserFacingError(`Unknown Data Plane connection(s): ${unknown.join(', ')}.`);
      } else {
        const v = await pickMany({ title, step: ++n, total: total(), placeholder: 'Data Plane API servers to serve the VIP (several: an HA pair gets the same change)', back: n > 1, items: all.map((c) => ({ label: c.name, description: c.url, value: c.id, picked: all.length === 1 })) });
        if (v === BACK) return BACK;
        ids = v;
      }
      s.connections = ids;
      s.live = await sources.liveStates(ids);
      return undefined;
    },
    // 4. the VIP
    async () => {
      const ctx = s.ctx!;
      const pools = sources.pools();
      const inUse = addressesInUse(ctx, s.live ?? []);
      const check = (text: string) => checkVip(text, ctx, pools, inUse);
      // An address given as an argument or taken automatically: checked, never asked about.
      const accept = (address: string): undefined => {
        const c = check(address);
        if (!c.ok) throw new UserFacingError(c.problem);
        if (!c.insidePools && !outsideConfirmed) throw new UserFacingError(`${c.address} lies outside every VIP pool for namespace ${ctx.service.metadata.namespace}; pass allowOutsidePools to use it anyway.`);
        s.vip = c.address;
        s.insidePools = c.insidePools;
        return undefined;
      };
      if (args.vip) return accept(args.vip);
      const suggestion = suggestVip(ctx, pools, inUse);
      if (auto) {
        if (suggestion.kind === 'none') throw new UserFacingError(suggestion.reason);
        return accept(suggestion.address);
      }
      const prompt = suggestion.kind === 'requested' ? `Requested by the Service (${suggestion.source}).` : suggestion.kind === 'allocated' ? `The next free address of pool ${suggestion.pool}.` : suggestion.reason;
      const value = await inputText({ title, step: ++n, total: total(), prompt: `The VIP. ${prompt}`, value: s.vip ?? (suggestion.kind === 'none' ? '' : suggestion.address), placeholder: '10.0.0.10 or fd00::10', back: n > 1, validate: (t) => {
        const c = check(t);
        return c.ok ? undefined : c.problem;
      }, note: (t) => {
        const c = check(t);
        return c.ok && !c.insidePools ? `${c.address} is outside every VIP pool for this namespace: you will be asked to confirm.` : undefined;
      } });
      if (value === BACK) return BACK;
      const c = check(value);
      if (!c.ok) throw new UserFacingError(c.problem);
      if (!c.insidePools) {
        const ok = await pickOne({ title, step: n, total: total(), placeholder: `${c.address} is outside every VIP pool of haproxyGateway.vip.pools`, back: n > 1, items: [
          { label: `$(warning) Use ${c.address} anyway`, value: true },
          { label: '$(arrow-left) Choose another address', value: false },
        ] });
        if (ok === BACK || !ok) return stay();
        outsideConfirmed = true;
      }
      s.vip = c.address;
      s.insidePools = c.insidePools;
      return undefined;
    },
    // 5. ports
    async () => {
      const ports = s.ctx!.service.spec?.ports ?? [];
      if (args.ports) return void (s.ports = args.ports);
      if (ports.length <= 1 || auto) return void (s.ports = undefined);
      const v = await pickMany({ title, step: ++n, total: total(), placeholder: 'Ports to serve (all by default)', back: n > 1, items: ports.map((p) => ({ label: `${p.port}`, description: [p.name, p.protocol ?? 'TCP', modeFor(p) === 'http' ? 'HTTP mode' : 'TCP mode'].filter(Boolean).join(' · '), value: p.name ?? p.port, picked: true })) });
      if (v === BACK) return BACK;
      s.ports = v.length === ports.length ? undefined : v;
      return undefined;
    },
    // 6. balance (direct)
    async () => {
      if (s.mode === 'gateway') return undefined;
      if (args.balance || auto) return void (s.balance = args.balance ?? 'roundrobin');
      const v = await pickOne<BalanceAlgorithm>({ title, step: ++n, total: total(), placeholder: 'Load-balancing algorithm', back: n > 1, items: BALANCE_ALGORITHMS.map((a) => ({ label: a, description: BALANCE_HELP[a], value: a, picked: a === (s.balance ?? 'roundrobin') })) });
      if (v === BACK) return BACK;
      s.balance = v;
      return undefined;
    },
    // 7. health checks (direct)
    async () => {
      if (s.mode === 'gateway') return undefined;
      if (args.healthChecks !== undefined || auto) return void (s.healthChecks = args.healthChecks ?? true);
      const v = await pickOne({ title, step: ++n, total: total(), placeholder: 'Health checks of the endpoints', back: n > 1, items: [
        { label: '$(pulse) Health checks on', description: 'a server that stops answering gets no traffic', value: true, picked: true },
        { label: 'Health checks off', value: false },
      ] });
      if (v === BACK) return BACK;
      s.healthChecks = v;
      return undefined;
    },
  ];
  // Steps that showed an input, in order, so Back returns to the last one that asked something.
  const asked: number[] = [];
  let again = false;
  const stay = (): typeof BACK => {
    again = true;
    return BACK;
  };
  for (let i = 0; i < steps.length; ) {
    n = asked.length;
    const r = await steps[i]!();
    const showed = n > asked.length;
    if (r === BACK) {
      if (again) again = false;
      else i = asked.pop() ?? i;
      continue;
    }
    if (showed) asked.push(i);
    i++;
  }
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

const BALANCE_HELP: Record<BalanceAlgorithm, string> = {
  roundrobin: 'each server in turn, by weight (default)',
  'static-rr': 'in turn, weights fixed at start',
  leastconn: 'the server with the fewest connections (long sessions)',
  first: 'fill the first server before the next',
  source: 'the same client address to the same server',
  random: 'a random server, by weight',
};

function describeService(c: ServiceContext): string {
  const s = c.service;
  const ports = (s.spec?.ports ?? []).map((p) => `${p.port}${p.name ? ` (${p.name})` : ''}`).join(', ');
  const ingress = (s.status?.loadBalancer?.ingress ?? []).map((i) => i.ip ?? i.hostname).filter(Boolean).join(', ');
  return [s.spec?.type ?? 'ClusterIP', ports && `ports ${ports}`, ingress && `ingress ${ingress}`].filter(Boolean).join(' · ');
}

// --- the QuickInput steps --------------------------------------------------------------------------

interface Common {
  title: string;
  step: number;
  total: number;
  placeholder?: string;
  back?: boolean;
}

type Item<T> = vscode.QuickPickItem & { value: T };

function pickOne<T>(o: Common & { items: Item<T>[] }): Promise<Step<T>> {
  return pick(o, false).then((v) => (v === BACK ? BACK : (v as T[])[0]!));
}

function pickMany<T>(o: Common & { items: Item<T>[] }): Promise<Step<T[]>> {
  return pick(o, true);
}

function pick<T>(o: Common & { items: Item<T>[] }, many: boolean): Promise<Step<T[]>> {
  return new Promise((resolve, reject) => {
    const qp = vscode.window.createQuickPick<Item<T>>();
    Object.assign(qp, { title: o.title, step: o.step, totalSteps: o.total, placeholder: o.placeholder, canSelectMany: many, ignoreFocusOut: true, matchOnDescription: true });
    qp.items = o.items;
    if (many) qp.selectedItems = o.items.filter((i) => i.picked);
    else qp.activeItems = o.items.filter((i) => i.picked).slice(0, 1);
    if (o.back) qp.buttons = [vscode.QuickInputButtons.Back];
    let done = false;
    const finish = (f: () => void) => {
      done = true;
      f();
      qp.dispose();
    };
    qp.onDidTriggerButton((b) => b === vscode.QuickInputButtons.Back && finish(() => resolve(BACK)));
    qp.onDidAccept(() => {
      const chosen = many ? qp.selectedItems : qp.activeItems.slice(0, 1);
      if (chosen.length === 0) {
        qp.placeholder = `Choose at least one. ${o.placeholder ?? ''}`;
        return;
      }
      finish(() => resolve(chosen.map((i) => i.value)));
    });
    qp.onDidHide(() => !done && finish(() => reject(new OperationCancelledError())));
    qp.show();
  });
}

function inputText(o: Common & { prompt: string; value: string; validate: (s: string) => string | undefined; note?: (s: string) => string | undefined }): Promise<Step<string>> {
  return new Promise((resolve, reject) => {
    const box = vscode.window.createInputBox();
    Object.assign(box, { title: o.title, step: o.step, totalSteps: o.total, prompt: o.prompt, value: o.value, placeholder: o.placeholder, ignoreFocusOut: true });
    if (o.back) box.buttons = [vscode.QuickInputButtons.Back];
    const show = (v: string) => {
      const problem = v.trim() ? o.validate(v.trim()) : undefined;
      const note = !problem && v.trim() ? o.note?.(v.trim()) : undefined;
      box.validationMessage = problem ?? (note ? { message: note, severity: vscode.InputBoxValidationSeverity.Warning } : undefined);
    };
    show(o.value);
    let done = false;
    const finish = (f: () => void) => {
      done = true;
      f();
      box.dispose();
    };
    box.onDidChangeValue(show);
    box.onDidTriggerButton((b) => b === vscode.QuickInputButtons.Back && finish(() => resolve(BACK)));
    box.onDidAccept(() => {
      const v = box.value.trim();
      const problem = v ? o.validate(v) : 'Enter an address';
      if (problem) {
        box.validationMessage = problem;
        return;
      }
      finish(() => resolve(v));
    });
    box.onDidHide(() => !done && finish(() => reject(new OperationCancelledError())));
    box.show();
  });
}
