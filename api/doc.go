// Package api holds the wire types of the Kessai REST API: request and
// response bodies, the checkout_info object, the error body and the error
// and validation codes (see docs/architecture.md and api.md).
//
// It is the one definition of the API contract shared by the server, the
// widget (compiled to wasm) and the example merchant back end, so it depends
// on the standard library only and performs no I/O. All JSON field names are
// snake_case exactly as in api.md. Timestamps are ISO-8601 UTC strings with
// fractional seconds and a trailing "Z" (see TimeFormat).
package api

import "time"

// TimeFormat is the layout of every timestamp the API emits, e.g.
// "2024-06-25T03:58:49.321896Z". Format times in UTC.
const TimeFormat = "2006-01-02T15:04:05.000000Z"

// FormatTime renders t in UTC with TimeFormat.
func FormatTime(t time.Time) string { return t.UTC().Format(TimeFormat) }

// ParseTime parses an ISO-8601 / RFC 3339 timestamp (with or without
// fractional seconds) as sent by clients or emitted by the server.
func ParseTime(s string) (time.Time, error) { return time.Parse(time.RFC3339Nano, s) }
