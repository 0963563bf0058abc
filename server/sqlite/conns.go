package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"runtime"
	"sync"
)

// conns are the connections of a DB (docs/performance.md, "SQLite"):
//
//   - reads go to a pool of read-only connections, which WAL mode lets run
//     beside the writer and each other, each seeing the last commit;
//   - writes go to the committer, the one goroutine that owns the one
//     write connection. It runs the writes waiting at the start of a
//     transaction together, each in a savepoint of one transaction, and
//     commits them at once (a group commit): a write returns only when its
//     transaction is committed, so every acknowledged write is in the WAL
//     file, and a write that fails is rolled back alone.
//
// Entity code uses conns as it would a *sql.DB: QueryContext and
// QueryRowContext read, ExecContext writes one statement, inTx runs a
// read-modify-write. A statement that writes must go through ExecContext
// or inTx: the read connections refuse it (query_only).
type conns struct {
	read  *sql.DB
	write *sql.DB // one connection, used only by the committer (and migrations before it starts)

	reqs chan *writeReq
	done chan struct{} // closed when the committer has stopped

	mu        sync.Mutex
	readStmts map[string]*sql.Stmt // prepared statements of the read pool
	closed    bool
}

// A writeReq is a write waiting for the committer.
type writeReq struct {
	fn   func(tx *sql.Tx) error
	done chan error
}

const (
	// readConns is the size of the read pool.
	readConns = 4
	// maxBatch bounds the writes of one group commit.
	maxBatch = 256
	// maxReadStmts bounds the cache of prepared read statements (list
	// queries vary with their filters).
	maxReadStmts = 512
)

func newConns(read, write *sql.DB) *conns {
	return &conns{read: read, write: write, reqs: make(chan *writeReq, maxBatch), done: make(chan struct{}),
		readStmts: map[string]*sql.Stmt{}}
}

// start starts the committer.
func (c *conns) start() { go c.commitLoop() }

// Close stops the committer once the writes sent before are done, then
// closes the connections.
func (c *conns) Close() error {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return nil
	}
	c.closed = true
	c.mu.Unlock()
	close(c.reqs)
	<-c.done
	return errors.Join(c.read.Close(), c.write.Close())
}

var errClosed = errors.New("sqlite: database closed")

// inTx runs fn in a transaction of the committer, committed when fn
// returns nil and rolled back otherwise; it returns once that is done. fn
// must use only tx (never the DB, which would wait for itself).
func (c *conns) inTx(ctx context.Context, fn func(tx *sql.Tx) error) (err error) {
	r := &writeReq{fn: fn, done: make(chan error, 1)}
	defer func() {
		if recover() != nil { // reqs closed
			err = errClosed
		}
	}()
	c.reqs <- r
	// The write is not abandoned when ctx ends: it is committed or not,
	// and the caller learns which.
	return <-r.done
}

// ExecContext runs one writing statement through the committer.
func (c *conns) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	var res sql.Result
	err := c.inTx(ctx, func(tx *sql.Tx) (err error) {
		res, err = tx.ExecContext(ctx, query, args...)
		return err
	})
	return res, err
}

// stmt returns the read pool's prepared statement of query.
func (c *conns) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	c.mu.Lock()
	st := c.readStmts[query]
	c.mu.Unlock()
	if st != nil {
		return st, nil
	}
	st, err := c.read.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if prev := c.readStmts[query]; prev != nil {
		st.Close()
		return prev, nil
	}
	if len(c.readStmts) < maxReadStmts && !c.closed {
		c.readStmts[query] = st
	}
	return st, nil
}

// QueryContext reads on the read pool.
func (c *conns) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	st, err := c.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}

// QueryRowContext reads one row on the read pool.
func (c *conns) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	st, err := c.stmt(ctx, query)
	if err != nil {
		// A *sql.Row carrying err: the statement's own error.
		return c.read.QueryRowContext(ctx, query, args...)
	}
	return st.QueryRowContext(ctx, args...)
}

// commitLoop is the committer: it takes the writes waiting, runs them in
// one transaction and commits, until Close.
func (c *conns) commitLoop() {
	defer close(c.done)
	batch := make([]*writeReq, 0, maxBatch)
	for first := range c.reqs {
		batch = append(batch[:0], first)
		if len(c.reqs) == 0 {
			// Let the requests under way reach their writes: a
			// commit shared by more writes costs each of them less.
			runtime.Gosched()
		}
	fill:
		for len(batch) < maxBatch {
			select {
			case r, ok := <-c.reqs:
				if !ok {
					break fill
				}
				batch = append(batch, r)
			default:
				break fill
			}
		}
		if len(batch) == 1 || !c.runBatch(batch) {
			// Alone, or the shared transaction could not be committed:
			// each write in its own transaction, as it would run alone.
			for _, r := range batch {
				r.done <- c.runAlone(r)
			}
		}
		clear(batch)
	}
}

// runAlone runs one write in its own transaction.
func (c *conns) runAlone(r *writeReq) error {
	tx, err := c.write.BeginTx(context.Background(), nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := call(r.fn, tx); err != nil {
		return err
	}
	return tx.Commit()
}

// runBatch runs the writes of batch in one transaction, each in a
// savepoint that is rolled back if it fails, and commits; it answers
// every write and reports true, or answers none and reports false when the
// transaction itself failed (it is rolled back).
func (c *conns) runBatch(batch []*writeReq) bool {
	ctx := context.Background()
	tx, err := c.write.BeginTx(ctx, nil)
	if err != nil {
		return false
	}
	defer tx.Rollback()
	results := make([]error, len(batch))
	for i, r := range batch {
		if _, err := tx.ExecContext(ctx, "SAVEPOINT write"); err != nil {
			return false
		}
		if results[i] = call(r.fn, tx); results[i] != nil {
			// A failed statement may have rolled back the whole
			// transaction (an interrupt, a full disk): then this fails.
			if _, err := tx.ExecContext(ctx, "ROLLBACK TO write"); err != nil {
				return false
			}
		}
		if _, err := tx.ExecContext(ctx, "RELEASE write"); err != nil {
			return false
		}
	}
	if err := tx.Commit(); err != nil {
		return false
	}
	for i, r := range batch {
		r.done <- results[i]
	}
	return true
}

// call runs fn, turning a panic into an error: the committer serves every
// other write too.
func call(fn func(*sql.Tx) error, tx *sql.Tx) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("sqlite: write panicked: %v", p)
		}
	}()
	return fn(tx)
}
