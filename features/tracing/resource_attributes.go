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
// from the main gateway and from each variant, which differs in its sampling only.
var ResourceAttributes = register(Feature{
	Name:    "ResourceAttributes",
	Title:   "Resource attributes",
	SpecIDs: []string{"resource-attributes"},
	Specs: func(in *Input) {
		It(
			"reports the configured service name and resource attributes",
			ID("resource-attributes"),
			in.declarable("ResourceAttributes", func(ctx SpecContext) {
				impl := in.Config.Implementation
				Expect(impl.ServiceName).NotTo(BeEmpty(), "implementations.%s.serviceName must be set for ResourceAttributes", impl.Name)
				want := []spans.Criterion{spans.Server(), spans.WithResourceAttribute("service.name", impl.ServiceName)}
				for _, key := range slices.Sorted(maps.Keys(impl.ResourceAttributes)) {
					want = append(want, spans.WithResourceAttribute(key, impl.ResourceAttributes[key]))
				}
				in.eachGateway(ctx, func(gateway string, gw *request.Client) {
					By(fmt.Sprintf("sending a sampled request through %s", gateway))
					rsp := gw.Send(ctx, route(contract.ResourceAttributes))
					Expect(rsp).To(request.HaveStatus(http.StatusOK))

					By(fmt.Sprintf("waiting for its span, whose resource carries the configured attributes (%s)", gateway))
					in.expectGatewaySpan(ctx, rsp, want[1:]...)
				})
			}),
		)
	},
})
