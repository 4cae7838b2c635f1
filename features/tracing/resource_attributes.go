package tracing

import (
	"maps"
	"net/http"
	"slices"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/tracegate/tracegate/framework/request"
	"github.com/tracegate/tracegate/framework/spans"
)

// ResourceAttributes checks that spans carry the service name and resource attributes the
// implementation profile configures (implementations.<name>.serviceName, resourceAttributes).
var ResourceAttributes = register(Feature{Name: "ResourceAttributes", Title: "Resource attributes", Specs: func(in *Input) {
	It("reports the configured service name and resource attributes", func(ctx SpecContext) {
		impl := in.Config.Implementation
		Expect(impl.ServiceName).NotTo(BeEmpty(), "implementations.%s.serviceName must be set for ResourceAttributes", impl.Name)
		want := []spans.Criterion{spans.Server(), spans.WithResourceAttribute("service.name", impl.ServiceName)}
		for _, key := range slices.Sorted(maps.Keys(impl.ResourceAttributes)) {
			want = append(want, spans.WithResourceAttribute(key, impl.ResourceAttributes[key]))
		}

		By("sending a request")
		rsp := in.Gateway.Send(ctx, request.Host("resource.example.com"), request.Path("/resource/attributes"))
		Expect(rsp).To(request.HaveStatus(http.StatusOK))

		By("waiting for a span whose resource carries the configured attributes")
		in.EventuallySpans(ctx, rsp).Should(spans.HaveSpan(want...))
	})
}})
