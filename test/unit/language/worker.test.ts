// The diagnostics worker (large documents): the same answers as the in-thread path, superseded
// requests dropped on both sides, messages of the wrong shape refused, the thread ended on dispose.
// Starts a worker thread (no process) from the compiled worker module.
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { LanguageService } from '../../../src/language/core/service';
import { createRequestHandler } from '../../../src/language/core/worker/diagnosticsWorker';
import {
  parseWorkerRequest,
  parseWorkerResponse,
  type WorkerResponse,
} from '../../../src/language/core/worker/protocol';
import { DiagnosticsWorkerClient } from '../../../src/language/ui/diagnosticsWorkerClient';
import { generateConfig } from '../../support/generate-config';

const SCRIPT = path.join(__dirname, '..', '..', '..', 'src', 'language', 'core', 'worker', 'diagnosticsWorker.js');

describe('diagnostics worker', () => {
  it('answers the same diagnostics as the in-thread path for a mid-size document', async () => {
    // Mid-size, with some errors the generator does not write.
    const text = `${generateConfig(3000, 7)}backend\n  bogus-keyword 1\n  server s1 999.1.1.1:80\n`;
    const service = new LanguageService('2.6');
    const uri = 'file:///mid.cfg';
    const expected = service.diagnostics(
      service.model(uri, 1, () => text),
      false,
      uri,
    );
    assert.ok(expected.length > 0, 'the document has diagnostics to compare');
    const client = new DiagnosticsWorkerClient(SCRIPT);
    try {
      const got = await client.diagnose({
        uri,
        version: 1,
        text,
        keywordVersion: service.keywordsFor(uri).version,
        unusedBackends: false,
      });
      assert.deepEqual(got, expected);
      assert.equal(client.pending, 0);
    } finally {
      client.dispose();
    }
  });

  it('drops a request that a newer version of the same document superseded', async () => {
    const client = new DiagnosticsWorkerClient(SCRIPT);
    try {
      const base = { uri: 'file:///a.cfg', keywordVersion: '2.6', unusedBackends: true };
      const older = client.diagnose({ ...base, version: 1, text: generateConfig(2000, 1) });
      const other = client.diagnose({ ...base, uri: 'file:///b.cfg', version: 1, text: 'frontend f\n' });
      const newer = client.diagnose({ ...base, version: 2, text: 'frontend f\n  bogus 1\n' });
      assert.equal(await older, undefined);
      const answer = await newer;
      assert.ok(
        answer?.some((d) => d.line === 1 && d.code === 'unknown-keyword'),
        JSON.stringify(answer),
      );
      assert.ok(Array.isArray(await other), 'another document is not superseded');
      assert.equal(client.pending, 0);
    } finally {
      client.dispose();
    }
  });

  it('works the queue in the worker: a superseded request is answered dropped, unparsed', async () => {
    const responses: WorkerResponse[] = [];
    let done!: () => void;
    const finished = new Promise<void>((resolve) => (done = resolve));
    const handle = createRequestHandler((r) => {
      responses.push(r);
      if (r.kind === 'result') done();
    });
    const base = { kind: 'diagnose', uri: 'file:///a.cfg', keywordVersion: '2.6', unusedBackends: true };
    handle({ ...base, id: 1, version: 1, text: 'frontend f\n' });
    handle({ nonsense: true });
    handle({ ...base, id: 2, version: 2, text: 'frontend f\n  bogus 1\n' });
    await finished;
    assert.deepEqual(
      responses.map((r) => [r.kind, r.id]),
      [
        ['dropped', 1],
        ['result', 2],
      ],
    );
  });

  it('cancels what is pending for a closed document', async () => {
    const client = new DiagnosticsWorkerClient(SCRIPT);
    try {
      const pending = client.diagnose({
        uri: 'file:///c.cfg',
        version: 1,
        text: 'frontend f\n',
        keywordVersion: '2.6',
        unusedBackends: true,
      });
      client.cancel('file:///c.cfg');
      assert.equal(await pending, undefined);
      assert.equal(client.pending, 0);
    } finally {
      client.dispose();
    }
  });

  it('settles what waits and refuses new work once disposed', async () => {
    const client = new DiagnosticsWorkerClient(SCRIPT);
    const pending = client.diagnose({
      uri: 'file:///d.cfg',
      version: 1,
      text: generateConfig(500, 2),
      keywordVersion: '2.6',
      unusedBackends: true,
    });
    client.dispose();
    assert.equal(await pending, undefined);
    assert.equal(
      await client.diagnose({
        uri: 'file:///d.cfg',
        version: 2,
        text: '',
        keywordVersion: '2.6',
        unusedBackends: true,
      }),
      undefined,
    );
  });

  it('validates the messages on both sides', () => {
    assert.equal(
      parseWorkerRequest({
        kind: 'diagnose',
        id: 1,
        uri: 'u',
        version: 1,
        text: 1,
        keywordVersion: '2.6',
        unusedBackends: true,
      }),
      undefined,
    );
    assert.equal(
      parseWorkerRequest({
        kind: 'diagnose',
        id: -1,
        uri: 'u',
        version: 1,
        text: '',
        keywordVersion: '2.6',
        unusedBackends: true,
      }),
      undefined,
    );
    assert.equal(
      parseWorkerRequest({
        kind: 'diagnose',
        id: 1,
        uri: 'u',
        version: 1,
        text: '',
        keywordVersion: 'latest',
        unusedBackends: true,
      }),
      undefined,
    );
    assert.equal(parseWorkerRequest('cancel'), undefined);
    assert.deepEqual(parseWorkerRequest({ kind: 'cancel', uri: 'u', extra: 1 }), { kind: 'cancel', uri: 'u' });
    const diag = { code: 'unknown-keyword', severity: 'error', message: 'm', line: 0, start: 0, end: 1 };
    assert.deepEqual(parseWorkerResponse({ kind: 'result', id: 3, diagnostics: [diag] }), {
      kind: 'result',
      id: 3,
      diagnostics: [diag],
    });
    assert.equal(
      parseWorkerResponse({ kind: 'result', id: 3, diagnostics: [{ ...diag, severity: 'fatal' }] }),
      undefined,
    );
    assert.equal(parseWorkerResponse({ kind: 'result', id: 3, diagnostics: [{ ...diag, line: -1 }] }), undefined);
    assert.equal(parseWorkerResponse({ kind: 'error', id: 3 }), undefined);
    assert.equal(parseWorkerResponse({ kind: 'result', id: '3', diagnostics: [] }), undefined);
  });
});
