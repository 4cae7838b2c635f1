// Package contract is the fixture contract as data: each feature's requests and what a gateway
// must do with them, template fields, variants.
package contract

import (
	"strings"
	"time"
)

// Route is one request the suite sends through the gateway, and what the gateway must do with
// it. The features build their requests from these values, so the contract is what they send.
type Route struct {
	// Feature is the feature whose specs send it (implementations.<name>.features); "" for the
	// suite itself, whatever the profile lists.
	Feature string
	// Host is the Host header, "" for any; a * stands for what the spec fills in per request
	// (HostWith).
	Host string
	// Path is the request path, with any query; a * likewise (PathWith).
	Path string
	// Method is the request method; "" for GET.
	Method string
	// Headers are the request headers the gateway must pass on to the upstream, or use.
	Headers []string
	// Variant is the gateway variant the request goes through ("" for the main gateway).
	Variant string
	// Upstream is where the gateway must send it.
	Upstream Upstream
	// Timeout, if set, is how long the gateway waits for the upstream's answer on this route.
	Timeout time.Duration
	// Own says what of the request the config template must match with a route of its own
	// (checked before any build); OwnNone: a catch-all route takes it.
	Own Own
	// Decorated: the route names its SERVER span spanNames.decorated, so it needs a route of
	// its own only where the profile sets one.
	Decorated bool
	// Gateway is what the gateway must do with it, besides routing it.
	Gateway string
}

// Upstream is where a route sends its requests.
type Upstream string

// The upstreams a route may have.
const (
	// Echo is the suite's echo upstream: it answers with what it received.
	Echo Upstream = "echo"
	// Refused is an address where every connection is refused.
	Refused Upstream = "refused"
	// None: the gateway answers itself.
	None Upstream = "none"
)

// Fields are the template fields that address the upstream, any of which a route to it renders.
func (u Upstream) Fields() []string {
	switch u {
	case Echo:
		return []string{"UpstreamAddr", "UpstreamPort"}
	case Refused:
		return []string{"RefusedAddr", "RefusedPort"}
	}
	return nil
}

// Describe says where the upstream is, for the listing.
func (u Upstream) Describe() string {
	if f := u.Fields(); f != nil {
		return "{{." + f[0] + "}}"
	}
	return "the gateway itself"
}

// Own is what a config template must match to give a route a route of its own.
type Own int

// What a route of its own matches.
const (
	OwnNone Own = iota // none needed: the template's catch-all route takes it
	OwnHost            // its Host
	OwnPath            // its path (a prefix), on any host
)

// HostWith is the route's Host with s in place of its *.
func (r Route) HostWith(s string) string { return strings.Replace(r.Host, "*", s, 1) }

// PathWith is the route's path with s in place of its *.
func (r Route) PathWith(s string) string { return strings.Replace(r.Path, "*", s, 1) }

// MethodOrGet is the route's method, GET when it names none.
func (r Route) MethodOrGet() string {
	if r.Method == "" {
		return "GET"
	}
	return r.Method
}
