// The Kubernetes tree's contribution hook: decorations of several capabilities merge, and a
// removed decorator contributes nothing more.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ServiceDecorations } from '../../../src/kubernetes/ui/decorations';

const svc = (annotations?: Record<string, string>) => ({
  metadata: { name: 'httpd', namespace: 'default', annotations },
});

describe('Service decorations', () => {
  it('is empty without decorators', () => {
    assert.deepEqual(new ServiceDecorations().for(svc()), { contextFlags: {}, description: '', tooltip: '' });
  });

  it('merges flags and joins descriptions and tooltips, in registration order', () => {
    const d = new ServiceDecorations();
    d.add((s) =>
      s.metadata.annotations?.['example.test/vip'] ? { contextFlags: { vip: true }, description: 'VIP' } : undefined,
    );
    d.add(() => ({ contextFlags: { other: false }, description: 'other', tooltip: 'second' }));
    d.add(() => ({ tooltip: 'third' }));
    assert.deepEqual(d.for(svc({ 'example.test/vip': '10.0.0.1' })), {
      contextFlags: { vip: true, other: false },
      description: 'VIP · other',
      tooltip: 'second\n\nthird',
    });
    assert.deepEqual(d.for(svc()).contextFlags, { other: false });
  });

  it('forgets a removed decorator', () => {
    const d = new ServiceDecorations();
    const remove = d.add(() => ({ contextFlags: { vip: true } }));
    remove();
    remove();
    assert.deepEqual(d.for(svc()).contextFlags, {});
  });
});
