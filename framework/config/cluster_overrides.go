package config

import (
	"fmt"
	"strings"
)

// The variables that point a cluster environment at another cluster, receiver address or echo
// image than its ginkgo.yaml section says; package conformance's options set them too.
const (
	EnvKubeconfig        = "E2E_KUBECONFIG"         // environments.<name>.kubeconfig
	EnvKubeContext       = "E2E_KUBE_CONTEXT"       // environments.<name>.context
	EnvReceiverBind      = "E2E_RECEIVER_BIND"      // environments.<name>.receiver.bind
	EnvReceiverAdvertise = "E2E_RECEIVER_ADVERTISE" // environments.<name>.receiver.advertise
	// EnvEchoImage is Cluster.EchoImage.
	EnvEchoImage = "E2E_ECHO_IMAGE"
)

// clusterOverrides applies the variables above to c.Cluster, checking each as its key is
// checked and naming the variable in the message.
func (r *resolver) clusterOverrides(c *Config) {
	cl := c.Cluster
	for _, o := range []struct {
		name string
		to   *string
	}{{EnvKubeconfig, &cl.Kubeconfig}, {EnvKubeContext, &cl.Context}, {EnvReceiverBind, &cl.Receiver.Bind},
		{EnvReceiverAdvertise, &cl.Receiver.Advertise}, {EnvEchoImage, &cl.EchoImage}} {
		if v, ok := get(r.lookup, o.name); ok {
			*o.to = v
			c.overrides = append(c.overrides, o.name+"="+v)
		}
	}
	if !c.overriddenBy(EnvReceiverBind) && !c.overriddenBy(EnvReceiverAdvertise) {
		return
	}
	bind, advertise := receiverProblems(cl.Receiver.Bind, cl.Receiver.Advertise)
	if bind != "" {
		r.Plain("%s (the receiver's bind address): %s", EnvReceiverBind, bind)
	}
	if advertise != "" {
		r.Plain("%s (the receiver's advertised address): %s", EnvReceiverAdvertise, advertise)
	}
}

// overriddenBy reports whether the variable name changed a setting of this run.
func (c *Config) overriddenBy(name string) bool {
	for _, o := range c.overrides {
		if strings.HasPrefix(o, name+"=") {
			return true
		}
	}
	return false
}

// UpstreamLimit says why the run's upstream is not the suite's own echo, which answers the
// status a request asks for (echo.StatusHeader) and holds its answer (echo.HoldHeader); "" when
// it is. An existing cluster without EchoImage runs Gateway API's echo server, which does
// neither: the rows that need them are not applicable there.
func (c *Config) UpstreamLimit() string {
	if c.Cluster == nil || c.Cluster.EchoImage != "" || c.Environment.Type != "existing" {
		return ""
	}
	return fmt.Sprintf("environment %s runs Gateway API's echo server as the upstream, which cannot answer a chosen status or hold its "+
		"answer; give the suite's echo as an image the cluster can pull (%s, or conformance.WithEchoImage; make echo-image builds one)",
		c.Environment.Name, EnvEchoImage)
}
