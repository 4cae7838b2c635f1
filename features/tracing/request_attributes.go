package tracing

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/tracegate/tracegate/framework/config"
	"github.com/tracegate/tracegate/framework/contract"
	"github.com/tracegate/tracegate/framework/request"
	"github.com/tracegate/tracegate/framework/spans"
)

// RequestAttributes checks the semantic-convention attributes that describe the request.
var RequestAttributes = register(Feature{
	Name:    "RequestAttributes",
	Title:   "Request attributes",
	SpecIDs: []string{"request-attributes"},
	Specs: func(in *Input) {
		It(
			"records method, path, status code and server address",
			ID("request-attributes"),
			in.declarable("RequestAttributes", func(ctx SpecContext) {
				r := contract.RequestAttributes
				naming := in.Config.Implementation.AttributeNaming
				By("sending a POST with a distinctive path and host")
				rsp := in.Gateway.Send(ctx, route(r))
				Expect(rsp).To(request.HaveStatus(http.StatusOK))

				By("waiting for the gateway's server span with the request's attributes, named as " + naming)
				scheme := "http"
				if u, err := url.Parse(in.Gateway.BaseURL()); err == nil && u.Scheme != "" {
					scheme = u.Scheme
				}
				want := append([]spans.Criterion{spans.Server()}, requestAttributes(naming, scheme, r.Method, r.Host, r.Path, http.StatusOK)...)
				in.EventuallySpans(ctx, rsp).Should(spans.HaveSpan(want...))
			}),
		)
	},
})

// requestAttributes are the attributes a request's server span carries under an attribute
// naming (implementations.<name>.attributeNaming), each with the value the request carried: the
// scheme it was sent with, its method, Host and path, and the status it got.
func requestAttributes(naming, scheme, method, host, path string, status int) []spans.Criterion {
	if naming == config.AttributeNamingEnvoy {
		// Envoy's tags: every value a string, scheme, host and path only inside the full URL.
		return []spans.Criterion{
			spans.WithAttribute("http.method", method),
			spans.WithAttributeMatching(
				"http.url",
				"^"+regexp.QuoteMeta(scheme)+"://"+regexp.QuoteMeta(host)+"(:[0-9]+)?"+regexp.QuoteMeta(path)+"$",
			),
			spans.WithAttribute("http.status_code", strconv.Itoa(status)),
		}
	}
	return []spans.Criterion{ // OpenTelemetry semantic conventions
		spans.WithAttribute("http.request.method", method),
		spans.WithAttribute("url.scheme", scheme),
		spans.WithAttribute("url.path", path),
		spans.WithAttribute("http.response.status_code", status),
		spans.WithAttribute("server.address", host),
	}
}
