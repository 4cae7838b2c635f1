// Package spec is ginkgo.yaml as written: the strict decoder that reads it and the problems it finds.
package spec
