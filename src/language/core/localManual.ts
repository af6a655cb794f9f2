// Chapter titles from the user's own copy of the HAProxy manual (Debian's haproxy-doc installs
// /usr/share/doc/haproxy-doc/html/configuration.html). Hover shows the title of the chapter a
// keyword belongs to; nothing of the manual is stored in this repository.

import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { MAX_MANUAL_BYTES } from '../../shared/limits';

export const DEFAULT_MANUAL_PATH = '/usr/share/doc/haproxy-doc/html/configuration.html';

export interface LocalManual {
  /** `major.minor` of the manual, e.g. "2.6". */
  readonly version: string;
  /** "4.2. Alphabetically sorted keywords reference" for an anchor such as "4.2-timeout%20client". */
  heading(anchor: string): string | undefined;
}

/** Reads the manual's chapter titles; undefined when the file is missing or not a HAProxy manual. */
export function loadLocalManual(path: string = DEFAULT_MANUAL_PATH): LocalManual | undefined {
  const html = readRegularFile(path, MAX_MANUAL_BYTES);
  return html === undefined ? undefined : parseManual(html);
}

/**
 * A regular file's text, at most `max` bytes; undefined for anything else. Opened without blocking
 * and checked on the open descriptor: a FIFO would block the open and the read, /dev/zero has
 * size 0 and never ends, and a path checked before opening can be swapped in between.
 */
export function readRegularFile(path: string, max: number): string | undefined {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch {
    return undefined;
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile() || st.size > max) return undefined;
    const buf = Buffer.alloc(Math.min(st.size, max));
    let got = 0;
    while (got < buf.length) {
      const n = readSync(fd, buf, got, buf.length - got, got);
      if (n === 0) break;
      got += n;
    }
    return buf.subarray(0, got).toString('utf8');
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

export function parseManual(html: string): LocalManual | undefined {
  // `HAProxy 2.6.12-1+deb12u4 &ndash; Configuration Manual`: the version in the text just before
  // the title's end. Found by plain search: the former `[.\d]*[^<]*` regex was cubic on a crafted file.
  const version = manualVersion(html);
  if (!version) return undefined;
  const chapters = new Map<string, string>();
  for (const m of html.matchAll(
    /<h\d id="chapter-([\d.]+)"[^>]*>(?:<small>(?:[^<\n]|<(?!\/small>)){0,400}<\/small>)?([^<]+)<\/h\d>/g,
  )) {
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

function manualVersion(html: string): string | undefined {
  for (let at = html.indexOf('Configuration Manual'); at >= 0; at = html.indexOf('Configuration Manual', at + 1)) {
    // The title line: from the last tag before it, at most 200 characters back.
    const before = html.slice(Math.max(0, at - 200), at);
    const text = before.slice(before.lastIndexOf('>') + 1);
    const m = /HAProxy (\d+\.\d+)/.exec(text);
    if (m) return m[1];
  }
  return undefined;
}

function decodeEntities(s: string): string {
  return s.replace(
    /&(amp|lt|gt|quot|#39);/g,
    (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[e] ?? _,
  );
}
