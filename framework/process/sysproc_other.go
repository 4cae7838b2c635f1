//go:build !linux

package process

import "syscall"

// groupDyingWithParent puts the child in a process group of its own. Only Linux can have it
// signalled when the suite dies; elsewhere the suite refuses to run (Supported) before any child
// starts, and this keeps the package building.
func groupDyingWithParent(syscall.Signal) *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true}
}
