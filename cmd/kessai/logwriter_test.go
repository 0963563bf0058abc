package main

import (
	"bytes"
	"fmt"
	"sync"
	"testing"
)

// Every line written from many goroutines is out, whole, after Close.
func TestLogWriterKeepsEveryLine(t *testing.T) {
	var out bytes.Buffer
	w := newLogWriter(&out)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 500 {
				fmt.Fprintf(w, "line %d %d\n", g, i)
			}
		})
	}
	wg.Wait()
	w.Close()
	fmt.Fprintf(w, "after close\n")
	seen := map[string]bool{}
	for _, l := range bytes.Split(bytes.TrimSuffix(out.Bytes(), []byte("\n")), []byte("\n")) {
		seen[string(l)] = true
	}
	if len(seen) != 8*500+1 || !seen["line 7 499"] || !seen["after close"] {
		t.Fatalf("%d distinct lines written, want %d", len(seen), 8*500+1)
	}
}

// A stuck output drops lines beyond the buffer and says how many.
func TestLogWriterDropsWhenStuck(t *testing.T) {
	block := make(chan struct{})
	out := &blockingWriter{block: block}
	w := newLogWriter(out)
	line := bytes.Repeat([]byte("x"), 1023)
	line = append(line, '\n')
	for range 3 * maxLogBuffer / len(line) {
		w.Write(line)
	}
	close(block)
	w.Close()
	if !bytes.Contains(out.buf.Bytes(), []byte("log lines dropped")) {
		t.Fatal("no note of the dropped lines")
	}
	if n := out.buf.Len(); n > 2*maxLogBuffer+4096 {
		t.Fatalf("%d bytes written: the buffer is not bounded", n)
	}
}

type blockingWriter struct {
	block chan struct{}
	mu    sync.Mutex
	buf   bytes.Buffer
}

func (b *blockingWriter) Write(p []byte) (int, error) {
	<-b.block
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}
