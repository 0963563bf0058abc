package server

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"kessai/api"
)

func TestParseAuthorization(t *testing.T) {
	tests := []struct {
		in      string
		want    credentials
		wantErr string
	}{
		{"Bearer a.b.c", credentials{jwt: "a.b.c"}, ""},
		{"bearer a.b.c", credentials{jwt: "a.b.c"}, ""},
		{"Bearer s.a.b.c", credentials{secret: "s", jwt: "a.b.c"}, ""},
		{"ApplicationToken id|sec", credentials{appID: "id", secret: "sec"}, ""},
		{"", credentials{}, api.CodeAuthHeaderMissing},
		{"Bearer", credentials{}, api.CodeInvalidAppToken},
		{"Bearer a.b", credentials{}, api.CodeInvalidAppToken},
		{"Bearer a.b.c.d.e", credentials{}, api.CodeInvalidAppToken},
		{"Bearer .a.b.c", credentials{}, api.CodeInvalidAppToken},
		{"Basic dXNlcjpwYXNz", credentials{}, api.CodeInvalidAppToken},
		{"ApplicationToken id", credentials{}, api.CodeInvalidAppToken},
		{"ApplicationToken |sec", credentials{}, api.CodeInvalidAppToken},
	}
	for _, tt := range tests {
		got, err := parseAuthorization(tt.in)
		if tt.wantErr != "" {
			ae, ok := err.(*api.Error)
			if !ok || ae.Code != tt.wantErr {
				t.Errorf("%q: err = %v, want %s", tt.in, err, tt.wantErr)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("%q: got %+v, %v; want %+v", tt.in, got, err, tt.want)
		}
	}
}

func signWith(t *testing.T, key []byte, method jwt.SigningMethod, claims jwt.MapClaims) string {
	t.Helper()
	tok, err := jwt.NewWithClaims(method, claims).SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func TestAuthHeaderForms(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	claims := func(jti string) jwt.MapClaims {
		return jwt.MapClaims{"sub": "app_token", "iat": time.Now().Unix(), "store_id": e.demo.StoreID,
			"mode": "test", "domains": []string{"*"}, "version": 1, "jti": jti}
	}
	app, err := e.s.verifyJWT(ctx, e.demo.JWT)
	if err != nil {
		t.Fatal(err)
	}
	otherKey := []byte("0123456789abcdef0123456789abcdef")
	forged := signWith(t, otherKey, jwt.SigningMethodHS256, claims(app.ID))
	unknownJTI := signWith(t, e.s.jwtKey, jwt.SigningMethodHS256, claims(newID()))
	wrongSub := signWith(t, e.s.jwtKey, jwt.SigningMethodHS256, jwt.MapClaims{"sub": "login", "jti": app.ID, "store_id": e.demo.StoreID, "mode": "test", "version": 1})
	wrongStore := signWith(t, e.s.jwtKey, jwt.SigningMethodHS256, jwt.MapClaims{"sub": "app_token", "jti": app.ID, "store_id": newID(), "mode": "test", "version": 1})
	hs512 := signWith(t, e.s.jwtKey, jwt.SigningMethodHS512, claims(app.ID))
	none, _ := jwt.NewWithClaims(jwt.SigningMethodNone, claims(app.ID)).SignedString(jwt.UnsafeAllowNoneSignatureType)
	tampered := e.demo.JWT[:len(e.demo.JWT)-2] + "xx"

	tests := []struct {
		name   string
		auth   string
		status int
		code   string
	}{
		{"bearer jwt", "Bearer " + e.demo.JWT, 200, ""},
		{"bearer secret.jwt", "Bearer " + e.demo.Secret + "." + e.demo.JWT, 200, ""},
		{"application token", "ApplicationToken " + app.ID + "|" + e.demo.Secret, 200, ""},
		{"missing", "", 401, api.CodeAuthHeaderMissing},
		{"malformed", "Bearer abc", 401, api.CodeInvalidAppToken},
		{"basic scheme", "Basic abc", 401, api.CodeInvalidAppToken},
		{"wrong secret", "Bearer WRONGSECRET." + e.demo.JWT, 401, api.CodeInvalidCredentials},
		{"application token wrong secret", "ApplicationToken " + app.ID + "|nope", 401, api.CodeInvalidCredentials},
		{"application token unknown id", "ApplicationToken " + newID() + "|" + e.demo.Secret, 401, api.CodeInvalidAppToken},
		{"application token non-uuid", "ApplicationToken x|" + e.demo.Secret, 401, api.CodeInvalidAppToken},
		{"bad signature (other key)", "Bearer " + forged, 401, api.CodeInvalidAppToken},
		{"tampered signature", "Bearer " + tampered, 401, api.CodeInvalidAppToken},
		{"unknown jti", "Bearer " + unknownJTI, 401, api.CodeInvalidAppToken},
		{"wrong sub", "Bearer " + wrongSub, 401, api.CodeInvalidAppToken},
		{"store claim mismatch", "Bearer " + wrongStore, 401, api.CodeInvalidAppToken},
		{"HS512 rejected", "Bearer " + hs512, 401, api.CodeInvalidAppToken},
		{"alg none rejected", "Bearer " + none, 401, api.CodeInvalidAppToken},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.do("GET", "/checkout_info", tt.auth, "")
			if tt.status == 200 {
				if r.code != 200 {
					t.Fatalf("status %d body %s", r.code, r.body)
				}
				return
			}
			wantError(t, r, tt.status, tt.code)
		})
	}

	// A deactivated (revoked) app token is rejected.
	app.Active = false
	if err := e.s.storage.UpdateAppToken(ctx, app); err != nil {
		t.Fatal(err)
	}
	wantError(t, e.do("GET", "/checkout_info", "Bearer "+e.demo.JWT, ""), 401, api.CodeInvalidAppToken)
	if _, err := e.s.AppTokenDomains(ctx, e.demo.JWT); err == nil {
		t.Error("AppTokenDomains accepted a revoked token")
	}
}

func TestJWTClaims(t *testing.T) {
	e := newEnv(t)
	claims := jwt.MapClaims{}
	if _, _, err := jwt.NewParser().ParseUnverified(e.demo.JWT, claims); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"sub", "iat", "merchant_id", "store_id", "domains", "mode", "creator_id", "version", "jti"} {
		if _, ok := claims[k]; !ok {
			t.Errorf("claim %q missing", k)
		}
	}
	if claims["sub"] != "app_token" || claims["mode"] != "test" || claims["store_id"] != e.demo.StoreID {
		t.Errorf("claims = %v", claims)
	}
	if len(strings.Split(e.demo.JWT, ".")) != 3 {
		t.Errorf("JWT %q is not 3 segments", e.demo.JWT)
	}
	if len(e.demo.Secret) != 32 || strings.ContainsAny(e.demo.Secret, ".|") {
		t.Errorf("secret %q: want 32 alphanumerics", e.demo.Secret)
	}
	doms, err := e.s.AppTokenDomains(context.Background(), e.demo.JWT)
	if err != nil || strings.Join(doms, ",") != "localhost,127.0.0.1" {
		t.Errorf("AppTokenDomains = %v, %v", doms, err)
	}
	if _, err := e.s.AppTokenDomains(context.Background(), e.demo.JWT+"x"); err == nil {
		t.Error("AppTokenDomains accepted a tampered JWT")
	}
	// Never echo credentials in response headers.
	r := e.do("GET", "/checkout_info", e.publicAuth(), "")
	for _, h := range []string{"Authorization", "X-Refresh-Authorization"} {
		if r.header.Get(h) != "" {
			t.Errorf("response header %s set", h)
		}
	}
	_ = http.StatusOK
}
