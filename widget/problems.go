package widget

import (
	"strconv"
	"strings"
)

// Problem is one invalid or ignored merchant parameter (docs/widget.md,
// "Configuration errors").
type Problem struct {
	// Param is the canonical (JS) parameter name, e.g. "amount"; for
	// attributes that are not parameters, the attribute name.
	Param string `json:"field"`
	// Reason says why, in English, for the console and the config error.
	Reason string `json:"reason"`
	// Value is the value the merchant gave, as given (empty when the
	// parameter was not given), so that every message names both.
	Value string `json:"value,omitempty"`
	// Warning problems are logged and ignored; the others are
	// configuration errors that stop the widget.
	Warning bool `json:"warning,omitempty"`
}

func (p Problem) String() string {
	kind := "error"
	if p.Warning {
		kind = "warning"
	}
	return kind + ": " + p.Named() + ": " + p.Reason
}

// Named is the parameter with the value the merchant gave:
// `paymentMethods="konbini"`, or the bare name when none was given.
func (p Problem) Named() string {
	if p.Value == "" {
		return p.Param
	}
	return p.Param + "=" + strconv.Quote(p.Value)
}

// Problems is a list of problems in the order found.
type Problems []Problem

// Errors returns only the configuration errors.
func (ps Problems) Errors() Problems { return ps.filter(false) }

// Warnings returns only the warnings.
func (ps Problems) Warnings() Problems { return ps.filter(true) }

// HasErrors reports whether at least one problem is an error.
func (ps Problems) HasErrors() bool { return len(ps.Errors()) > 0 }

// Params returns the parameter names of the problems, in order, without
// duplicates.
func (ps Problems) Params() []string {
	var out []string
	seen := map[string]bool{}
	for _, p := range ps {
		if !seen[p.Param] {
			seen[p.Param] = true
			out = append(out, p.Param)
		}
	}
	return out
}

// Error joins the problems; it lets Problems be used as an error value.
func (ps Problems) Error() string {
	s := make([]string, len(ps))
	for i, p := range ps {
		s[i] = p.String()
	}
	return strings.Join(s, "; ")
}

func (ps Problems) filter(warning bool) Problems {
	var out Problems
	for _, p := range ps {
		if p.Warning == warning {
			out = append(out, p)
		}
	}
	return out
}

func (ps *Problems) errorf(param, reason string) {
	*ps = append(*ps, Problem{Param: paramName(param), Reason: reason})
}

func (ps *Problems) warnf(param, reason string) {
	*ps = append(*ps, Problem{Param: paramName(param), Reason: reason, Warning: true})
}

// paramName is how a problem names a parameter: as given, or `""` for an
// option or attribute with an empty name, so that the message still
// points at something.
func paramName(param string) string {
	if param == "" {
		return `""`
	}
	return param
}
