// Package spec is ginkgo.yaml as written: the types it is decoded into, the strict decoder and the problems it finds.
package spec
