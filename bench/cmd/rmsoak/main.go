// Command rmsoak is the soak run of issue 14: three serving nodes, each a
// process of its own (this program run as "rmsoak worker") with its own store
// and a real libp2p node on loopback, record demands, edit demands (their own
// and the others') and import batches, all the time, while the parent
// SIGKILLs one of them at random and restarts it, and cuts and restores the
// links between them at random. Every link goes through a proxy of the parent
// (node.Config.NoAnnounce: the nodes know each other by the proxies' addresses
// only), so a cut link is a real partition. A worker notes the head of its
// own feed after each write returned (the change is on its disk by then).
//
// At the end the parent stops the kills and the cuts, lets the workers stop
// writing and catch up, stops them cleanly, opens the three stores and checks
// that they are identical (version vectors, every change id, every demand's
// fold) and that every change a worker noted is in all three: lost must be 0.
//
//	go build -o /tmp/rmsoak ./cmd/rmsoak && nice -n 10 /tmp/rmsoak -dur 15m -dir /tmp/soak
//
// It prints the counts as a Markdown table row and exits 1 when a check fails.
package main

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/reliefmesh/reliefmesh/desk"
	"github.com/reliefmesh/reliefmesh/importer"
	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/node"
	"github.com/reliefmesh/reliefmesh/relief"
	"github.com/reliefmesh/reliefmesh/store"
	"github.com/reliefmesh/reliefmesh/sync/p2p"
)

func main() {
	if len(os.Args) > 2 && os.Args[1] == "compare" {
		if err := compare(os.Args[2]); err != nil {
			log.Fatalf("rmsoak compare: %v", err)
		}
		return
	}
	if len(os.Args) > 1 && os.Args[1] == "worker" {
		if err := worker(os.Args[2:]); err != nil {
			log.Fatalf("rmsoak worker: %v", err)
		}
		return
	}
	if err := parent(); err != nil {
		log.Fatalf("rmsoak: %v", err)
	}
}

// nodes is the number of serving nodes.
const nodes = 3

// status is what a worker writes to its status file every 500 ms.
type status struct {
	VV         map[string]uint64 `json:"vv"`
	Forks      int               `json:"forks"`
	Recovering string            `json:"recovering"`
	Writes     int               `json:"writes"`
	Errors     int               `json:"errors"`
	Quiet      bool              `json:"quiet"` // stopped writing
	Peers      []string          `json:"peers"` // member ids connected
}

func parent() error {
	dur := flag.Duration("dur", 15*time.Minute, "how long kills, cuts and writes go on")
	dir := flag.String("dir", "", "work directory (created; must not hold a previous run)")
	seed := flag.Uint64("seed", uint64(time.Now().UnixNano()), "random seed")
	killEvery := flag.Duration("kill-every", 40*time.Second, "mean time between SIGKILLs")
	cutEvery := flag.Duration("cut-every", 30*time.Second, "mean time between link cuts")
	settle := flag.Duration("settle", 5*time.Minute, "longest wait for the three to agree at the end")
	flag.Parse()
	if *dir == "" {
		return errors.New("-dir is required")
	}
	if err := os.MkdirAll(*dir, 0o755); err != nil {
		return err
	}
	rng := rand.New(rand.NewPCG(*seed, 14))
	log.Printf("seed %d, %v, %d cores, load %s", *seed, *dur, runtime.NumCPU(), loadAvg())
	loadStart := loadAvg()

	devices, err := setup(*dir)
	if err != nil {
		return fmt.Errorf("set up the network: %w", err)
	}
	ports := make([]int, nodes)
	for i := range ports {
		if ports[i], err = freePort(); err != nil {
			return err
		}
	}
	// proxies[i][j] carries i's connections to j.
	var proxies [nodes][nodes]*proxy
	for i := range nodes {
		for j := range nodes {
			if i != j {
				if proxies[i][j], err = newProxy(fmt.Sprintf("127.0.0.1:%d", ports[j])); err != nil {
					return err
				}
				defer proxies[i][j].Close()
			}
		}
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}
	workers := make([]*workerProc, nodes)
	for i := range nodes {
		var peers []string
		for j := range nodes {
			if i != j {
				pid, err := p2p.PeerIDOf(devices[j])
				if err != nil {
					return err
				}
				peers = append(peers, fmt.Sprintf("/ip4/127.0.0.1/tcp/%d/p2p/%s", proxies[i][j].Port(), pid))
			}
		}
		workers[i] = &workerProc{dir: filepath.Join(*dir, fmt.Sprintf("w%d", i)), args: []string{"worker",
			"-dir", filepath.Join(*dir, fmt.Sprintf("w%d", i)), "-port", strconv.Itoa(ports[i]),
			"-peers", strings.Join(peers, ","), "-seed", strconv.FormatUint(*seed+uint64(i), 10)}, bin: self}
		if err := workers[i].start(); err != nil {
			return err
		}
	}
	defer func() {
		for _, w := range workers {
			w.kill()
		}
	}()

	// Kills and cuts until the end.
	var kills, restarts, cuts, heals int
	end := time.Now().Add(*dur)
	nextKill := time.Now().Add(expo(rng, *killEvery))
	nextCut := time.Now().Add(expo(rng, *cutEvery))
	type cutLink struct {
		i, j    int
		until   time.Time
		check   time.Time // when to look that the two are no longer connected
		checked bool
	}
	var checked, bypassed int
	var cutNow []cutLink
	type down struct {
		w     int
		until time.Time
	}
	var downNow []down
	for time.Now().Before(end) {
		time.Sleep(100 * time.Millisecond)
		now := time.Now()
		for k := 0; k < len(downNow); k++ {
			if now.After(downNow[k].until) {
				if err := workers[downNow[k].w].start(); err != nil {
					return err
				}
				restarts++
				downNow = slices.Delete(downNow, k, k+1)
				k--
			}
		}
		for k := range cutNow {
			c := &cutNow[k]
			if !c.checked && now.After(c.check) && now.Before(c.until) {
				c.checked = true
				si, err1 := workers[c.i].status()
				sj, err2 := workers[c.j].status()
				// only statuses written well after the cut say anything
				fresh := workers[c.i].statusAfter(c.check.Add(-time.Second)) && workers[c.j].statusAfter(c.check.Add(-time.Second))
				if err1 == nil && err2 == nil && fresh && !workers[c.i].exited() && !workers[c.j].exited() {
					checked++
					if slices.Contains(si.Peers, devices[c.j].String()) || slices.Contains(sj.Peers, devices[c.i].String()) {
						bypassed++
						log.Printf("link w%d–w%d cut but still connected (bypassing the proxy?)", c.i, c.j)
					}
				}
			}
		}
		for k := 0; k < len(cutNow); k++ {
			if now.After(cutNow[k].until) {
				c := cutNow[k]
				proxies[c.i][c.j].Heal()
				proxies[c.j][c.i].Heal()
				heals++
				log.Printf("link w%d–w%d restored", c.i, c.j)
				cutNow = slices.Delete(cutNow, k, k+1)
				k--
			}
		}
		if now.After(nextKill) && len(downNow) == 0 {
			w := rng.IntN(nodes)
			workers[w].kill()
			kills++
			downFor := time.Duration(500+rng.IntN(4500)) * time.Millisecond
			log.Printf("SIGKILL w%d (kill %d), restart in %v", w, kills, downFor.Round(time.Millisecond))
			downNow = append(downNow, down{w: w, until: now.Add(downFor)})
			nextKill = now.Add(expo(rng, *killEvery))
		}
		if now.After(nextCut) {
			i := rng.IntN(nodes)
			j := (i + 1 + rng.IntN(nodes-1)) % nodes
			if !slices.ContainsFunc(cutNow, func(c cutLink) bool { return c.i == i && c.j == j || c.i == j && c.j == i }) {
				proxies[i][j].Cut()
				proxies[j][i].Cut()
				cuts++
				cutFor := time.Duration(5+rng.IntN(40)) * time.Second
				log.Printf("link w%d–w%d cut for %v (cut %d)", i, j, cutFor, cuts)
				cutNow = append(cutNow, cutLink{i: i, j: j, until: now.Add(cutFor), check: now.Add(3 * time.Second)})
			}
			nextCut = now.Add(expo(rng, *cutEvery))
		}
	}
	// The end: every node up, every link restored, writes stop.
	for _, d := range downNow {
		if err := workers[d.w].start(); err != nil {
			return err
		}
		restarts++
	}
	for _, c := range cutNow {
		proxies[c.i][c.j].Heal()
		proxies[c.j][c.i].Heal()
		heals++
	}
	log.Printf("kills and cuts over (%d kills, %d cuts); stopping writes and waiting for the three to agree", kills, cuts)
	for _, w := range workers {
		if err := os.WriteFile(filepath.Join(w.dir, "quiet"), nil, 0o644); err != nil {
			return err
		}
	}
	agreeBy := time.Now().Add(*settle)
	var last []status
	settled := time.Now()
	// Writes stop, but each worker still grants sealed values to the others
	// (Desk.KeepGranting, GrantDelay after a change): the three agree once
	// their vectors are equal and unchanged for stableFor.
	const stableFor = 10 * time.Second
	var agreedVV string
	var agreedAt time.Time
	for {
		time.Sleep(500 * time.Millisecond)
		sts := make([]status, nodes)
		ok := true
		for i, w := range workers {
			st, err := w.status()
			if err != nil || !st.Quiet {
				ok = false
				if w.exited() { // a worker that died on its own is a finding
					return fmt.Errorf("w%d exited during the settle: see %s", i, w.logPath())
				}
				continue
			}
			sts[i] = st
		}
		if ok && equalVV(sts) {
			vv, _ := json.Marshal(sts[0].VV)
			if string(vv) != agreedVV {
				agreedVV, agreedAt = string(vv), time.Now()
			} else if time.Since(agreedAt) >= stableFor {
				log.Printf("the three agree after %v (unchanged for %v)", time.Since(settled).Round(time.Millisecond), stableFor)
				last = sts
				break
			}
		} else {
			agreedVV = ""
		}
		if time.Now().After(agreeBy) {
			return fmt.Errorf("the three did not agree within %v: %+v", *settle, sts)
		}
	}
	_ = last
	for i, w := range workers {
		if err := w.stop(); err != nil {
			return fmt.Errorf("stop w%d: %w", i, err)
		}
	}

	// The checks.
	made := map[ledger.DeviceID]uint64{}
	var madeTotal uint64
	var writes, werrs int
	for i, w := range workers {
		m, err := readMade(filepath.Join(w.dir, "made"))
		if err != nil {
			return err
		}
		made[devices[i]] = m
		madeTotal += m
		st, _ := w.status()
		writes += st.Writes
		werrs += st.Errors
	}
	var digests []string
	var lost uint64
	var total, demands int
	var forks int
	var rejected []string
	for i, w := range workers {
		st, err := store.Open(w.dir, store.Options{})
		if err != nil {
			return fmt.Errorf("open w%d after the run: %w", i, err)
		}
		dg, n, nd, err := digest(st)
		vv := st.VersionVector()
		for d, m := range made {
			if vv[d] < m {
				lost += m - vv[d]
				log.Printf("w%d holds %s up to %d; %d were made", i, d.Short(), vv[d], m)
			}
		}
		forks += len(st.Forks())
		rejected = append(rejected, fmt.Sprintf("w%d %v", i, st.Rejected()))
		st.Close()
		if err != nil {
			return fmt.Errorf("read w%d: %w", i, err)
		}
		digests = append(digests, dg)
		total, demands = n, nd
	}
	identical := digests[0] == digests[1] && digests[1] == digests[2]
	log.Printf("refusals: %s", strings.Join(rejected, "; "))
	log.Printf("cuts checked 3 s in: %d, still connected: %d", checked, bypassed)
	fmt.Printf("| %v | %d (%d restarts) | %d cut, %d healed | %d own changes noted (%d writes, %d refused or failed writes) | %d changes, %d demands | %d | %v | %d | %s → %s |\n",
		*dur, kills, restarts, cuts, heals, madeTotal, writes, werrs, total, demands, lost, identical, forks, loadStart, loadAvg())
	if !identical || lost > 0 || forks > 0 {
		return fmt.Errorf("FAILED: identical %v, lost %d, forks %d (digests %v)", identical, lost, forks, digests)
	}
	return nil
}

// setup makes the network: w0 founds it and endorses w1 and w2 as
// coordinators, who receive the roster. It returns the three device ids.
func setup(dir string) ([]ledger.DeviceID, error) {
	sts := make([]*store.Store, nodes)
	for i := range nodes {
		st, err := store.Open(filepath.Join(dir, fmt.Sprintf("w%d", i)), store.Options{})
		if err != nil {
			return nil, err
		}
		defer st.Close()
		sts[i] = st
	}
	dk := desk.New(sts[0])
	n, err := dk.CreateNetwork("浸泡测试", "w0")
	if err != nil {
		return nil, err
	}
	ids := []ledger.DeviceID{sts[0].Device()}
	for i := 1; i < nodes; i++ {
		if err := sts[i].JoinNetwork(n.ID); err != nil {
			return nil, err
		}
		if err := dk.Endorse(sts[i].Device().String(), "coordinator", fmt.Sprintf("w%d", i)); err != nil {
			return nil, err
		}
		ids = append(ids, sts[i].Device())
	}
	for i := 1; i < nodes; i++ {
		var cs []*ledger.Change
		if err := sts[0].ChangesSince(sts[i].VersionVector(), func(c *ledger.Change) error { cs = append(cs, c); return nil }); err != nil {
			return nil, err
		}
		if _, err := sts[i].ApplyRemote(cs); err != nil {
			return nil, err
		}
	}
	return ids, nil
}

// digest returns a SHA-256 over every change id by feed and seq and every
// demand's fold (as JSON), with the number of changes and demands.
func digest(st *store.Store) (string, int, int, error) {
	h := sha256.New()
	n := 0
	err := st.ChangesSince(ledger.VersionVector{}, func(c *ledger.Change) error {
		id := c.ID()
		fmt.Fprintf(h, "%s/%d/%x\n", c.Device, c.Seq, id[:])
		n++
		return nil
	})
	if err != nil {
		return "", 0, 0, err
	}
	var ids []string
	st.EachDemand(store.DemandQuery{}, func(d *relief.Demand) { ids = append(ids, d.ID) })
	slices.Sort(ids)
	for _, id := range ids {
		d, err := st.Demand(id)
		if err != nil {
			return "", 0, 0, fmt.Errorf("demand %s: %w", id, err)
		}
		b, _ := json.Marshal(d)
		h.Write(b)
	}
	return hex.EncodeToString(h.Sum(nil)), n, len(ids), nil
}

func equalVV(sts []status) bool {
	for _, s := range sts[1:] {
		if len(s.VV) != len(sts[0].VV) {
			return false
		}
		for d, q := range sts[0].VV {
			if s.VV[d] != q {
				return false
			}
		}
	}
	return true
}

func readMade(path string) (uint64, error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	defer f.Close()
	var m uint64
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if q, err := strconv.ParseUint(strings.TrimSpace(sc.Text()), 10, 64); err == nil && q > m {
			m = q // a line cut short by a kill parses as a smaller number or not at all
		}
	}
	return m, sc.Err()
}

func expo(rng *rand.Rand, mean time.Duration) time.Duration {
	return time.Duration(rng.ExpFloat64() * float64(mean))
}

func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// workerProc is one worker process, started again after each kill.
type workerProc struct {
	dir, bin string
	args     []string
	mu       sync.Mutex
	cmd      *exec.Cmd
	done     chan struct{}
}

func (w *workerProc) logPath() string { return filepath.Join(w.dir, "worker.log") }

func (w *workerProc) start() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	lf, err := os.OpenFile(w.logPath(), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	cmd := exec.Command(w.bin, w.args...)
	cmd.Stdout, cmd.Stderr = lf, lf
	if err := cmd.Start(); err != nil {
		lf.Close()
		return fmt.Errorf("start worker %s: %w", w.dir, err)
	}
	done := make(chan struct{})
	go func() { cmd.Wait(); lf.Close(); close(done) }()
	w.cmd, w.done = cmd, done
	return nil
}

func (w *workerProc) kill() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.cmd != nil && !w.exitedLocked() {
		w.cmd.Process.Signal(syscall.SIGKILL)
		<-w.done
	}
}

func (w *workerProc) signal(sig os.Signal) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.cmd != nil {
		w.cmd.Process.Signal(sig)
	}
}

func (w *workerProc) exited() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.exitedLocked()
}

func (w *workerProc) exitedLocked() bool {
	select {
	case <-w.done:
		return true
	default:
		return false
	}
}

// stop ends the worker with SIGTERM (a clean close) and waits up to a minute.
func (w *workerProc) stop() error {
	w.signal(syscall.SIGTERM)
	select {
	case <-w.done:
		if c := w.cmd.ProcessState.ExitCode(); c != 0 {
			return fmt.Errorf("exit code %d: see %s", c, w.logPath())
		}
		return nil
	case <-time.After(time.Minute):
		w.kill()
		return errors.New("no clean stop within a minute")
	}
}

// statusAfter reports whether the status file was written after t.
func (w *workerProc) statusAfter(t time.Time) bool {
	fi, err := os.Stat(filepath.Join(w.dir, "status.json"))
	return err == nil && fi.ModTime().After(t)
}

func (w *workerProc) status() (status, error) {
	var st status
	b, err := os.ReadFile(filepath.Join(w.dir, "status.json"))
	if err != nil {
		return st, err
	}
	return st, json.Unmarshal(b, &st)
}

// proxy forwards TCP connections on loopback to one target; Cut closes every
// connection it carries and refuses new ones until Heal.
type proxy struct {
	ln     net.Listener
	target string
	cut    atomic.Bool
	mu     sync.Mutex
	conns  map[net.Conn]bool
}

func newProxy(target string) (*proxy, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	p := &proxy{ln: ln, target: target, conns: map[net.Conn]bool{}}
	go p.serve()
	return p, nil
}

func (p *proxy) Port() int { return p.ln.Addr().(*net.TCPAddr).Port }

func (p *proxy) serve() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		if p.cut.Load() {
			c.Close()
			continue
		}
		go p.pipe(c)
	}
}

func (p *proxy) pipe(c net.Conn) {
	t, err := net.DialTimeout("tcp", p.target, 5*time.Second)
	if err != nil {
		c.Close()
		return
	}
	p.mu.Lock()
	if p.cut.Load() {
		p.mu.Unlock()
		c.Close()
		t.Close()
		return
	}
	p.conns[c], p.conns[t] = true, true
	p.mu.Unlock()
	done := make(chan struct{}, 2)
	go func() { io.Copy(t, c); done <- struct{}{} }()
	go func() { io.Copy(c, t); done <- struct{}{} }()
	<-done
	c.Close()
	t.Close()
	<-done
	p.mu.Lock()
	delete(p.conns, c)
	delete(p.conns, t)
	p.mu.Unlock()
}

// Cut closes every connection and refuses new ones.
func (p *proxy) Cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.cut.Store(true)
	for c := range p.conns {
		c.Close()
	}
}

// Heal accepts connections again.
func (p *proxy) Heal() { p.cut.Store(false) }

func (p *proxy) Close() { p.ln.Close(); p.Cut() }

// worker runs one serving node with a continuous workload; see the package
// documentation. A file "quiet" in its directory stops the writes; SIGTERM
// closes it cleanly.
func worker(args []string) error {
	fs := flag.NewFlagSet("worker", flag.ExitOnError)
	dir := fs.String("dir", "", "data directory")
	port := fs.Int("port", 0, "TCP port to listen on (127.0.0.1)")
	peersArg := fs.String("peers", "", "peers' multiaddrs, comma-separated")
	seed := fs.Uint64("seed", 1, "random seed")
	fs.Parse(args)
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, syscall.SIGTERM, syscall.SIGINT)
	rng := rand.New(rand.NewPCG(*seed, uint64(time.Now().UnixNano())))
	logger := log.New(os.Stderr, fmt.Sprintf("[%s %d] ", filepath.Base(*dir), os.Getpid()), log.Lmicroseconds)

	st, err := store.Open(*dir, store.Options{})
	if err != nil {
		return fmt.Errorf("open %s: %w", *dir, err)
	}
	dk := desk.New(st)
	cfg := node.LoopbackConfig()
	cfg.Listen = []string{fmt.Sprintf("/ip4/127.0.0.1/tcp/%d", *port)}
	cfg.Peers = strings.Split(*peersArg, ",")
	cfg.NoAnnounce = true
	cfg.Redial = 500 * time.Millisecond
	cfg.Interval = 2 * time.Second
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	n, err := node.Start(ctx, st, cfg)
	if err != nil {
		st.Close()
		return fmt.Errorf("start node: %w", err)
	}
	stopGranting := dk.KeepGranting(ctx, nil)
	logger.Printf("up: recovering %q, own head %d", st.Recovering(), st.VersionVector()[st.Device()])

	madeF, err := os.OpenFile(filepath.Join(*dir, "made"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	var quiet atomic.Bool
	var writes, errs atomic.Int64
	prev, _ := readStatus(*dir)
	writes.Store(int64(prev.Writes))
	errs.Store(int64(prev.Errors))
	writeStatus := func() {
		s := status{VV: map[string]uint64{}, Forks: len(st.Forks()), Recovering: st.Recovering(),
			Writes: int(writes.Load()), Errors: int(errs.Load()), Quiet: quiet.Load()}
		for d, q := range st.VersionVector() {
			s.VV[d.String()] = q
		}
		for _, pid := range n.Host().Libp2p().Network().Peers() {
			if d, err := p2p.DeviceOf(pid); err == nil {
				s.Peers = append(s.Peers, d.String())
			}
		}
		b, _ := json.Marshal(s)
		tmp := filepath.Join(*dir, "status.json.tmp")
		if os.WriteFile(tmp, b, 0o644) == nil {
			os.Rename(tmp, filepath.Join(*dir, "status.json"))
		}
	}
	noteOwn := func() {
		fmt.Fprintf(madeF, "%d\n", st.VersionVector()[st.Device()])
		madeF.Sync()
	}
	var mine []string // demands recorded by this worker (this run)
	// The status is written on its own goroutine, so that a long write
	// (an import on a loaded machine) does not leave it stale.
	statusDone := make(chan struct{})
	go func() {
		tick := time.NewTicker(500 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				close(statusDone)
				return
			case <-tick.C:
				if _, err := os.Stat(filepath.Join(*dir, "quiet")); err == nil {
					quiet.Store(true) // the parent stopped the writes
				}
				writeStatus()
			}
		}
	}()
	batch := 0
	for {
		select {
		case sig := <-sigs:
			logger.Printf("stopping (%v)", sig)
			quiet.Store(true)
			stopGranting()
			cancel()
			<-statusDone
			n.Close()
			writeStatus()
			madeF.Close()
			if err := st.Close(); err != nil {
				return fmt.Errorf("close store: %w", err)
			}
			return nil
		default:
		}
		if quiet.Load() {
			time.Sleep(50 * time.Millisecond)
			continue
		}
		time.Sleep(time.Duration(50+rng.IntN(350)) * time.Millisecond)
		var err error
		switch r := rng.IntN(100); {
		case r < 45:
			var d relief.Demand
			d, err = dk.RecordDemand(desk.DemandInput{Title: fmt.Sprintf("soak %s #%d", filepath.Base(*dir), rng.IntN(1_000_000)),
				Category: "medical_supplies", District: "江汉区", Urgency: "high",
				Items:       []desk.ItemInput{{Name: "N95口罩", Quantity: strconv.Itoa(100 + rng.IntN(900)), Unit: "只"}},
				ContactName: "联系人", ContactPhone: fmt.Sprintf("1390000%04d", rng.IntN(10000))})
			if err == nil {
				mine = append(mine, d.ID)
			}
		case r < 90:
			// edit a demand: one of this worker's, or any (concurrent edits
			// of one demand on two nodes merge)
			id := ""
			if len(mine) > 0 && rng.IntN(2) == 0 {
				id = mine[rng.IntN(len(mine))]
			} else {
				var ids []string
				st.EachDemand(store.DemandQuery{}, func(d *relief.Demand) {
					if len(ids) < 200 {
						ids = append(ids, d.ID)
					}
				})
				if len(ids) > 0 {
					id = ids[rng.IntN(len(ids))]
				}
			}
			if id == "" {
				continue
			}
			var d relief.Demand
			if d, err = st.Demand(id); err == nil {
				in := desk.DemandInput{Title: fmt.Sprintf("%s·改%d", strings.Split(d.Title, "·")[0], rng.IntN(100)), Category: d.Category,
					District: d.District, Urgency: string(d.Urgency), RequesterOrg: d.RequesterOrg, Address: d.Address,
					Description: fmt.Sprintf("edited by %s", filepath.Base(*dir))}
				for _, it := range d.Items {
					in.Items = append(in.Items, desk.ItemInput{Name: it.Name, Quantity: strconv.Itoa(1 + rng.IntN(999)), Unit: it.Unit})
				}
				_, err = dk.EditDemand(id, in)
			}
		default:
			batch++
			recs := make([]importer.Record, 5+rng.IntN(25))
			for k := range recs {
				org := fmt.Sprintf("浸泡医院%s-%d-%d-%d", filepath.Base(*dir), os.Getpid(), batch, k)
				recs[k] = importer.Record{Kind: relief.KindDemand, File: "soak.csv", Row: k + 2, Key: org,
					Source: "import:soak:" + org, Org: org, Category: "medical_supplies", District: "武昌区",
					Items: []relief.Item{{Name: "防护服"}}}
			}
			_, err = dk.Import(ctx, recs, nil)
		}
		if err != nil {
			errs.Add(1)
			var de *desk.Error
			if errors.As(desk.AsError(err), &de) && (de.Code == desk.CodeRecovering || de.Code == desk.CodeDiskFull) {
				time.Sleep(200 * time.Millisecond) // waits for a peer; said in status
				continue
			}
			logger.Printf("write: %v", err)
			continue
		}
		writes.Add(1)
		noteOwn()
	}
}

func readStatus(dir string) (status, error) {
	var st status
	b, err := os.ReadFile(filepath.Join(dir, "status.json"))
	if err != nil {
		return st, err
	}
	return st, json.Unmarshal(b, &st)
}

// compare opens the three stores of a finished run in dir and prints where
// they differ: version vectors, then the first demands whose folds differ.
func compare(dir string) error {
	var sts []*store.Store
	for i := range nodes {
		st, err := store.Open(filepath.Join(dir, fmt.Sprintf("w%d", i)), store.Options{})
		if err != nil {
			return err
		}
		defer st.Close()
		sts = append(sts, st)
		fmt.Printf("w%d %s vv %v forks %v\n", i, st.Device().Short(), st.VersionVector(), st.Forks())
	}
	var ids []string
	sts[0].EachDemand(store.DemandQuery{}, func(d *relief.Demand) { ids = append(ids, d.ID) })
	shown := 0
	for _, id := range ids {
		var js []string
		for _, st := range sts {
			d, err := st.Demand(id)
			b, _ := json.Marshal(d)
			js = append(js, fmt.Sprintf("%s %v", b, err))
		}
		if js[0] != js[1] || js[1] != js[2] {
			fmt.Printf("demand %s differs:\n  %s\n  %s\n  %s\n", id, js[0], js[1], js[2])
			if shown++; shown == 3 {
				break
			}
		}
	}
	return nil
}
