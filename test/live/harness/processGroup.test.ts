// The workbench harness stops code-server with everything it started: a code-server killed after its
// grace period used to leave its extension host running (one orphan per run on a busy machine).
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { stopProcessGroup } from '../../harness/codeServer';
import { waitFor } from '../../support/wait';

/** Running: not gone and not a zombie (a zombie's reaping is up to whoever is PID 1 here). */
function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

describe('stopping a process group', () => {
  test('stops the leader and the process it started, also when the leader ignores SIGTERM', async () => {
    // The leader starts a grandchild, ignores SIGTERM (as a slow shutdown would) and waits.
    const child = spawn('sh', ['-c', 'trap "" TERM; sleep 300 & echo $!; wait'], {
      detached: true,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const grandchild = Number(await waitFor('the grandchild pid', () => /^\d+\n/.exec(out)?.[0]));
    assert.ok(alive(grandchild));
    await stopProcessGroup(child, 200);
    await waitFor('the leader to exit', () => child.exitCode !== null || child.signalCode !== null);
    await waitFor('the grandchild to be gone', () => !alive(grandchild));
  });
});
