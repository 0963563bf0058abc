package server

import (
	"bytes"
	"context"
	"encoding/json"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"kessai/api"
)

// syncBuffer is a log destination safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// The secrets of docs/threat-model.md, "Secrets": a checkout with a card,
// failed sign-ins with a wrong or mangled secret, and then neither the log
// (at debug level), nor any response, nor the stored records hold the card
// number, the CVV or the app token's secret. On SQLite the database files
// themselves are searched.
func TestSecretsStayOut(t *testing.T) {
	for _, db := range []string{"configured", "sqlite"} {
		t.Run(db, func(t *testing.T) {
			logs := &syncBuffer{}
			e := newEnvWith(t, func(c *Config) {
				c.Logger = slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
				if db == "sqlite" {
					c.Database = ""
				}
			})
			const pan, cvv = "4000020000000000", "8531"
			var bodies []string
			keep := func(r resp) resp { bodies = append(bodies, string(r.body)); return r }

			body := strings.Replace(cardTokenBody(pan, "recurring"), `"cvv":"123"`, `"cvv":"`+cvv+`"`, 1)
			var tok api.TransactionToken
			keep(e.do("POST", "/tokens", e.secretAuth(), body)).json(t, &tok)
			if tok.ID == "" {
				t.Fatalf("no token: %s", bodies[0])
			}
			c := e.chargeYen(tok.ID, 1000)
			keep(e.do("GET", e.chargePath(c.ID)+"?polling=true", e.secretAuth(), ""))
			keep(e.do("GET", "/stores/"+e.demo.StoreID+"/tokens/"+tok.ID, e.secretAuth(), ""))
			// Wrong secrets, a secret without its JWT, the secret alone in a
			// query string, a card number in a refused request.
			for _, auth := range []string{
				"Bearer " + e.demo.Secret + "x." + e.demo.JWT,
				"Bearer " + e.demo.Secret,
				"Token " + e.demo.Secret + "." + e.demo.JWT,
				"Bearer " + e.demo.Secret + "." + e.demo.JWT + "junk",
			} {
				keep(e.do("GET", "/stores/"+e.demo.StoreID+"/charges", auth, ""))
			}
			keep(e.do("GET", "/stores/"+e.demo.StoreID+"/charges?secret="+e.demo.Secret, "", ""))
			keep(e.do("POST", "/tokens", e.publicAuth(), body)) // card data from outside the widget: refused
			keep(e.do("POST", "/tokens", e.secretAuth(), strings.Replace(body, `"exp_year":"2099"`, `"exp_year":"1999"`, 1)))

			where := map[string]string{"the log": logs.String(), "the responses": strings.Join(bodies, "\n")}
			for _, rec := range storedRecords(t, e) {
				where["the stored records"] += rec + "\n"
			}
			if db == "sqlite" {
				where["the database files"] = filesUnder(t, e.dir)
			}
			for place, text := range where {
				for what, secret := range map[string]string{"the card number": pan, "the secret": e.demo.Secret} {
					if strings.Contains(text, secret) {
						t.Errorf("%s holds %s", place, what)
					}
				}
				if strings.Contains(text, `"cvv":"`+cvv) || strings.Contains(text, "cvv="+cvv) {
					t.Errorf("%s holds the CVV", place)
				}
			}
			if !strings.Contains(where["the stored records"], tok.ID) || !strings.Contains(where["the log"], "level=") {
				t.Fatal("the test reads nothing: no stored token or no log line")
			}
		})
	}
}

// storedRecords returns the token and charges of the demo store as the
// storage keeps them (their JSON documents).
func storedRecords(t *testing.T, e *testEnv) []string {
	t.Helper()
	ctx := context.Background()
	var out []string
	var list api.List[api.TokenListItem]
	e.do("GET", "/stores/"+e.demo.StoreID+"/tokens?limit=100", e.secretAuth(), "").json(t, &list)
	for _, it := range list.Items {
		tok, err := e.s.storage.GetToken(ctx, it.ID)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(tok)
		out = append(out, string(b))
	}
	return out
}

// filesUnder concatenates every file under dir.
func filesUnder(t *testing.T, dir string) string {
	t.Helper()
	var b strings.Builder
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		b.Write(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}
