package peersim

import (
	"fmt"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"time"

	ma "github.com/multiformats/go-multiaddr"
)

// proxy is one link of the simulation: a TCP relay on 127.0.0.1 through which
// one node dials another. It counts the bytes it forwards (the bytes on the
// wire: encrypted libp2p traffic with its muxer framing, catch-up, gossip and
// identify alike), and Cut closes its connections and refuses new ones until
// Heal: a real partition, which the nodes see as a dead link. The target
// address is looked up at each connection (target returns "" while the node
// is down), so that a node that restarts on another port stays reachable.
type proxy struct {
	ln     net.Listener
	target func() string
	bytes  atomic.Int64
	conns  atomic.Int64 // connections forwarded since the start
	cut    atomic.Bool
	wg     sync.WaitGroup

	mu   sync.Mutex
	open map[net.Conn]bool
}

// newProxy listens on 127.0.0.1 on a port the system picks. Close stops it
// and waits for its goroutines.
func newProxy(target func() string) (*proxy, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("link proxy: listen: %w", err)
	}
	p := &proxy{ln: ln, target: target, open: map[net.Conn]bool{}}
	p.wg.Go(p.serve)
	return p, nil
}

// Addr returns the proxy's address as a multiaddr string.
func (p *proxy) Addr() string {
	return fmt.Sprintf("/ip4/127.0.0.1/tcp/%d", p.ln.Addr().(*net.TCPAddr).Port)
}

func (p *proxy) serve() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.wg.Go(func() { p.pipe(c) })
	}
}

func (p *proxy) pipe(c net.Conn) {
	to := p.target()
	if to == "" || p.cut.Load() {
		c.Close()
		return
	}
	t, err := net.DialTimeout("tcp", to, 5*time.Second)
	if err != nil {
		c.Close()
		return
	}
	p.mu.Lock()
	if p.cut.Load() || p.open == nil {
		p.mu.Unlock()
		c.Close()
		t.Close()
		return
	}
	p.open[c], p.open[t] = true, true
	p.mu.Unlock()
	p.conns.Add(1)
	done := make(chan struct{}, 2)
	cp := func(dst, src net.Conn) {
		buf := make([]byte, 32<<10)
		for {
			k, err := src.Read(buf)
			if k > 0 {
				p.bytes.Add(int64(k))
				if _, werr := dst.Write(buf[:k]); werr != nil {
					break
				}
			}
			if err != nil {
				break
			}
		}
		done <- struct{}{}
	}
	go cp(t, c)
	go cp(c, t)
	<-done
	c.Close()
	t.Close()
	<-done
	p.mu.Lock()
	delete(p.open, c)
	delete(p.open, t)
	p.mu.Unlock()
}

// Bytes returns the bytes forwarded both ways since the start.
func (p *proxy) Bytes() int64 { return p.bytes.Load() }

// Cut closes every open connection and refuses new ones until Heal.
func (p *proxy) Cut() {
	p.cut.Store(true)
	p.closeOpen()
}

// Heal accepts connections again.
func (p *proxy) Heal() { p.cut.Store(false) }

func (p *proxy) closeOpen() {
	p.mu.Lock()
	for c := range p.open {
		c.Close()
	}
	p.mu.Unlock()
}

// Close stops listening, closes every forwarded connection and waits for
// the proxy's goroutines.
func (p *proxy) Close() error {
	err := p.ln.Close()
	p.mu.Lock()
	for c := range p.open {
		c.Close()
	}
	p.open = nil
	p.mu.Unlock()
	p.wg.Wait()
	return err
}

var _ io.Closer = (*proxy)(nil)

// dialAddr returns addr (a multiaddr) as host:port, or "" when it has no
// /ip4/…/tcp/… part.
func dialAddr(addr string) string {
	a, err := ma.NewMultiaddr(addr)
	if err != nil {
		return ""
	}
	ip, err1 := a.ValueForProtocol(ma.P_IP4)
	port, err2 := a.ValueForProtocol(ma.P_TCP)
	if err1 != nil || err2 != nil {
		return ""
	}
	return net.JoinHostPort(ip, port)
}
