package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/tracegate/tracegate/framework/difference"
	"github.com/tracegate/tracegate/internal/text"
)

// Catalogue is a list of mutations of one implementation's profile.
type Catalogue struct {
	// Implementation is the profile (profiles/<implementation>.yaml) the mutations change; the
	// suite runs it (E2E_IMPLEMENTATION).
	Implementation string `yaml:"implementation"`
	// Environment is the environment the suite runs in (E2E_ENV); "" is the config's default.
	Environment string `yaml:"environment"`
	// Template is the key path, inside implementations.<implementation>, of the template that
	// replace edits; empty is [local, configTemplate], the local gateway's config. A kwok
	// profile's configuration of the implementation is [cluster, kwok, config].
	Template  []string   `yaml:"template"`
	Mutations []Mutation `yaml:"mutations"`
}

// templateKeys is the key path of the template replace edits.
func (c *Catalogue) templateKeys() []string {
	if len(c.Template) > 0 {
		return c.Template
	}
	return []string{"local", "configTemplate"}
}

// Mutation is a gateway configuration wrong in one way, and the spec that must catch it.
type Mutation struct {
	Name        string `yaml:"name"`
	Description string `yaml:"description"`
	// Replace edits the profile's config template; each From must occur exactly once, so a
	// catalogue cannot silently drift from the template it mutates.
	Replace []Replacement `yaml:"replace"`
	// Env is added to the profile's local.env; VariantEnv to local.variants.<name>.env.
	Env        map[string]string            `yaml:"env"`
	VariantEnv map[string]map[string]string `yaml:"variantEnv"`
	// Owner is the full text of the spec that owns the broken behaviour.
	Owner string `yaml:"owner"`
	// Shows is the difference the owner's failure must show for the mutation to count as caught:
	// a failure for another reason is not.
	Shows Shows `yaml:"difference"`
	// Procs is how many Ginkgo processes its run gets, when not -procs: more for a mutation
	// under which most specs receive nothing and wait out their span and late-span waits, idle
	// (tracing off). make mutate starts the runs given the most first.
	Procs int `yaml:"procs"`
}

// Shows is a piece of each side of a typed difference (framework/difference) a failure must
// list: a difference whose Expected contains Expected and whose Got contains Got. A failure
// whose matcher listed no differences is its message, which must contain both.
type Shows struct {
	Expected string `yaml:"expected"`
	Got      string `yaml:"got"`
}

// In reports whether one of the differences shows it. Both sides compare without colour codes
// and with runs of white space as one space.
func (s Shows) In(diffs []difference.Difference) bool {
	want, got := oneSpace(s.Expected), oneSpace(s.Got)
	for _, d := range diffs {
		if d.Expected == "" && d.Got == "" {
			if shown := oneSpace(d.Shown); strings.Contains(shown, want) && strings.Contains(shown, got) {
				return true
			}
			continue
		}
		if strings.Contains(oneSpace(d.Expected), want) && strings.Contains(oneSpace(d.Got), got) {
			return true
		}
	}
	return false
}

var space = regexp.MustCompile(`\s+`)

func oneSpace(s string) string {
	return strings.TrimSpace(space.ReplaceAllString(text.StripANSI(s), " "))
}

// Replacement replaces one exact piece of text.
type Replacement struct {
	From string `yaml:"from"`
	To   string `yaml:"to"`
}

// LoadCatalogue reads a catalogue strictly.
func LoadCatalogue(path string) (*Catalogue, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	dec := yaml.NewDecoder(f)
	dec.KnownFields(true)
	var c Catalogue
	if err := dec.Decode(&c); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	for i, m := range c.Mutations {
		if m.Name == "" || m.Owner == "" || (len(m.Replace) == 0 && len(m.Env) == 0 && len(m.VariantEnv) == 0) {
			return nil, fmt.Errorf("%s: mutations[%d] (%s): name, owner and at least one of replace, env, variantEnv are required", path, i, m.Name)
		}
		if m.Procs < 0 {
			return nil, fmt.Errorf("%s: mutations[%d] (%s): procs %d: must be at least 1, or left out for -procs", path, i, m.Name, m.Procs)
		}
		if strings.TrimSpace(m.Shows.Expected) == "" || strings.TrimSpace(m.Shows.Got) == "" {
			return nil, fmt.Errorf("%s: mutations[%d] (%s): difference.expected and difference.got are required and must not be blank: "+
				"a piece of what the owner's failure expected and of what it got (a typed difference of framework/difference), "+
				"such as {expected: \"named THISISAROUTEDESCRIPTOR\", got: \"named handler\"}; got %+v", path, i, m.Name, m.Shows)
		}
	}
	return &c, nil
}

// Write renders the mutated template and a copy of the implementation's profile
// (profiles/<implementation>.yaml) that uses it, in root (so the copy's relative paths resolve
// as the original's do), and returns the copy's path, for E2E_PROFILE: it replaces the profile.
func (c *Catalogue) Write(root string, m Mutation) (string, error) {
	var doc yaml.Node
	data, err := os.ReadFile(filepath.Join(root, ProfilePath(c.Implementation)))
	if err != nil {
		return "", err
	}
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return "", err
	}
	impl := lookup(doc.Content[0], "implementations", c.Implementation)
	if impl == nil {
		return "", fmt.Errorf("%s has no implementations.%s", ProfilePath(c.Implementation), c.Implementation)
	}
	local := lookup(impl, "local")
	if local == nil && (len(m.Env) > 0 || len(m.VariantEnv) > 0) {
		return "", fmt.Errorf(
			"mutation %s: env and variantEnv change implementations.%s.local, which %s does not have",
			m.Name,
			c.Implementation,
			ProfilePath(c.Implementation),
		)
	}
	if len(m.Replace) > 0 {
		keys := c.templateKeys()
		tmplNode := lookup(impl, keys...)
		if tmplNode == nil || tmplNode.Kind != yaml.ScalarNode {
			return "", fmt.Errorf(
				"implementations.%s.%s: no template to mutate in %s",
				c.Implementation,
				strings.Join(keys, "."),
				ProfilePath(c.Implementation),
			)
		}
		text, err := os.ReadFile(filepath.Join(root, tmplNode.Value))
		if err != nil {
			return "", err
		}
		mutated, err := m.Apply(string(text), tmplNode.Value)
		if err != nil {
			return "", err
		}
		dir := filepath.Join(root, "_artifacts", "mutations", c.Implementation+"-"+m.Name)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return "", err
		}
		out := filepath.Join(dir, filepath.Base(tmplNode.Value))
		if err := os.WriteFile(out, []byte(mutated), 0o644); err != nil {
			return "", err
		}
		tmplNode.Value = out
	}
	mergeEnv(local, m.Env)
	for variant, env := range m.VariantEnv {
		v := lookup(local, "variants", variant)
		if v == nil {
			return "", fmt.Errorf("implementations.%s.local.variants has no %q", c.Implementation, variant)
		}
		mergeEnv(v, env)
	}
	out, err := yaml.Marshal(&doc)
	if err != nil {
		return "", err
	}
	// One file per mutation and process: a run may hold many mutations at once, and make
	// mutate-faults may run Caddy's and Envoy's catalogues beside each other.
	path := filepath.Join(root, fmt.Sprintf(".tracegate-mutation-%d-%s-%s.yaml", os.Getpid(), c.Implementation, m.Name))
	return path, os.WriteFile(path, out, 0o644)
}

// ProfilePath is the repository's profile of an implementation, relative to the repository.
func ProfilePath(implementation string) string {
	return filepath.Join("profiles", implementation+".yaml")
}

// Apply makes the mutation's replacements in a template's text.
func (m Mutation) Apply(text, name string) (string, error) {
	for _, r := range m.Replace {
		if n := strings.Count(text, r.From); n != 1 {
			return "", fmt.Errorf("mutation %s: replace %q occurs %d times in %s; it must occur exactly once", m.Name, r.From, n, name)
		}
		text = strings.Replace(text, r.From, r.To, 1)
	}
	return text, nil
}

// lookup walks mapping keys.
func lookup(n *yaml.Node, keys ...string) *yaml.Node {
	for _, k := range keys {
		if n == nil || n.Kind != yaml.MappingNode {
			return nil
		}
		var next *yaml.Node
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == k {
				next = n.Content[i+1]
			}
		}
		n = next
	}
	return n
}

// mergeEnv sets env entries in the mapping's "env" key, creating it if needed.
func mergeEnv(parent *yaml.Node, env map[string]string) {
	if len(env) == 0 {
		return
	}
	envNode := lookup(parent, "env")
	if envNode == nil {
		envNode = &yaml.Node{Kind: yaml.MappingNode}
		parent.Content = append(parent.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: "env"}, envNode)
	}
	for k, v := range env {
		if existing := lookup(envNode, k); existing != nil {
			existing.Value = v
			continue
		}
		envNode.Content = append(envNode.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: k}, &yaml.Node{
			Kind:  yaml.ScalarNode,
			Value: v,
			Style: yaml.DoubleQuotedStyle,
		})
	}
}
