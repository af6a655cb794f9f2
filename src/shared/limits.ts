// Size limits of everything read from a file, a server or a cluster, in one place: a hostile or
// broken source must not freeze the extension host or fill its memory, and the regex checker
// (test/unit/security/regex.test.ts) names these limits for the patterns they bound.

const MiB = 1024 * 1024;

/** A Data Plane API response body (raw configuration, stats): larger answers are refused. */
export const MAX_DATAPLANE_BODY_BYTES = 64 * MiB;
/** A server's text quoted in a message (error bodies): longer text is cut with a note. */
export const MAX_QUOTED_CHARS = 2000;
/**
 * A rejection HAProxy's check explains (a 400 of the Data Plane API): kept whole up to this size so that
 * its fatal line is found behind the non-fatal ALERTs listed first; the message then quotes MAX_QUOTED_CHARS.
 */
export const MAX_REJECTION_CHARS = 256 * 1024;
/** One Secret field (base64 or YAML value) of an imported Secret. */
export const MAX_SECRET_FIELD_CHARS = 1 * MiB;
/** A PEM block (certificate chain or key) pasted, read from a file or decoded from a Secret. */
export const MAX_PEM_CHARS = 1 * MiB;
/** The user's local copy of the HAProxy manual (configuration.html is about 1 MiB). */
export const MAX_MANUAL_BYTES = 16 * MiB;
/** What `haproxy -c` prints (stdout and stderr together). */
export const MAX_CHECK_OUTPUT_BYTES = 4 * MiB;
/**
 * A haproxy.cfg document this large is not worked on in one go on the extension host: its static
 * checks run in the diagnostics worker thread, and the editor features parse it in time slices.
 */
export const LARGE_DOCUMENT_CHARS = 1 * MiB;
/** One line given to a message parser (`haproxy -c` output): longer lines are cut. */
export const MAX_MESSAGE_LINE_CHARS = 4096;

/** `text` cut to `max` characters, with a note saying how much was left out. */
export function truncateForMessage(text: string, max: number = MAX_QUOTED_CHARS): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max)}… (${text.length - max} more characters not shown)`;
}
