package main

import (
	"fmt"
	"io"
	"sync"
)

// logWriter is the writer under the server's log: a Write appends to a
// buffer and returns, a goroutine writes the buffer out. The log's lock is
// then held for a copy, never for a write to the terminal or pipe behind
// stderr, so logging every request does not serialise the requests
// (docs/performance.md, "Request log"). When the output does not keep up
// (a paused terminal) and maxLogBuffer bytes are waiting, lines are
// dropped and the number dropped is logged when it moves again.
type logWriter struct {
	out  io.Writer
	wake chan struct{}
	done chan struct{}

	mu      sync.Mutex
	buf     []byte
	dropped int
	closed  bool
}

const maxLogBuffer = 1 << 20

func newLogWriter(out io.Writer) *logWriter {
	w := &logWriter{out: out, wake: make(chan struct{}, 1), done: make(chan struct{})}
	go w.loop()
	return w
}

// Write implements io.Writer; p is one log line.
func (w *logWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	switch {
	case w.closed:
		w.mu.Unlock()
		return w.out.Write(p)
	case len(w.buf)+len(p) > maxLogBuffer:
		w.dropped++
	default:
		w.buf = append(w.buf, p...)
	}
	select { // under mu: Close closes wake under it
	case w.wake <- struct{}{}:
	default:
	}
	w.mu.Unlock()
	return len(p), nil
}

func (w *logWriter) loop() {
	defer close(w.done)
	var spare []byte
	for range w.wake {
		w.mu.Lock()
		b, dropped := w.buf, w.dropped
		w.buf, w.dropped = spare[:0], 0
		w.mu.Unlock()
		if dropped > 0 {
			b = fmt.Appendf(b, "kessai: %d log lines dropped: the log output did not keep up\n", dropped)
		}
		w.out.Write(b)
		spare = b
	}
}

// Close writes out what is buffered; later lines are written directly.
func (w *logWriter) Close() error {
	w.mu.Lock()
	if w.closed {
		w.mu.Unlock()
		return nil
	}
	w.closed = true
	close(w.wake)
	w.mu.Unlock()
	<-w.done
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.dropped > 0 {
		w.buf = fmt.Appendf(w.buf, "kessai: %d log lines dropped: the log output did not keep up\n", w.dropped)
	}
	if len(w.buf) > 0 {
		w.out.Write(w.buf)
		w.buf = nil
	}
	return nil
}
