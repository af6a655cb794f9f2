// Chapter titles from the user's own copy of the HAProxy manual (Debian's haproxy-doc installs
// /usr/share/doc/haproxy-doc/html/configuration.html). Hover shows the title of the chapter a
// keyword belongs to; nothing of the manual is stored in this repository.

import { readFileSync, statSync } from 'node:fs';

export const DEFAULT_MANUAL_PATH = '/usr/share/doc/haproxy-doc/html/configuration.html';

export interface LocalManual {
  /** `major.minor` of the manual, e.g. "2.6". */
  readonly version: string;
  /** "4.2. Alphabetically sorted keywords reference" for an anchor such as "4.2-timeout%20client". */
  heading(anchor: string): string | undefined;
}

const MAX_SIZE = 16 * 1024 * 1024;

/** Reads the manual's chapter titles; undefined when the file is missing or not a HAProxy manual. */
export function loadLocalManual(path: string = DEFAULT_MANUAL_PATH): LocalManual | undefined {
  let html: string;
  try {
    if (statSync(path).size > MAX_SIZE) return undefined;
    html = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  return parseManual(html);
}

export function parseManual(html: string): LocalManual | undefined {
  const version = /HAProxy (\d+\.\d+)[.\d]*[^<]*Configuration Manual/.exec(html)?.[1];
  if (!version) return undefined;
  const chapters = new Map<string, string>();
  for (const m of html.matchAll(/<h\d id="chapter-([\d.]+)"[^>]*>(?:<small>.*?<\/small>)?\s*([^<]+)<\/h\d>/g)) {
    chapters.set(m[1], decodeEntities(m[2].trim()));
  }
  if (chapters.size === 0) return undefined;
  return {
    version,
    heading(anchor: string): string | undefined {
      const chapter = /^(\d+(?:\.\d+)*)/.exec(anchor)?.[1];
      if (!chapter) return undefined;
      const title = chapters.get(chapter);
      return title ? `${chapter}. ${title}` : undefined;
    },
  };
}

function decodeEntities(s: string): string {
  return s.replace(/&(amp|lt|gt|quot|#39);/g, (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[e] ?? _);
}
