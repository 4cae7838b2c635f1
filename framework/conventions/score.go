package conventions

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"go.opentelemetry.io/otel/attribute"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"

	"github.com/tracegate/tracegate/framework/difference"
	"github.com/tracegate/tracegate/framework/spans"
)

// need is what a rule asks of a span for one exchange, once its condition is weighed.
type need int

const (
	optional    need = iota // opt-in, or a condition that does not hold or cannot be seen
	recommended             // missing is a gap: below MUST, the row is advisory
	required                // missing fails
	absent                  // an "if and only if" condition does not hold: present is unexpected
)

// Card is a span scored against a table: one check per rule, in the table's order.
type Card struct {
	Table    Table
	Exchange Exchange
	Naming   Naming
	Span     spans.Span
	Checks   []AttributeCheck
	needs    []need
}

// Score checks every rule of the table on the span, for what the exchange sent and got back.
// Under the Envoy naming an attribute missing under its own name is read from Envoy's older
// name, as a deviation; under the conventions' naming the older name is only noted.
func Score(span spans.Span, t Table, x Exchange, naming Naming) Card {
	c := Card{Table: t, Exchange: x, Naming: naming, Span: span}
	set := func(k attribute.Key) bool { return c.lookup(Rule{Key: k}).ok }
	for _, r := range t.Rules {
		n := needOf(r, x, set)
		c.Checks, c.needs = append(c.Checks, c.check(r, x, n)), append(c.needs, n)
	}
	return c
}

func needOf(r Rule, x Exchange, set func(attribute.Key) bool) need {
	truth := Holds
	if r.When != nil {
		truth = r.When.Holds(x, set)
	}
	switch {
	case truth == DoesNotHold && r.When.OnlyIf:
		return absent
	case truth != Holds || r.Level == OptIn:
		return optional
	case r.Level == Recommended:
		return recommended
	}
	return required
}

// found is a rule's value on a span, and where it was found.
type found struct {
	value any
	// older is Envoy's older name the value was read from, also when the naming does not allow it.
	older string
	// ok: the value counts (its own key, or an older name the naming allows).
	ok bool
	// unreadable says why the older name's string does not read as the attribute's value.
	unreadable string
}

// lookup finds the rule's value: under its own key, else (Envoy naming) under Envoy's older name.
func (c Card) lookup(r Rule) found {
	if r.Template {
		for _, k := range slices.Sorted(maps.Keys(c.Span.Attributes)) {
			if strings.HasPrefix(k, string(r.Key)) {
				return found{value: c.Span.Attributes[k], ok: true}
			}
		}
		return found{}
	}
	if v, ok := c.Span.Attributes[string(r.Key)]; ok {
		return found{value: v, ok: true}
	}
	o, known := envoyNames[c.Table.Kind][r.Key]
	raw, isString := c.Span.Attributes[o.name].(string)
	if !known || !isString {
		return found{}
	}
	v, err := o.read(raw)
	switch {
	case err != nil:
		return found{value: raw, older: o.name, ok: c.Naming == Envoy, unreadable: err.Error()}
	case v == nil:
		return found{}
	}
	return found{value: v, older: o.name, ok: c.Naming == Envoy}
}

func (c Card) check(r Rule, x Exchange, n need) AttributeCheck {
	a := AttributeCheck{Attribute: string(r.Key), Level: string(r.Level), Type: string(r.Type)}
	if r.Template {
		a.Attribute += "<key>"
	}
	if r.When != nil {
		a.Condition = r.When.Text
	}
	var want Expect
	if r.Want != nil {
		want = r.Want(x)
		a.Expected = want.Describe
	}
	f := c.lookup(r)
	v, older := f.value, f.older
	if !f.ok {
		switch {
		case n == absent || (n == optional && r.Level != OptIn): // a condition that does not hold, or cannot be seen
			a.Result, a.Expected = NotApplicable, ""
		case n == optional:
			a.Result = NotSet
		default:
			a.Result = Missing
		}
		if older != "" {
			a.Note = fmt.Sprintf("Envoy's %s is set: attributeNaming envoy would score it as a deviation", older)
		}
		return a
	}
	a.Seen = spans.FormatValue(v)
	if older != "" {
		a.SeenAs, a.Seen = older, spans.FormatValue(c.Span.Attributes[older])
	}
	switch {
	case f.unreadable != "": // a value that is there but does not read is wrong, never missing
		a.Result, a.Note = WrongValue, fmt.Sprintf("%s %s cannot be read as %s: %s", older, a.Seen, r.Key, f.unreadable)
	case n == absent:
		a.Result, a.Note = Unexpected, "set although the condition does not hold"
	case !ofType(v, r.Type):
		a.Result, a.Expected = WrongType, string(r.Type)+" "+a.Expected
	case r.Want != nil && !want.Match(v) && (want.Redacted == nil || !want.Redacted(v)):
		a.Result = WrongValue
	case older != "":
		a.Result = Deviation
	case r.Want != nil && !want.Match(v): // redacted, then
		a.Result, a.Note = Redacted, RedactedNote
	default:
		a.Result = Present
	}
	return a
}

func ofType(v any, t Type) bool {
	switch t {
	case Int:
		_, ok := v.(int64)
		return ok
	case StringArray:
		vs, ok := v.([]any)
		for _, e := range vs {
			if _, isString := e.(string); !isString {
				return false
			}
		}
		return ok
	}
	_, ok := v.(string)
	return ok
}

// Problems are what fails the span: a required attribute missing, any attribute of the wrong
// type or value, or an Envoy naming the span no longer uses.
func (c Card) Problems() []string {
	var out []string
	for _, d := range c.Differences() {
		out = append(out, d.String())
	}
	return out
}

// Differences are the problems (Problems) as typed differences, each shown as Problems says it:
// what the conventions expect of the attribute, and what the span had.
func (c Card) Differences() []difference.Difference {
	var out []difference.Difference
	deviations := 0
	for i, a := range c.Checks {
		switch {
		case a.Result == Deviation:
			deviations++
		case a.Result == Missing && c.needs[i] == required:
			out = append(out, difference.Difference{Expected: describe(a) + " " + a.Expected, Got: "missing",
				Shown: describe(a) + ": missing, expected " + a.Expected + withNote(a)})
		case a.Result == WrongType || a.Result == WrongValue:
			out = append(out, difference.Difference{Expected: describe(a) + " " + a.Expected, Got: seen(a),
				Shown: fmt.Sprintf("%s: %s, expected %s, got %s%s", describe(a), a.Result, a.Expected, seen(a), withNote(a))})
		}
	}
	if c.Naming == Envoy && deviations == 0 {
		out = append(out, difference.Difference{Expected: "an attribute under an Envoy name (attributeNaming envoy)", Got: "none",
			Shown: "attributeNaming envoy is declared, but no attribute was found under an Envoy name: declare attributeNaming semconv"})
	}
	return out
}

// Deviations are the attributes read from Envoy's older names, by older name in the table's
// order, e.g. "http.url for url.path, url.scheme".
func (c Card) Deviations() []string {
	var names []string
	byName := map[string][]string{}
	for _, a := range c.Checks {
		if a.Result == Deviation {
			if byName[a.SeenAs] == nil {
				names = append(names, a.SeenAs)
			}
			byName[a.SeenAs] = append(byName[a.SeenAs], a.Attribute)
		}
	}
	var out []string
	for _, n := range names {
		out = append(out, n+" for "+strings.Join(byName[n], ", "))
	}
	return out
}

// Gaps are what makes the span advisory (framework/verdict): a recommended attribute missing, or an attribute set
// where the convention says it should not be.
func (c Card) Gaps() []string {
	var out []string
	for i, a := range c.Checks {
		if (a.Result == Missing && c.needs[i] == recommended) || a.Result == Unexpected {
			out = append(out, fmt.Sprintf("%s: %s", describe(a), a.Result))
		}
	}
	return out
}

func describe(a AttributeCheck) string {
	if a.Condition != "" {
		return fmt.Sprintf("%s (%s, %s)", a.Attribute, a.Level, a.Condition)
	}
	return fmt.Sprintf("%s (%s)", a.Attribute, a.Level)
}

func seen(a AttributeCheck) string {
	if a.SeenAs != "" {
		return a.Seen + " as " + a.SeenAs
	}
	return a.Seen
}

func withNote(a AttributeCheck) string {
	if a.Note == "" {
		return ""
	}
	return " (" + a.Note + ")"
}

// Report is the card as the conformance report keeps it.
func (c Card) Report() SpanScore {
	return SpanScore{Version: Version, AttributeNaming: string(c.Naming), Request: c.Exchange.String(), Kind: string(c.Table.Kind),
		Name: SpanName(c.Span, c.Exchange), Attributes: c.Checks}
}

// SpanName compares the span's name with the conventions' recommendation, "{method} {target}"
// or, without a low-cardinality target, "{method}": the target is http.route on a server span
// and url.template on a client span; an unknown method is "HTTP". Informational only.
func SpanName(s spans.Span, x Exchange) NameCheck {
	method := RecordedMethod(x.Method)
	if method == semconv.HTTPRequestMethodOther.Value.AsString() {
		method = "HTTP"
	}
	target := semconv.HTTPRouteKey
	if s.Kind == spans.KindClient {
		target = semconv.URLTemplateKey
	}
	recommended := method
	if t, _ := s.Attributes[string(target)].(string); t != "" {
		recommended += " " + t
	}
	return NameCheck{Seen: s.Name, Recommended: recommended, Follows: s.Name == recommended}
}
