package server

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"kessai/api"
	"kessai/server/domain"
)

// 3-D Secure (docs/payment-methods.md, "3-D Secure"): when a challenge
// runs for a token or a charge, its statuses, its time-out on the store's
// clock and the sandbox ACS page (threeds_page.go) that the buyer answers.

// threeDSTimeout is how long a challenge awaits the buyer.
const threeDSTimeout = 15 * time.Minute

// threeDSWork is the kind of due work (domain.ClaimStorage) of token
// challenges: the engine times them out (charges time out through their
// DueAt).
const threeDSWork = "three_ds_token"

// validURL reports whether s is an absolute http(s) URL.
func validURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// checkThreeDSMode validates a three_ds.mode against the modes allowed.
func checkThreeDSMode(m api.ThreeDSMode, field string, allowed []api.ThreeDSMode, add func(field, reason string)) {
	if m != "" && !slices.Contains(allowed, m) {
		add(field, api.ReasonInvalidFormat)
	}
}

var (
	tokenThreeDSModes  = []api.ThreeDSMode{api.ThreeDSNormal, api.ThreeDSForce, api.ThreeDSSkip, api.ThreeDSIfAvailable}
	chargeThreeDSModes = []api.ThreeDSMode{api.ThreeDSNormal, api.ThreeDSForce, api.ThreeDSSkip, api.ThreeDSIfAvailable, api.ThreeDSRequire, api.ThreeDSProvided}
)

// tokenThreeDS reads the 3-D Secure fields of a card token: a recurring
// token created with data.three_ds.enabled or three_ds.mode force starts a
// challenge at once (awaiting the buyer).
func (s *Server) tokenThreeDS(req *api.TokenCreateRequest, tok *domain.TxToken, add func(field, reason string)) {
	d := req.Data.ThreeDS
	enabled := d != nil && d.Enabled.Bool(false)
	var mode api.ThreeDSMode
	endpoint, field := "", ""
	if t := req.ThreeDS; t != nil {
		mode, endpoint, field = t.Mode, strings.TrimSpace(t.RedirectEndpoint), "three_ds.redirect_endpoint"
		checkThreeDSMode(mode, "three_ds.mode", tokenThreeDSModes, add)
	}
	if d != nil && strings.TrimSpace(d.RedirectEndpoint) != "" {
		endpoint, field = strings.TrimSpace(d.RedirectEndpoint), "data.three_ds.redirect_endpoint"
	}
	if endpoint != "" && !validURL(endpoint) {
		add(field, api.ReasonInvalidFormatURL)
	}
	if enabled && req.Type != api.TokenTypeRecurring {
		add("data.three_ds.enabled", api.ReasonForbiddenParameter)
	}
	runs := req.Type == api.TokenTypeRecurring && (enabled || mode == api.ThreeDSForce) && mode != api.ThreeDSSkip
	tok.ThreeDS = runs
	if !runs {
		return
	}
	due := tok.CreatedAt.Add(threeDSTimeout)
	step := &domain.ThreeDS{Mode: mode, Status: ptr(api.ThreeDSAwaiting), DueAt: &due}
	if endpoint != "" {
		step.RedirectEndpoint, step.RedirectID = &endpoint, ptr(newID())
	}
	tok.ThreeDSStep = step
}

// tokenThreeDSView is data.three_ds of a card token.
func tokenThreeDSView(t *domain.TxToken) *api.TokenThreeDS {
	v := &api.TokenThreeDS{Enabled: t.ThreeDS, RedirectEndpoint: t.ThreeDSRedirectEndpoint}
	if st := t.ThreeDSStep; st != nil {
		v.Status, v.RedirectEndpoint, v.RedirectID, v.Error = st.Status, st.RedirectEndpoint, st.RedirectID, st.Error
		if st.Mode != "" {
			v.Mode = ptr(st.Mode)
		}
	}
	return v
}

// queueTokenThreeDS has the engine time out tok's challenge.
func (s *Server) queueTokenThreeDS(ctx context.Context, tok *domain.TxToken) {
	st := tok.ThreeDSStep
	if !st.Awaiting() || st.DueAt == nil {
		return
	}
	if err := s.storage.ScheduleWork(context.WithoutCancel(ctx), threeDSWork, tok.ID, tok.StoreID, *st.DueAt); err != nil {
		s.log.Error("queue 3-D Secure time-out", "token_id", tok.ID, "err", err)
		return
	}
	s.schedule(tok.StoreID, *st.DueAt)
}

// runDueThreeDS is the engine job of token challenges that timed out.
func (s *Server) runDueThreeDS(ctx context.Context, storeID string, now time.Time) {
	ids, err := s.storage.DueWork(ctx, threeDSWork, storeID, now)
	if err != nil {
		if ctx.Err() == nil {
			s.log.Error("list due 3-D Secure time-outs", "err", err)
		}
		return
	}
	for _, id := range ids {
		_, err := s.finishTokenThreeDS(ctx, id, "")
		if err == nil || errors.Is(err, domain.ErrNotFound) || errors.Is(err, errNotAwaiting) {
			err = s.storage.DeleteWork(ctx, threeDSWork, id)
		}
		if err != nil && ctx.Err() == nil {
			s.log.Error("time out 3-D Secure", "token_id", id, "err", err)
		}
	}
}

// settleTokenThreeDS times out tok's challenge if its time has passed
// (a read does not wait for the engine); tok is brought up to date.
func (s *Server) settleTokenThreeDS(ctx context.Context, tok *domain.TxToken) error {
	st := tok.ThreeDSStep
	if !st.Awaiting() || st.DueAt == nil || s.clock.Now(tok.StoreID).Before(*st.DueAt) {
		return nil
	}
	cur, err := s.finishTokenThreeDS(ctx, tok.ID, "")
	if errors.Is(err, errNotAwaiting) {
		cur, err = s.storage.GetToken(ctx, tok.ID)
	}
	if err != nil {
		return err
	}
	*tok = *cur
	return nil
}

// errNotAwaiting: the 3-D Secure step answered is no longer awaiting.
var errNotAwaiting = errors.New("3-D Secure step not awaiting")

// threeDSOutcome is the buyer's answer on the ACS page; "" is a time-out
// decided by the clock.
type threeDSOutcome string

const (
	threeDSAuthenticate threeDSOutcome = "authenticate"
	threeDSFail         threeDSOutcome = "fail"
	threeDSTimeOut      threeDSOutcome = "timeout"
)

// stepResult moves an awaiting step to the outcome's status; the time-out
// of the clock is threeDSTimeOut.
func stepResult(st *domain.ThreeDS, o threeDSOutcome) {
	st.DueAt = nil
	switch o {
	case threeDSAuthenticate:
		st.Status = ptr(api.ThreeDSSuccessful)
	case threeDSFail:
		st.Status = ptr(api.ThreeDSFailed)
		st.Error = paymentError(api.PaymentErrorDeclined, api.ThreeDSFailedMessage)
	default:
		st.Status = ptr(api.ThreeDSError)
		st.Error = paymentError(api.PaymentErrorDeadlinePassed, api.ThreeDSTimeoutMessage)
	}
}

// finishTokenThreeDS ends the awaiting challenge of token id with o (""
// = time out, only once its time has passed): token_updated fires.
func (s *Server) finishTokenThreeDS(ctx context.Context, id string, o threeDSOutcome) (*domain.TxToken, error) {
	release, err := s.lease(ctx, "token/"+id, settleLeaseTTL)
	if err != nil {
		return nil, err
	}
	tok, err := s.storage.GetToken(ctx, id)
	if err == nil {
		now := s.clock.Now(tok.StoreID)
		st := tok.ThreeDSStep
		switch {
		case !st.Awaiting():
			err = errNotAwaiting
		case o == "" && st.DueAt != nil && now.Before(*st.DueAt):
			err = errNotAwaiting
		default:
			if o == "" {
				o = threeDSTimeOut
			}
			stepResult(st, o)
			tok.UpdatedAt = now
			s.event(&tok.Outbox, tok.StoreID, api.EventTokenUpdated, s.tokenView(tok))
			err = s.storage.UpdateToken(ctx, tok)
		}
	}
	release()
	if err != nil {
		return nil, err
	}
	_ = s.storage.DeleteWork(context.WithoutCancel(ctx), threeDSWork, id)
	s.followUp(ctx, domain.KindToken, tok.ID, &tok.Outbox)
	return tok, nil
}

// chargeThreeDSRequest validates the three_ds object of POST /charges
// into the charge's 3-D Secure step (nil when none was sent).
func chargeThreeDSRequest(req *api.ThreeDSRequest, add func(field, reason string)) *domain.ThreeDS {
	if req == nil {
		return nil
	}
	checkThreeDSMode(req.Mode, "three_ds.mode", chargeThreeDSModes, add)
	t := &domain.ThreeDS{Mode: req.Mode}
	if e := strings.TrimSpace(req.RedirectEndpoint); e != "" {
		if !validURL(e) {
			add("three_ds.redirect_endpoint", api.ReasonInvalidFormatURL)
		}
		t.RedirectEndpoint, t.RedirectID = &e, ptr(newID())
	}
	return t
}

// chargeThreeDS decides the 3-D Secure step of card charge c on tok
// (docs/payment-methods.md, "When a challenge is required"): the mode, the
// store's three_ds_required, the sandbox test card (…3220); never for a
// subscription's own payments nor a token that passed its own challenge.
// A token whose own challenge did not succeed cannot be charged. c.ThreeDS
// holds the request's three_ds object (nil when none was sent).
func (s *Server) chargeThreeDS(ctx context.Context, tok *domain.TxToken, c *domain.Charge) error {
	if st := tok.ThreeDSStep; st != nil && (st.Status == nil || *st.Status != api.ThreeDSSuccessful) {
		return api.ValidationError(api.FieldError{Field: "transaction_token_id", Reason: api.ReasonInvalidThreeDSStatus})
	}
	if tok.Card == nil || c.SubscriptionID != nil || tok.ThreeDSStep != nil {
		return nil
	}
	mode := api.ThreeDSNormal
	if c.ThreeDS != nil && c.ThreeDS.Mode != "" {
		mode = c.ThreeDS.Mode
	}
	var runs bool
	switch mode {
	case api.ThreeDSForce, api.ThreeDSRequire:
		runs = true
	case api.ThreeDSNormal, api.ThreeDSIfAvailable:
		shop, err := s.storage.GetStore(ctx, tok.StoreID)
		if err != nil {
			return err
		}
		runs = shop.Config.ThreeDSRequired || tok.Card.LastFour == api.ThreeDSTestCardSuffix
	}
	if !runs {
		return nil
	}
	if c.ThreeDS == nil {
		c.ThreeDS = &domain.ThreeDS{}
	}
	c.ThreeDS.Status = ptr(api.ThreeDSPending)
	return nil
}

// chargeThreeDSPending reports whether a pending charge must first await
// its challenge.
func chargeThreeDSPending(c *domain.Charge) bool {
	return c.ThreeDS != nil && c.ThreeDS.Status != nil && *c.ThreeDS.Status == api.ThreeDSPending
}

// awaitThreeDS moves a pending charge to awaiting its challenge.
func awaitThreeDS(c *domain.Charge, now time.Time) {
	due := now.Add(threeDSTimeout)
	c.Status = api.ChargeAwaiting
	c.ThreeDS.Status = ptr(api.ThreeDSAwaiting)
	c.ThreeDS.DueAt = &due
	c.DueAt = &due
}

// answerChargeThreeDS ends the awaiting challenge of a charge with o: an
// authenticated charge is processed as any card charge (pending, due now),
// a failed one fails (306), a timed-out one ends in error (327).
func answerChargeThreeDS(c *domain.Charge, o threeDSOutcome, now time.Time) {
	stepResult(c.ThreeDS, o)
	c.UpdatedAt = now
	switch o {
	case threeDSAuthenticate:
		c.Status = api.ChargePending
		c.DueAt = &now
	case threeDSFail:
		c.Status, c.Error, c.DueAt = api.ChargeFailed, c.ThreeDS.Error, nil
	default:
		c.Status, c.Error, c.DueAt = api.ChargeError, paymentError(api.PaymentErrorDeadlinePassed, api.DeadlinePassedMessage), nil
	}
}

// finishChargeThreeDS answers charge id's awaiting challenge (locked).
func (s *Server) finishChargeThreeDS(ctx context.Context, id string, o threeDSOutcome) (*domain.Charge, error) {
	var prev domain.Charge
	c, err := s.charges().locked(ctx, id, func(c *domain.Charge, now time.Time) error {
		if c.Status != api.ChargeAwaiting || !c.ThreeDS.Awaiting() {
			return errNotAwaiting
		}
		prev = *c
		answerChargeThreeDS(c, o, now)
		s.chargeFollowUps(&prev, c)
		return s.storage.UpdateCharge(ctx, c)
	})
	if err != nil {
		return nil, err
	}
	s.chargeChanged(ctx, &prev, c)
	if c.DueAt != nil { // authenticated: process it now
		return s.settle(ctx, c.ID)
	}
	return c, nil
}

// chargeThreeDSView is the three_ds object of a charge.
func chargeThreeDSView(t *domain.ThreeDS) *api.ChargeThreeDS {
	if t == nil {
		return nil
	}
	return &api.ChargeThreeDS{Mode: t.Mode, RedirectEndpoint: t.RedirectEndpoint, RedirectID: t.RedirectID, Status: t.Status}
}

// A 3-D Secure session names the token or charge a challenge belongs to,
// signed under the server key so that the ACS page (which needs no app
// token) cannot be pointed at another: base64url("t:"+id or "c:"+id),
// ".", then a truncated HMAC of it.

func (s *Server) sessionMAC(ref string) string {
	m := hmac.New(sha256.New, s.jwtKey)
	m.Write([]byte("3ds:" + ref))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:16])
}

// threeDSSession returns the session of a token ("t") or charge ("c")
// challenge, or of a konbini payment slip ("k").
func (s *Server) threeDSSession(kind, id string) string {
	ref := base64.RawURLEncoding.EncodeToString([]byte(kind + ":" + id))
	return ref + "." + s.sessionMAC(ref)
}

// parseThreeDSSession returns the kind and ID of a session, ok false when
// it is not one the server signed.
func (s *Server) parseThreeDSSession(session string) (kind, id string, ok bool) {
	ref, mac, found := strings.Cut(session, ".")
	if !found || !hmac.Equal([]byte(mac), []byte(s.sessionMAC(ref))) {
		return "", "", false
	}
	b, err := base64.RawURLEncoding.DecodeString(ref)
	if err != nil {
		return "", "", false
	}
	kind, id, found = strings.Cut(string(b), ":")
	return kind, id, found && (kind == "t" || kind == "c" || kind == "k")
}

// sandboxACS returns the issuer token of the sandbox ACS page for the
// session of a token or charge. The URL is on the server's public origin,
// else on the request's host.
func (s *Server) sandboxACS(r *http.Request, kind, id string) api.ThreeDSIssuerToken {
	session := s.threeDSSession(kind, id)
	return api.ThreeDSIssuerToken{
		IssuerToken: s.publicBase(r) + "/sandbox/3ds/" + session,
		CallMethod:  api.CallHTTPPost,
		Payload:     map[string]string{"session": session},
		ContentType: api.ContentTypeForm,
		PaymentType: api.PaymentTypeCard,
	}
}

// publicBase is the base URL of the server's own pages.
func (s *Server) publicBase(r *http.Request) string {
	if s.widgetOrigin != "" {
		return s.widgetOrigin
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}
