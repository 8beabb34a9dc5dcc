#!/usr/bin/env python3
"""Timeline of a Go execution trace (rmingest -trace FILE), for BENCHMARKS.md:
how many Ps were busy in each bucket of time and which goroutines ran, so that a
stage that waits on another shows (a CPU profile only says what ran, not what
sat idle). A goroutine is named by its start function < the function that
started it.

    go tool trace -d=parsed X.trace | python3 bench/trace_timeline.py [bucket_ms [from_ms to_ms]]

Prints one line per bucket (busy Ps, the three goroutines that ran most, ms
each), then running ms by goroutine between from_ms and to_ms (all by default).
"""
import sys, re, collections
bucket = float(sys.argv[1]) if len(sys.argv) > 1 else 100.0
lo = float(sys.argv[2]) if len(sys.argv) > 3 else 0
hi = float(sys.argv[3]) if len(sys.argv) > 3 else 1e18
ev = re.compile(r'^M=\S+ P=\S+ G=(\S+) StateTransition Time=(\d+) GoID=(\d+) (\w+)->(\w+)')
running, label = {}, {}
t0 = None
busy = collections.defaultdict(float)
bylab = collections.defaultdict(lambda: collections.defaultdict(float))
tot = collections.defaultdict(float)
cur = None   # (goid, kind) whose stacks follow
sect = None; tstack = []; stack = []
def short(l):
    return l.replace('github.com/reliefmesh/reliefmesh/', '').replace('github.com/dgraph-io/', '')
def flush():
    global cur, tstack, stack
    if cur is not None:
        g, kind = cur
        if kind == 'create' and tstack:
            creator = next((f for f in stack if not f.startswith(('runtime.', 'sync.', 'golang.org/x/sync'))), stack[0] if stack else '?')
            label[g] = short(tstack[0]) + ' < ' + short(creator)
        elif kind == 'own' and g not in label and stack:
            label[g] = short(stack[-1])
    cur = None; tstack = []; stack = []
def add(g, a, b):
    lab = label.get(g, 'g%d' % g)
    while a < b:
        k = int((a - t0) / (bucket * 1e6))
        end = min(b, t0 + (k + 1) * bucket * 1e6)
        busy[k] += end - a; bylab[k][lab] += end - a
        ms = (a - t0) / 1e6
        if lo <= ms < hi: tot[lab] += end - a
        a = end
last = 0
for line in sys.stdin:
    if line.startswith('M='):
        flush()
        m = ev.match(line)
        if not m: continue
        gcur, t, g, fr, to = m.group(1), int(m.group(2)), int(m.group(3)), m.group(4), m.group(5)
        if t0 is None: t0 = t
        last = t
        if to == 'Running': running[g] = t
        elif fr == 'Running' and g in running: add(g, running.pop(g), t)
        if fr == 'NotExist': cur = (g, 'create')
        elif fr == 'Running' and gcur == str(g): cur = (g, 'own')
    elif line.startswith('TransitionStack='): sect = 't'
    elif line.startswith('Stack='): sect = 's'
    elif line.startswith('\t') and not line.startswith('\t\t'):
        (tstack if sect == 't' else stack).append(line.strip().split(' @ ')[0])
flush()
for g, a in running.items(): add(g, a, last)
for k in sorted(busy):
    top = sorted(bylab[k].items(), key=lambda x: -x[1])[:3]
    print('%6.0f ms  busy %.2f  %s' % (k * bucket, busy[k] / (bucket * 1e6),
          ' | '.join('%s %.0f' % (l[:70], v / 1e6) for l, v in top)))
print('--- running ms by goroutine label, %g..%g ms' % (lo, min(hi, (last - t0) / 1e6)))
for l, v in sorted(tot.items(), key=lambda x: -x[1])[:30]:
    print('%8.1f  %s' % (v / 1e6, l))
