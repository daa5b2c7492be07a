// The demo chat: the SDK's browser build over WebSocket. A chat line goes up the client's own
// connection (op 4, JSON {from, text}) to the upstream topic; the sample chat service (part of the
// embedded default, apps/embedded/src/chat-sample.ts) pushes it to the room, and it arrives back
// through the comet like any push. The page never calls the push API: that needs an API key, which
// a browser must not hold. Pushes that are not chat lines are shown as direct.
// Reliable delivery is on: a page that loads (or reloads) shows the room's recent history, and
// a reconnect recovers what was missed.
import { ImgateClient } from './sdk/index.js';

const CHAT_OP = 1000;
const ACCEPTS = [1000, 1001, 1002];
/** Room (and direct) messages shown when the page loads, from the streams' history. */
const RECENT = 20;
const $ = (id) => document.getElementById(id);

let client;
let me;
let poll;

const params = new URLSearchParams(location.search);
$('name').value = params.get('name') ?? '';
$('mid').value = params.get('mid') ?? String(1000 + Math.floor(Math.random() * 9000));
if (params.get('room')) $('room').value = params.get('room');

$('join').addEventListener('submit', (e) => {
  e.preventDefault();
  join($('name').value.trim(), Number($('mid').value), $('room').value.trim());
});

$('say').addEventListener('submit', async (e) => {
  e.preventDefault();
  const text = $('text').value.trim();
  if (!text || !me) return;
  $('text').value = '';
  try {
    // op 4 → op 5 once logic wrote it to the upstream topic; the room push comes back through the chat service.
    await client.send(JSON.stringify({ from: me.name, text }));
  } catch (err) {
    system(`not sent: ${err.code ?? ''} ${err.message}`);
  }
});

function join(name, mid, room) {
  client?.close();
  clearInterval(poll);
  me = { name: name || `user ${mid}`, mid, room };
  $('messages').replaceChildren();
  $('pushes').replaceChildren();
  $('online-count').textContent = '0';
  $('room-name').textContent = `live://${room}`;
  $('curl-hint').textContent = `curl -X POST '${location.origin}/goim/push/mids?operation=1001&mids=${mid}' -d 'hello'`;
  $('chat').hidden = false;

  client = new ImgateClient({ logicUrl: location.origin, mid, room: `live://${room}`, accepts: ACCEPTS, delivery: { recent: RECENT } });
  client.on('connected', (c) => {
    status('open', `connected to ${c.node} as mid ${c.mid}`);
    system(`joined live://${room} as ${me.name}`);
  });
  client.on('online', (o) => {
    $('online-count').textContent = String(o.count);
  });
  client.on('message', (m) => {
    const chat = m.op === CHAT_OP ? chatLine(m) : undefined;
    if (chat) addChat(chat);
    else addPush(m);
  });
  client.on('disconnected', (d) => status('waiting', `disconnected (${d.code})`));
  client.on('reconnecting', (r) => status('waiting', `reconnecting in ${r.delayMs} ms`));
  client.on('kicked', (k) => status('closed', `kicked (${k.code}): ${k.reason}`));
  status('connecting', 'connecting…');
  client.connect().catch((err) => status('closed', `${err.code}: ${err.message}`));
  // Heartbeats carry the count, but minutes apart once adapted: ask more often while the page is open.
  poll = setInterval(() => {
    if (client.state === 'open') client.refreshOnline().catch(() => undefined);
  }, 2000);
  $('text').focus();
}

/** A chat line is what the chat service pushes ({from, mid, text}); anything else on op 1000 is a plain push. */
function chatLine(m) {
  try {
    const v = m.json();
    return v && typeof v.text === 'string' ? { from: String(v.from ?? '?'), mid: Number(v.mid), text: v.text } : undefined;
  } catch {
    return undefined;
  }
}

function addChat({ from, mid, text }) {
  const li = document.createElement('li');
  if (mid === me.mid) li.className = 'mine';
  const who = document.createElement('span');
  who.className = 'from';
  who.textContent = from;
  li.append(who, document.createTextNode(text));
  append('messages', li);
}

function addPush(m) {
  const li = document.createElement('li');
  li.textContent = `op ${m.op}: ${m.text()}`;
  append('pushes', li);
}

function system(text) {
  const li = document.createElement('li');
  li.className = 'system';
  li.textContent = text;
  append('messages', li);
}

function append(listId, li) {
  const list = $(listId);
  list.append(li);
  list.scrollTop = list.scrollHeight;
}

function status(kind, text) {
  const el = $('status');
  el.className = `status ${kind}`;
  el.textContent = text;
}
