package spec

import "github.com/tracegate/tracegate/profile"

// Duration is a duration in ginkgo.yaml, written as a Go duration ("500ms", "5s", "2m").
type Duration = profile.Duration

// DurationForm is appended to every bad-duration error.
const DurationForm = profile.DurationForm
