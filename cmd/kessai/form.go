package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"kessai/api"
	"kessai/server"
)

// formCommand runs "form create", "form update" and "form list": link
// forms (docs/link-forms.md). create and update print the form as JSON,
// its id and url included; list prints the store's forms.
func formCommand(ctx context.Context, cmd string, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("form "+cmd, flag.ContinueOnError)
	fs.SetOutput(stderr)
	store := fs.String("store", "", "store id (default: the demo store)")
	data := fs.String("data", env("KESSAI_DATA", "kessai-data"), "data directory (env KESSAI_DATA)")
	database := databaseFlag(fs)
	public := fs.String("public-url", env("KESSAI_PUBLIC_URL", "http://localhost:8080"), "public URL of the server, for the form's url (env KESSAI_PUBLIC_URL)")
	var name, config, form *string
	if cmd != "list" {
		name = fs.String("name", "", "the form's name")
		config = fs.String("config", "", `JSON file with the form's settings (docs/link-forms.md, "Settings"; "-" reads standard input); in an update, absent keys keep their values`)
	}
	if cmd == "update" {
		form = fs.String("form", "", "the id of the form to change")
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("form %s: unexpected argument %q", cmd, fs.Arg(0))
	}
	var req api.LinkFormRequest
	if config != nil && *config != "" {
		var doc []byte
		var err error
		if *config == "-" {
			doc, err = io.ReadAll(os.Stdin)
		} else {
			doc, err = os.ReadFile(*config)
		}
		if err != nil {
			return fmt.Errorf("form %s: %w", cmd, err)
		}
		dec := json.NewDecoder(bytes.NewReader(doc))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&req); err != nil {
			return fmt.Errorf("form %s: %s is not valid form settings: %w", cmd, *config, err)
		}
	}
	if name != nil && *name != "" {
		req.Name = name
	}
	if form != nil && *form == "" {
		return errors.New("form update: --form ID is required")
	}
	srv, err := server.Open(server.Config{DataDir: *data, Database: *database, PublicURL: *public,
		Logger: slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))})
	if err != nil {
		return err
	}
	defer srv.Close()
	var out any
	switch cmd {
	case "create":
		out, err = srv.CreateForm(ctx, *store, req)
	case "update":
		out, err = srv.UpdateForm(ctx, *store, *form, req)
	default:
		out, err = srv.ListForms(ctx, *store)
	}
	var ae *api.Error
	if errors.As(err, &ae) {
		if ae.Code == api.CodeNotFound {
			return fmt.Errorf("form %s: no form %s in the store", cmd, *form)
		}
		var b strings.Builder
		fmt.Fprintf(&b, "form %s: the form's settings are not valid:", cmd)
		return fieldErrors(&b, ae)
	}
	if err != nil {
		return err
	}
	return printJSON(stdout, out)
}
