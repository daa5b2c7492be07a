import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { suggestedNodes } from './logic-nodes.js';
import { NodeList, nodesFromLogicReply, nodeUrl, parseHostPort, parseNodeUrl } from './node-list.js';

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
  it('parses ws, wss, tcp, tls and kcp URLs', () => {
    assert.deepEqual(parseNodeUrl('ws://127.0.0.1:3102/sub'), { id: 'ws://127.0.0.1:3102/sub', ws: 'ws://127.0.0.1:3102/sub' });
    assert.deepEqual(parseNodeUrl('wss://im.example.com/sub'), { id: 'wss://im.example.com/sub', wss: 'wss://im.example.com/sub' });
    assert.deepEqual(parseNodeUrl('tcp://127.0.0.1:3101'), { id: 'tcp://127.0.0.1:3101', tcp: '127.0.0.1:3101' });
    assert.deepEqual(parseNodeUrl('tls://im.example.com:3104'), { id: 'tls://im.example.com:3104', tls: 'im.example.com:3104' });
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
    assert.deepEqual(nodesFromLogicReply([{ id: 'x', ws: 'ws://x/sub', connections: 3 }, null, 7, { weight: 1 }]), [{ id: 'x', ws: 'ws://x/sub', wss: undefined, tcp: undefined, tls: undefined, kcp: undefined }]);
    assert.throws(() => nodesFromLogicReply({ code: 0, data: {} }), /node list/);
  });

  it('reads client-TLS addresses (wss URL, tls host:port or tls:// URL) and picks them for wss and tls only', () => {
    const nodes = nodesFromLogicReply([
      { id: 'a', ws: 'ws://10.0.0.1:3102/sub', tcp: '10.0.0.1:3101', wss: '', tls: '' },
      { id: 'b', ws: 'ws://10.0.0.2:3102/sub', tcp: '10.0.0.2:3101', wss: 'wss://im-b.example.com:3103/sub', tls: 'im-b.example.com:3104' },
      { id: 'c', wss: 'wss://im-c.example.com:3103/sub', tls: 'tls://im-c.example.com:3104' },
    ]);
    const list = new NodeList(30_000);
    list.set(nodes);
    assert.equal(list.pick('ws', 0)?.node.id, 'a');
    assert.equal(list.pick('wss', 0)?.address, 'wss://im-b.example.com:3103/sub', 'a comet without TLS is no wss candidate');
    assert.deepEqual(list.candidates('tls', 0).map((c) => c.address), ['im-b.example.com:3104', 'im-c.example.com:3104']);
    assert.equal(nodeUrl('tls', 'im-b.example.com:3104'), 'tls://im-b.example.com:3104');
    assert.equal(nodeUrl('wss', 'wss://im-b.example.com:3103/sub'), 'wss://im-b.example.com:3103/sub');
  });

  it("takes a draining comet's op-20 suggestions with their TLS addresses, without the comet being left", () => {
    const body = new TextEncoder().encode(JSON.stringify({ code: 'draining', reason: 'x', nodes: [
      { id: 'a', ws: 'ws://a:1/sub', tcp: 'a:2', kcp: '', wss: 'wss://a:3/sub', tls: 'a:4' },
      { id: 'b', ws: 'ws://b:1/sub', tcp: 'b:2', kcp: '', wss: 'wss://b:3/sub', tls: 'b:4' },
    ] }));
    assert.deepEqual(suggestedNodes(body, 'a:4').map((n) => [n.id, n.wss, n.tls]), [['b', 'wss://b:3/sub', 'b:4']]);
    assert.deepEqual(suggestedNodes(body, 'wss://b:3/sub').map((n) => n.id), ['a']);
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
