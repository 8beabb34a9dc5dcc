"""Read a Go CPU profile through `go tool pprof -raw`, for pprof_causes.py and
pprof_goroutines.py.

    samples, locs = read_raw(BINARY, PROFILE)

samples is a list of (value in ns, [location ids], {label: value}); locs maps a
location id to its functions, outermost inlined frame first.
"""
import re, subprocess


def read_raw(binf, prof):
    out = subprocess.run(["go", "tool", "pprof", "-raw", binf, prof], capture_output=True, text=True).stdout
    lines = out.splitlines()
    i = lines.index("Samples:") + 2
    samples, cur = [], None
    while i < len(lines) and not lines[i].startswith("Locations"):
        l = lines[i]
        m = re.match(r'\s+(\d+)\s+(\d+): ([\d ]+)$', l)
        if m:
            cur = (int(m.group(2)), [int(x) for x in m.group(3).split()], {})
            samples.append(cur)
        else:
            m2 = re.match(r'\s+(\w+):\[(.*)\]', l)
            if m2 and cur:
                cur[2][m2.group(1)] = m2.group(2)
        i += 1
    locs, lid = {}, None
    for l in lines[i + 1:]:
        m = re.match(r'\s+(\d+): 0x[0-9a-f]+ M=\d+ (\S+)', l)
        if m:
            lid = int(m.group(1))
            locs[lid] = [m.group(2)]
        else:
            m = re.match(r'\s+(\S+) \S+:\d+ s=\d+', l)
            if m and lid is not None:
                locs[lid].append(m.group(1))
    return samples, locs
