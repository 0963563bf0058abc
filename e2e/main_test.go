// Package e2e drives the real kessai binary with Debian's Chromium, as a
// buyer and a merchant's developer would: merchant pages on one origin, the
// widget iframe on another, typing into the cross-origin iframe through its
// own target (docs/architecture.md).
package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"

	"kessai/api"
	"kessai/internal/serve"
)

// kessaiServer is a running `kessai serve` with its demo app token.
type kessaiServer struct {
	widget  string // widget + API origin, http://localhost:PORT
	shop    string // example merchant origin, http://127.0.0.1:PORT
	jwt     string
	secret  string
	storeID string
	stop    func()
	cmd     *exec.Cmd // the process (multiprocess_test.go)
}

// env is what every browser test shares: one kessai server (with the
// sandbox limits off, as a fast CI suite runs it: the tests pay with the
// same test card again and again), one browser.
var env struct {
	kessaiServer
	bin      string
	browser  context.Context
	pages    string // origin of the test's own merchant pages (registered domain)
	stranger string // origin of a merchant page on an unregistered domain
}

func TestMain(m *testing.M) {
	code, err := setup(m)
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		os.Exit(1)
	}
	os.Exit(code)
}

func setup(m *testing.M) (int, error) {
	bin := os.Getenv("KESSAI_BIN")
	if bin == "" {
		bin, _ = filepath.Abs("../bin/kessai")
	}
	if _, err := os.Stat(bin); err != nil {
		return 0, fmt.Errorf("no kessai binary at %s: run `make test` (it builds first): %w", bin, err)
	}
	chromium, err := exec.LookPath("chromium")
	if err != nil {
		return 0, fmt.Errorf("chromium is not installed: run `make test`, which installs Debian's chromium: %w", err)
	}

	env.bin = bin
	// The server's log (a line per request) goes to e2e/server.log, to read
	// when a test fails.
	srv, err := startKessai(bin, "server.log", "--limits=off")
	if err != nil {
		return 0, err
	}
	defer srv.stop()
	env.kessaiServer = *srv

	pages, err := servePages("127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer pages.Close()
	env.pages = "http://" + pages.Addr
	stranger, err := servePages("127.0.0.2:0")
	if err != nil {
		return 0, err
	}
	defer stranger.Close()
	env.stranger = "http://" + stranger.Addr

	profile, err := os.MkdirTemp("", "kessai-chromium-")
	if err != nil {
		return 0, err
	}
	defer os.RemoveAll(profile)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-quic", true),
		chromedp.WindowSize(1000, 800),
		chromedp.UserDataDir(profile),
	)
	actx, acancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer acancel()
	bctx, bcancel := chromedp.NewContext(actx)
	defer bcancel()
	if err := chromedp.Do(bctx); err != nil {
		return 0, fmt.Errorf("start chromium: %w", err)
	}
	env.browser = bctx
	return m.Run(), nil
}

// startKessai starts `kessai serve` on a free port with a fresh data
// directory and the given extra flags, logging to logName, and waits until
// it answers.
func startKessai(bin, logName string, flags ...string) (*kessaiServer, error) {
	logFile, err := os.Create(logName)
	if err != nil {
		return nil, err
	}
	p, err := serve.Start(bin, serve.Options{Args: flags, Log: logFile, Demo: true})
	if err != nil {
		logFile.Close()
		return nil, err
	}
	return &kessaiServer{widget: p.URL, shop: p.Shop, jwt: p.JWT, secret: p.Secret, storeID: p.StoreID, cmd: p.Cmd,
		stop: func() { p.Stop(); logFile.Close() }}, nil
}

// recorder keeps every univapay:* event of every page of the tab in
// sessionStorage, so that events survive the form submission that follows
// a payment.
const recorder = `(function(){
  var names = ["opened","closed","success","error","token-created","charge-created","subscription-created","validation-error"];
  names.forEach(function(n){
    window.addEventListener("univapay:" + n, function(e){
      var all = JSON.parse(sessionStorage.getItem("__ev") || "[]");
      all.push({type: e.type, detail: e.detail});
      sessionStorage.setItem("__ev", JSON.stringify(all));
    });
  });
})();`

// newTab opens a tab that records univapay events.
func newTab(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := chromedp.NewContext(env.browser)
	t.Cleanup(cancel)
	ctx, cancel2 := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(cancel2)
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("open tab: %v", err)
	}
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: recorder}); err != nil {
		t.Fatalf("add recorder: %v", err)
	}
	return ctx
}

type event struct {
	Type   string          `json:"type"`
	Detail json.RawMessage `json:"detail"`
}

// events returns the univapay events recorded in the tab so far.
func events(t *testing.T, ctx context.Context) []event {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](`sessionStorage.getItem("__ev") || "[]"`))
	if err != nil {
		t.Fatalf("read events: %v", err)
	}
	var evs []event
	if err := json.Unmarshal([]byte(s), &evs); err != nil {
		t.Fatalf("events: %v", err)
	}
	return evs
}

// waitEvent waits until an event of the type was recorded.
func waitEvent(t *testing.T, ctx context.Context, typ string) {
	t.Helper()
	js := fmt.Sprintf(`JSON.parse(sessionStorage.getItem("__ev") || "[]").some(function(e){ return e.type === %q })`, typ)
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](js, chromedp.WithPollingTimeout(30*time.Second))); err != nil {
		t.Fatalf("no %s event: %v (events: %s)", typ, err, eventTypes(events(t, ctx)))
	}
}

// lastDetail decodes the detail of the last event of the type into out.
func lastDetail(t *testing.T, ctx context.Context, typ string, out any) {
	t.Helper()
	var last json.RawMessage
	for _, e := range events(t, ctx) {
		if e.Type == typ {
			last = e.Detail
		}
	}
	if last == nil {
		t.Fatalf("no %s event", typ)
	}
	if err := json.Unmarshal(last, out); err != nil {
		t.Fatalf("%s detail: %v", typ, err)
	}
}

func eventTypes(evs []event) string {
	var names []string
	for _, e := range evs {
		names = append(names, strings.TrimPrefix(e.Type, "univapay:"))
	}
	return strings.Join(names, ",")
}

// widgetFrame attaches to the widget iframe of the tab (the nth one, in
// creation order) and waits until the checkout app is ready.
func widgetFrame(t *testing.T, ctx context.Context) context.Context {
	t.Helper()
	tab := chromedp.FromContext(ctx).Target.TargetID
	var id string
	deadline := time.Now().Add(20 * time.Second)
	for id == "" && time.Now().Before(deadline) {
		infos, err := chromedp.Targets(ctx)
		if err != nil {
			t.Fatalf("targets: %v", err)
		}
		for _, in := range infos {
			if in.Type == "iframe" && in.ParentID == tab && strings.HasPrefix(in.URL, env.widget+"/checkout") {
				id = string(in.TargetID)
			}
		}
		if id == "" {
			time.Sleep(100 * time.Millisecond)
		}
	}
	if id == "" {
		t.Fatal("no widget iframe target")
	}
	fctx, cancel := chromedp.NewContext(ctx, chromedp.WithTargetID(target.ID(id)))
	t.Cleanup(cancel)
	if _, err := chromedp.Run(fctx, chromedp.Poll[bool](`document.documentElement.dataset.ready === "1"`, chromedp.WithPollingTimeout(30*time.Second))); err != nil {
		t.Fatalf("widget not ready: %v", err)
	}
	return fctx
}

// fillCard types a card as a buyer would.
func fillCard(t *testing.T, fctx context.Context, number string) {
	t.Helper()
	fields := []struct{ name, value string }{
		{"data.cardNumber", number},
		{"data.exp", "12/99"},
		{"data.cvv", "123"},
		{"data.cardholder", "TARO YAMADA"},
		{"email", "taro@example.com"},
	}
	for _, f := range fields {
		sel := chromedp.CSS(fmt.Sprintf(`input[name=%q]`, f.name))
		if err := chromedp.Do(fctx, chromedp.WaitVisible(sel), chromedp.SendKeys(sel, f.value)); err != nil {
			t.Fatalf("type %s: %v", f.name, err)
		}
	}
}

// apiCharge reads a charge as the merchant's back end does, with the secret.
func apiCharge(t *testing.T, id string) api.Charge {
	t.Helper()
	req, _ := http.NewRequest("GET", env.widget+"/stores/"+env.storeID+"/charges/"+id+"?polling=true", nil)
	req.Header.Set("Authorization", "Bearer "+env.secret+"."+env.jwt)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET charge: %v", err)
	}
	defer resp.Body.Close()
	var ch api.Charge
	if resp.StatusCode != 200 {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("GET charge %s: %d %s", id, resp.StatusCode, b)
	}
	if err := json.NewDecoder(resp.Body).Decode(&ch); err != nil {
		t.Fatalf("decode charge: %v", err)
	}
	return ch
}

// screenshot saves a PNG of the tab under e2e/screenshots for a person to
// look at.
func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Logf("screenshot %s: %v", name, err)
		return
	}
	os.MkdirAll("screenshots", 0o755)
	os.WriteFile(filepath.Join("screenshots", name+".png"), png, 0o644)
}

// pollAcrossNavigation polls a JS expression until it is truthy, retrying
// while the page navigates (a form submission replaces the document).
func pollAcrossNavigation[T any](ctx context.Context, js string) (T, error) {
	deadline := time.Now().Add(30 * time.Second)
	for {
		v, err := chromedp.Run(ctx, chromedp.Poll[T](js, chromedp.WithPollingTimeout(10*time.Second)))
		if err == nil || time.Now().After(deadline) || ctx.Err() != nil {
			return v, err
		}
		time.Sleep(200 * time.Millisecond)
	}
}
