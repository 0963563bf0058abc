// Package sqlstore is what the two SQL implementations of domain.Storage,
// server/sqlite and server/postgres, share (docs/architecture.md): the
// loader and version rule of their migration files.
package sqlstore
