// The words the traffic map's webview shows. The host translates them with vscode.l10n (mapPanel.ts)
// and hands them to the page in its HTML; the page and the scene (webview/scene.ts) use them, and
// fall back to English for any key that is missing or not a string. Pure: both bundles import it.
import type { MapNodeKind } from './mapProtocol';

export interface MapStrings {
  readonly mapLabel: string;
  /** {0} nodes, {1} mismatches, {2} the time of the refresh. */
  readonly status: string;
  readonly detail: string;
  readonly state: string;
  readonly lastCheck: string;
  readonly sessions: string;
  readonly rate: string;
  readonly errors: string;
  readonly weight: string;
  readonly open: string;
  readonly enterYaml: string;
  readonly enterConfig: string;
  readonly openYaml: string;
  readonly openConfig: string;
  readonly reveal: string;
  readonly missing: string;
  readonly noLiveState: string;
  /** {0}: a number of current sessions. */
  readonly currentSessions: string;
  /** {0}: a rate per second. */
  readonly perSecond: string;
  /** {0}: a number of errors. */
  readonly errorCount: string;
  /** {0}: the time of the last health check. */
  readonly lastCheckAt: string;
  /** {0}: warning, error or unknown. */
  readonly health: string;
  readonly kinds: Readonly<Record<MapNodeKind, string>>;
}

export const ENGLISH: MapStrings = {
  mapLabel: 'Traffic map',
  status: '{0} nodes · {1} mismatches · refreshed {2}',
  detail: 'detail',
  state: 'state',
  lastCheck: 'last check',
  sessions: 'sessions',
  rate: 'rate/s',
  errors: 'errors',
  weight: 'weight',
  open: 'open',
  enterYaml: 'Enter: YAML',
  enterConfig: 'Enter: live haproxy.cfg',
  openYaml: 'Open YAML',
  openConfig: 'Open haproxy.cfg',
  reveal: 'Reveal in Tree',
  missing: 'missing',
  noLiveState: 'no live state',
  currentSessions: '{0} cur',
  perSecond: '{0} /s',
  errorCount: '{0} err',
  lastCheckAt: 'last check {0}',
  health: 'health {0}',
  kinds: {
    gateway: 'Gateway',
    listener: 'Listener',
    route: 'Route',
    service: 'Service',
    endpoint: 'Endpoint',
    bind: 'Bind',
    frontend: 'Frontend',
    backend: 'Backend',
    server: 'Server',
  },
};

/** `{0}`, `{1}`... replaced by the arguments (as vscode.l10n.t does); other text is left alone. */
export function formatString(template: string, ...args: readonly (string | number)[]): string {
  return template.replace(/\{(\d)\}/g, (whole, i: string) =>
    Number(i) < args.length ? String(args[Number(i)]) : whole,
  );
}

const MAX_STRING_CHARS = 200;
const isText = (v: unknown): v is string => typeof v === 'string' && v.length <= MAX_STRING_CHARS;

/** The strings from the page's data (anything): every valid key taken, English for the others. */
export function parseStrings(value: unknown): MapStrings {
  if (!value || typeof value !== 'object') return ENGLISH;
  const v = value as Record<string, unknown>;
  const kinds = (v.kinds && typeof v.kinds === 'object' ? v.kinds : {}) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, english] of Object.entries(ENGLISH)) if (k !== 'kinds') out[k] = isText(v[k]) ? v[k] : english;
  out.kinds = Object.fromEntries(
    Object.entries(ENGLISH.kinds).map(([k, english]) => [k, isText(kinds[k]) ? kinds[k] : english]),
  );
  return out as unknown as MapStrings;
}
