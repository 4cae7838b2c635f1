// Package profile is an implementation's profile file as written (profiles/<name>.yaml): the
// public types its keys decode into, from which the profile's JSON Schema and key reference are
// generated (make schema).
package profile
