"""Sum a Go CPU profile by cause, for BENCHMARKS.md ("Ingest at a million changes").

    python3 bench/pprof_causes.py BINARY PROFILE all|ingest|ingest-only|open

Each sample is counted under the first cause (the list below, in order) that a
function on its stack matches. "ingest" leaves out samples labelled phase=open,
"ingest-only" keeps only those labelled phase=ingest (bench labels both phases;
GC workers carry no label). Prints a Markdown table: seconds and share.
"""
import re, sys, collections
from pprof_raw import read_raw
binf, prof, phase = sys.argv[1], sys.argv[2], sys.argv[3]  # phase: ingest|open|unlabelled-too
samples, locs = read_raw(binf, prof)
cats=[
 ("ed25519 verify", r'ed25519'),
 ("SHA-256", r'sha256'),
 ("ledger: decode, canonical check, encode", r'reliefmesh/ledger\.'),
 ("feed file read / framing", r'changestream\.\(\*Reader\)'),
 ("relief: apply ops (decode op bodies)", r'relief\.ApplyOp|relief\.decodeOp'),
 ("relief: encode records", r'relief\.EncodeRecord'),
 ("relief: decode records (read before write)", r'relief\.DecodeRecord'),
 ("Badger: read record before write", r'store\.\(\*Store\)\.loadRecord'),
 ("fold demands (relief.FoldDemand)", r'relief\.FoldDemand'),
 ("demand list rows, text, bigrams", r'store\.newDemandRow|store\.newRecordRow|demandTable|demandIndex|store\.similarOf'),
 ("views (go-memdb: inbox, duplicates)", r'store\.\(\*views\)|go-memdb|immutable-radix|flushDuplicates|similarView'),
 ("Badger: commit, memtable, value log, compaction", r'badger|ristretto|klauspost|skl\.'),
 ("GC", r'runtime\.gcBgMarkWorker|runtime\.gcAssistAlloc|runtime\.bgsweep|runtime\.bgscavenge|runtime\.gcDrain|runtime\.markroot|runtime\.sweepone|runtime\.scanobject|runtime\.scanSpan|runtime\.tryDeferToSpanScan'),
 ("allocation (mallocgc)", r'runtime\.mallocgc|runtime\.newobject|runtime\.makeslice|runtime\.growslice'),
 ("CBOR by reflection (other)", r'fxamacker'),
 ("store apply path (other)", r'reliefmesh/store\.'),
]
tot=collections.Counter(); all_=0
for v,stack,labels in samples:
    ph=labels.get("phase","")
    if phase=="ingest" and ph=="open": continue
    if phase=="ingest-only" and ph!="ingest": continue
    if phase=="open" and ph!="open": continue
    funcs=[f for l in stack for f in locs.get(l,[])]
    all_+=v
    name="other"
    for cname,rx in cats:
        if any(re.search(rx,f) for f in funcs):
            name=cname;break
    tot[name]+=v
print(f"total {all_/1e9:.2f} s")
for k,v in tot.most_common():
    print(f"| {k} | {v/1e9:.2f} s | {100*v/all_:.1f} % |")
