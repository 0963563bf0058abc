package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestOfficialNodeSDK runs the official univapay-node SDK, unmodified,
// against the server (e2e/sdk/smoke.js): checkout_info, a card token with
// the secret, a charge polled to successful, metadata untouched, a decline
// with payment error 309, a VALIDATION_ERROR. `make e2e` installs the SDK
// (npm ci in e2e/sdk) first.
func TestOfficialNodeSDK(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Fatalf("node is not installed (make e2e installs it): %v", err)
	}
	if _, err := os.Stat(filepath.Join("sdk", "node_modules", "univapay-node")); err != nil {
		t.Fatalf("univapay-node is not installed: run `make e2e` (npm ci in e2e/sdk): %v", err)
	}
	cmd := exec.Command(node, "smoke.js")
	cmd.Dir = "sdk"
	cmd.Env = append(os.Environ(),
		"KESSAI_ENDPOINT="+env.shop, // any origin of the server; the SDK sends no Origin
		"KESSAI_JWT="+env.jwt, "KESSAI_SECRET="+env.secret, "KESSAI_STORE_ID="+env.storeID)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("univapay-node against kessai: %v\n%s", err, out)
	}
	t.Logf("%s", out)
}
