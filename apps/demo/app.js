// The demo chat: the SDK's browser build over WebSocket. Chat lines go to the room through logic's
// room push API (in the embedded default nothing consumes upstream op-4 messages), and arrive
// back through the comet like any push; pushes that are not chat lines are shown as direct.
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
  const url = `/goim/push/room?operation=${CHAT_OP}&type=live&room=${encodeURIComponent(me.room)}`;
  try {
    const res = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: JSON.stringify({ from: me.name, mid: me.mid, text }) });
    if (!res.ok) system(`not sent: HTTP ${res.status} ${await res.text()}`);
  } catch (err) {
    system(`not sent: ${err.message}`);
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

/** A chat line is the JSON this page posts; anything else on op 1000 is a plain push. */
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
