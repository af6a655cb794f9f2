import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  availableKeywordVersions,
  loadKeywords,
  type KeywordData,
  type KeywordInfo,
} from '../../../src/language/core/keywords';
import { applyPatch } from '../../../src/language/core/keywords/patch';
import { repoRoot } from '../../support/paths';

const keywordsDir = path.join(repoRoot, 'src', 'language', 'core', 'keywords');

interface Dump {
  acl: Record<string, { fetch: string; match: string }>;
  sections: Record<string, Set<string>>;
  bind: Record<string, { args: number; ssl: boolean }>;
  server: Record<string, { args: number }>;
  options: Record<string, { flags: string[] }>;
  actions: Record<string, Record<string, { prefix: boolean }>>;
  converters: Record<string, unknown>;
  fetches: Record<string, unknown>;
  filters: string[];
}

interface KeywordsGenerator {
  parseDumpOutput(text: string): Dump;
  parseVersionOutput(text: string): { full: string; short: string };
  findHaproxy(argvPath?: string): string | null;
  generate(opts: { bin: string | null; doc: string }): { data: KeywordData; fileName: string };
  serialize(data: KeywordData): string;
  sharedVersionsDir(): string;
  generateAll(opts: { doc: string; out: string; bin: string | null }): Map<string, string>;
  diffPatch(base: unknown, next: unknown): unknown;
  applyPatch(base: unknown, patch: unknown): unknown;
}

async function generator(): Promise<KeywordsGenerator> {
  const mod = (await import(path.join(repoRoot, 'scripts', 'generate-keywords.js'))) as {
    default?: KeywordsGenerator;
  } & KeywordsGenerator;
  return mod.default ?? mod;
}

function run(bin: string, args: string[]): string {
  try {
    return execFileSync(bin, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    // -dKall exits non-zero (no listener) after printing the dump.
    const out = (err as { stdout?: string }).stdout;
    if (out) return out;
    throw err;
  }
}

describe('keyword data loader', () => {
  test('versions and default', () => {
    const versions = availableKeywordVersions();
    assert.ok(versions.includes('2.6'), versions.join(','));
    const newest = versions[versions.length - 1];
    assert.equal(loadKeywords().version, newest);
    // A full version resolves to its major.minor; an unknown newer one to the newest older data.
    assert.equal(loadKeywords('2.6.12-1+deb12u4').version, '2.6');
    assert.equal(loadKeywords('99.1').version, newest);
    assert.throws(() => loadKeywords('latest'), /not a HAProxy version/);
  });

  test('section kinds and per-section keywords', () => {
    const kw = loadKeywords('2.6');
    const kinds = [
      'backend',
      'cache',
      'defaults',
      'fcgi-app',
      'frontend',
      'global',
      'http-errors',
      'listen',
      'log-forward',
      'mailers',
      'peers',
      'program',
      'resolvers',
      'ring',
      'userlist',
    ];
    assert.deepEqual([...kw.sectionKinds].sort(), kinds);
    assert.ok(kw.keyword('backend', 'balance'));
    assert.equal(kw.keyword('frontend', 'balance'), undefined, 'balance is not a frontend keyword');
    assert.ok(kw.keyword('global', 'nbthread'));
    assert.ok(kw.keyword('resolvers', 'nameserver'));
    assert.ok(kw.keyword('peers', 'peer'));
    assert.equal(kw.keyword('backend', 'constructor'), undefined, 'no prototype keys');
    const timeout = kw.keyword('defaults', 'timeout');
    assert.ok(timeout?.subRequired && timeout.sub?.client, 'timeout needs a sub-keyword');
    assert.ok(kw.keywordNames('frontend').includes('option'));
    assert.equal(kw.keyword('defaults', 'http-request')?.namedDefaultsOnly, true);
  });

  test('options, actions, fetches, converters, ACL keywords, bind and server options', () => {
    const kw = loadKeywords('2.6');
    assert.ok(kw.option('frontend', 'httplog'));
    assert.equal(kw.option('frontend', 'httpchk'), undefined, 'httpchk is a backend option');
    assert.equal(kw.option('backend', 'redispatch')?.negatable, true);
    assert.equal(kw.action('http-request', 'set-var(txn.host)')?.name, 'set-var');
    assert.equal(kw.action('http-request', 'sc-inc-gpc0(1)')?.name, 'sc-inc-gpc0');
    assert.equal(kw.action('tcp-request content', 'track-sc1')?.name, 'track-sc1');
    assert.equal(kw.action('http-request', 'set-status'), undefined);
    assert.ok(kw.action('http-response', 'set-status'));
    const hdr = kw.fetch('req.hdr');
    assert.equal(hdr?.docArgs, '([<name>[,<occ>]])');
    assert.equal(kw.docLink(hdr?.anchor), 'https://docs.haproxy.org/2.6/configuration.html#7.3.6-req.hdr');
    assert.ok(kw.converter('lower'));
    assert.deepEqual(kw.aclKeyword('path_beg'), { fetch: 'path', match: 'beg', anchor: kw.fetch('path')?.anchor });
    assert.equal(kw.bindOption('ssl')?.foundIn.includes('doc'), true);
    assert.equal(kw.serverOption('inter')?.args, 1);
    assert.ok(kw.data.fetches.cook?.deprecated, 'deprecated fetches are marked');
    assert.match(kw.keyword('defaults', 'clitimeout')?.removed ?? '', /not supported anymore/);
  });

  test('every keyword records where it was found; anchors point into the manual', () => {
    const kw = loadKeywords('2.6');
    const walk = (table: Record<string, KeywordInfo>, where: string): void => {
      for (const [name, info] of Object.entries(table)) {
        assert.ok(info.foundIn.length > 0, `${where} ${name}`);
        if (info.anchor) assert.doesNotMatch(info.anchor, /[\s#]/, `${where} ${name}`);
        if (info.sub) walk(info.sub, `${where} ${name}`);
      }
    };
    for (const kind of kw.sectionKinds) {
      walk(kw.data.sections[kind].keywords, kind);
      walk(kw.data.sections[kind].options, `${kind} option`);
    }
    for (const [ruleset, table] of Object.entries(kw.data.actions)) walk(table, ruleset);
  });

  test('the committed JSON is deterministic: keys sorted, tagged with version and generator', () => {
    const sorted = (v: unknown): unknown =>
      Array.isArray(v)
        ? v.map(sorted)
        : v && typeof v === 'object'
          ? Object.fromEntries(
              Object.keys(v)
                .sort()
                .map((k) => [k, sorted((v as Record<string, unknown>)[k])]),
            )
          : v;
    for (const version of availableKeywordVersions()) {
      const text = fs.readFileSync(path.join(keywordsDir, `haproxy-${version}.json`), 'utf8');
      assert.equal(text, `${JSON.stringify(sorted(JSON.parse(text)), null, 1)}\n`);
      // Patches over the base, once applied, describe their own version.
      const data = loadKeywords(version).data;
      assert.equal(data.version, version);
      assert.match(data.haproxyVersion, new RegExp(`^${version.replace('.', '\\.')}\\.`));
      assert.equal(data.generator, 'scripts/generate-keywords.js');
      assert.equal(data.docUrl, `https://docs.haproxy.org/${version}/configuration.html`);
    }
  });

  test('every version of the shared reference folder has data; versions after 2.6 are patches over it', () => {
    assert.deepEqual(availableKeywordVersions(), ['2.6', '2.8', '3.0', '3.2', '3.4']);
    for (const version of ['2.8', '3.0', '3.2', '3.4']) {
      const file = JSON.parse(fs.readFileSync(path.join(keywordsDir, `haproxy-${version}.json`), 'utf8')) as {
        base?: string;
        patch?: unknown;
      };
      assert.equal(file.base, '2.6');
      assert.ok(file.patch && typeof file.patch === 'object');
    }
  });

  test('versions differ where HAProxy changed: new sections, keywords and removals', () => {
    const v28 = loadKeywords('2.8');
    const v32 = loadKeywords('3.2');
    const v34 = loadKeywords('3.4');
    assert.ok(!v28.isSectionKind('traces') && v32.isSectionKind('traces') && v34.isSectionKind('crt-store'));
    assert.ok(v32.isSectionKind('log-profile') && !v28.isSectionKind('log-profile'));
    assert.ok(v34.keyword('global', 'stats-file') && !v28.keyword('global', 'stats-file'));
    assert.ok(
      v32.isSectionKind('program') && !v34.isSectionKind('program'),
      'program sections are gone from the 3.4 manual',
    );
    assert.ok(v34.data.addressPrefixes.includes('mptcp@') && !v28.data.addressPrefixes.includes('mptcp@'));
    assert.ok(
      v34.option('frontend', 'accept-unsafe-violations-in-http-request') &&
        !v28.option('frontend', 'accept-unsafe-violations-in-http-request'),
    );
    // Loading one version does not change another (patches never mutate the base).
    assert.ok(!loadKeywords('2.6').isSectionKind('traces'));
  });

  test('the generator and the loader apply patches the same way', async () => {
    const gen = await generator();
    const base = { a: { b: 1, c: [1, 2] }, d: 'x', e: { f: 1 } };
    const next = { a: { b: 2, c: [3] }, e: { f: 1, g: 2 }, h: true };
    const patch = gen.diffPatch(base, next);
    assert.deepEqual(gen.applyPatch(base, patch), next);
    assert.deepEqual(applyPatch(base as never, patch as Record<string, unknown>), next);
    assert.deepEqual(base, { a: { b: 1, c: [1, 2] }, d: 'x', e: { f: 1 } });
  });
});

describe('regenerating the keyword data from the shared reference folder', () => {
  test('npm run generate:keywords gives the committed files (no binary needed)', async (t) => {
    const gen = await generator();
    const doc = process.env.HAPROXY_DOC ?? '/usr/share/doc/haproxy-doc/html/configuration.html';
    if (!fs.existsSync(gen.sharedVersionsDir()) || !fs.existsSync(doc)) {
      t.skip(`needs ${gen.sharedVersionsDir()} and the 2.6 HTML manual (${doc}; set HAPROXY_DOC)`);
      return;
    }
    const files = gen.generateAll({ doc, out: keywordsDir, bin: null });
    for (const [name, text] of files) {
      assert.equal(
        text,
        fs.readFileSync(path.join(keywordsDir, name), 'utf8'),
        `stale ${name}: run npm run generate:keywords`,
      );
    }
  });
});

describe('committed data against the installed haproxy', () => {
  test(
    'every keyword of `haproxy -dKall` is in the data, ' + 'and every binary fact of the data is still in the binary',
    async (t) => {
      const gen = await generator();
      const bin = gen.findHaproxy();
      if (!bin) {
        t.skip('haproxy is not installed (set HAPROXY or add it to PATH): cannot compare the keyword data with -dKall');
        return;
      }
      const version = gen.parseVersionOutput(run(bin, ['-vv']));
      const file = path.join(keywordsDir, `haproxy-${version.short}.json`);
      if (!fs.existsSync(file)) {
        t.skip(`no keyword data for HAProxy ${version.short} (${version.full}): run node scripts/generate-keywords.js`);
        return;
      }
      const data = JSON.parse(fs.readFileSync(file, 'utf8')) as KeywordData;
      assert.equal(data.haproxyVersion, version.full, 'data generated from another build: regenerate it');
      const dump = gen.parseDumpOutput(run(bin, ['-dKall', '-q', '-c', '-f', '/dev/null']));
      const fromBinary = (info: { foundIn: string[] } | undefined): boolean =>
        Boolean(info?.foundIn.includes('binary'));

      const missing: string[] = [];
      for (const [name] of Object.entries(dump.acl)) if (!data.aclKeywords[name]) missing.push(`acl ${name}`);
      for (const name of Object.keys(dump.fetches)) if (!fromBinary(data.fetches[name])) missing.push(`fetch ${name}`);
      for (const name of Object.keys(dump.converters))
        if (!fromBinary(data.converters[name])) missing.push(`converter ${name}`);
      for (const name of Object.keys(dump.bind)) if (!fromBinary(data.bindOptions[name])) missing.push(`bind ${name}`);
      for (const name of Object.keys(dump.server))
        if (!fromBinary(data.serverOptions[name])) missing.push(`server ${name}`);
      for (const name of Object.keys(dump.options))
        if (!fromBinary(data.sections.listen.options[name])) missing.push(`option ${name}`);
      for (const [ruleset, table] of Object.entries(dump.actions)) {
        for (const name of Object.keys(table))
          if (!fromBinary(data.actions[ruleset]?.[name])) missing.push(`${ruleset} ${name}`);
      }
      for (const [section, words] of Object.entries(dump.sections)) {
        const kinds =
          section === 'listen'
            ? ['defaults', 'frontend', 'listen', 'backend']
            : data.sections[section]
              ? [section]
              : [];
        for (const w of words) {
          if (w === 'option' || w === 'no') continue;
          if (!kinds.some((k) => fromBinary(data.sections[k].keywords[w]))) missing.push(`${section} ${w}`);
        }
      }
      assert.deepEqual(
        missing,
        [],
        'in haproxy -dKall but not in the data: regenerate with node scripts/generate-keywords.js',
      );

      // The other way round: what the data says the binary has, it still has.
      const gone: string[] = [];
      for (const [name, info] of Object.entries(data.fetches))
        if (fromBinary(info) && !(name in dump.fetches)) gone.push(`fetch ${name}`);
      for (const [name, info] of Object.entries(data.converters))
        if (fromBinary(info) && !(name in dump.converters)) gone.push(`converter ${name}`);
      for (const [name, info] of Object.entries(data.bindOptions))
        if (fromBinary(info) && !(name in dump.bind)) gone.push(`bind ${name}`);
      for (const [name, info] of Object.entries(data.serverOptions))
        if (fromBinary(info) && !(name in dump.server)) gone.push(`server ${name}`);
      for (const [ruleset, table] of Object.entries(data.actions)) {
        for (const [name, info] of Object.entries(table))
          if (fromBinary(info) && !dump.actions[ruleset]?.[name]) gone.push(`${ruleset} ${name}`);
      }
      assert.deepEqual(gone, [], 'in the data as found in the binary, but no longer in haproxy -dKall');
    },
  );

  test('regenerating from the installed haproxy and manual gives the committed file', async (t) => {
    const gen = await generator();
    const bin = gen.findHaproxy();
    const doc = process.env.HAPROXY_DOC ?? '/usr/share/doc/haproxy-doc/html/configuration.html';
    if (!bin || !fs.existsSync(doc)) {
      t.skip(`needs haproxy and its HTML manual (${doc}; set HAPROXY_DOC): cannot regenerate the keyword data`);
      return;
    }
    const { data, fileName } = gen.generate({ bin, doc });
    const file = path.join(keywordsDir, fileName);
    if (!fs.existsSync(file)) {
      t.skip(`no committed ${fileName} for the installed HAProxy ${data.haproxyVersion}`);
      return;
    }
    // The binary is an extra source for the base: the same facts as the shared dump (only `sources` differ).
    const committed = JSON.parse(fs.readFileSync(file, 'utf8')) as KeywordData;
    assert.deepEqual(
      { ...data, sources: null },
      { ...committed, sources: null },
      'stale keyword data: run npm run generate:keywords',
    );
  });
});
