import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NodeList, nodesFromLogicReply, parseHostPort, parseNodeUrl } from './node-list.js';

const weighted = {
  code: 0,
  message: '',
  data: {
    nodes: [
      { id: 'comet-a', ws: 'ws://10.0.0.1:3102/sub', tcp: '10.0.0.1:3101', weight: 20 },
      { id: 'comet-b', ws: 'ws://10.0.0.2:3102/sub', tcp: '10.0.0.2:3101', kcp: '10.0.0.2:3103', weight: 10 },
      { id: 'comet-c', ws: 'ws://10.0.0.3:3102/sub', tcp: '', weight: 10 },
    ],
  },
};

describe('node addresses', () => {
  it('parses ws, wss, tcp and kcp URLs', () => {
    assert.deepEqual(parseNodeUrl('ws://127.0.0.1:3102/sub'), { id: 'ws://127.0.0.1:3102/sub', ws: 'ws://127.0.0.1:3102/sub' });
    assert.deepEqual(parseNodeUrl('wss://im.example.com/sub'), { id: 'wss://im.example.com/sub', ws: 'wss://im.example.com/sub' });
    assert.deepEqual(parseNodeUrl('tcp://127.0.0.1:3101'), { id: 'tcp://127.0.0.1:3101', tcp: '127.0.0.1:3101' });
    assert.deepEqual(parseNodeUrl('kcp://[::1]:3103'), { id: 'kcp://[::1]:3103', kcp: '[::1]:3103' });
    assert.throws(() => parseNodeUrl('http://x:1'), /unknown scheme/);
    assert.throws(() => parseNodeUrl('tcp://nohost'), /host:port/);
    assert.throws(() => parseNodeUrl('127.0.0.1:3101'), /not a ws/);
  });

  it('splits host:port, IPv6 in brackets, and refuses bad ports', () => {
    assert.deepEqual(parseHostPort('example.com:3101'), { host: 'example.com', port: 3101 });
    assert.deepEqual(parseHostPort('[::1]:3103'), { host: '::1', port: 3103 });
    assert.throws(() => parseHostPort('x:0'));
    assert.throws(() => parseHostPort('x:70000'));
  });

  it("reads logic's weighted list in order, and the bare /v1/nodes array, dropping junk", () => {
    const nodes = nodesFromLogicReply(weighted);
    assert.deepEqual(nodes.map((n) => n.id), ['comet-a', 'comet-b', 'comet-c']);
    assert.equal(nodes[2].tcp, undefined, 'an empty address means the transport is off');
    assert.equal(nodes[1].kcp, '10.0.0.2:3103');
    assert.deepEqual(nodesFromLogicReply([{ id: 'x', ws: 'ws://x/sub', connections: 3 }, null, 7, { weight: 1 }]), [{ id: 'x', ws: 'ws://x/sub', tcp: undefined, kcp: undefined }]);
    assert.throws(() => nodesFromLogicReply({ code: 0, data: {} }), /node list/);
  });
});

describe('NodeList', () => {
  it('picks the best node that offers the transport', () => {
    const list = new NodeList(30_000);
    list.set(nodesFromLogicReply(weighted));
    assert.equal(list.pick('ws', 0)?.node.id, 'comet-a');
    assert.equal(list.pick('kcp', 0)?.address, '10.0.0.2:3103');
    assert.equal(list.pick('tcp', 0)?.address, '10.0.0.1:3101');
    assert.equal(new NodeList(1).pick('ws', 0), undefined);
  });

  it('passes over a node that just failed, for skipMs, then tries it again', () => {
    const list = new NodeList(30_000);
    list.set(nodesFromLogicReply(weighted));
    list.markFailed('ws://10.0.0.1:3102/sub', 1_000);
    assert.equal(list.pick('ws', 2_000)?.node.id, 'comet-b');
    list.markFailed('ws://10.0.0.2:3102/sub', 2_000);
    assert.equal(list.pick('ws', 3_000)?.node.id, 'comet-c');
    assert.equal(list.pick('ws', 31_000)?.node.id, 'comet-a', 'back in the list after skipMs');
    list.markOk('ws://10.0.0.2:3102/sub');
    assert.equal(list.pick('ws', 3_000)?.node.id, 'comet-b', 'a success clears the mark');
  });

  it('when every node failed recently, goes back to the one that failed longest ago', () => {
    const list = new NodeList(30_000);
    list.set([parseNodeUrl('ws://a/sub'), parseNodeUrl('ws://b/sub')]);
    list.markFailed('ws://b/sub', 100);
    list.markFailed('ws://a/sub', 200);
    assert.equal(list.pick('ws', 300)?.address, 'ws://b/sub');
  });

  it("puts a draining comet's suggestions first and drops duplicates by id or address", () => {
    const list = new NodeList(30_000);
    list.set([...nodesFromLogicReply(weighted), parseNodeUrl('ws://10.0.0.3:3102/sub')]);
    assert.equal(list.all.length, 3, 'the static URL repeats comet-c');
    list.preferFirst([{ id: 'comet-c', ws: 'ws://10.0.0.3:3102/sub' }]);
    assert.deepEqual(list.all.map((n) => n.id), ['comet-c', 'comet-a', 'comet-b']);
    list.markFailed('ws://10.0.0.1:3102/sub', 0);
    assert.equal(list.pick('ws', 1)?.node.id, 'comet-c');
  });
});
