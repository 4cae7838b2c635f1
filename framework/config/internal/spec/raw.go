package spec

import "github.com/tracegate/tracegate/profile"

// Raw is a value the decoder keeps as written, for another package to decode with a Decoder
// of its own type: an environment type's section (environments.<name>.cluster). A struct field
// tagged `decode:"extra"` (and `yaml:"-"`) of type map[string]Raw takes the struct's other keys,
// which the caller then allows or rejects (Extra).
type Raw = profile.Raw

// Refused is the type of a key a struct keeps only for its check to refuse it with a reason of
// its own (a key that moved or went): any value decodes into it, unread, and Keys leaves it out
// of the allowed keys.
type Refused struct{}
