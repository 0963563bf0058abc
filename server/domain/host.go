package domain

import (
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
)

// WidgetDomain is one registered domain of an app token (docs/sandbox-api.md, "Authentication and access"): a
// bare host, a host with a port, or "*" for every origin.
type WidgetDomain struct {
	Host string // lower case; IPv6 without brackets; "*" for any
	Port string // "" = any port
}

// Any reports whether the entry is "*".
func (d WidgetDomain) Any() bool { return d.Host == "*" }

// String is the entry as stored: "host", "host:port", "[v6]:port" or "*".
func (d WidgetDomain) String() string {
	h := d.Host
	if strings.Contains(h, ":") {
		h = "[" + h + "]"
	}
	if d.Port != "" {
		return h + ":" + d.Port
	}
	return h
}

// ParseWidgetDomain reads a domain entry. It is lenient with what people
// paste (a scheme, a trailing path: "https://www.example.com/" is
// "www.example.com", as the seed's FAQ shows) and strict with the rest:
// only letters, digits, "-" and "." in host names, a numeric port. Both the
// API's domain check and the iframe's Content-Security-Policy read entries
// through it, so they always agree.
func ParseWidgetDomain(entry string) (WidgetDomain, error) {
	s := strings.ToLower(strings.TrimSpace(entry))
	if s == "*" {
		return WidgetDomain{Host: "*"}, nil
	}
	if i := strings.Index(s, "://"); i >= 0 {
		s = s[i+3:]
	}
	if i := strings.IndexByte(s, '/'); i >= 0 {
		s = s[:i]
	}
	host, port := s, ""
	if h, p, err := net.SplitHostPort(s); err == nil {
		host, port = h, p
	} else if strings.HasPrefix(s, "[") && strings.HasSuffix(s, "]") {
		host = s[1 : len(s)-1]
	}
	if port != "" {
		if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
			return WidgetDomain{}, fmt.Errorf("domain %q: invalid port", entry)
		}
	}
	if host == "" {
		return WidgetDomain{}, fmt.Errorf("domain %q: no host", entry)
	}
	if ip := net.ParseIP(host); ip != nil {
		return WidgetDomain{Host: ip.String(), Port: port}, nil
	}
	for _, label := range strings.Split(host, ".") {
		if label == "" || len(label) > 63 {
			return WidgetDomain{}, fmt.Errorf("domain %q: invalid host name", entry)
		}
		for _, r := range label {
			if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
				return WidgetDomain{}, fmt.Errorf("domain %q: invalid character %q in host name", entry, r)
			}
		}
	}
	return WidgetDomain{Host: host, Port: port}, nil
}

// Matches reports whether an origin's host and port (the port explicit or
// the scheme's default) match the entry: "*" matches everything, a port in
// the entry must match, no implicit sub-domains.
func (d WidgetDomain) Matches(host, port string) bool {
	if d.Any() {
		return true
	}
	return d.Host == strings.Trim(strings.ToLower(host), "[]") && (d.Port == "" || d.Port == port)
}

// Origin is a web origin: scheme, host and port (docs/sandbox-api.md,
// "Authentication and access"). The widget origin, the Origin header of a
// browser request and the origin the widget forwards are all read by
// ParseOrigin, so they compare alike.
type Origin struct {
	Scheme string // lower case
	Host   string // lower case; IPv6 without brackets
	Port   string // explicit, or the scheme's default (80, 443)
}

// ParseOrigin reads an origin or a URL ("https://Shop.example:8443/path" is
// https, shop.example, 8443). A bare "host[:port]" is taken as http, as the
// widget forwards it. "null" and empty strings are errors.
func ParseOrigin(raw string) (Origin, error) {
	s := strings.TrimSpace(raw)
	if s == "" || strings.EqualFold(s, "null") {
		return Origin{}, fmt.Errorf("origin %q: empty", raw)
	}
	if !strings.Contains(s, "://") {
		s = "http://" + s
	}
	u, err := url.Parse(s)
	if err != nil || u.Hostname() == "" {
		return Origin{}, fmt.Errorf("origin %q: not an origin", raw)
	}
	o := Origin{Scheme: strings.ToLower(u.Scheme), Host: strings.ToLower(u.Hostname()), Port: u.Port()}
	if o.Port == "" {
		o.Port = defaultPorts[o.Scheme]
	}
	return o, nil
}

var defaultPorts = map[string]string{"http": "80", "https": "443"}

// String is the serialised origin, "scheme://host[:port]", without the
// scheme's default port.
func (o Origin) String() string {
	h := o.Host
	if strings.Contains(h, ":") {
		h = "[" + h + "]"
	}
	s := o.Scheme + "://" + h
	if o.Port != "" && o.Port != defaultPorts[o.Scheme] {
		s += ":" + o.Port
	}
	return s
}
