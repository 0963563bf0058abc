package widget

import (
	"fmt"
	"strconv"
	"strings"
)

// Coercion of raw option values shared by the bindings (options_bind.go,
// docs/widget.md, "Coercion").

func indexOf(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return len(list)
}

func coerceString(v any) (string, error) {
	switch x := v.(type) {
	case string:
		return strings.TrimSpace(x), nil
	case float64:
		return formatNumber(x), nil
	case bool:
		return strconv.FormatBool(x), nil
	case fmt.Stringer:
		return x.String(), nil
	}
	return "", fmt.Errorf("must be a string, not %s", describe(v))
}

// coerceList accepts a comma-separated string or an array of scalars.
func coerceList(v any, escaped bool) ([]string, error) {
	var items []string
	switch x := v.(type) {
	case string:
		if escaped {
			items = splitEscaped(x, ',')
		} else {
			items = strings.Split(x, ",")
		}
	case []any:
		for _, e := range x {
			switch y := e.(type) {
			case []any: // options of one custom field given as an array
				parts := make([]string, 0, len(y))
				for _, z := range y {
					s, err := coerceString(z)
					if err != nil {
						return nil, fmt.Errorf("list item: %v", err)
					}
					parts = append(parts, s)
				}
				items = append(items, strings.Join(parts, ";"))
			default:
				s, err := coerceString(e)
				if err != nil {
					return nil, fmt.Errorf("list item: %v", err)
				}
				items = append(items, s)
			}
		}
	default:
		s, err := coerceString(v)
		if err != nil {
			return nil, fmt.Errorf("must be a comma-separated list or an array, not %s", describe(v))
		}
		items = []string{s}
	}
	for i := range items {
		items[i] = strings.TrimSpace(items[i])
	}
	if escaped {
		return items, nil // positions matter for custom fields
	}
	out := items[:0]
	for _, s := range items {
		if s != "" {
			out = append(out, s)
		}
	}
	return out, nil
}

func contains(list []string, s string) bool { return indexOf(list, s) < len(list) }
