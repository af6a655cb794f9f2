// Every haproxy.cfg snippet, expanded as a user accepting its defaults would get it (and once per other
// option of each choice), must pass `haproxy -c` without warnings inside a realistic configuration.
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { repoRoot } from '../../support/paths';
import { choiceVariants, expandSnippet, loadSnippetFile, prefixesOf } from '../../support/snippets';

const SNIPPET_FILE = path.join(repoRoot, 'snippets', 'haproxy.code-snippets.json');
/** haproxyGateway.newConfiguration inserts this snippet by name. */
const SKELETON = 'global and defaults skeleton';
const ALLOW_MISSING = process.env.HAPROXY_GATEWAY_ALLOW_MISSING_HAPROXY === '1';

interface TestFiles {
  /** A self-signed certificate and its key in one PEM, as `bind ... ssl crt` wants. */
  readonly certFile: string;
}

interface Context {
  /**
   * Where the snippet goes: `skeleton` is the configuration's start; `section` follows the skeleton as a
   * section of its own; `frontend` / `backend` are lines inside an HTTP frontend / backend.
   */
  readonly place: 'skeleton' | 'section' | 'frontend' | 'backend';
  /** Lines the snippet needs in the global section (e.g. master-worker for a program section). */
  readonly global?: readonly string[];
  /** Sections the snippet refers to by its default names (backends, resolvers). */
  readonly after?: string;
  /** Values typed into tab stops whose defaults name files that only exist on a server. */
  readonly placeholders?: (files: TestFiles) => Record<number, string>;
  /** Lines (after expansion with defaults, trimmed) the snippet exists to provide. */
  readonly mustContain?: readonly string[];
}

const httpBackend = (name: string): string => `backend ${name}\n\tserver s1 127.0.0.1:8081\n`;
const tcpBackend = (name: string): string => `backend ${name}\n\tmode tcp\n\tserver s1 127.0.0.1:5433\n`;

/** Each snippet's place in a configuration; a snippet without an entry fails the suite. */
const CONTEXTS: Readonly<Record<string, Context>> = {
  [SKELETON]: {
    place: 'skeleton',
    after: `frontend fe_ctx\n\tbind 127.0.0.1:8080\n\tdefault_backend be_ctx\n${httpBackend('be_ctx')}`,
    mustContain: ['global', 'defaults', 'timeout connect 5s', 'timeout client 30s', 'timeout server 30s'],
  },
  'HTTP frontend': {
    place: 'section',
    after: httpBackend('be_app'),
    mustContain: ['frontend fe_http', 'default_backend be_app'],
  },
  'TCP frontend': { place: 'section', after: tcpBackend('be_tcp'), mustContain: ['mode tcp'] },
  'HTTPS frontend with redirect from HTTP': {
    place: 'section',
    after: httpBackend('be_app'),
    placeholders: (files) => ({ 3: files.certFile }),
    mustContain: ['http-request redirect scheme https code 301 unless { ssl_fc }'],
  },
  'TLS bind with redirect from HTTP': {
    place: 'frontend',
    placeholders: (files) => ({ 4: files.certFile }),
    mustContain: ['http-request redirect scheme https code 301 unless { ssl_fc }'],
  },
  'HTTP backend with health checks': {
    place: 'section',
    mustContain: ['option httpchk', 'http-check expect status 200'],
  },
  'TCP backend with health checks': { place: 'section', mustContain: ['option tcp-check'] },
  server: { place: 'backend' },
  'HTTP listen': { place: 'section' },
  'TCP listen': { place: 'section' },
  'stats page': { place: 'section', mustContain: ['stats enable', 'stats uri /stats'] },
  'Prometheus metrics endpoint': { place: 'section' },
  'userlist for the Data Plane API': {
    place: 'section',
    mustContain: ['userlist dataplaneapi', 'user admin insecure-password change-me'],
  },
  'program api (Data Plane API v2 flags)': {
    place: 'section',
    global: ['master-worker'],
    mustContain: ['program api', 'no option start-on-reload'],
  },
  'program api (Data Plane API v3 config file)': {
    place: 'section',
    global: ['master-worker'],
    mustContain: ['program api', 'command /usr/local/bin/dataplaneapi -f /etc/haproxy/dataplaneapi.yml'],
  },
  resolvers: { place: 'section' },
  'server-template with DNS discovery': {
    place: 'backend',
    after: 'resolvers dns\n\tnameserver ns1 127.0.0.53:53\n',
  },
  // HAProxy drops a peers section in which no peer carries the local name.
  peers: { place: 'section', global: ['localpeer lb1'] },
  'ACL on path and use_backend': {
    place: 'frontend',
    after: httpBackend('be_api'),
    mustContain: ['acl is_api path_beg /api', 'use_backend be_api if is_api'],
  },
  'ACL on Host header and use_backend': { place: 'frontend', after: httpBackend('be_api') },
  'rate limiting with a stick-table': {
    place: 'frontend',
    mustContain: [
      'stick-table type ip size 100k expire 30s store http_req_rate(10s)',
      'http-request track-sc0 src',
      'http-request deny deny_status 429 if { sc_http_req_rate(0) gt 20 }',
    ],
  },
};

const snippets = loadSnippetFile(SNIPPET_FILE);

/** VS Code's defaults for a haproxy.cfg: the body's tabs become four spaces. */
const EDITOR = { insertSpaces: true, tabSize: 4 } as const;

/** `expanded` must have been expanded for its place: fragments at a cursor indented by four spaces. */
function buildConfig(name: string, context: Context, expanded: string): string {
  let config: string;
  if (context.place === 'skeleton') {
    config = `${expanded}\n`;
  } else {
    config = `${expandSnippet(snippets[SKELETON].body, { indentation: EDITOR })}\n`;
    if (context.place === 'section') {
      config += `${expanded}\n`;
    } else if (context.place === 'frontend') {
      config +=
        `frontend fe_ctx\n\tbind 127.0.0.1:8080\n    ${expanded}\n\tdefault_backend be_ctx\n` + httpBackend('be_ctx');
    } else {
      config += `backend be_ctx\n    ${expanded}\n`;
    }
  }
  if (context.global?.length) {
    assert.match(
      config,
      /^global\n/m,
      `${name}: the skeleton has no global section to add ${context.global.join(', ')} to`,
    );
    config = config.replace(/^global\n/m, `global\n${context.global.map((l) => `\t${l}\n`).join('')}`);
  }
  return config + (context.after ?? '');
}

function numbered(text: string): string {
  return text
    .split('\n')
    .map((line, i) => `${String(i + 1).padStart(3)}  ${line}`)
    .join('\n');
}

describe('haproxy.cfg snippets', () => {
  test('every snippet has a prefix, a body and a description, and prefixes are unique', () => {
    const seen = new Map<string, string>();
    for (const [name, snippet] of Object.entries(snippets)) {
      for (const prefix of prefixesOf(snippet)) {
        assert.match(prefix, /^[a-z][a-z0-9_-]*$/, `${name}: prefix "${prefix}" should be a lower-case word`);
        assert.equal(
          seen.get(prefix),
          undefined,
          `prefix "${prefix}" of "${name}" is already used by "${seen.get(prefix)}"`,
        );
        seen.set(prefix, name);
      }
    }
  });

  test('the skeleton the New haproxy.cfg command inserts exists and is offered as a file template', () => {
    assert.ok(snippets[SKELETON], `no snippet named "${SKELETON}"`);
    assert.equal(snippets[SKELETON].isFileTemplate, true);
  });

  test('every snippet has a context for the haproxy -c check, and every context a snippet', () => {
    assert.deepEqual(
      Object.keys(snippets).filter((n) => !CONTEXTS[n]),
      [],
      'snippets without an entry in CONTEXTS',
    );
    assert.deepEqual(
      Object.keys(CONTEXTS).filter((n) => !snippets[n]),
      [],
      'CONTEXTS entries without a snippet',
    );
  });

  test('expanded snippets contain the lines they exist for, and no unexpanded snippet syntax', () => {
    for (const [name, snippet] of Object.entries(snippets)) {
      const lines = expandSnippet(snippet.body)
        .split('\n')
        .map((l) => l.trim());
      for (const wanted of CONTEXTS[name]?.mustContain ?? []) {
        assert.ok(lines.includes(wanted), `${name}: expected the line "${wanted}" in:\n${lines.join('\n')}`);
      }
      for (const variant of choiceVariants(snippet.body)) {
        const text = expandSnippet(snippet.body, variant.options);
        // A malformed placeholder is inserted literally by VS Code; HAProxy would read it as an environment variable.
        // Comments may show escaped dollars on purpose (crypt hashes such as $5$...).
        const code = text
          .split('\n')
          .filter((l) => !l.trim().startsWith('#'))
          .join('\n');
        assert.doesNotMatch(text, /\$\{/, `${name} (${variant.label}): unexpanded snippet syntax in:\n${text}`);
        assert.doesNotMatch(code, /\$[0-9]/, `${name} (${variant.label}): unexpanded tab stop in:\n${text}`);
        // Only the final cursor line may be indented-but-empty, so the user types straight into the section.
        assert.doesNotMatch(text.replace(/[\t ]+$/, ''), /[\t ]+$/m, `${name} (${variant.label}): trailing whitespace`);
      }
    }
  });

  describe('haproxy -c accepts every expansion', () => {
    const probe = spawnSync('haproxy', ['-v'], { encoding: 'utf8' });
    const missing = probe.error !== undefined || probe.status !== 0;
    let tmp = '';
    let files: TestFiles = { certFile: '' };

    before(() => {
      if (missing) return;
      tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'haproxy-snippets-'));
      const key = path.join(tmp, 'key.pem');
      const cert = path.join(tmp, 'cert.pem');
      const openssl = spawnSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'ec',
          '-pkeyopt',
          'ec_paramgen_curve:prime256v1',
          '-nodes',
          '-keyout',
          key,
          '-out',
          cert,
          '-days',
          '2',
          '-subj',
          '/CN=snippets.test',
        ],
        { encoding: 'utf8' },
      );
      assert.equal(
        openssl.status,
        0,
        `openssl could not make a test certificate: ${openssl.error?.message ?? openssl.stderr}`,
      );
      const certFile = path.join(tmp, 'site.pem');
      fs.writeFileSync(certFile, fs.readFileSync(cert, 'utf8') + fs.readFileSync(key, 'utf8'));
      files = { certFile };
    });

    after(() => {
      if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
    });

    test('haproxy is installed', (t) => {
      if (!missing) {
        t.diagnostic(probe.stdout.split('\n')[0]);
        return;
      }
      const why =
        `haproxy is not on PATH (${probe.error?.message ?? probe.stderr}); ` +
        'install HAProxy 2.6 (npm run setup does), ' +
        'or set HAPROXY_GATEWAY_ALLOW_MISSING_HAPROXY=1 to skip the haproxy -c checks';
      if (ALLOW_MISSING) t.skip(why);
      else assert.fail(why);
    });

    for (const [name, snippet] of Object.entries(snippets)) {
      const context = CONTEXTS[name];
      if (!context) continue; // reported by the context test above
      for (const variant of choiceVariants(snippet.body)) {
        test(`${name} (${variant.label})`, { skip: missing && 'haproxy is not installed' }, () => {
          const inside = context.place === 'frontend' || context.place === 'backend';
          const expanded = expandSnippet(snippet.body, {
            ...variant.options,
            placeholders: context.placeholders?.(files),
            indentation: { ...EDITOR, base: inside ? '    ' : '' },
          });
          const config = buildConfig(name, context, expanded);
          const file = path.join(tmp, `${name.replace(/[^a-z0-9]+/gi, '-')}.cfg`);
          fs.writeFileSync(file, config);
          const run = spawnSync('haproxy', ['-c', '-f', file], { encoding: 'utf8', timeout: 30_000 });
          const output = `${run.stdout ?? ''}${run.stderr ?? ''}`;
          const report =
            `haproxy -c exited ${run.status}${run.error ? ` (${run.error.message})` : ''}:\n` +
            `${output}\n${numbered(config)}`;
          assert.equal(run.status, 0, report);
          assert.doesNotMatch(output, /\[(WARNING|ALERT)\]/, report);
        });
      }
    }
  });
});
