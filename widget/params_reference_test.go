package widget

import (
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite docs/widget-parameters.md from the parameter table")

const referencePath = "../docs/widget-parameters.md"

// sectionTitles are the groups of the parameter table, in the order of the
// reference.
var sectionTitles = []struct{ section, title string }{
	{"2.2", "Launch button and display"},
	{"2.3", "Behaviour"},
	{"2.4", "Subscriptions"},
	{"2.5", "Installments"},
	{"2.6", "Inline styles"},
	{"2.7", "Deadlines of konbini and bank transfer"},
	{"2.8", "Custom fields"},
	{"2.9", "Metadata"},
	{"1.2", "JavaScript only"},
	{"1.3", "JavaScript only, inline mode"},
}

var readerText = map[Reader]string{
	ReadNone:        "not yet",
	ReadLoader:      "loader",
	ReadScreen:      "screen",
	ReadForm:        "form",
	ReadRequest:     "API request",
	ReadResult:      "result",
	ReadLifecycle:   "lifecycle",
	ReadInlineStyle: "inline form",
	ReadLocale:      "texts",
}

// parameterReference renders docs/widget-parameters.md from the table.
func parameterReference() string {
	var b strings.Builder
	b.WriteString(`# Widget parameters

<!-- Generated from widget/params.go by ` + "`go test ./widget -run TestParameterReference -update`" + `; do not edit. -->

Every parameter of the checkout widget, from the parameter table (` + "`widget/params.go`" + `). How values
are read (booleans, amounts, lists, dates) is in [widget.md](widget.md), "Coercion"; the rules between
parameters in "Configuration errors".

- **HTML**: the attribute of ` + "`<span data-app-id …>`" + `, aliases after it; **JS**: the option of
  ` + "`UnivapayCheckout.create()`" + `. A dash: the parameter does not exist in that mode.
- **Type**: the coercion, and the accepted values of an enumeration.
- **Popup**, **Inline**: whether the popup and the inline form apply it (an inline form ignores the others
  with a warning).
- **Link form**: the name of the matching query parameter of UnivaPay's link form (its hosted payment
  page); Kessai has no link form.
- **Read by**: what acts on it: ` + "`loader`" + ` (the script on the merchant page), ` + "`screen`" + ` (the checkout's
  screens), ` + "`form`" + ` (the card form's fields), ` + "`API request`" + `, ` + "`result`" + ` (the hidden inputs),
  ` + "`lifecycle`" + ` (closing and timers), ` + "`inline form`" + ` (its elements' styles), ` + "`texts`" + ` (the language);
  ` + "`not yet`" + `: parsed and validated, but it does nothing yet.
- *ext.*: a Kessai extension, not in UnivaPay's documentation; *deprecated*: accepted and ignored with a
  warning.
`)
	code := func(s string) string { return "`" + s + "`" }
	yes := func(v bool) string {
		if v {
			return "yes"
		}
		return "no"
	}
	for _, sec := range sectionTitles {
		fmt.Fprintf(&b, "\n## %s\n\n", sec.title)
		b.WriteString("| HTML | JS | Type | Default | Popup | Inline | Link form | Read by | Effect |\n")
		b.WriteString("|---|---|---|---|---|---|---|---|---|\n")
		for _, q := range paramTable {
			if q.Section != sec.section {
				continue
			}
			html, js := "—", "—"
			if attrs := q.Attrs(); len(attrs) > 0 {
				parts := make([]string, len(attrs))
				for i, a := range attrs {
					parts[i] = code(a)
				}
				html = strings.Join(parts, ", ")
			}
			if names := q.OptionNames(); len(names) > 0 {
				parts := make([]string, len(names))
				for i, n := range names {
					parts[i] = code(n)
				}
				js = strings.Join(parts, ", ")
			}
			typ := q.Kind.String()
			if len(q.Values) > 0 {
				vs := make([]string, len(q.Values))
				for i, v := range q.Values {
					vs[i] = code(v)
				}
				typ += ": " + strings.Join(vs, ", ")
			}
			def := "—"
			if q.Default != "" {
				def = code(q.Default)
			}
			link := "—"
			if q.LinkForm != "" {
				name, note, _ := strings.Cut(q.LinkForm, " ")
				link = strings.TrimSpace(code(name) + " " + note)
			}
			reader := readerText[q.ReadBy]
			if q.Deprecated {
				reader = "ignored"
			}
			effect := q.Effect
			switch {
			case q.Deprecated:
				effect = "*deprecated.* " + effect
			case q.Extension:
				effect = "*ext.* " + effect
			}
			fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n",
				html, js, typ, def, yes(!q.InlineOnly), yes(q.Inline), link, reader, strings.ReplaceAll(effect, "|", `\|`))
		}
	}
	return b.String()
}

// TestParameterReference fails when docs/widget-parameters.md is not what
// the parameter table gives; -update rewrites it.
func TestParameterReference(t *testing.T) {
	want := parameterReference()
	if *update {
		if err := os.WriteFile(referencePath, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	got, err := os.ReadFile(referencePath)
	if err != nil {
		t.Fatalf("%v (run go test ./widget -run TestParameterReference -update)", err)
	}
	if string(got) != want {
		t.Errorf("%s is stale: run go test ./widget -run TestParameterReference -update", referencePath)
	}
	// Every row is in one of the reference's sections and says what it does.
	known := map[string]bool{}
	for _, s := range sectionTitles {
		known[s.section] = true
	}
	for _, q := range paramTable {
		if !known[q.Section] {
			t.Errorf("%s: section %q is not in the reference", q.Name, q.Section)
		}
		if strings.TrimSpace(q.Effect) == "" {
			t.Errorf("%s: no effect text", q.Name)
		}
	}
}
