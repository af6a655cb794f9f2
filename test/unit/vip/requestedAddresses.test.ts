// The address policy reads the annotations users already write for MetalLB and kube-vip, and
// leaves a Service whose loadBalancerClass is another controller's to that controller.
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addressPolicy, chooseVip, foreignClassOf, requestedVip } from '../../../src/vip/core/addresses';
import {
  KUBE_VIP_IPS_ANNOTATION,
  LBAPI_IP_ANNOTATION,
  METALLB_IPS_ANNOTATION,
  METALLB_LEGACY_IPS_ANNOTATION,
  VIP_LOAD_BALANCER_CLASS,
  type ServiceLike,
} from '../../../src/vip/core/kubeShapes';

const svc = (annotations: Record<string, string>, spec: Partial<NonNullable<ServiceLike['spec']>> = {}) =>
  ({
    metadata: { name: 'web', namespace: 'default', annotations },
    spec: { type: 'LoadBalancer', ports: [{ port: 80 }], ...spec },
  }) as ServiceLike;

describe('requested addresses (MetalLB and kube-vip annotations)', () => {
  it('reads metallb.io/loadBalancerIPs, its pre-0.13 spelling and kube-vip.io/loadbalancerIPs', () => {
    assert.deepEqual(requestedVip(svc({ [METALLB_IPS_ANNOTATION]: '127.0.200.5' })), {
      address: '127.0.200.5',
      source: 'metallb',
    });
    assert.deepEqual(requestedVip(svc({ [METALLB_LEGACY_IPS_ANNOTATION]: '127.0.200.6' })), {
      address: '127.0.200.6',
      source: 'metallb',
    });
    assert.deepEqual(requestedVip(svc({ [KUBE_VIP_IPS_ANNOTATION]: '127.0.200.7' })), {
      address: '127.0.200.7',
      source: 'kube-vip',
    });
  });

  it('takes the first usable address of a list, in canonical form', () => {
    assert.deepEqual(requestedVip(svc({ [METALLB_IPS_ANNOTATION]: 'nonsense, fd00:0::10 ,127.0.200.8' })), {
      address: 'fd00::10',
      source: 'metallb',
    });
    assert.deepEqual(requestedVip(svc({ [KUBE_VIP_IPS_ANNOTATION]: '127.0.200.9,127.0.200.10' })), {
      address: '127.0.200.9',
      source: 'kube-vip',
    });
  });

  it('a list without any address is refused, not ignored', () => {
    assert.throws(() => requestedVip(svc({ [METALLB_IPS_ANNOTATION]: 'nope' })), /not an IPv4 or IPv6 address/);
  });

  it('the 2020 annotation and spec.loadBalancerIP come first', () => {
    const both = { [LBAPI_IP_ANNOTATION]: '127.0.200.2', [METALLB_IPS_ANNOTATION]: '127.0.200.5' };
    assert.equal(requestedVip(svc(both))?.source, 'annotation');
    const lbip = svc({ [KUBE_VIP_IPS_ANNOTATION]: '127.0.200.7' }, { loadBalancerIP: '127.0.200.3' });
    assert.equal(requestedVip(lbip)?.address, '127.0.200.3');
  });

  it('the choice takes the annotated address and says whether it lies in a pool', () => {
    const pools = [{ range: '127.0.200.0/29' }];
    assert.deepEqual(chooseVip(svc({ [KUBE_VIP_IPS_ANNOTATION]: '127.0.200.4' }), pools, new Set()), {
      kind: 'requested',
      address: '127.0.200.4',
      source: 'kube-vip',
      insidePools: true,
    });
  });
});

describe('loadBalancerClass ownership', () => {
  it('a class that is not ours names another controller; ours and none do not', () => {
    assert.equal(foreignClassOf(svc({}, { loadBalancerClass: 'metallb.io/metallb' })), 'metallb.io/metallb');
    assert.equal(foreignClassOf(svc({}, { loadBalancerClass: VIP_LOAD_BALANCER_CLASS })), undefined);
    assert.equal(foreignClassOf(svc({})), undefined);
  });

  it('the policy suggests nothing for a Service another controller owns, and says why', () => {
    const service = svc(
      { [METALLB_IPS_ANNOTATION]: '127.0.200.5' },
      { loadBalancerClass: 'kube-vip.io/kube-vip-class' },
    );
    const policy = addressPolicy({
      service,
      all: [service],
      binds: [],
      ownFrontends: new Set(),
      pools: [{ range: '127.0.200.0/29' }],
    });
    assert.equal(policy.suggestion.kind, 'none');
    assert.match((policy.suggestion as { reason: string }).reason, /loadBalancerClass "kube-vip.io\/kube-vip-class"/);
    const ours = svc({ [METALLB_IPS_ANNOTATION]: '127.0.200.5' }, { loadBalancerClass: VIP_LOAD_BALANCER_CLASS });
    const mine = addressPolicy({ service: ours, all: [ours], binds: [], ownFrontends: new Set(), pools: [] });
    assert.deepEqual(mine.suggestion, {
      kind: 'requested',
      address: '127.0.200.5',
      source: 'metallb',
      insidePools: false,
    });
  });
});

describe('status ownership', () => {
  it('our own loadBalancerClass leaves the status ours to write', async () => {
    const { statusOwnership } = await import('../../../src/vip/core/record');
    assert.equal(statusOwnership(svc({}, { loadBalancerClass: VIP_LOAD_BALANCER_CLASS })).canPatchStatus, true);
    assert.equal(statusOwnership(svc({}, { loadBalancerClass: 'metallb' })).canPatchStatus, false);
  });
});
