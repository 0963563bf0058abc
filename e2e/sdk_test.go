package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestOfficialNodeSDK runs the official univapay-node SDK, unmodified,
// against the server: every e2e/sdk/*.test.js file under Node's test
// runner (checkout, lists, refunds and cancels, subscriptions, webhooks,
// idempotent retries, errors). `make e2e` installs the SDK (npm ci in
// e2e/sdk) first.
func TestOfficialNodeSDK(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Fatalf("node is not installed (make e2e installs it): %v", err)
	}
	if _, err := os.Stat(filepath.Join("sdk", "node_modules", "univapay-node")); err != nil {
		t.Fatalf("univapay-node is not installed: run `make e2e` (npm ci in e2e/sdk): %v", err)
	}
	// A server of its own, with the sandbox limits on as a merchant runs it
	// by default: the SDK checks include the limits' errors.
	srv, err := startKessai(env.bin, "server-sdk.log")
	if err != nil {
		t.Fatal(err)
	}
	defer srv.stop()
	cmd := exec.Command(node, "--test", "--test-concurrency=1", "--test-reporter=spec")
	cmd.Dir = "sdk"
	cmd.Env = append(os.Environ(),
		"KESSAI_ENDPOINT="+srv.shop, // any origin of the server; the SDK sends no Origin
		"KESSAI_JWT="+srv.jwt, "KESSAI_SECRET="+srv.secret, "KESSAI_STORE_ID="+srv.storeID)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("univapay-node against kessai: %v\n%s", err, out)
	}
	t.Logf("%s", out)
}
