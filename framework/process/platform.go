package process

import (
	"fmt"
	"runtime"
)

// Supported says why the suite cannot run on this system, or nil on Linux, the one system it
// runs on: its children die with it only there (Pdeathsig), and its cluster environments use
// Linux network namespaces.
func Supported() error { return supported(runtime.GOOS, runtime.GOARCH) }

func supported(goos, goarch string) error {
	if goos == "linux" {
		return nil
	}
	return fmt.Errorf("tracegate runs on Linux only, and this is %s/%s: its gateway processes are tied to the suite's life with Linux's "+
		"parent-death signal, and its cluster environments use Linux network namespaces. Run it in a Linux machine, "+
		"VM or container (for example a golang Docker image with this module mounted)",
		goos, goarch)
}
