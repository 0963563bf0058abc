package widget

import (
	"net/url"

	"kessai/api"
)

// LogoURL is the store logo the popup's header shows (docs/widget.md,
// "Screens"): checkout_info's logo_image when showLogo is true and it is an
// http(s) URL, else "".
func LogoURL(o Options, info api.CheckoutInfo) string {
	if !o.ShowLogo || info.LogoImage == nil {
		return ""
	}
	u, err := url.Parse(*info.LogoImage)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return ""
	}
	return u.String()
}
