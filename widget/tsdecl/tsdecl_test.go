package tsdecl

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite docs/checkout.d.ts")

// docs/checkout.d.ts is the generated declarations, checked in for
// merchants to read; it is current (`go test ./widget/tsdecl -update`
// rewrites it).
func TestCheckedInDeclarations(t *testing.T) {
	got, err := Generate()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("..", "..", "docs", "checkout.d.ts")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test ./widget/tsdecl -update writes it)", err)
	}
	if string(want) != got {
		t.Errorf("%s is stale: go test ./widget/tsdecl -update rewrites it", path)
	}
}

// block returns the body of `interface name {…}` in the declarations.
func block(t *testing.T, decl, name string) string {
	t.Helper()
	start := strings.Index(decl, "  interface "+name+" {\n")
	if start < 0 {
		t.Fatalf("no interface %s", name)
	}
	end := strings.Index(decl[start:], "\n  }\n")
	return decl[start : start+end]
}

// The declarations follow encoding/json: omitempty fields are optional,
// pointers without it may be null, a field of the outer struct hides the
// embedded one of the same name, API objects are camelCased; options are
// typed from the table.
func TestDeclarationsFollowJSON(t *testing.T) {
	decl, err := Generate()
	if err != nil {
		t.Fatal(err)
	}
	for name, lines := range map[string][]string{
		"Options": {"    appId: string;", "    autoClose?: boolean;", "    amount?: number | string;", `    checkout?: "token" | "payment";`,
			"    timeout?: number;", "    onSuccess?: (detail: SuccessDetail) => void;", "    form?: HTMLElement | string;"},
		// submit() resolves with ids where the success detail has objects.
		"SubmitResult":     {"    token?: string;", "    charge?: string;", "    connectorId: string;", "    tokenId: string;", "    products?: ProductLine[];"},
		"SuccessDetail":    {"    token: TransactionToken;", "    charge?: Charge;", `    resourceType: "token" | "charge" | "subscription";`},
		"ErrorDetail":      {"    error: { error: ErrorInfo } | Charge;", "    stage: ErrorStage;", "    tokenId?: string;"},
		"Charge":           {"    requestedAmount: number;", "    subscriptionId: string | null;", "    error: PaymentError | null;", "    threeDs?: ChargeThreeDS;"},
		"TransactionToken": {"    data: TokenData;", "    storeId: string;"},
	} {
		b := block(t, decl, name)
		for _, l := range lines {
			if !strings.Contains(b, l+"\n") && !strings.HasSuffix(b, l) {
				t.Errorf("interface %s lacks %q:\n%s", name, l, b)
			}
		}
	}
	if b := block(t, decl, "SubmitResult"); strings.Contains(b, "token: TransactionToken") || strings.Contains(b, "charge?: Charge;") {
		t.Errorf("SubmitResult keeps the hidden fields of SuccessDetail:\n%s", b)
	}
	for _, name := range []string{"opened", "closed", "onValidationError", "onTokenCreated", "onChargeCreated", "onSubscriptionCreated", "onError"} {
		if !strings.Contains(decl, "    "+name+"?: (detail: ") {
			t.Errorf("no callback %s", name)
		}
	}
	if !strings.Contains(decl, `  "univapay:success": CustomEvent<UnivapayCheckout.EventDetails["univapay:success"]>;`) {
		t.Error("window events are not typed")
	}
}
