package server

import (
	"context"
	"errors"
	"net/url"
	"strconv"
	"strings"

	"kessai/api"
	"kessai/server/domain"

	"github.com/google/uuid"
)

// listParams reads the query parameters every list shares
// (docs/sandbox-api.md, "Lists"): limit (10–100, default 10), cursor (an
// item ID, exclusive), cursor_direction (asc|desc), from, to, mode and
// metadata (key:value[,key:value]).
func listParams(q url.Values) (domain.Page, domain.Filters, error) {
	var errs []api.FieldError
	add := func(field, reason string) { errs = append(errs, api.FieldError{Field: field, Reason: reason}) }
	p := domain.Page{Limit: api.ListLimitDefault, Cursor: strings.TrimSpace(q.Get("cursor"))}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < api.ListLimitMin || n > api.ListLimitMax {
			add("limit", "Limit must be between 10 and 100")
		} else {
			p.Limit = n
		}
	}
	if p.Cursor != "" && !validUUID(p.Cursor) {
		add("cursor", api.ReasonInvalidFormatUUID)
	}
	switch strings.ToLower(q.Get("cursor_direction")) {
	case "", "desc":
	case "asc":
		p.Asc = true
	default:
		add("cursor_direction", api.ReasonInvalidFormat)
	}
	var f domain.Filters
	for _, k := range []string{"from", "to"} {
		v := q.Get(k)
		if v == "" {
			continue
		}
		t, err := api.ParseTime(v)
		if err != nil {
			add(k, api.ReasonInvalidFormatDate)
			continue
		}
		t = t.UTC()
		if k == "from" {
			f.From = &t
		} else {
			f.To = &t
		}
	}
	switch m := api.Mode(q.Get("mode")); m {
	case "":
	case api.ModeTest, api.ModeLive:
		f.Mode = m
	default:
		add("mode", api.ReasonInvalidFormat)
	}
	if v := q.Get("metadata"); v != "" {
		f.Metadata = map[string]string{}
		for _, pair := range strings.Split(v, ",") {
			k, val, ok := strings.Cut(pair, ":")
			if !ok || strings.TrimSpace(k) == "" {
				add("metadata", api.ReasonInvalidFormat)
				break
			}
			f.Metadata[strings.TrimSpace(k)] = strings.TrimSpace(val)
		}
	}
	if len(errs) > 0 {
		return p, f, api.ValidationError(errs...)
	}
	return p, f, nil
}

// listScope is what a caller may list: its store, or with "all stores"
// routes (GET /charges, /tokens, …) every store it may see, which for a
// store app token is still its own store (docs/sandbox-api.md, "Access").
func listScope(p *principal) domain.Scope {
	return domain.Scope{MerchantID: p.app.MerchantID, StoreID: p.app.StoreID}
}

// listError maps a storage list error: an unknown cursor is the caller's
// mistake.
func listError(err error) error {
	if errors.Is(err, domain.ErrCursor) {
		return api.ValidationError(api.FieldError{Field: "cursor", Reason: api.ReasonInvalidFormat})
	}
	return err
}

// listView renders one page of domain items as an API list.
func listView[T, V any](l domain.List[T], view func(T) V) api.List[V] {
	out := api.List[V]{Items: make([]V, 0, len(l.Items)), HasMore: l.HasMore, TotalHits: l.TotalHits}
	for _, it := range l.Items {
		out.Items = append(out.Items, view(it))
	}
	return out
}

// listViewErr is listView for a view that may fail: the first error is
// returned.
func listViewErr[T, V any](l domain.List[T], view func(T) (V, error)) (api.List[V], error) {
	var first error
	out := listView(l, func(it T) V {
		v, err := view(it)
		if first == nil {
			first = err
		}
		return v
	})
	return out, first
}

// storeNames looks up the merchant and store names that list items carry
// (api.StoreNames), each store once per list.
type storeNames struct {
	s     *Server
	ctx   context.Context
	cache map[string]storeNamesEntry
}

type storeNamesEntry struct {
	names api.StoreNames
	err   error
}

func (s *Server) storeNames(ctx context.Context) *storeNames {
	return &storeNames{s: s, ctx: ctx, cache: map[string]storeNamesEntry{}}
}

// of returns the names of a store; err is the failed storage read, if
// any, with what was read before it.
func (n *storeNames) of(storeID string) (api.StoreNames, error) {
	e, ok := n.cache[storeID]
	if !ok {
		e.err = n.read(storeID, &e.names)
		n.cache[storeID] = e
	}
	return e.names, e.err
}

func (n *storeNames) read(storeID string, names *api.StoreNames) error {
	st, err := n.s.storage.GetStore(n.ctx, storeID)
	if err != nil {
		return err
	}
	names.StoreName = st.Name
	m, err := n.s.storage.GetMerchant(n.ctx, st.MerchantID)
	if err != nil {
		return err
	}
	names.MerchantName = m.Name
	return nil
}

// validUUID reports whether s is a UUID (path IDs that are not are 404).
func validUUID(s string) bool {
	_, err := uuid.Parse(s)
	return err == nil && len(s) == 36
}
