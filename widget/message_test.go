package widget

import "testing"

// The messages the loader carries out for the parameters: a console line
// naming the parameter and its value, an inline frame's removal.
func TestParamMessages(t *testing.T) {
	cases := []struct {
		msg  any
		want string
	}{
		{ConsoleMessage(Problem{Param: "paymentMethods", Value: "konbini", Reason: "not available"}),
			`{"type":"console","level":"error","text":"UnivapayCheckout: paymentMethods=\"konbini\": not available"}`},
		{ConsoleMessage(Problem{Param: "usageLimit", Reason: "ignored", Warning: true}),
			`{"type":"console","level":"warn","text":"UnivapayCheckout: usageLimit: ignored"}`},
		{Closed{Type: MsgClosed, RemoveFrame: true}, `{"type":"closed","removeFrame":true}`},
	}
	for _, c := range cases {
		if got, err := Encode(c.msg); err != nil || got != c.want {
			t.Errorf("%s, %v; want %s", got, err, c.want)
		}
	}
	if Contract().MsgConsole != MsgConsole {
		t.Error("the loader contract lacks MsgConsole")
	}
}

// The timeout's error names the ids the abandoned payment created
// (docs/widget.md, "Timeout").
func TestTimeoutError(t *testing.T) {
	ids := map[string]string{}
	CreatedIDs(NewEvent(EventTokenCreated, TokenCreatedDetail{TokenID: "tok-1"}), ids)
	CreatedIDs(NewEvent(EventChargeCreated, ChargeCreatedDetail{ChargeID: "ch-1", TokenID: "tok-1"}), ids)
	CreatedIDs(Closed{Type: MsgClosed}, ids)
	o := TimeoutError(LocaleJA, ids)
	if o.OK || o.Stage != StageTimeout || o.Code != CodeTimeout || o.Message != "タイムアウトしました。もう一度お試しください。" {
		t.Errorf("outcome %+v", o)
	}
	got, _ := Encode(o.Failure)
	want := `{"stage":"timeout","code":"TIMEOUT","message":"タイムアウトしました。もう一度お試しください。","error":{"error":{"code":"TIMEOUT","message":"タイムアウトしました。もう一度お試しください。"}},"tokenId":"tok-1","chargeId":"ch-1"}`
	if got != want {
		t.Errorf("detail %s\nwant   %s", got, want)
	}
}
