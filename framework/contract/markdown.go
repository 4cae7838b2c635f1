package contract

import (
	"fmt"
	"maps"
	"os"
	"regexp"
	"slices"
	"strings"

	"github.com/tracegate/tracegate/framework/config"
)

// Markdown is the contract as docs/bring-your-gateway.md shows it: the routes, the custom
// attributes, the variants with how each implementation is given them, and the template fields.
func Markdown(impls []config.Implementation) string {
	var b strings.Builder
	b.WriteString("**Requests.** Each feature's requests, as its specs send them (all of them for the features your profile lists). " +
		"Those marked *own route* need a route of their own in your config template, matched as marked; " +
		"the suite checks that before any build. " +
		"Every other request goes to a catch-all route to `{{.UpstreamAddr}}`, traced, with the caller's traceparent continued.\n\n")
	b.WriteString("| feature | Host | path | method, headers | upstream | the gateway must |\n|---|---|---|---|---|---|\n")
	for _, r := range Routes {
		feature, host, path := r.Feature, code(r.Host), code(r.Path)
		if feature == "" {
			feature = "(every run)"
		}
		if r.Host == "" {
			host = "any"
		}
		switch r.Own {
		case OwnHost:
			host += " (*own route*)"
		case OwnPath:
			path += " (*own route*, prefix)"
		}
		request := r.MethodOrGet()
		for _, h := range r.Headers {
			request += ", " + h
		}
		upstream := r.Upstream.Describe()
		if r.Upstream.Fields() != nil {
			upstream = code(upstream)
		}
		if r.Timeout > 0 {
			upstream += fmt.Sprintf(", timeout %s", r.Timeout)
		}
		switch {
		case slices.ContainsFunc(Variants, func(v Variant) bool { return v.Name == r.Variant }):
			upstream += ", through variant " + code(r.Variant)
		case r.Variant != "":
			upstream += ", through " + r.Variant
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s |\n", feature, host, path, cell(request), cell(upstream), cell(r.Gateway))
	}
	b.WriteString("\n**Span attributes** your config adds (CustomAttributes):\n\n| attribute | value from |\n|---|---|\n")
	for _, a := range Attributes {
		fmt.Fprintf(&b, "| `%s` | %s |\n", a.Name, cell(a.From))
	}
	b.WriteString("\n**Variants.** A second gateway of the same implementation, started on first use. It differs from the main gateway in " +
		"its sampling or tracing only: a traced variant has the same service name, resource attributes and custom attributes, " +
		"which ResourceAttributes and CustomAttributes check on it too.\n\n| variant | needed by | sampling, " +
		"tracing | how a gateway is given it |\n|---|---|---|---|\n")
	for _, v := range Variants {
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s |\n", v.Name, v.Feature, cell(v.Sampling), cell(v.How))
	}
	b.WriteString("\nHow each profile (`profiles/`, and E2E_PROFILE's) gives its gateways the variants:\n\n" +
		"| implementation | variant | local: environment | local: config template | cluster: Gateway |\n|---|---|---|---|---|\n")
	for _, impl := range impls {
		if len(variantNames(impl)) == 0 {
			fmt.Fprintf(&b, "| %s | none | | | |\n", impl.Name)
		}
		for _, v := range variantNames(impl) {
			fmt.Fprintf(&b, "| %s | `%s` | %s | %s | %s |\n", impl.Name, v, localEnv(impl, v), localTemplate(impl), clusterGateway(impl, v))
		}
	}
	b.WriteString("\n**Template fields** of the config template, the command and the environment values (Go templates):\n\n" +
		"| field | meaning |\n|---|---|\n")
	for _, f := range TemplateFields {
		fmt.Fprintf(&b, "| `{{.%s}}` | %s |\n", f.Name, cell(f.Meaning))
	}
	return b.String()
}

func variantNames(impl config.Implementation) []string {
	names := map[string]bool{}
	if impl.Local != nil {
		for v := range impl.Local.Variants {
			names[v] = true
		}
	}
	if impl.Cluster != nil {
		for v := range impl.Cluster.Variants {
			names[v] = true
		}
	}
	return slices.Sorted(maps.Keys(names))
}

func localEnv(impl config.Implementation, variant string) string {
	if impl.Local == nil {
		return "no local profile"
	}
	v, ok := impl.Local.Variants[variant]
	if !ok {
		return "not defined"
	}
	if v.Unavailable != "" {
		return "unavailable: " + cell(v.Unavailable)
	}
	var pairs []string
	for _, k := range slices.Sorted(maps.Keys(v.Env)) {
		pairs = append(pairs, k+"="+v.Env[k])
	}
	if len(pairs) == 0 {
		return "nothing of its own"
	}
	return code(strings.Join(pairs, " "))
}

var readsVariant = regexp.MustCompile(`\.Variant\b`)

// localTemplate says whether the config template renders the variant from {{.Variant}}.
func localTemplate(impl config.Implementation) string {
	if impl.Local == nil || impl.Local.ConfigTemplate == "" {
		return "none"
	}
	text, err := os.ReadFile(impl.Local.ConfigTemplate)
	switch {
	case err != nil:
		return "unreadable: " + cell(err.Error())
	case readsVariant.Match(text):
		return "reads `{{.Variant}}`"
	}
	return "does not read `{{.Variant}}`"
}

func clusterGateway(impl config.Implementation, variant string) string {
	if impl.Cluster == nil {
		return "no cluster profile"
	}
	if g, ok := impl.Cluster.Variants[variant]; ok {
		return code(g)
	}
	return "not defined"
}

func code(s string) string { return "`" + s + "`" }

// cell escapes what would end a table cell.
func cell(s string) string { return strings.ReplaceAll(s, "|", `\|`) }

// The contract in docs/bring-your-gateway.md lies between these markers; cmd/contract -readme rewrites it.
const (
	BeginMarker = "<!-- contract: generated from framework/contract and profiles/ by `go run ./cmd/contract -readme " +
		"docs/bring-your-gateway.md`; edit those, not this -->"
	EndMarker = "<!-- contract end -->"
)

// Replace returns text with what lies between the markers replaced by md.
func Replace(text, md string) (string, error) {
	before, after, ok := strings.Cut(text, BeginMarker+"\n")
	_, after, ok2 := strings.Cut(after, EndMarker)
	if !ok || !ok2 {
		return "", fmt.Errorf("no %q line followed by %q", BeginMarker, EndMarker)
	}
	return before + BeginMarker + "\n" + md + EndMarker + after, nil
}
