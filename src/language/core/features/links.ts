// Links to the files a configuration names (maps, ACL pattern files, certificates, CA and CRL
// files, error files, Lua scripts, SPOE configurations). Relative certificate and CA paths follow
// `crt-base` / `ca-base` like HAProxy; other relative paths are taken from the configuration's
// directory (HAProxy resolves them from its working directory, usually the same).

import { SymbolIndex } from '../analysis/symbolIndex';
import type { HaproxyKeywords } from '../keywords';
import type { ConfigModel } from '../../../shared/haproxy-config/configModel';
import type { Section } from '../../../shared/haproxy-config/model';

export interface FileLink {
  readonly line: number;
  readonly start: number;
  readonly end: number;
  /** The path as written, with crt-base / ca-base applied when relative. */
  readonly path: string;
  /** True when `path` is absolute. */
  readonly absolute: boolean;
}

export function fileLinks(model: ConfigModel, keywords?: HaproxyKeywords): FileLink[] {
  const linksOf = fileLinker(model, keywords);
  const out: FileLink[] = [];
  for (const section of model.sections) for (const l of linksOf(section)) out.push(l);
  return out;
}

/** The links of one section at a time (fileLinks() of a large model is built a few sections at a time). */
export function fileLinker(model: ConfigModel, keywords?: HaproxyKeywords): (section: Section) => FileLink[] {
  const global = model.sectionsOf('global');
  const base = (name: string): string | undefined => {
    let value: string | undefined;
    for (const s of global)
      for (const d of s.directives)
        if (d.keyword === name && d.words[d.keywordIndex + 1]) value = d.words[d.keywordIndex + 1].value;
    return value;
  };
  const crtBase = base('crt-base');
  const caBase = base('ca-base');
  const index = SymbolIndex.of(model, keywords);
  return (section) => {
    const out: FileLink[] = [];
    for (const d of section.directives) {
      for (const f of index.semantics(d, section).files) {
        if (!f.exact || f.path.includes('$') || f.path.includes('%[')) continue;
        let path = f.path;
        if (!path.startsWith('/')) {
          const prefix = f.kind === 'certificate' ? crtBase : f.kind === 'ca' || f.kind === 'crl' ? caBase : undefined;
          if (prefix) path = `${prefix.replace(/(?<!\/)\/+$/, '')}/${path}`;
        }
        out.push({ line: d.line, start: f.start, end: f.end, path, absolute: path.startsWith('/') });
      }
    }
    return out;
  };
}
