package bench

import (
	"fmt"
	"io"
	"net"
	"sync"
	"sync/atomic"

	ma "github.com/multiformats/go-multiaddr"
)

// proxy is a TCP relay on loopback that counts the bytes it forwards: the
// laptop dials the hub through it, so its counters are the bytes on the wire
// (encrypted libp2p traffic: catch-up, gossip, identify, muxer framing).
type proxy struct {
	ln       net.Listener
	target   string
	up, down atomic.Int64 // dialer → target, target → dialer
	conns    atomic.Int64
	wg       sync.WaitGroup
	mu       sync.Mutex
	open     []net.Conn
}

// newProxy listens on 127.0.0.1 (a port the system picks) and forwards to the
// first /ip4/…/tcp/… address of addrs. Close it to stop; Close waits for its
// goroutines.
func newProxy(addrs []ma.Multiaddr) (*proxy, error) {
	var target string
	for _, a := range addrs {
		ip, err1 := a.ValueForProtocol(ma.P_IP4)
		port, err2 := a.ValueForProtocol(ma.P_TCP)
		if err1 == nil && err2 == nil {
			target = net.JoinHostPort(ip, port)
			break
		}
	}
	if target == "" {
		return nil, fmt.Errorf("proxy: no TCP address among %v", addrs)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	p := &proxy{ln: ln, target: target}
	p.wg.Go(p.serve)
	return p, nil
}

// Addr returns the proxy's address as a multiaddr.
func (p *proxy) Addr() ma.Multiaddr {
	a := p.ln.Addr().(*net.TCPAddr)
	return ma.StringCast(fmt.Sprintf("/ip4/127.0.0.1/tcp/%d", a.Port))
}

// Bytes returns the bytes forwarded both ways.
func (p *proxy) Bytes() int64 { return p.up.Load() + p.down.Load() }

func (p *proxy) serve() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		t, err := net.Dial("tcp", p.target)
		if err != nil {
			c.Close()
			continue
		}
		p.conns.Add(1)
		p.mu.Lock()
		p.open = append(p.open, c, t)
		p.mu.Unlock()
		pipe := func(dst, src net.Conn, n *atomic.Int64) {
			buf := make([]byte, 64<<10)
			for {
				k, err := src.Read(buf)
				if k > 0 {
					n.Add(int64(k))
					if _, werr := dst.Write(buf[:k]); werr != nil {
						break
					}
				}
				if err != nil {
					break
				}
			}
			if tc, ok := dst.(*net.TCPConn); ok {
				tc.CloseWrite()
			}
		}
		p.wg.Go(func() { pipe(t, c, &p.up) })
		p.wg.Go(func() { pipe(c, t, &p.down) })
	}
}

// Close stops listening, closes every forwarded connection and waits.
func (p *proxy) Close() error {
	err := p.ln.Close()
	p.mu.Lock()
	for _, c := range p.open {
		c.Close()
	}
	p.mu.Unlock()
	p.wg.Wait()
	return err
}

var _ io.Closer = (*proxy)(nil)
