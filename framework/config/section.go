package config

import (
	"reflect"
	"regexp"
	"slices"

	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/tracegate/tracegate/framework/config/internal/spec"
)

// Section is an environment type's own part of ginkgo.yaml, which its package declares when it
// registers the type (EnvironmentType.Section) and config only calls: environments.<name>.cluster
// decoded into E and, for a type that needs one, its own key of an implementation's cluster
// profile (ProfileKey, such as kind's localBuild) decoded into P. E and P are structs whose yaml tags
// are their keys, in the order errors list them, made of strings, numbers, bools, lists, maps,
// pointers and Duration. They are decoded as strictly as the rest of the file: an unknown key,
// a duplicate or a bad value is an error with the file, line and field path.
type Section[E, P any] struct {
	// Default returns what environments.<name>.cluster is decoded over: the type's defaults.
	// Nil: the type takes no cluster key; Check then gets a non-nil e only when the file has one.
	Default func() E
	// ProfileKey is the key of implementations.<name>.cluster the type owns, decoded into P from
	// its zero value; "" for none.
	ProfileKey string
	// FormerProfileKey is a key ProfileKey was once called: a profile that still has it is
	// refused with an error naming ProfileKey. "" for none.
	FormerProfileKey string
	// Check validates an environment of the type: e is its section, nil when the file has none;
	// Check.Cluster holds the environment's generic cluster keys (Check.Receiver checks them).
	Check func(c *Check, e *E)
	// CheckProfile validates the type's key of a cluster profile that has one.
	CheckProfile func(c *Check, p *P)
	// Build turns the section of the run's environment into the settings its provider reads
	// (Cluster.Settings); p is the run's implementation's profile key, nil when it has none.
	Build func(b *Build, e *E, p *P) ClusterSettings
}

// TypeSection is a Section of whatever E and P its type decodes (EnvironmentType.Section).
type TypeSection interface {
	profileKey() string
	formerProfileKey() string
	decode(r *resolver, raw spec.Raw, path *field.Path) any
	decodeProfile(r *resolver, raw spec.Raw, path *field.Path) any
	check(c *Check, e any)
	checkProfile(c *Check, p any)
	build(b *Build, e, p any) ClusterSettings
	profileType() reflect.Type
}

// ClusterSettings are an environment type's own resolved settings (Cluster.Settings), as its
// package built them; that package reads them back with a typed accessor (kindconfig.Settings).
type ClusterSettings interface {
	// Summary is what the resolved config's summary shows of them, a line each.
	Summary(c *Config) []string
}

// SettingsOf returns the settings of c's environment (Cluster.Settings) if they are an S, as the
// typed accessor of a type's package (kindconfig.Settings) reads them.
func SettingsOf[S ClusterSettings](c *Config) (s S, ok bool) {
	if c == nil || c.Cluster == nil {
		return s, false
	}
	s, ok = c.Cluster.Settings.(S)
	return s, ok
}

func (s Section[E, P]) profileKey() string { return s.ProfileKey }

func (s Section[E, P]) profileType() reflect.Type { return reflect.TypeFor[P]() }

func (s Section[E, P]) formerProfileKey() string { return s.FormerProfileKey }

func (s Section[E, P]) decode(r *resolver, raw spec.Raw, path *field.Path) any {
	switch {
	case raw.Null():
		return (*E)(nil)
	case s.Default == nil: // the type takes no section: its Check says why
		return new(E)
	}
	e := s.Default()
	spec.NewDecoder(r.Problems, r.start).Decode(raw.Node, path, &e)
	return &e
}

func (s Section[E, P]) decodeProfile(r *resolver, raw spec.Raw, path *field.Path) any {
	if raw.Null() {
		return (*P)(nil)
	}
	p := new(P)
	spec.NewDecoder(r.Problems, r.start).Decode(raw.Node, path, p)
	return p
}

func (s Section[E, P]) check(c *Check, e any) {
	if s.Check != nil {
		v, _ := e.(*E)
		s.Check(c, v)
	}
}

func (s Section[E, P]) checkProfile(c *Check, p any) {
	if v, _ := p.(*P); v != nil && s.CheckProfile != nil {
		s.CheckProfile(c, v)
	}
}

func (s Section[E, P]) build(b *Build, e, p any) ClusterSettings {
	if s.Build == nil {
		return nil
	}
	ev, _ := e.(*E)
	pv, _ := p.(*P)
	return s.Build(b, ev, pv)
}

// Check is what a type's section is validated with: its errors are recorded with the file,
// line and field path, among the rest of the file's.
type Check struct {
	r *resolver
	// Path is environments.<name> for Section.Check, implementations.<name>.cluster for
	// Section.CheckProfile.
	Path *field.Path
	// Type is the environment's type (Check only).
	Type string
	// Cluster is the environment's generic cluster keys, the kubeconfig's ~/ expanded (Check only).
	Cluster *Cluster
	// Releases are the names of the profile's Helm releases (CheckProfile only).
	Releases []string
}

// Refused is the type of a key a section's spec keeps only to refuse it with its own reason
// (a key that moved or went): any value decodes into it, unread, and the check names where
// what it held went when Check.Set says the file has it.
type Refused = spec.Refused

// Field records an error at the field's line; none for a field that failed to decode.
func (c *Check) Field(path *field.Path, format string, args ...any) { c.r.Field(path, format, args...) }

// Set reports whether the field is written in the file (rather than defaulted).
func (c *Check) Set(path *field.Path) bool { return c.r.Set(path) }

// TemplateFile checks that a Go template file (relative to the file that holds path) exists
// and parses.
func (c *Check) TemplateFile(path *field.Path, name string) { c.r.checkTemplateFile(path, name) }

// File checks that an optional file ("" is none, relative to the file that holds path) exists.
func (c *Check) File(path *field.Path, name string) { c.r.checkFile(path, name) }

// Receiver checks environments.<name>.receiver as a cluster on the network sees it: bind auto
// or an address of this machine, advertise where the pods send spans, a port.
func (c *Check) Receiver() {
	c.r.checkReceiver(c.Path.Child("receiver"), spec.Receiver(c.Cluster.Receiver))
}

// ReceiverPort checks environments.<name>.receiver.port only.
func (c *Check) ReceiverPort() {
	c.r.checkReceiverPort(c.Path.Child("receiver"), c.Cluster.Receiver.Port)
}

// Build is what a type's section is built with: the config being built, and the run's
// environment variables.
type Build struct {
	r *resolver
	// Config is the config being built: Dir, Environment, Implementation with its cluster
	// profile, which the type may change where its own settings replace a part (kind's localBuild
	// charts), and Cluster with the generic keys (Keep is the section's to set; E2E_KEEP
	// overrides it after Build).
	Config *Config
	// Path is environments.<name> of the run's environment.
	Path *field.Path
}

// Lookup returns an environment variable that is set and not empty.
func (b *Build) Lookup(name string) (string, bool) { return get(b.r.lookup, name) }

// Override records that an environment variable changed something ("E2E_KUBERNETES_VERSION=1.36"),
// for the summary.
func (b *Build) Override(setting string) { b.Config.overrides = append(b.Config.overrides, setting) }

// Overridden reports whether that setting was recorded ("E2E_IMPLEMENTATION=kgateway").
func (b *Build) Overridden(setting string) bool { return slices.Contains(b.Config.overrides, setting) }

// Bool applies a boolean environment variable (1, true, 0 or false), if it is set.
func (b *Build) Bool(name string, set func(bool)) { b.r.boolOverride(b.Config, name, set) }

// Plain records an error about an environment variable, not a line of the file.
func (b *Build) Plain(format string, args ...any) { b.r.Plain(format, args...) }

// Field records an error at the field's line.
func (b *Build) Field(path *field.Path, format string, args ...any) { b.r.Field(path, format, args...) }

// File is the config file's absolute path, for messages.
func (b *Build) File() string { return b.r.abs }

// Key is the path of key in the mapping at p, quoted where the key would make the path
// ambiguous, as errors show it: nodeImages."1.36".
func Key(p *field.Path, key string) *field.Path { return spec.Child(p, key) }

// Absolute resolves path against dir unless it is absolute.
func Absolute(dir, path string) string { return absolute(dir, path) }

// List joins allowed values for an error message: "(none defined)" when there are none.
func List[T any](values []T) string { return list(values) }

// DNSLabel checks a Kubernetes or kind name (lowercase letters, digits and '-', at most maxLen
// characters); tooLong ends the error of a name that is too long.
func DNSLabel(name string, maxLen int) (ok bool, tooLong string) { return dnsLabel(name, maxLen) }

// A Kubernetes version as ginkgo.yaml writes it: major.minor, such as "1.36".
var minorVersion = regexp.MustCompile(`^[1-9][0-9]*\.[0-9]+$`)

// IsMinorVersion reports whether v is a Kubernetes version written major.minor, such as "1.36".
func IsMinorVersion(v string) bool { return minorVersion.MatchString(v) }
