package contract

// Field is a field a local gateway's config template, command and environment values can refer
// to, such as {{.UpstreamAddr}}: the fields of framework/environment/local's TemplateData, in
// its order (a test there keeps the two the same).
type Field struct {
	Name    string
	Meaning string
}

// TemplateFields are the fields, each with its meaning. Every address is on 127.0.0.1, on a port
// the suite picked free for this start.
var TemplateFields = []Field{
	{"GatewayAddr", "host:port the gateway must listen on for the suite's requests"},
	{"GatewayPort", "its port"},
	{"AdminPort", "a second free port, for a gateway with an admin listener"},
	{"UpstreamAddr", "host:port of the echo upstream: where every route but the refused and no-route ones goes"},
	{"UpstreamPort", "its port, for a config that wants host and port apart"},
	{"RefusedAddr", "host:port where every connection is refused: the upstream of refused.status.example.com"},
	{"RefusedPort", "its port"},
	{"OTLPEndpoint", "the URL for OTEL_EXPORTER_OTLP_ENDPOINT in the environment's OTLP protocol"},
	{"OTLPHTTPEndpoint", "http://host:port of the suite's OTLP/HTTP receiver (POST /v1/traces)"},
	{"OTLPHTTPPort", "its port"},
	{"OTLPGRPCEndpoint", "host:port of the suite's OTLP/gRPC receiver"},
	{"OTLPGRPCPort", "its port"},
	{"OTLPProtocol", "the environment's `otlpProtocol`: grpc, http/protobuf or http/json"},
	{"ExportDelayMillis", "the environment's `exportDelay` in milliseconds: how long the gateway may hold a span before exporting it"},
	{"Implementation", "the implementation's name, such as envoy-gateway (one template can serve several profiles)"},
	{"ServiceName", "`implementations.<name>.serviceName`, for a config that sets the service name itself (OTEL_SERVICE_NAME has it too)"},
	{"ResourceAttributes", "`implementations.<name>.resourceAttributes`, a map, likewise (OTEL_RESOURCE_ATTRIBUTES has them too)"},
	{"GatewayName", "the Gateway a local mirror of a cluster implementation renders (`cluster.gateway`, " +
		"or the variant's in `cluster.variants`); empty without a cluster profile"},
	{"Namespace", "the namespace such a mirror renders (tracegate); empty without a cluster profile"},
	{"ReadyToken", "unique to this start: the ready path answering `ready {{.ReadyToken}}` proves the answer is this gateway's"},
	{
		"Variant",
		"empty for the main gateway, else the variant's name, such as sampling-zero: a config template renders the variant's settings from it",
	},
	{"ConfigFile", "where the rendered config template is written (`local.configName` in the work directory), for the command"},
	{"WorkDir", "a private directory for this gateway: its rendered config, its output"},
	{"Dir", "the directory the profile's relative paths resolve against (the repository, or an E2E_PROFILE file's own)"},
}
