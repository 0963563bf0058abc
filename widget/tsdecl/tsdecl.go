// Package tsdecl generates the TypeScript declarations of the checkout
// widget's global UnivapayCheckout (docs/widget.md, "The typed contract"):
// the create() options from the parameter table (widget.Params), the
// callbacks and the univapay:* window events from the event table
// (widget.Events), and the submit() result and rejection, by reflection on
// the Go types and their JSON tags, as encoding/json writes them. The API
// objects the details carry (token, charge, subscription) are declared from
// the api package's types, camelCased as the widget sends them.
//
// server/web serves the result at /client/checkout.d.ts; docs/checkout.d.ts
// is a checked-in copy that a test keeps current.
package tsdecl

import (
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"

	"kessai/api"
	"kessai/widget"
)

// Generate returns the declarations.
func Generate() (string, error) {
	g := &gen{named: map[string]reflect.Type{}, decls: map[string]string{}}
	var b strings.Builder
	b.WriteString(header)
	b.WriteString("declare namespace UnivapayCheckout {\n")

	// Options.
	b.WriteString(doc(1, "The options of UnivapayCheckout.create(): the JavaScript names of the widget's parameters. "+
		"Function-valued options are the callbacks, each called with the detail of its univapay:* event just before the event is dispatched."))
	b.WriteString("  interface Options {\n")
	callbacks := map[string]widget.EventSpec{}
	for _, e := range widget.Events() {
		callbacks[e.Callback] = e
	}
	for _, p := range widget.Params() {
		if p.Avail == widget.HTMLOnly {
			continue
		}
		if p.Kind == widget.KindCallback {
			e, ok := callbacks[p.Name]
			if !ok {
				return "", fmt.Errorf("tsdecl: callback option %q has no event in widget.Events()", p.Name)
			}
			t, err := g.typeOf(reflect.TypeOf(e.Detail))
			if err != nil {
				return "", fmt.Errorf("tsdecl: %s: %w", e.Name, err)
			}
			b.WriteString(doc(2, "Called with the detail of "+e.Name+", just before the event: "+e.When))
			fmt.Fprintf(&b, "    %s?: (detail: %s) => void;\n", p.Name, t)
			continue
		}
		t, err := paramType(p)
		if err != nil {
			return "", err
		}
		opt := "?"
		if p.Name == "appId" {
			opt = ""
		}
		b.WriteString(doc(2, paramDoc(p)))
		fmt.Fprintf(&b, "    %s%s: %s;\n", p.Name, opt, t)
		for _, a := range p.JSAliases {
			b.WriteString(doc(2, "@deprecated Alias of `"+p.Name+"`."))
			fmt.Fprintf(&b, "    %s?: %s;\n", a, t)
		}
	}
	b.WriteString("  }\n\n")

	// The checkout object and the global.
	b.WriteString(`  /** What UnivapayCheckout.create() returns. */
  interface Checkout {
    /** Shows the popup; with inline: true, inserts the inline form (a later open() after close() inserts a new one). */
    open(): void;
    /** Closes the popup, or removes an inline form; univapay:closed fires. */
    close(): void;
    /** UnivapayCheckout.submit() on this checkout's inline form. */
    submit(): Promise<SubmitResult>;
  }

  /** The global UnivapayCheckout. */
  interface Static {
    /** A checkout configured in JavaScript; nothing is shown until open(). */
    create(options: Options): Checkout;
    /**
     * Validates an inline form and pays with its options. Resolves with SubmitResult once the hidden inputs are in
     * the form; rejects with a SubmitError (an Error with code and message, see SubmitRejection and
     * LoaderRejection). A second call while one is pending returns the same Promise.
     */
    submit(iframe: Element | Window | null | undefined): Promise<SubmitResult>;
  }

`)
	// Unions.
	fmt.Fprintf(&b, "  /** The stage of a failure (ErrorDetail.stage). */\n  type ErrorStage = %s;\n\n", union(widget.ErrorStages))
	fmt.Fprintf(&b, "  /** A rejection the loader makes by itself, without the checkout frame: code and message only. */\n"+
		"  interface LoaderRejection {\n    code: %s;\n    message: string;\n  }\n\n", union(widget.LoaderRejectionCodes))
	b.WriteString("  /** What submit() rejects with: an Error carrying a SubmitRejection's fields, or a LoaderRejection's. */\n" +
		"  type SubmitError = Error & (SubmitRejection | LoaderRejection);\n\n")

	// The event map.
	b.WriteString(doc(1, "The detail of each univapay:* window event (a CustomEvent on window)."))
	b.WriteString("  interface EventDetails {\n")
	for _, e := range widget.Events() {
		t, err := g.typeOf(reflect.TypeOf(e.Detail))
		if err != nil {
			return "", fmt.Errorf("tsdecl: %s: %w", e.Name, err)
		}
		b.WriteString(doc(2, e.When))
		fmt.Fprintf(&b, "    %q: %s;\n", e.Name, t)
	}
	b.WriteString("  }\n\n")

	// Results.
	for _, v := range []any{widget.SubmitResult{}, widget.SubmitRejection{}} {
		if _, err := g.typeOf(reflect.TypeOf(v)); err != nil {
			return "", err
		}
	}
	// API objects reachable only through ts tags.
	for _, v := range []any{api.TransactionToken{}, api.Charge{}, api.Subscription{}, widget.ErrorInfo{}} {
		if _, err := g.typeOf(reflect.TypeOf(v)); err != nil {
			return "", err
		}
	}
	for len(g.queue) > 0 {
		t := g.queue[0]
		g.queue = g.queue[1:]
		decl, err := g.declare(t)
		if err != nil {
			return "", err
		}
		g.decls[t.Name()] = decl
	}
	names := make([]string, 0, len(g.decls))
	for n := range g.decls {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		b.WriteString(g.decls[n])
		b.WriteString("\n")
	}
	b.WriteString("}\n\n")
	b.WriteString("declare var UnivapayCheckout: UnivapayCheckout.Static;\n\n")
	b.WriteString("interface WindowEventMap {\n")
	for _, e := range widget.Events() {
		fmt.Fprintf(&b, "  %q: CustomEvent<UnivapayCheckout.EventDetails[%q]>;\n", e.Name, e.Name)
	}
	b.WriteString("}\n")
	return b.String(), nil
}

const header = `// Code generated by Kessai from its Go types (widget/tsdecl); DO NOT EDIT.
//
// TypeScript declarations of the UnivaPay checkout widget (client/checkout.js): the global
// UnivapayCheckout, the options of create() and their callbacks, the univapay:* window events
// and what submit() resolves and rejects with. Copy this file into your project (or reference it
// with /// <reference path="checkout.d.ts" />); no import is needed.

`

// gen collects the named types the declarations use.
type gen struct {
	named map[string]reflect.Type
	queue []reflect.Type
	decls map[string]string
}

var (
	rawMessage = reflect.TypeFor[json.RawMessage]()
	jsonNumber = reflect.TypeFor[json.Number]()
)

// tsTyper is implemented by types with a MarshalJSON of their own that
// know their TypeScript type.
type tsTyper interface{ TSType() string }

// typeOf is the TypeScript type of a Go type, queueing the structs it names.
func (g *gen) typeOf(t reflect.Type) (string, error) {
	if t.Kind() == reflect.Pointer {
		inner, err := g.typeOf(t.Elem())
		if err != nil {
			return "", err
		}
		return inner + " | null", nil
	}
	if tt, ok := reflect.Zero(t).Interface().(tsTyper); ok {
		if err := g.refer(tt.TSType()); err != nil {
			return "", err
		}
		return tt.TSType(), nil
	}
	switch t {
	case rawMessage:
		return "unknown", nil
	case jsonNumber:
		return "number", nil
	}
	switch t.Kind() {
	case reflect.String:
		return "string", nil
	case reflect.Bool:
		return "boolean", nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Float32, reflect.Float64:
		return "number", nil
	case reflect.Slice, reflect.Array:
		inner, err := g.typeOf(t.Elem())
		if err != nil {
			return "", err
		}
		if strings.ContainsAny(inner, " |") {
			inner = "(" + inner + ")"
		}
		return inner + "[]", nil
	case reflect.Map:
		if t.Key().Kind() != reflect.String {
			return "", fmt.Errorf("map key %v", t.Key())
		}
		inner, err := g.typeOf(t.Elem())
		if err != nil {
			return "", err
		}
		return "{ [key: string]: " + inner + " }", nil
	case reflect.Interface:
		return "unknown", nil
	case reflect.Struct:
		if t.Name() == "" {
			return "", fmt.Errorf("anonymous struct %v", t)
		}
		if prev, ok := g.named[t.Name()]; ok && prev != t {
			return "", fmt.Errorf("two types named %s: %v and %v", t.Name(), prev, t)
		}
		if _, ok := g.named[t.Name()]; !ok {
			g.named[t.Name()] = t
			g.queue = append(g.queue, t)
		}
		return t.Name(), nil
	}
	return "", fmt.Errorf("no TypeScript type for %v", t)
}

// refer queues the API and widget types a ts tag names.
func (g *gen) refer(ts string) error {
	known := map[string]reflect.Type{
		"TransactionToken": reflect.TypeFor[api.TransactionToken](),
		"Charge":           reflect.TypeFor[api.Charge](),
		"Subscription":     reflect.TypeFor[api.Subscription](),
		"ErrorInfo":        reflect.TypeFor[widget.ErrorInfo](),
	}
	for _, word := range strings.FieldsFunc(ts, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z')
	}) {
		if t, ok := known[word]; ok {
			if _, err := g.typeOf(t); err != nil {
				return err
			}
		}
	}
	return nil
}

// field is one JSON property of a struct.
type field struct {
	name     string
	ts       string
	optional bool
	doc      string
}

// declare writes the interface of a struct type; the API's types are
// camelCased as the widget sends them (docs/widget.md, "Events and
// callbacks").
func (g *gen) declare(t reflect.Type) (string, error) {
	camel := t.PkgPath() == "kessai/api"
	fields, err := g.fields(t, camel)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	if t.NumField() == 0 {
		fmt.Fprintf(&b, "  /** The empty object {}. */\n  type %s = Record<string, never>;\n", t.Name())
		return b.String(), nil
	}
	if camel {
		fmt.Fprintf(&b, "  /** The API's %s object, camelCased as the widget passes it (metadata keys as they are). */\n", t.Name())
	}
	fmt.Fprintf(&b, "  interface %s {\n", t.Name())
	for _, f := range fields {
		if f.doc != "" {
			b.WriteString(doc(2, f.doc))
		}
		opt := ""
		if f.optional {
			opt = "?"
		}
		fmt.Fprintf(&b, "    %s%s: %s;\n", f.name, opt, f.ts)
	}
	b.WriteString("  }\n")
	return b.String(), nil
}

// fields lists the JSON properties of a struct as encoding/json writes
// them: embedded structs without a name are flattened, and a field of the
// outer struct hides one of the same name in an embedded struct.
func (g *gen) fields(t reflect.Type, camel bool) ([]field, error) {
	var out []field
	seen := map[string]bool{}
	var embedded []reflect.Type
	for i := range t.NumField() {
		sf := t.Field(i)
		if !sf.IsExported() {
			continue
		}
		tag := sf.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if sf.Anonymous && name == "" && sf.Type.Kind() == reflect.Struct {
			embedded = append(embedded, sf.Type)
			continue
		}
		if name == "" {
			name = sf.Name
		}
		if camel {
			name = widget.SnakeToCamel(name)
		}
		ts := sf.Tag.Get("ts")
		if ts != "" {
			if err := g.refer(ts); err != nil {
				return nil, err
			}
		} else {
			var err error
			if ts, err = g.typeOf(sf.Type); err != nil {
				return nil, fmt.Errorf("%s.%s: %w", t.Name(), sf.Name, err)
			}
		}
		optional := strings.Contains(","+opts+",", ",omitempty,") || strings.Contains(","+opts+",", ",omitzero,")
		if optional {
			ts = strings.TrimSuffix(ts, " | null")
		}
		seen[name] = true
		out = append(out, field{name: name, ts: ts, optional: optional})
	}
	for _, et := range embedded {
		inner, err := g.fields(et, camel)
		if err != nil {
			return nil, err
		}
		for _, f := range inner {
			if !seen[f.name] {
				seen[f.name] = true
				out = append(out, f)
			}
		}
	}
	return out, nil
}

// paramType is the TypeScript type of a parameter's option: the values its
// kind's coercion accepts (docs/widget.md, "Coercion"), strictly typed where
// the table knows the values.
func paramType(p widget.Param) (string, error) {
	switch p.Kind {
	case widget.KindString, widget.KindCurrency, widget.KindCSS, widget.KindCustomList,
		widget.KindDuration, widget.KindDateTime, widget.KindDate, widget.KindTimeShift:
		return "string", nil
	case widget.KindBool:
		return "boolean", nil
	case widget.KindInt:
		return "number", nil
	case widget.KindAmount:
		// An integer in minor units, or a decimal string in major units.
		return "number | string", nil
	case widget.KindEnum, widget.KindLocale:
		if len(p.Values) == 0 {
			return "", fmt.Errorf("tsdecl: %s: an enum without values", p.Name)
		}
		return union(p.Values), nil
	case widget.KindEnumList:
		return "(" + union(p.Values) + ")[] | string", nil
	case widget.KindList:
		return "string[] | string", nil
	case widget.KindIntList:
		return "number[] | string", nil
	case widget.KindMetadata:
		return "{ [key: string]: unknown } | string", nil
	case widget.KindPeriod:
		return union(p.Values) + " | `P${number}${\"D\" | \"W\" | \"M\" | \"Y\"}`", nil
	case widget.KindElement:
		return "HTMLElement | string", nil
	}
	return "", fmt.Errorf("tsdecl: %s: no TypeScript type for kind %s", p.Name, p.Kind)
}

func paramDoc(p widget.Param) string {
	var parts []string
	switch {
	case p.Deprecated && p.Effect != "":
		parts = append(parts, "@deprecated "+p.Effect)
	case p.Deprecated:
		parts = append(parts, "@deprecated Accepted and ignored.")
	case p.Effect != "":
		parts = append(parts, p.Effect)
	}
	var facts []string
	if a := p.HTML(); a != "" {
		facts = append(facts, "HTML `"+a+"`")
	}
	if p.Default != "" {
		facts = append(facts, "default `"+p.Default+"`")
	}
	if p.InlineOnly {
		facts = append(facts, "inline form only")
	} else if !p.Inline {
		facts = append(facts, "not in an inline form")
	}
	if p.Extension {
		facts = append(facts, "a Kessai extension")
	}
	if len(facts) > 0 {
		parts = append(parts, strings.Join(facts, "; ")+".")
	}
	return strings.Join(parts, " ")
}

// union is a TypeScript union of string literals.
func union(values []string) string {
	q := make([]string, len(values))
	for i, v := range values {
		q[i] = strconv.Quote(v)
	}
	return strings.Join(q, " | ")
}

// doc is a JSDoc comment at an indentation level, wrapped at about 110
// columns.
func doc(level int, text string) string {
	if text == "" {
		return ""
	}
	ind := strings.Repeat("  ", level)
	text = strings.ReplaceAll(text, "*/", "* /")
	words := strings.Fields(text)
	var lines []string
	line := ""
	for _, w := range words {
		if line != "" && len(ind)+3+len(line)+1+len(w) > 110 {
			lines = append(lines, line)
			line = ""
		}
		if line != "" {
			line += " "
		}
		line += w
	}
	lines = append(lines, line)
	if len(lines) == 1 {
		return ind + "/** " + lines[0] + " */\n"
	}
	var b strings.Builder
	b.WriteString(ind + "/**\n")
	for _, l := range lines {
		b.WriteString(ind + " * " + l + "\n")
	}
	b.WriteString(ind + " */\n")
	return b.String()
}
