package main

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// module is what the breakdown needs of a WebAssembly binary: the body of
// every defined function with its name, and the sizes of the data and name
// sections.
type module struct {
	size  int
	funcs []function
	data  int
	names int
}

type function struct {
	name string
	body []byte
}

// parseWasm walks the sections of a WebAssembly 1.0 binary (the
// WebAssembly core specification, "Binary Format").
func parseWasm(b []byte) (*module, error) {
	if len(b) < 8 || string(b[:4]) != "\x00asm" {
		return nil, errors.New("not a wasm binary")
	}
	m := &module{size: len(b)}
	r := reader{b: b, off: 8}
	imported := 0
	var bodies [][]byte
	names := map[int]string{}
	for r.off < len(b) {
		id := r.byte()
		n := int(r.uleb())
		sec := reader{b: r.bytes(n)}
		if r.err != nil {
			return nil, r.err
		}
		switch id {
		case 0: // custom
			name := string(sec.bytes(int(sec.uleb())))
			if name == "name" {
				m.names = n
				readNames(&sec, names)
			}
		case 2: // imports: imported functions take the first indices
			for i, count := 0, int(sec.uleb()); i < count && sec.err == nil; i++ {
				sec.bytes(int(sec.uleb())) // module
				sec.bytes(int(sec.uleb())) // name
				switch kind := sec.byte(); kind {
				case 0:
					sec.uleb()
					imported++
				case 1: // table: reftype, limits
					sec.byte()
					sec.limits()
				case 2:
					sec.limits()
				case 3:
					sec.byte()
					sec.byte()
				default:
					return nil, fmt.Errorf("import kind %d", kind)
				}
			}
		case 10: // code
			for i, count := 0, int(sec.uleb()); i < count && sec.err == nil; i++ {
				bodies = append(bodies, sec.bytes(int(sec.uleb())))
			}
		case 11:
			m.data = n
		}
		if sec.err != nil {
			return nil, fmt.Errorf("section %d: %w", id, sec.err)
		}
	}
	for i, body := range bodies {
		name, ok := names[imported+i]
		if !ok {
			name = fmt.Sprintf("(unnamed %d)", imported+i)
		}
		m.funcs = append(m.funcs, function{name: name, body: body})
	}
	return m, nil
}

// readNames reads the function-names subsection (id 1) of a name section.
func readNames(r *reader, names map[int]string) {
	for r.off < len(r.b) && r.err == nil {
		id := r.byte()
		sub := reader{b: r.bytes(int(r.uleb()))}
		if id != 1 {
			continue
		}
		for i, count := 0, int(sub.uleb()); i < count && sub.err == nil; i++ {
			idx := int(sub.uleb())
			names[idx] = string(sub.bytes(int(sub.uleb())))
		}
	}
}

type reader struct {
	b   []byte
	off int
	err error
}

func (r *reader) byte() byte {
	if r.err != nil || r.off >= len(r.b) {
		r.fail()
		return 0
	}
	c := r.b[r.off]
	r.off++
	return c
}

func (r *reader) uleb() uint64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Uvarint(r.b[r.off:])
	if n <= 0 {
		r.fail()
		return 0
	}
	r.off += n
	return v
}

func (r *reader) bytes(n int) []byte {
	if r.err != nil || n < 0 || r.off+n > len(r.b) {
		r.fail()
		return nil
	}
	s := r.b[r.off : r.off+n]
	r.off += n
	return s
}

func (r *reader) limits() {
	if r.byte()&1 == 1 {
		r.uleb()
	}
	r.uleb()
}

func (r *reader) fail() {
	if r.err == nil {
		r.err = errors.New("truncated")
	}
}
