// Package faultproxy is a TCP proxy that injects the network faults CI runs into: latency
// spikes, connection resets and blackholes, so the suite can prove it does not flake on them.
package faultproxy

import (
	"errors"
	"io"
	"math/rand/v2"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// Faults says what to inject on one path. The zero value injects nothing.
type Faults struct {
	// LatencyProbability is the chance that a chunk of data is held back, for a delay drawn
	// uniformly from [LatencyMin, LatencyMax].
	LatencyProbability     float64
	LatencyMin, LatencyMax time.Duration
	// ResetFraction of new connections is reset (TCP RST) on accept, before any byte reaches
	// the target, as a crashed peer or a middlebox would.
	ResetFraction float64
	// Every BlackholeEvery, for BlackholeFor, nothing is forwarded in either direction and new
	// connections hang: the network drops everything, as during a partition.
	BlackholeEvery, BlackholeFor time.Duration
}

// Stats counts what the proxy did.
type Stats struct {
	Connections, Resets, Delays, Blackholed int64
}

// Add returns the sum of s and o, to total the proxies of several processes or runs.
func (s Stats) Add(o Stats) Stats {
	return Stats{s.Connections + o.Connections, s.Resets + o.Resets, s.Delays + o.Delays, s.Blackholed + o.Blackholed}
}

// Proxy forwards connections from its listener to a target address, injecting faults.
type Proxy struct {
	ln     net.Listener
	target string
	faults Faults
	start  time.Time

	mu  sync.Mutex
	rng *rand.Rand

	conns      sync.WaitGroup
	closed     chan struct{}
	closeOnce  sync.Once
	open       sync.Map // net.Conn -> struct{}, closed on Close
	connCount  atomic.Int64
	resets     atomic.Int64
	delays     atomic.Int64
	blackholed atomic.Int64
}

// Start listens on listen (e.g. "127.0.0.1:0") and forwards to target. seed makes the fault
// pattern reproducible.
func Start(listen, target string, faults Faults, seed uint64) (*Proxy, error) {
	ln, err := net.Listen("tcp", listen)
	if err != nil {
		return nil, err
	}
	p := &Proxy{ln: ln, target: target, faults: faults, start: time.Now(),
		rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), closed: make(chan struct{})}
	go p.serve()
	return p, nil
}

// Addr is the address clients connect to instead of the target.
func (p *Proxy) Addr() string { return p.ln.Addr().String() }

// Stats reports what was injected so far.
func (p *Proxy) Stats() Stats {
	return Stats{Connections: p.connCount.Load(), Resets: p.resets.Load(), Delays: p.delays.Load(), Blackholed: p.blackholed.Load()}
}

// Close stops accepting, closes every open connection and waits for the forwarders to end.
func (p *Proxy) Close() error {
	var err error
	p.closeOnce.Do(func() {
		close(p.closed)
		err = p.ln.Close()
		p.open.Range(func(c, _ any) bool { c.(net.Conn).Close(); return true })
		p.conns.Wait()
	})
	return err
}

func (p *Proxy) serve() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.connCount.Add(1)
		p.conns.Add(1)
		go p.handle(c)
	}
}

func (p *Proxy) handle(client net.Conn) {
	defer p.conns.Done()
	p.track(client)
	defer p.untrack(client)
	if p.chance(p.faults.ResetFraction) {
		p.resets.Add(1)
		if tcp, ok := client.(*net.TCPConn); ok {
			_ = tcp.SetLinger(0) // close with RST, not FIN
		}
		client.Close()
		return
	}
	if !p.waitOutBlackhole() {
		client.Close()
		return
	}
	target, err := net.Dial("tcp", p.target)
	if err != nil {
		client.Close()
		return
	}
	p.track(target)
	defer p.untrack(target)
	done := make(chan struct{}, 2)
	go func() { p.pipe(target, client); done <- struct{}{} }()
	go func() { p.pipe(client, target); done <- struct{}{} }()
	<-done
	client.Close()
	target.Close()
	<-done
}

// pipe copies src to dst chunk by chunk, delaying chunks and stalling during blackholes.
func (p *Proxy) pipe(dst, src net.Conn) {
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		if n > 0 {
			if !p.waitOutBlackhole() || !p.maybeDelay() {
				return
			}
			if _, werr := dst.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			if errors.Is(err, io.EOF) {
				if tcp, ok := dst.(*net.TCPConn); ok {
					_ = tcp.CloseWrite()
				}
			}
			return
		}
	}
}

// maybeDelay holds a chunk back with LatencyProbability; false means the proxy closed meanwhile.
func (p *Proxy) maybeDelay() bool {
	if !p.chance(p.faults.LatencyProbability) {
		return true
	}
	p.delays.Add(1)
	d := p.faults.LatencyMin
	if spread := p.faults.LatencyMax - p.faults.LatencyMin; spread > 0 {
		p.mu.Lock()
		d += time.Duration(p.rng.Int64N(int64(spread)))
		p.mu.Unlock()
	}
	return p.sleep(d)
}

// waitOutBlackhole blocks until the current blackhole window, if any, is over.
func (p *Proxy) waitOutBlackhole() bool {
	every, length := p.faults.BlackholeEvery, p.faults.BlackholeFor
	if every <= 0 || length <= 0 {
		return true
	}
	// Windows start at every, 2*every, ...: the first requests of a run get through, so a
	// gateway can become ready before the network misbehaves.
	since := time.Since(p.start)
	if since < every {
		return true
	}
	into := since % every
	if into >= length {
		return true
	}
	p.blackholed.Add(1)
	return p.sleep(length - into)
}

func (p *Proxy) sleep(d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-p.closed:
		return false
	}
}

func (p *Proxy) chance(probability float64) bool {
	if probability <= 0 {
		return false
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.rng.Float64() < probability
}

func (p *Proxy) track(c net.Conn)   { p.open.Store(c, struct{}{}) }
func (p *Proxy) untrack(c net.Conn) { p.open.Delete(c) }
