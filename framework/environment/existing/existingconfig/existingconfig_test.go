package existingconfig_test

import (
	"strings"
	"testing"

	"github.com/tracegate/tracegate/features/configtest"
	"github.com/tracegate/tracegate/framework/environment/kind/kindconfig"
)

func TestEnvironment(t *testing.T) {
	c := configtest.MustLoadCluster(t, configtest.ClusterDir(t), "E2E_ENV", "existing")
	if cl := c.Cluster; cl == nil || kindconfig.Settings(c) != nil || cl.Receiver.Bind != "192.0.2.10" || cl.Receiver.Port != 4317 {
		t.Fatalf("Cluster = %+v", cl)
	}
	if !strings.Contains(c.Summary(), "existing cluster: kubeconfig $KUBECONFIG, context (current)") {
		t.Errorf("summary:\n%s", c.Summary())
	}
}
