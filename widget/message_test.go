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
