// Parity with each HAProxy version's own `haproxy -c` verdict on the shared real-world files
// (../shared/reference/haproxy-versions/<x.y>/verdicts.json; 2.6: the *.expected.json files), with
// only our static checks: no binary. Shared by versions-parity.test.ts and scripts/bench/versions.js.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { haproxyConfigsDir, referenceDir } from '../../support/paths';
import { diagnose } from '../../../src/language/core/analysis/diagnostics';
import { loadKeywords } from '../../../src/language/core/keywords';
import { parseConfig } from '../../../src/shared/haproxy-config/parser';

export const PARITY_VERSIONS = ['2.6', '2.8', '3.0', '3.2', '3.4'] as const;

interface Verdict {
  readonly status: 'valid' | 'invalid';
  readonly reason: string | null;
  readonly errors: readonly { readonly line: number | null; readonly message: string; readonly reason: string }[];
}

export interface VersionParity {
  readonly version: string;
  readonly validFiles: number;
  /** Valid files where we report an error, with the first error of each. */
  readonly falseErrors: readonly string[];
  /** HAProxy ALERT lines (with a line number) of genuine-error files, and how many we flag on that line. */
  readonly alerts: number;
  readonly flagged: number;
  readonly missed: readonly string[];
  readonly newerKeywordFiles: number;
  /** newer-keyword files where we say which version is needed ('newer-keyword' diagnostic). */
  readonly newerKeywordFlagged: number;
  readonly newerKeywordMissed: readonly string[];
  /** newer-keyword files a newer bundled version accepts (we can name that version), and those we flag. */
  readonly fixableNewerFiles: number;
  readonly fixableNewerFlagged: number;
}

function verdictsOf(version: string): Map<string, Verdict> | undefined {
  const file = path.join(referenceDir, 'haproxy-versions', version, 'verdicts.json');
  if (fs.existsSync(file)) {
    const json = JSON.parse(fs.readFileSync(file, 'utf8')) as { files: Record<string, Verdict> };
    return new Map(Object.entries(json.files));
  }
  // 2.6: the classification beside the files.
  const out = new Map<string, Verdict>();
  for (const kind of ['valid', 'invalid']) {
    const dir = path.join(haproxyConfigsDir, kind);
    if (!fs.existsSync(dir)) continue;
    for (const f of fs.readdirSync(dir).filter((x) => x.endsWith('.expected.json'))) {
      out.set(f.replace(/\.expected\.json$/, ''), JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as Verdict);
    }
  }
  return out.size > 0 ? out : undefined;
}

function rawText(name: string): string | undefined {
  const file = path.join(haproxyConfigsDir, 'raw', name);
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
}

/** The parity figures of one version, or undefined when the shared data is missing. */
export function measureVersion(version: string): VersionParity | undefined {
  const verdicts = verdictsOf(version);
  if (!verdicts) return undefined;
  const keywords = loadKeywords(version);
  const r = {
    validFiles: 0,
    alerts: 0,
    flagged: 0,
    newerKeywordFiles: 0,
    newerKeywordFlagged: 0,
    fixableNewerFiles: 0,
    fixableNewerFlagged: 0,
  };
  const later = PARITY_VERSIONS.filter((v) => Number(v) > Number(version)).map(verdictsOf);
  const falseErrors: string[] = [];
  const missed: string[] = [];
  const newerKeywordMissed: string[] = [];
  for (const [name, verdict] of verdicts) {
    const text = rawText(name);
    if (text === undefined) continue;
    const diags = diagnose(parseConfig(text, { haproxyVersion: version }), { keywords });
    const errors = diags.filter((d) => d.severity === 'error');
    if (verdict.status === 'valid') {
      r.validFiles++;
      if (errors.length > 0) falseErrors.push(`${name}:${errors[0].line + 1}: ${errors[0].code}: ${errors[0].message}`);
    } else if (verdict.reason === 'genuine-error') {
      const lines = new Set(errors.map((d) => d.line + 1));
      for (const e of verdict.errors) {
        if (e.reason !== 'genuine-error' || e.line === null) continue;
        r.alerts++;
        if (lines.has(e.line)) r.flagged++;
        else missed.push(`${name}:${e.line}: ${e.message}`);
      }
    } else if (verdict.reason === 'newer-keyword') {
      r.newerKeywordFiles++;
      const flagged = diags.some((d) => d.code === 'newer-keyword');
      if (flagged) r.newerKeywordFlagged++;
      else newerKeywordMissed.push(`${name}: ${verdict.errors[0]?.message ?? ''}`);
      if (later.some((m) => m?.get(name)?.status === 'valid')) {
        r.fixableNewerFiles++;
        if (flagged) r.fixableNewerFlagged++;
      }
    }
  }
  return { version, ...r, falseErrors, missed, newerKeywordMissed };
}

export function flaggedPct(p: VersionParity): number {
  return p.alerts === 0 ? 100 : Math.round((1000 * p.flagged) / p.alerts) / 10;
}
