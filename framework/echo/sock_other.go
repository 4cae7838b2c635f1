//go:build !linux

package echo

// sockCloexec is 0 where socket(2) takes no SOCK_CLOEXEC flag: the suite runs on Linux only
// (process.Supported), and this keeps the package building elsewhere.
const sockCloexec = 0
