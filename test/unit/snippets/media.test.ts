// Icons and walkthrough pages: the sizes and forms VS Code and the marketplace require, files the
// manifest names exist, and the walkthrough only points at commands, views and snippets that exist.
import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../../support/paths';
import { loadSnippetFile, prefixesOf } from '../../support/snippets';

const MEDIA = path.join(repoRoot, 'media');
const WALKTHROUGH_DIR = path.join(MEDIA, 'walkthrough');
const WALKTHROUGH_ID = 'haproxyGateway.gettingStarted';
/** Media ships whole in the VSIX, which must stay under 1 MB with the bundle. */
const SCREENSHOT_BUDGET_BYTES = 450 * 1024;
const MEDIA_BUDGET_BYTES = 200 * 1024;

interface WalkthroughStep {
  id: string;
  title: string;
  description: string;
  media: { markdown?: string; image?: unknown; svg?: string; altText?: string };
  completionEvents?: string[];
}

interface Manifest {
  icon: string;
  contributes: {
    commands: { command: string }[];
    viewsContainers: { activitybar: { id: string; icon: string }[] };
    views: Record<string, { id: string; icon?: string }[]>;
    languages: { icon?: { light: string; dark: string } }[];
    walkthroughs: { id: string; steps: WalkthroughStep[] }[];
  };
}

const nls = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.nls.json'), 'utf8')) as Record<string, string>;
/** package.json with its `%key%` texts replaced by their English from package.nls.json, as VS Code shows it. */
const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'), (_key, value: unknown) =>
  typeof value === 'string' && /^%[^%\s]+%$/.test(value) ? (nls[value.slice(1, -1)] ?? value) : value,
) as Manifest;
const read = (file: string): string => fs.readFileSync(path.join(MEDIA, file), 'utf8');

/** Root `<svg>` attributes. */
function svgRoot(svg: string): Record<string, string> {
  const tag = /<svg\b([^>]*)>/.exec(svg);
  assert.ok(tag, 'no <svg> element');
  return Object.fromEntries([...tag[1].matchAll(/([\w:-]+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
}

function assertSquareSvg(file: string, size: number): void {
  const svg = read(file);
  const root = svgRoot(svg);
  assert.equal(root.viewBox, `0 0 ${size} ${size}`, `${file}: viewBox`);
  assert.equal(root.width, String(size), `${file}: width`);
  assert.equal(root.height, String(size), `${file}: height`);
  // Scripts, rasters, text (font-dependent) and external references have no place in an icon.
  assert.doesNotMatch(
    svg,
    /<(script|image|text|foreignObject)\b|xlink:href|href="http/i,
    `${file}: unsafe or non-vector content`,
  );
}

/** Commands VS Code generates for the contributed view container and views. */
function knownCommands(): Set<string> {
  const ids = new Set(manifest.contributes.commands.map((c) => c.command));
  for (const container of manifest.contributes.viewsContainers.activitybar)
    ids.add(`workbench.view.extension.${container.id}`);
  for (const view of Object.values(manifest.contributes.views).flat()) ids.add(`${view.id}.focus`);
  return ids;
}

function commandLinks(markdown: string): string[] {
  return [...markdown.matchAll(/\]\(command:([\w.-]+)/g)].map((m) => m[1]);
}

describe('media', () => {
  test('icon.png is a 128x128 PNG of modest size', () => {
    const png = fs.readFileSync(path.join(MEDIA, 'icon.png'));
    assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'not a PNG');
    assert.equal(png.toString('ascii', 12, 16), 'IHDR');
    assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [128, 128]);
    assert.ok(png.length < 32 * 1024, `icon.png is ${png.length} bytes`);
  });

  test('icon.svg, the source of icon.png, is a plain 128x128 vector drawing', () => {
    assertSquareSvg('icon.svg', 128);
  });

  test('the activity bar icon is a 24x24 single-colour silhouette', () => {
    assertSquareSvg('activitybar.svg', 24);
    const svg = read('activitybar.svg');
    // VS Code paints activity bar icons with the theme's colour: any colour of our own would be lost or clash.
    for (const [, attr, value] of svg.matchAll(/\b(fill|stroke|color|stop-color)="([^"]*)"/g)) {
      assert.ok(value === 'none' || value === 'currentColor', `activitybar.svg: ${attr}="${value}"`);
    }
    assert.doesNotMatch(
      svg,
      /style=|Gradient|opacity/,
      'activitybar.svg: styles, gradients or opacity break the silhouette',
    );
  });

  test('the language file icon is 16x16', () => {
    assertSquareSvg('haproxy-file.svg', 16);
  });

  test('every media file the manifest names exists', () => {
    const named = [
      manifest.icon,
      ...manifest.contributes.viewsContainers.activitybar.map((c) => c.icon),
      ...Object.values(manifest.contributes.views)
        .flat()
        .map((v) => v.icon),
      ...manifest.contributes.languages.flatMap((l) => (l.icon ? [l.icon.light, l.icon.dark] : [])),
    ].filter((p): p is string => typeof p === 'string' && !p.startsWith('$('));
    assert.ok(named.length >= 3);
    for (const file of named)
      assert.ok(fs.existsSync(path.join(repoRoot, file)), `package.json names ${file}, which does not exist`);
  });

  const total = (dir: string): number =>
    fs
      .readdirSync(dir, { withFileTypes: true })
      .reduce(
        (sum, e) => sum + (e.isDirectory() ? total(path.join(dir, e.name)) : fs.statSync(path.join(dir, e.name)).size),
        0,
      );

  test(`media/ (without the README screenshots) stays within ${MEDIA_BUDGET_BYTES / 1024} KB`, () => {
    const screenshots = path.join(MEDIA, 'screenshots');
    const bytes = total(MEDIA) - (fs.existsSync(screenshots) ? total(screenshots) : 0);
    assert.ok(bytes < MEDIA_BUDGET_BYTES, `media/ holds ${bytes} bytes besides the screenshots`);
  });

  // The VSIX ships the README's screenshots so that they show on the installed extension's page.
  test(`the README screenshots stay within ${SCREENSHOT_BUDGET_BYTES / 1024} KB`, () => {
    const screenshots = path.join(MEDIA, 'screenshots');
    const bytes = fs.existsSync(screenshots) ? total(screenshots) : 0;
    assert.ok(bytes < SCREENSHOT_BUDGET_BYTES, `media/screenshots holds ${bytes} bytes`);
  });
});

describe('walkthrough', () => {
  const pages = fs
    .readdirSync(WALKTHROUGH_DIR)
    .filter((f) => f.endsWith('.md'))
    .sort();

  test('every page has a title and links only to files and commands that exist', () => {
    assert.ok(pages.length >= 5, `expected the five walkthrough pages, found ${pages.join(', ')}`);
    const commands = knownCommands();
    for (const page of pages) {
      const text = fs.readFileSync(path.join(WALKTHROUGH_DIR, page), 'utf8');
      assert.match(text, /^# \S/, `${page}: starts with a # title`);
      for (const id of commandLinks(text)) assert.ok(commands.has(id), `${page}: links to unknown command ${id}`);
      for (const [, target] of text.matchAll(/\]\((?!command:|https?:)([^)\s]+)\)/g)) {
        assert.ok(fs.existsSync(path.join(WALKTHROUGH_DIR, target)), `${page}: links to missing ${target}`);
      }
    }
  });

  test('the snippet guide names only prefixes that exist', () => {
    const prefixes = new Set(
      ['haproxy', 'gateway-api'].flatMap((f) =>
        Object.values(loadSnippetFile(path.join(repoRoot, 'snippets', `${f}.code-snippets.json`))).flatMap((s) => [
          ...prefixesOf(s),
        ]),
      ),
    );
    const text = fs.readFileSync(path.join(WALKTHROUGH_DIR, 'snippets.md'), 'utf8');
    const named = [...text.matchAll(/`([a-z][a-z0-9_-]*)`/g)].map((m) => m[1]);
    assert.ok(named.length > 10);
    for (const prefix of named)
      assert.ok(prefixes.has(prefix), `snippets.md names "${prefix}", which no snippet has as a prefix`);
  });

  test(
    'the walkthrough that Get Started opens is contributed, ' +
      'and its steps point at pages, commands and views that exist',
    () => {
      const walkthrough = manifest.contributes.walkthroughs.find((w) => w.id === WALKTHROUGH_ID);
      assert.ok(
        walkthrough,
        `package.json contributes no walkthrough "${WALKTHROUGH_ID}", which haproxyGateway.openWalkthrough opens`,
      );
      const commands = knownCommands();
      const views = new Set(
        Object.values(manifest.contributes.views)
          .flat()
          .map((v) => v.id),
      );
      const used = new Set<string>();
      for (const step of walkthrough.steps) {
        const markdown = step.media.markdown;
        assert.ok(markdown, `step ${step.id}: no markdown media`);
        assert.ok(fs.existsSync(path.join(repoRoot, markdown)), `step ${step.id}: ${markdown} does not exist`);
        used.add(path.basename(markdown));
        for (const id of commandLinks(step.description))
          assert.ok(commands.has(id), `step ${step.id}: links to unknown command ${id}`);
        for (const event of step.completionEvents ?? []) {
          const [kind, arg] = event.split(/:(.*)/s);
          if (kind === 'onCommand')
            assert.ok(commands.has(arg), `step ${step.id}: completes on unknown command ${arg}`);
          else if (kind === 'onView') assert.ok(views.has(arg), `step ${step.id}: completes on unknown view ${arg}`);
          else
            assert.ok(
              ['onContext', 'onSettingChanged', 'onLink', 'onStepSelected', 'onExtensionInstalled'].includes(kind),
              `step ${step.id}: unknown completion event ${event}`,
            );
        }
      }
      assert.deepEqual(
        pages.filter((p) => !used.has(p)),
        [],
        'walkthrough pages no step shows',
      );
    },
  );
});
