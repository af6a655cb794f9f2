// The HAProxy half of the traffic map, read from one server's live haproxy.cfg with the shared
// parser: frontends (and listens) with their binds and the backends they name, backends with their
// servers, each with its line so the map can open the live configuration there.
import { parseConfig } from '../../shared/haproxy-config/parser';
import { hasOption, optionValues } from '../../shared/haproxy-config/statements';
import type { Section } from '../../shared/haproxy-config/model';
import type { ConfigModel } from '../../shared/haproxy-config/configModel';
import { splitHostPort } from './ip';

export interface CfgBindRef {
  /** The address item as written (`127.0.200.2:80`, `:443`). */
  text: string;
  /** Canonical IP, '' for a wildcard (`:80`, `*:80`, `0.0.0.0:80`). */
  host: string;
  port?: number;
  wildcard: boolean;
  /** 0-based line of the `bind` statement. */
  line: number;
}

export interface CfgFrontendRef {
  name: string;
  kind: 'frontend' | 'listen';
  line: number;
  binds: CfgBindRef[];
  /** Backends named by default_backend and use_backend (static names only), in order. */
  backends: { name: string; line: number; via: 'default_backend' | 'use_backend' }[];
}

export interface CfgServerRef {
  name: string;
  /** Canonical IP, or the name as written when it needs DNS. */
  address: string;
  port?: number;
  line: number;
  disabled: boolean;
  backup: boolean;
  /** The `weight` option as written (HAProxy's default is 1). */
  weight?: number;
}

export interface CfgBackendRef {
  name: string;
  kind: 'backend' | 'listen';
  line: number;
  servers: CfgServerRef[];
}

export interface HaproxyTopology {
  frontends: CfgFrontendRef[];
  backends: CfgBackendRef[];
}

function frontendOf(model: ConfigModel, s: Section, name: string): CfgFrontendRef {
  const binds: CfgBindRef[] = [];
  for (const b of model.bindsOf(s)) {
    for (const item of b.addresses) {
      const hp = item.error ? undefined : splitHostPort(item.text);
      if (hp)
        binds.push({ text: item.text, host: hp.host, port: hp.port, wildcard: hp.wildcard, line: b.directive.line });
    }
  }
  const backends: CfgFrontendRef['backends'] = [];
  for (const d of s.directives) {
    if (d.modifier || (d.keyword !== 'default_backend' && d.keyword !== 'use_backend')) continue;
    const target = d.words[d.keywordIndex + 1]?.value;
    // `use_backend %[...]` names its backend at run time: nothing to draw.
    if (!target || target.includes('%[')) continue;
    backends.push({ name: target, line: d.line, via: d.keyword });
  }
  return { name, kind: s.kind === 'listen' ? 'listen' : 'frontend', line: s.header.line, binds, backends };
}

function weightOf(text: string | undefined): { weight?: number } {
  return text !== undefined && /^\d{1,3}$/.test(text) ? { weight: Number(text) } : {};
}

function backendOf(model: ConfigModel, s: Section, name: string): CfgBackendRef {
  const servers: CfgServerRef[] = [];
  for (const srv of model.serversOf(s)) {
    if (srv.keyword !== 'server' || !srv.name || !srv.address?.address) continue;
    const a = srv.address.address;
    if (a.family !== 'ip' && a.family !== 'ipv4' && a.family !== 'ipv6') continue;
    const hp = splitHostPort(srv.address.text);
    const port = a.port && !a.port.offset ? a.port.low : undefined;
    servers.push({
      name: srv.name.value,
      address: hp?.host || a.host,
      port,
      line: srv.directive.line,
      disabled: hasOption(srv.options, 'disabled'),
      backup: hasOption(srv.options, 'backup'),
      ...weightOf(optionValues(srv.options, 'weight')?.[0]?.value),
    });
  }
  return { name, kind: s.kind === 'listen' ? 'listen' : 'backend', line: s.header.line, servers };
}

/** Frontends, listens and backends of a configuration text (sections without a name are skipped). */
export function readTopology(text: string): HaproxyTopology {
  const model = parseConfig(text);
  const frontends: CfgFrontendRef[] = [];
  const backends: CfgBackendRef[] = [];
  for (const s of model.sections) {
    const name = s.name?.value;
    if (!name) continue;
    if (s.kind === 'frontend' || s.kind === 'listen') frontends.push(frontendOf(model, s, name));
    if (s.kind === 'backend' || s.kind === 'listen') backends.push(backendOf(model, s, name));
  }
  return { frontends, backends };
}
