package serve

import (
	"flag"
	"fmt"
	"net/http"
	"os"
	"testing"
)

// TestMain lets the test binary stand in for kessai: with KESSAI_FAKE_SERVE
// set, `<test binary> serve --addr A --data D --public-url U …` prints a
// demo app token line and answers GET /heartbeat on A, as kessai serve does.
func TestMain(m *testing.M) {
	if os.Getenv("KESSAI_FAKE_SERVE") == "" {
		os.Exit(m.Run())
	}
	fs := flag.NewFlagSet("serve", flag.ExitOnError)
	addr := fs.String("addr", "", "")
	data := fs.String("data", "", "")
	fs.String("public-url", "", "")
	limits := fs.String("limits", "on", "")
	fs.Parse(os.Args[2:])
	if _, err := os.Stat(*data); err != nil {
		fmt.Fprintln(os.Stderr, "no data directory:", err)
		os.Exit(2)
	}
	fmt.Println("Kessai is serving")
	fmt.Printf(`{"jwt":"j.w.t","secret":"s","store_id":"store-%s"}`+"\n", *limits)
	http.HandleFunc("GET /heartbeat", func(w http.ResponseWriter, r *http.Request) {})
	http.ListenAndServe(*addr, nil)
}

func TestStartReadsTheDemoTokenAndCleansUp(t *testing.T) {
	t.Setenv("KESSAI_FAKE_SERVE", "1")
	p, err := Start(os.Args[0], Options{Args: []string{"--limits=off"}, Demo: true})
	if err != nil {
		t.Fatal(err)
	}
	if p.JWT != "j.w.t" || p.Secret != "s" || p.StoreID != "store-off" {
		t.Errorf("demo token %q %q %q: the flags or the line were not passed through", p.JWT, p.Secret, p.StoreID)
	}
	if r, err := http.Get(p.URL + "/heartbeat"); err != nil || r.StatusCode != 200 {
		t.Fatalf("the started server does not answer at %s: %v", p.URL, err)
	}
	p.Stop()
	if _, err := os.Stat(p.Data); !os.IsNotExist(err) {
		t.Errorf("the temporary data directory %s is still there after Stop (%v)", p.Data, err)
	}

	// A killed server keeps a data directory it was given.
	data := t.TempDir()
	p, err = Start(os.Args[0], Options{Data: data})
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Kill(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(data); err != nil {
		t.Errorf("the data directory went with the kill: %v", err)
	}
}
