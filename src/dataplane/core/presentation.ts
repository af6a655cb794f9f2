// How Data Plane things look: labels, descriptions, icon and colour ids, the reload status text.
// Pure (no vscode) so the UI layer only maps these ids onto ThemeIcon/ThemeColor, and tests can
// check every state without an editor.
import type { ApiMajor } from './client';
import { DataPlaneConnectError, DataPlaneHttpError, isTlsCode } from './errors';
import type { LiveState, ServerNode } from './snapshot';
import type { Reload } from './validate';
import { escapeMarkdown, markdownCode } from '../../shared/markdown';

export interface IconSpec {
  /** Codicon id. */
  id: string;
  /** Theme colour id, or undefined for the default foreground. */
  color?: string;
}

export function serverIcon(state: LiveState): IconSpec {
  switch (state) {
    case 'UP':
      return { id: 'pass-filled', color: 'testing.iconPassed' };
    case 'DOWN':
      return { id: 'error', color: 'testing.iconFailed' };
    case 'MAINT':
      return { id: 'debug-pause', color: 'disabledForeground' };
    case 'DRAIN':
    case 'NOLB':
      return { id: 'arrow-circle-down', color: 'editorWarning.foreground' };
    case 'NO CHECK':
      return { id: 'circle-outline' };
    default:
      return { id: 'question' };
  }
}

export function serverDescription(s: ServerNode): string {
  const weight =
    s.liveWeight !== undefined && s.liveWeight !== s.weight
      ? `weight ${s.liveWeight} (configured ${s.weight})`
      : `weight ${s.liveWeight ?? s.weight}`;
  const addr = s.port !== undefined ? `${s.address.includes(':') ? `[${s.address}]` : s.address}:${s.port}` : s.address;
  return `${s.state === 'NO CHECK' ? 'no check' : s.state} · ${weight} · ${addr}${s.backup ? ' · backup' : ''}`;
}

export function connectionDescription(
  haproxyVersion: string | undefined,
  major: ApiMajor | undefined,
  apiVersion: string | undefined,
): string {
  const hap = haproxyVersion ? `HAProxy ${haproxyVersion.split('-')[0]}` : 'HAProxy';
  const api = apiVersion ? `API ${apiVersion.split(' ')[0]}` : major ? `API v${major}` : 'API';
  return `${hap} / ${api}`;
}

/** What a connection row shows: the issue's three states, plus what the user must do before a first try. */
export type ConnectionState =
  'connected' | 'needsPassword' | 'unauthorized' | 'tlsFailed' | 'unreachable' | 'failing' | 'unknown';

export function connectionState(o: { connected: boolean; error?: unknown; needsPassword?: boolean }): ConnectionState {
  if (o.needsPassword) return 'needsPassword';
  if (o.connected) return 'connected';
  const err = o.error;
  if (err === undefined) return 'unknown';
  if (err instanceof DataPlaneHttpError && (err.status === 401 || err.status === 403)) return 'unauthorized';
  if (err instanceof DataPlaneConnectError) return isTlsCode(err.code) ? 'tlsFailed' : 'unreachable';
  return 'failing';
}

export const CONNECTION_STATE_VIEW: Record<ConnectionState, { description?: string; icon: IconSpec }> = {
  connected: { icon: { id: 'vm-active', color: 'testing.iconPassed' } },
  needsPassword: { description: 'password needed', icon: { id: 'key', color: 'list.warningForeground' } },
  unauthorized: { description: 'unauthorised', icon: { id: 'lock', color: 'testing.iconFailed' } },
  tlsFailed: {
    description: 'TLS verification failed',
    icon: { id: 'workspace-untrusted', color: 'testing.iconFailed' },
  },
  unreachable: { description: 'not reachable', icon: { id: 'debug-disconnect', color: 'testing.iconFailed' } },
  failing: { description: 'failing', icon: { id: 'vm-outline', color: 'testing.iconFailed' } },
  unknown: { icon: { id: 'vm' } },
};

/** "3 min ago" style ages for transactions and reloads. */
export function age(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s ago`;
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min ago`;
  const h = Math.round(m / 60);
  if (h < 48) return `${h} h ago`;
  return `${Math.round(h / 24)} days ago`;
}

/** Reload ids sort by date then counter ("2024-01-02-10" after "2024-01-02-9"). */
export function newestFirst(reloads: readonly Reload[]): Reload[] {
  const key = (id: string) => {
    const m = /^(\d{4}-\d{2}-\d{2})-(\d+)$/.exec(id);
    return m ? ([m[1]!, Number(m[2])] as const) : ([id, 0] as const);
  };
  return [...reloads].sort((a, b) => {
    const [da, na] = key(a.id);
    const [db, nb] = key(b.id);
    return da === db ? nb - na : db.localeCompare(da);
  });
}

// --- reload status bar ------------------------------------------------------------------------

/** The ONE value the status bar item is drawn from. */
export type ReloadState =
  /** Nothing followed yet; shown (as all clear) once there is a connection to follow. */
  | { kind: 'idle'; connections: number }
  | { kind: 'reloading'; connection: string; reloadId: string; since: number }
  | { kind: 'succeeded' | 'failed'; connection: string; reloadId: string; at: number; response?: string };

export interface ReloadStatusView {
  text: string;
  /** Markdown. */
  tooltip: string;
  /** Use statusBarItem.errorBackground. */
  error: boolean;
  visible: boolean;
}

export function renderReloadState(s: ReloadState, now = Date.now()): ReloadStatusView {
  switch (s.kind) {
    case 'idle':
      return {
        text: '$(check) HAProxy',
        tooltip:
          `No reload followed yet in this window (${s.connections} ` +
          `connection${s.connections === 1 ? '' : 's'})\n\nClick for recent reloads`,
        error: false,
        visible: s.connections > 0,
      };
    case 'reloading':
      return {
        text: '$(sync~spin) HAProxy reloading',
        tooltip: lines(
          `**Reloading** ${esc(s.connection)}`,
          `Reload-ID ${markdownCode(s.reloadId)}`,
          `started ${age(now - s.since)}`,
        ),
        error: false,
        visible: true,
      };
    case 'succeeded':
    case 'failed': {
      const response = s.response?.trim()
        ? `\n\n\`\`\`\n${s.response.trim().split('\n').slice(-12).join('\n').replace(/```/g, "'''")}\n\`\`\``
        : '';
      const head = s.kind === 'succeeded' ? '**Reload succeeded**' : '**Reload failed**';
      return {
        text: s.kind === 'succeeded' ? '$(check) HAProxy' : '$(error) HAProxy reload failed',
        tooltip:
          lines(
            `${head} on ${esc(s.connection)}`,
            `Reload-ID ${markdownCode(s.reloadId)}`,
            `${new Date(s.at).toLocaleString()} (${age(now - s.at)})`,
          ) +
          response +
          '\n\nClick for recent reloads',
        error: s.kind === 'failed',
        visible: true,
      };
    }
  }
}

function lines(...l: string[]): string {
  return l.join('  \n');
}

/** Escapes Markdown in text from the user or a server (connection names, server answers). */
export function esc(s: string): string {
  return escapeMarkdown(s);
}
