package config

import (
	"time"

	"github.com/tracegate/tracegate/framework/config/internal/spec"
)

// defaults is the only place default values are written: what the file is decoded over.
func defaults() spec.Builtin {
	b := builtin()
	for name, d := range typeWaits() { // each environment type's own (RegisterType)
		b.File.Waits["default"][string(name)] = spec.Wait{
			Timeout: spec.Duration{Duration: d.Timeout},
			Polling: spec.Duration{Duration: d.Polling},
		}
	}
	return b
}

// builtin is the generic defaults, before the environment types' waits.
func builtin() spec.Builtin {
	ms := func(n int) spec.Duration { return spec.Duration{Duration: time.Duration(n) * time.Millisecond} }
	s := func(n int) spec.Duration { return spec.Duration{Duration: time.Duration(n) * time.Second} }
	return spec.Builtin{
		File: spec.File{
			Environment:  "local",
			TimeoutScale: 1,
			ReportDir:    "reports",
			Waits: map[string]map[string]spec.Wait{"default": {
				string(WaitGatewayReady):     {Timeout: s(60), Polling: ms(100)},
				string(WaitGatewayStop):      {Timeout: s(10), Polling: ms(100)},
				string(WaitSpan):             {Timeout: s(10), Polling: ms(50)},
				string(WaitAbsence):          {Timeout: s(2), Polling: ms(100)},
				string(WaitRequestConverged): {Timeout: s(30), Polling: ms(200)},
				string(WaitLateSpan):         {Timeout: s(5), Polling: ms(100)},
				string(WaitFailureBundle):    {Timeout: s(60), Polling: s(1)},
			}},
			Request: map[string]spec.Request{"default": {
				AttemptTimeout:       s(10),
				Retries:              3,
				Backoff:              ms(200),
				MaxBackoff:           s(2),
				RetryStatuses:        []int{502, 503, 504},
				ConsecutiveSuccesses: 3,
			}},
			Debug:   spec.Debug{PauseTimeout: s(30 * 60), ArtifactsDir: "_artifacts"},
			Absence: spec.Absence{MarkerFactor: 4, ExportDelayFactor: 3},
		},
		Environment: spec.Environment{ExportDelay: ms(100), OTLPProtocol: "http/protobuf", SamplingTraces: 460,
			Receiver: spec.Receiver{Bind: ReceiverAuto}, NamespacePrefix: "tracegate"},
		Local: spec.Local{ConfigName: "gateway.conf", ReadyPath: "/"},
		Implementation: spec.Implementation{
			SpanNames:       spec.SpanNames{Default: SpanNameHost, Decorated: "THISISAROUTEDESCRIPTOR"},
			AttributeNaming: AttributeNamingSemconv,
		},
		ClusterProfile: spec.ClusterProfile{Gateway: "tracegate"},
	}
}
