// engine.js runs the side-by-side workload on one sync engine:
//
//   node js/engine.js automerge|yjs|pouchdb N
//
// It creates N demand records on peer A (not timed), prints {"phase":"sync-start"},
// syncs A to an empty peer B with the engine's own protocol, checks that B holds
// all N records, and prints one JSON result line:
//   {"phase":"result","engine","n","create_ms","sync_ms","bytes","record_bytes","converged","peak_rss"}
// bytes are what the protocol would carry between the two peers (both ways);
// peak_rss is the process's peak RSS in bytes, VmHWM (both peers live in it).
// The caller (cmd/rmbench) enforces the time limit by killing the process.

import { readFileSync } from 'node:fs';
import { demand } from './workload.js';

const [engine, nArg] = process.argv.slice(2);
const n = Number(nArg);
if (!engine || !(n > 0)) {
  console.error('usage: node js/engine.js automerge|yjs|pouchdb N');
  process.exit(2);
}
const AUTHOR = 'a'.repeat(64); // a device id, as ours carry
const BATCH = 1000; // records per local transaction on A

// peakRSS is this process's peak RSS in bytes: VmHWM, which exec resets
// (resourceUsage().maxRSS keeps the peak of the Go process that forked us).
function peakRSS() {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m) return Number(m[1]) * 1024;
  } catch {}
  return process.resourceUsage().maxRSS * 1024;
}

const emit = (o) => process.stdout.write(JSON.stringify(o) + '\n');
const now = () => performance.now();

async function automerge() {
  const A = await import('@automerge/automerge');
  // Fields are last-writer-wins registers, as ours are: ImmutableString rather
  // than Automerge 3's default collaborative text (which is far slower).
  const rec = (i) => {
    const d = demand(i, AUTHOR);
    for (const k of Object.keys(d)) if (typeof d[k] === 'string') d[k] = new A.ImmutableString(d[k]);
    return d;
  };
  let a = A.change(A.init(), (d) => { d.demands = {}; });
  for (let i = 0; i < n; i += BATCH) {
    a = A.change(a, (d) => {
      for (let j = i; j < Math.min(i + BATCH, n); j++) { const r = rec(j); d.demands[r.id.toString()] = r; }
    });
  }
  return {
    a,
    sync() {
      let b = A.init();
      let sa = A.initSyncState(), sb = A.initSyncState();
      let bytes = 0, rounds = 0;
      for (;;) {
        let m1, m2;
        [sa, m1] = A.generateSyncMessage(a, sa);
        if (m1) { bytes += m1.length; [b, sb] = A.receiveSyncMessage(b, sb, m1); }
        [sb, m2] = A.generateSyncMessage(b, sb);
        if (m2) { bytes += m2.length; [a, sa] = A.receiveSyncMessage(a, sa, m2); }
        rounds++;
        if (!m1 && !m2) break;
      }
      const have = Object.keys(b.demands || {}).length;
      return { bytes, rounds, have, converged: have === n && A.equals(a, b) };
    },
  };
}

async function yjs() {
  const Y = await import('yjs');
  const a = new Y.Doc();
  const map = a.getMap('demands');
  for (let i = 0; i < n; i += BATCH) {
    a.transact(() => {
      for (let j = i; j < Math.min(i + BATCH, n); j++) {
        // One Y.Map per demand: fields merge one by one, as ours do.
        const d = demand(j, AUTHOR), m = new Y.Map();
        for (const [k, v] of Object.entries(d)) m.set(k, v);
        map.set(d.id, m);
      }
    });
  }
  return {
    sync() {
      const b = new Y.Doc();
      let bytes = 0;
      // The state-vector exchange both ways, as y-protocols' sync step 1/2 does.
      const svB = Y.encodeStateVector(b);
      const toB = Y.encodeStateAsUpdate(a, svB);
      const svA = Y.encodeStateVector(a);
      const toA = Y.encodeStateAsUpdate(b, svA);
      bytes += svB.length + toB.length + svA.length + toA.length;
      Y.applyUpdate(b, toB);
      Y.applyUpdate(a, toA);
      const have = b.getMap('demands').size;
      const same = Buffer.compare(Buffer.from(Y.encodeStateVector(a)), Buffer.from(Y.encodeStateVector(b))) === 0;
      return { bytes, rounds: 1, have, converged: have === n && same };
    },
  };
}

async function pouchdb() {
  const PouchDB = (await import('pouchdb-core')).default;
  PouchDB.plugin((await import('pouchdb-adapter-memory')).default);
  PouchDB.plugin((await import('pouchdb-replication')).default);
  const a = new PouchDB('a', { adapter: 'memory' });
  const b = new PouchDB('b', { adapter: 'memory' });
  for (let i = 0; i < n; i += BATCH) {
    const docs = [];
    for (let j = i; j < Math.min(i + BATCH, n); j++) { const d = demand(j, AUTHOR); d._id = d.id; docs.push(d); }
    await a.bulkDocs(docs);
  }
  // In-process replication has no wire; count the JSON the CouchDB replication
  // protocol would carry over HTTP: revs_diff, bulk_get and bulk_docs bodies
  // (requests and responses) and the _changes feed.
  let bytes = 0;
  const size = (x) => Buffer.byteLength(JSON.stringify(x ?? null));
  const wrap = (db, name) => {
    const f = db[name].bind(db);
    db[name] = async (...args) => {
      const req = args.find((x) => typeof x !== 'function');
      bytes += size(req);
      const res = await f(req);
      bytes += size(res);
      return res;
    };
  };
  wrap(a, 'bulkGet');
  wrap(b, 'revsDiff');
  wrap(b, 'bulkDocs');
  return {
    async sync() {
      // batch_size 1000 rather than the default 100: the faster setting.
      const info = await PouchDB.replicate(a, b, { batch_size: 1000, batches_limit: 4 });
      const feed = await a.changes({ since: 0, style: 'all_docs' });
      bytes += size(feed);
      const have = (await b.info()).doc_count;
      return { bytes, rounds: 1, have, converged: have === n && info.ok };
    },
  };
}

const engines = { automerge, yjs, pouchdb };
if (!engines[engine]) { console.error(`unknown engine ${engine}`); process.exit(2); }

const t0 = now();
const e = await engines[engine]();
const createMs = now() - t0;
emit({ phase: 'sync-start', engine, n, create_ms: createMs });
const t1 = now();
const r = await e.sync();
const syncMs = now() - t1;
const recordBytes = Buffer.byteLength(JSON.stringify(demand(n >> 1, AUTHOR)));
emit({
  phase: 'result', engine, n, create_ms: createMs, sync_ms: syncMs, bytes: r.bytes, rounds: r.rounds,
  have: r.have, converged: r.converged, record_bytes: recordBytes,
  peak_rss: peakRSS(),
});
