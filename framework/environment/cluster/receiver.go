package cluster

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"

	"github.com/tracegate/tracegate/framework/echo"
	"github.com/tracegate/tracegate/framework/otlp"
)

// startReceiver starts the OTLP receiver where the cluster can reach it, bound to that one
// address, and the query server other processes read spans from, on 127.0.0.1.
func (p *Provider) startReceiver(ctx context.Context, s *State) error {
	bind, err := p.Source.ReceiverBind(ctx, s)
	if err != nil {
		return err
	}
	rc := s.Config.Cluster.Receiver
	opts := []otlp.Option{otlp.WithAddress(bind), otlp.WithGRPCPort(rc.Port)}
	network, _ := p.Source.(Network)
	if l := network; l != nil {
		opts = append(opts, otlp.WithListen(func(network, addr string) (net.Listener, error) { return l.Listen(s, network, addr) }))
	}
	r, err := otlp.Start(opts...)
	if err != nil {
		return fmt.Errorf(
			"starting the OTLP receiver on %s: %w (is %s an address of this machine?)",
			net.JoinHostPort(bind, strconv.Itoa(rc.Port)),
			err,
			bind,
		)
	}
	s.receiver = r
	q, err := otlp.ServeQueries(r.Store())
	if err != nil {
		return fmt.Errorf("starting the span query server: %w", err)
	}
	s.query = q
	_, port, _ := net.SplitHostPort(r.GRPCEndpoint())
	host := rc.Advertise
	if host == "" {
		host = bind
	}
	s.advertised = net.JoinHostPort(host, port)
	refuse := echo.Refuse
	if r := network; r != nil {
		refuse = func(ip string) (*echo.Refusing, error) { return r.Refuse(s, ip) }
	}
	if s.refused, err = refuse(bind); err != nil {
		return fmt.Errorf("reserving a refusing port beside the receiver: %w", err)
	}
	fmt.Fprintf(
		s.Log,
		"tracegate: receiver OTLP/gRPC on %s, advertised to the cluster as %s; span queries on %s\n",
		r.GRPCEndpoint(),
		s.advertised,
		q.URL,
	)
	return nil
}

func stopReceiver(ctx context.Context, s *State) error {
	var errs []error
	if s.query != nil {
		errs = append(errs, s.query.Close())
	}
	if s.receiver != nil {
		errs = append(errs, s.receiver.Shutdown(ctx))
	}
	if s.refused != nil {
		errs = append(errs, s.refused.Close())
	}
	return errors.Join(errs...)
}
