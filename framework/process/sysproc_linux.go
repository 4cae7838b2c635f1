package process

import "syscall"

// groupDyingWithParent puts the child in a process group of its own, which gets sig when the
// suite dies (Pdeathsig, Linux only).
func groupDyingWithParent(sig syscall.Signal) *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: sig}
}
