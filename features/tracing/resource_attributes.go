package tracing

import (
	"fmt"
	"maps"
	"net/http"
	"slices"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/tracegate/tracegate/framework/contract"
	"github.com/tracegate/tracegate/framework/request"
	"github.com/tracegate/tracegate/framework/spans"
)

// ResourceAttributes checks that spans carry the service name and resource attributes the
// implementation profile configures (implementations.<name>.serviceName, resourceAttributes),
// and a variant without a configured name the implementation's default (variantServiceNames).
var ResourceAttributes = register(Feature{Name: "ResourceAttributes", Title: "Resource attributes", Specs: func(in *Input) {
	It("reports the configured service name and resource attributes", in.declarable("ResourceAttributes", func(ctx SpecContext) {
		impl := in.Config.Implementation
		Expect(impl.ServiceName).NotTo(BeEmpty(), "implementations.%s.serviceName must be set for ResourceAttributes", impl.Name)
		want := []spans.Criterion{spans.Server(), spans.WithResourceAttribute("service.name", impl.ServiceName)}
		for _, key := range slices.Sorted(maps.Keys(impl.ResourceAttributes)) {
			want = append(want, spans.WithResourceAttribute(key, impl.ResourceAttributes[key]))
		}

		By("sending a request")
		rsp := in.Gateway.Send(ctx, route(contract.ResourceAttributes))
		Expect(rsp).To(request.HaveStatus(http.StatusOK))

		By("waiting for a span whose resource carries the configured attributes")
		in.EventuallySpans(ctx, rsp).Should(spans.HaveSpan(want...))

		// A variant configured without a service name carries the implementation's default
		// (implementations.<name>.variantServiceNames), such as Envoy Gateway's <gateway>.<namespace>.
		for _, variant := range slices.Sorted(maps.Keys(impl.VariantServiceNames)) {
			name, _ := impl.ServiceNamePattern(variant)
			By(fmt.Sprintf("sending a sampled request through variant %s, configured without a service name", variant))
			vrsp := in.gatewayVariant(ctx, variant).Send(ctx, route(contract.ResourceAttributesDefault))
			Expect(vrsp).To(request.HaveStatus(http.StatusOK))
			By(fmt.Sprintf("waiting for its span, named by the default %q", impl.VariantServiceNames[variant]))
			in.EventuallySpans(ctx, vrsp).Should(spans.HaveSpan(spans.Server(), spans.WithResourceAttributeMatching("service.name", name)))
		}
	}))
}})
