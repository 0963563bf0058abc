package sqlite

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"strings"

	msqlite "modernc.org/sqlite"
)

// driverName is modernc.org/sqlite's driver with a cache of prepared
// statements per connection (docs/performance.md, "SQLite"). The driver
// compiles the SQL of every Exec and Query anew; most of our statements
// are a few fixed strings run again and again, and compiling them cost a
// third of the committer's time. A connection here keeps each statement it
// compiled, by its text, and runs it again with the new arguments.
const driverName = "sqlite-kessai"

func init() { sql.Register(driverName, cachingDriver{&msqlite.Driver{}}) }

// maxConnStmts bounds the statements a connection keeps (list queries vary
// with their filters).
const maxConnStmts = 256

type cachingDriver struct{ d driver.Driver }

func (d cachingDriver) Open(name string) (driver.Conn, error) {
	c, err := d.d.Open(name)
	if err != nil {
		return nil, err
	}
	return &cachingConn{Conn: c, stmts: map[string]*cachedStmt{}}, nil
}

// innerConn is what the modernc.org/sqlite connection implements.
type innerConn interface {
	driver.Conn
	driver.ConnBeginTx
	driver.ExecerContext
	driver.QueryerContext
	driver.ConnPrepareContext
}

// cachingConn is a connection with its compiled statements. database/sql
// uses a connection from one goroutine at a time.
type cachingConn struct {
	driver.Conn
	stmts map[string]*cachedStmt
}

type cachedStmt struct {
	driver.Stmt
	busy bool // its rows are being read: a nested use compiles another
}

func (c *cachingConn) inner() innerConn { return c.Conn.(innerConn) }

func (c *cachingConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	return c.inner().BeginTx(ctx, opts)
}

func (c *cachingConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	return c.inner().PrepareContext(ctx, query)
}

// ResetSession and IsValid pass through when the connection has them.
func (c *cachingConn) ResetSession(ctx context.Context) error {
	if r, ok := c.Conn.(driver.SessionResetter); ok {
		return r.ResetSession(ctx)
	}
	return nil
}

func (c *cachingConn) Close() error {
	for _, s := range c.stmts {
		s.Close()
	}
	clear(c.stmts)
	return c.Conn.Close()
}

// cacheable reports whether query is one statement: the driver runs the
// statements of a longer text one after the other, a prepared statement
// only the first.
func cacheable(query string) bool {
	return !strings.Contains(strings.TrimRight(strings.TrimSpace(query), ";"), ";")
}

// stmt returns the compiled query, compiling and keeping it if needed; nil
// when the connection should run the text itself.
func (c *cachingConn) stmt(ctx context.Context, query string) (*cachedStmt, error) {
	if s := c.stmts[query]; s != nil {
		if s.busy {
			return nil, nil
		}
		return s, nil
	}
	if !cacheable(query) || len(c.stmts) >= maxConnStmts {
		return nil, nil
	}
	st, err := c.inner().PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	s := &cachedStmt{Stmt: st}
	c.stmts[query] = s
	return s, nil
}

func (c *cachingConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	s, err := c.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	if s == nil {
		return c.inner().ExecContext(ctx, query, args)
	}
	return s.Stmt.(driver.StmtExecContext).ExecContext(ctx, args)
}

func (c *cachingConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	s, err := c.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	if s == nil {
		return c.inner().QueryContext(ctx, query, args)
	}
	rows, err := s.Stmt.(driver.StmtQueryContext).QueryContext(ctx, args)
	if err != nil {
		return nil, err
	}
	s.busy = true
	return &cachedRows{Rows: rows, s: s}, nil
}

// cachedRows frees its statement for the next use when closed.
type cachedRows struct {
	driver.Rows
	s *cachedStmt
}

func (r *cachedRows) Close() error {
	r.s.busy = false
	return r.Rows.Close()
}

// ColumnTypeScanType and the other optional interfaces of the rows are
// not needed by our scans (documents and plain columns).
