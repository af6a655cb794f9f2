import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import {
  Kubeconfig,
  kubectlWriteTarget,
  locateKubeconfig,
  setKubectlCurrentContext,
} from '../../../src/kubernetes/core/kubeconfig';
import { KubernetesService } from '../../../src/kubernetes/core/service';
import { tempDir } from '../../support/kube';

function config(cluster: string, server: string, contexts: string[], current?: string, comment = ''): string {
  const contextEntries = contexts
    .map((c) => `- name: ${c}\n  context:\n    cluster: ${cluster}\n    user: u-${cluster}\n    namespace: ns-${c}`)
    .join('\n');
  return `${comment}apiVersion: v1
kind: Config
clusters:
- name: ${cluster}
  cluster:
    server: ${server}
    certificate-authority: ca.crt
users:
- name: u-${cluster}
  user:
    token: t
contexts:
${contextEntries}
${current ? `current-context: ${current}\n` : ''}`;
}

describe('kubeconfig', () => {
  it('finds the setting first, then KUBECONFIG (several files), then ~/.kube/config', () => {
    const home = tempDir();
    assert.deepEqual(locateKubeconfig(' ~/x/config ', {}, home), {
      files: [path.join(home, 'x/config')],
      source: 'setting',
    });
    assert.deepEqual(
      locateKubeconfig(undefined, { KUBECONFIG: `/a${path.delimiter}${path.delimiter}/b${path.delimiter}/a` }, home),
      { files: ['/a', '/b'], source: 'KUBECONFIG' },
    );
    assert.deepEqual(locateKubeconfig('', {}, home), {
      files: [path.join(home, '.kube', 'config')],
      source: 'default',
    });
  });

  it('merges files as kubectl does: the first definition of a name and the first current-context win', () => {
    const dir = tempDir();
    const a = path.join(dir, 'a');
    const b = path.join(dir, 'sub', 'b');
    fs.mkdirSync(path.dirname(b));
    fs.writeFileSync(a, config('one', 'https://127.0.0.1:1', ['shared', 'only-a']));
    fs.writeFileSync(b, config('two', 'https://127.0.0.1:2', ['shared', 'only-b'], 'only-b'));
    const kc = Kubeconfig.load({ files: [a, path.join(dir, 'missing'), b], source: 'KUBECONFIG' });
    assert.deepEqual(kc.loadedFiles, [a, b]);
    const contexts = kc.contexts();
    assert.deepEqual(
      contexts.map((c) => c.name),
      ['shared', 'only-a', 'only-b'],
    );
    assert.equal(contexts.find((c) => c.name === 'shared')?.server, 'https://127.0.0.1:1', 'the first file wins');
    assert.equal(kc.kubectlCurrentContext, 'only-b', 'only the second file sets current-context');
    assert.equal(contexts.find((c) => c.name === 'only-b')?.isKubectlCurrent, true);
    const client = kc.forContext('only-b');
    assert.equal(client.getCurrentCluster()?.server, 'https://127.0.0.1:2');
    assert.equal(
      client.getCurrentCluster()?.caFile,
      path.join(dir, 'sub', 'ca.crt'),
      'relative paths resolve against their own file',
    );
  });

  it(
    'switches the extension context without touching the files; ' +
      '"also kubectl" writes only current-context where kubectl would',
    () => {
      const dir = tempDir();
      const a = path.join(dir, 'a');
      const b = path.join(dir, 'b');
      fs.writeFileSync(a, config('one', 'https://127.0.0.1:1', ['ctx-a'], 'ctx-a', '# my comment\n'));
      fs.writeFileSync(b, config('two', 'https://127.0.0.1:2', ['ctx-b']));
      const before = { a: fs.readFileSync(a, 'utf8'), b: fs.readFileSync(b, 'utf8') };
      const service = new KubernetesService({
        env: { KUBECONFIG: [path.join(dir, 'nope'), a, b].join(path.delimiter) },
      });
      assert.equal(service.currentContext(), 'ctx-a');
      service.selectContext('ctx-b');
      assert.equal(service.currentContext(), 'ctx-b');
      assert.deepEqual({ a: fs.readFileSync(a, 'utf8'), b: fs.readFileSync(b, 'utf8') }, before, 'no file changed');
      assert.throws(() => service.selectContext('nope'), /has no context "nope"/);

      assert.equal(kubectlWriteTarget(service.location), a, 'the first existing KUBECONFIG file');
      const written = service.selectContext('ctx-b', true);
      assert.equal(written, a);
      const text = fs.readFileSync(a, 'utf8');
      assert.match(text, /^# my comment/);
      assert.match(text, /^current-context: ctx-b$/m);
      assert.equal(
        text.replace('current-context: ctx-b', 'current-context: ctx-a'),
        before.a,
        'only current-context changed',
      );
      assert.equal(fs.readFileSync(b, 'utf8'), before.b);
      assert.equal(Kubeconfig.load(service.location).kubectlCurrentContext, 'ctx-b');
      service.dispose();
    },
  );

  it('reports an unreadable kubeconfig with its path', () => {
    const dir = tempDir();
    const bad = path.join(dir, 'bad');
    fs.writeFileSync(bad, 'clusters: [ {');
    assert.throws(
      () => Kubeconfig.load({ files: [bad], source: 'setting' }),
      new RegExp(`Cannot read the kubeconfig ${bad}`),
    );
    assert.equal(
      setKubectlCurrentContext({ files: [path.join(dir, 'new', 'config')], source: 'setting' }, 'x'),
      path.join(dir, 'new', 'config'),
    );
  });
});
