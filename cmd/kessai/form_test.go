package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"kessai/api"
)

func TestFormCreateUpdateList(t *testing.T) {
	clearEnv(t)
	dir := t.TempDir()
	ctx := context.Background()
	var out, errOut bytes.Buffer
	if err := run(ctx, []string{"apptoken", "create", "--domain", "shop.example", "--data", dir}, &out, &errOut); err != nil {
		t.Fatalf("apptoken create: %v %s", err, errOut.String())
	}
	var tok struct {
		StoreID string `json:"store_id"`
	}
	json.Unmarshal(out.Bytes(), &tok)

	settings := filepath.Join(dir, "form.json")
	os.WriteFile(settings, []byte(`{"payment_methods":["card"],"require_name":true,"success_redirect_url":"https://shop.example/ok","theme":{"mode":"dark"}}`), 0o600)
	out.Reset()
	if err := run(ctx, []string{"form", "create", "--name", "Tickets", "--config", settings, "--data", dir, "--public-url", "http://localhost:9000"}, &out, &errOut); err != nil {
		t.Fatalf("form create: %v %s", err, errOut.String())
	}
	var created api.LinkForm
	if err := json.Unmarshal(out.Bytes(), &created); err != nil {
		t.Fatalf("stdout is not a form: %v\n%s", err, out.String())
	}
	if created.ID == "" || created.URL != "http://localhost:9000/forms/"+created.ID || created.StoreID != tok.StoreID ||
		created.Name != "Tickets" || !created.RequireName || created.Theme.Mode != "dark" || !created.Theme.ShowStoreName {
		t.Fatalf("created = %+v", created)
	}

	// update changes only what it is given.
	out.Reset()
	if err := run(ctx, []string{"form", "update", "--form", created.ID, "--name", "Tickets 2027", "--data", dir}, &out, &errOut); err != nil {
		t.Fatalf("form update: %v %s", err, errOut.String())
	}
	var updated api.LinkForm
	json.Unmarshal(out.Bytes(), &updated)
	if updated.Name != "Tickets 2027" || !updated.RequireName || updated.SuccessRedirectURL != "https://shop.example/ok" {
		t.Fatalf("updated = %+v", updated)
	}

	out.Reset()
	if err := run(ctx, []string{"form", "list", "--data", dir}, &out, &errOut); err != nil {
		t.Fatal(err)
	}
	var list []api.LinkForm
	if json.Unmarshal(out.Bytes(), &list); len(list) != 1 || list[0].Name != "Tickets 2027" {
		t.Fatalf("list = %s", out.String())
	}

	// Bad settings and unknown forms are errors that say what is wrong.
	os.WriteFile(settings, []byte(`{"theme":{"mode":"pink"}}`), 0o600)
	err := run(ctx, []string{"form", "update", "--form", created.ID, "--config", settings, "--data", dir}, &out, &errOut)
	if err == nil || !strings.Contains(err.Error(), "theme.mode") {
		t.Fatalf("bad theme: %v", err)
	}
	os.WriteFile(settings, []byte(`{"colour":"red"}`), 0o600)
	if err := run(ctx, []string{"form", "create", "--name", "x", "--config", settings, "--data", dir}, &out, &errOut); err == nil || !strings.Contains(err.Error(), "colour") {
		t.Fatalf("unknown key: %v", err)
	}
	if err := run(ctx, []string{"form", "update", "--form", "nope", "--name", "x", "--data", dir}, &out, &errOut); err == nil || !strings.Contains(err.Error(), "no form nope") {
		t.Fatalf("unknown form: %v", err)
	}
}
