package contract

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Profile is what Check needs to know of an implementation's profile.
type Profile struct {
	// Template is the config template's file, and Where the profile field that names it (such
	// as "profiles/caddy.yaml: implementations.caddy.local.configTemplate"), for messages.
	Template, Where string
	Features        []string
	// Decorated is spanNames.decorated: the span name of the decorated route, "" for none.
	Decorated string
	// Variants are the variants local.variants defines.
	Variants []string
}

// Rendered is what a profile's config template and command rendered to for the main gateway,
// with placeholder values for the template fields.
type Rendered struct {
	Config string
	// Fields are the placeholder values the upstream fields rendered as (UpstreamAddr,
	// UpstreamPort, RefusedAddr, RefusedPort): values no other field renders.
	Fields map[string]string
}

// Check says what of the contract's routing the rendered config misses, for the features the
// profile lists: each route of its own (its Host or path, and its upstream's address) and each
// variant. Lines that start with # or // are comments and do not count. The error names the
// template, each missing route and the feature that needs it. How the gateway traces (span names,
// attributes, sampling) is for the specs to judge, so a mutation of it still reaches its spec.
func Check(p Profile, r Rendered) error {
	config := uncommented(r.Config)
	var missing []string
	for _, route := range Routes {
		if route.Own == OwnNone || !p.needs(route.Feature) || route.Decorated && p.Decorated == "" {
			continue
		}
		what, match := route.Host, "Host "+route.Host
		if route.Own == OwnPath {
			what, match = route.Path, "path "+route.Path
		}
		upstream := route.Upstream.Describe()
		if route.Timeout > 0 {
			upstream += fmt.Sprintf(", waiting %s for its answer", route.Timeout)
		}
		need := fmt.Sprintf("the route for %s, which %s needs (%s; upstream %s)", match, route.Feature, route.Gateway, upstream)
		if !strings.Contains(config, what) {
			missing = append(missing, fmt.Sprintf("%s: the rendered config never names %s", need, what))
			continue
		}
		if fields := route.Upstream.Fields(); fields != nil &&
			!slices.ContainsFunc(fields, func(f string) bool { return strings.Contains(config, r.Fields[f]) }) {
			missing = append(missing, fmt.Sprintf("%s: the rendered config never uses {{.%s}}", need, strings.Join(fields, "}} or {{.")))
		}
	}
	for _, v := range Variants {
		if p.needs(v.Feature) && !slices.Contains(p.Variants, v.Name) {
			missing = append(missing, fmt.Sprintf(
				"the variant %s, which %s needs (%s): local.variants defines %v; give it by %s",
				v.Name,
				v.Feature,
				v.Sampling,
				p.Variants,
				v.How,
			))
		}
	}
	if len(missing) == 0 {
		return nil
	}
	return fmt.Errorf("%s (%s) does not meet the fixture contract for the features the profile lists (make contract lists it):\n  - %s",
		p.Template, p.Where, strings.Join(missing, "\n  - "))
}

// SameAsMain is the error for a variant whose config and environment render the same as the
// main gateway's: nothing tells the gateway it is the variant.
func SameAsMain(p Profile, variant string) error {
	how := "the variant's env (local.variants." + variant + ".env) or a template that reads {{.Variant}}"
	if i := slices.IndexFunc(Variants, func(v Variant) bool { return v.Name == variant }); i >= 0 {
		how = Variants[i].How
	}
	return errors.New(p.Template + " (" + p.Where + "): the variant " + variant +
		" renders the same config and environment as the main gateway, so it would behave the same; give it by " + how)
}

func (p Profile) needs(feature string) bool {
	return feature == "" || slices.Contains(p.Features, feature)
}

// uncommented is text without its comment lines.
func uncommented(text string) string {
	var b strings.Builder
	for line := range strings.Lines(text) {
		if t := strings.TrimSpace(line); !strings.HasPrefix(t, "#") && !strings.HasPrefix(t, "//") {
			b.WriteString(line)
		}
	}
	return b.String()
}
