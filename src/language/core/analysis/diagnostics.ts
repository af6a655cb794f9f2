// Static diagnostics of a whole configuration, in two engines: LocalChecker (localChecker.ts) checks
// what depends on one section only (its lines, ACL order, duplicate servers, header, completeness,
// and the facts other checks need from it) and caches it with the section object, which a re-parse
// keeps while the section is unchanged; Diagnoser (diagnoser.ts) runs the cross-section rules over
// the whole file on those cached facts. Every rule follows what `haproxy -c` does; where HAProxy is
// silent, so are we (unused backends are hints). versionNotes.ts then says which HAProxy version
// knows a keyword the targeted version does not.

import type { HaproxyKeywords } from '../keywords';
import type { ConfigModel } from '../../../shared/haproxy-config/configModel';
import type { SectionKind } from '../../../shared/haproxy-config/sections';
import { Diagnoser } from './diagnoser';
import type { ConfigDiagnostic } from './types';

export interface DiagnoseOptions {
  readonly keywords: HaproxyKeywords;
  /** Report backends nobody refers to (hints). Default true. */
  readonly unusedBackends?: boolean;
}

const results = new WeakMap<
  ConfigModel,
  { keywords: HaproxyKeywords; unused: boolean; diagnostics: ConfigDiagnostic[] }
>();

/** All diagnostics of a model (cached per model). */
export function diagnose(model: ConfigModel, options: DiagnoseOptions): ConfigDiagnostic[] {
  const unused = options.unusedBackends !== false;
  const hit = results.get(model);
  if (hit && hit.keywords === options.keywords && hit.unused === unused) return hit.diagnostics;
  const diagnostics = new Diagnoser(model, options).run();
  results.set(model, { keywords: options.keywords, unused, diagnostics });
  return diagnostics;
}

export type { SectionKind };
