package echo

import "syscall"

// sockCloexec makes the refusing socket close on exec, atomically where the system can.
const sockCloexec = syscall.SOCK_CLOEXEC
