"""Sum a Go CPU profile by the goroutine each sample ran on, for BENCHMARKS.md
("Ingest in a commit pipeline"): which goroutines' work must follow one another
and which runs beside them.

    python3 bench/pprof_goroutines.py BINARY PROFILE CHANGES

A goroutine is named by the function it was started with (the outermost frame
of the sample's stack). Prints, per kind, CPU seconds and µs per change. On
two free cores a run cannot go faster than its longest serial goroutine (the
applier, Badger's writer) allows, nor than half its total CPU; the last line
gives both bounds in changes/s. GC and other unlabelled samples are counted.
"""
import re, sys, collections
from pprof_raw import read_raw
binf, prof, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
samples, locs = read_raw(binf, prof)
# Walking the stack from its outermost frame inward, the first frame that
# matches a pattern names the goroutine (a goroutine's start function, or the
# applier's changestream.Apply; GC assists count for the goroutine that made them).
kinds=[
 ("Badger writer (doWrites: value log, memtable)", r'badger.*doWrites'),
 ("Badger flush and compaction", r'badger.*(flushMemtable|runCompactor|handleMemTableFlush|levelsController|table\.\(\*Builder\))'),
 ("Badger other (watermarks, commit callbacks)", r'badger.*(WaterMark|runTxnCallback|updateSize|monitorCache|Ristretto|ristretto)'),
 ("stream reader (decode the next batch)", r'changestream\.Apply\.func'),
 ("records applied on both cores (eachParallel)", r'store\.eachParallel\.func'),
 ("lean counts folded beside the commit (leanFold)", r'store\.\(\*Store\)\.leanFold\.func'),
 ("demand folds beside the commit (startFold)", r'store\.startFold\.func'),
 ("applier (ApplyRemote: classify, hash, write the txn, land)", r'changestream\.Apply$'),
 ("GC", r'runtime\.gcBgMarkWorker|runtime\.bgsweep|runtime\.bgscavenge'),
]
tot=collections.Counter(); all_=0
for v,stack,_ in samples:
    funcs=[f for l in stack for f in locs.get(l,[])]
    name="other: "+(funcs[-2] if len(funcs)>1 else "?")
    for f in reversed(funcs):
        k=next((k for k,rx in kinds if re.search(rx,f)), None)
        if k:
            name=k; break
    all_+=v; tot[name]+=v
us=lambda v: v/1e3/n
print(f"| goroutine | CPU s | µs/change |\n|---|---|---|")
for k,v in tot.most_common():
    print(f"| {k} | {v/1e9:.2f} | {us(v):.1f} |")
print(f"| **all** | {all_/1e9:.2f} | {us(all_):.1f} |")
