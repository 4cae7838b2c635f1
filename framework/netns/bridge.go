package netns

import (
	"errors"
	"io"
	"net"
	"sync"
)

// Bridge copies every connection accepted on a listener to a connection it dials itself: with a
// listener inside a namespace and the dial from the suite's own, processes in the namespace
// reach a server of the machine, such as the API server on 127.0.0.1, at the same address.
// Bytes are copied as they are, so TLS passes through.
type Bridge struct {
	ln     net.Listener
	target string
	wg     sync.WaitGroup
	mu     sync.Mutex
	conns  map[net.Conn]struct{}
	closed bool
}

// NewBridge serves ln, connecting each accepted connection to target (host:port), dialed from
// the calling process's own network namespace.
func NewBridge(ln net.Listener, target string) *Bridge {
	b := &Bridge{ln: ln, target: target, conns: map[net.Conn]struct{}{}}
	b.wg.Add(1)
	go b.serve()
	return b
}

// Addr is the address the bridge listens on.
func (b *Bridge) Addr() net.Addr { return b.ln.Addr() }

func (b *Bridge) serve() {
	defer b.wg.Done()
	for {
		c, err := b.ln.Accept()
		if err != nil {
			return
		}
		if !b.track(c) {
			c.Close()
			return
		}
		b.wg.Add(1)
		go func() {
			defer b.wg.Done()
			defer b.untrack(c)
			u, err := net.Dial("tcp", b.target)
			if err != nil {
				return
			}
			if !b.track(u) {
				u.Close()
				return
			}
			defer b.untrack(u)
			done := make(chan struct{})
			go func() {
				_, _ = io.Copy(u, c)
				closeWrite(u)
				close(done)
			}()
			_, _ = io.Copy(c, u)
			closeWrite(c)
			<-done
		}()
	}
}

func (b *Bridge) track(c net.Conn) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return false
	}
	b.conns[c] = struct{}{}
	return true
}

func (b *Bridge) untrack(c net.Conn) {
	b.mu.Lock()
	delete(b.conns, c)
	b.mu.Unlock()
	c.Close()
}

func closeWrite(c net.Conn) {
	if tc, ok := c.(interface{ CloseWrite() error }); ok {
		_ = tc.CloseWrite()
	}
}

// Close stops listening, cuts every connection and waits for the copies to end.
func (b *Bridge) Close() error {
	b.mu.Lock()
	b.closed = true
	err := b.ln.Close()
	for c := range b.conns {
		c.Close()
	}
	b.mu.Unlock()
	b.wg.Wait()
	if errors.Is(err, net.ErrClosed) {
		return nil
	}
	return err
}
