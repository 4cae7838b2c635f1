package spec

import (
	"reflect"

	"github.com/tracegate/tracegate/profile"
)

// The file as written. The decoder checks keys against these yaml tags, in this field order,
// so the order here is the order of "allowed:" lists in errors.
type (
	// File is the whole file.
	File struct {
		Environment     string                     `yaml:"environment"`
		TimeoutScale    float64                    `yaml:"timeoutScale"`
		ReportDir       string                     `yaml:"reportDir"`
		Waits           map[string]map[string]Wait `yaml:"waits"`
		Request         map[string]Request         `yaml:"request"`
		Debug           Debug                      `yaml:"debug"`
		Absence         Absence                    `yaml:"absence"`
		Environments    map[string]Environment     `yaml:"environments"`
		Implementations map[string]Implementation  `yaml:"implementations"`
		Faults          map[string]FaultProfile    `yaml:"faults"`
		// DeviationSets are named sets of known deviations that several implementations share:
		// set -> feature -> spec or table row -> declaration.
		DeviationSets map[string]map[string]map[string]Deviation `yaml:"deviationSets"`
	}
	// Absence is absence: how long "no span" is watched for.
	Absence struct {
		MarkerFactor      float64 `yaml:"markerFactor"`
		ExportDelayFactor float64 `yaml:"exportDelayFactor"`
	}
	// Wait is waits.<env>.<name>.
	Wait struct {
		Timeout Duration `yaml:"timeout"`
		Polling Duration `yaml:"polling"`
	}
	// Request is request.<env>.
	Request struct {
		AttemptTimeout       Duration `yaml:"attemptTimeout"`
		Retries              int      `yaml:"retries"`
		Backoff              Duration `yaml:"backoff"`
		MaxBackoff           Duration `yaml:"maxBackoff"`
		RetryStatuses        []int    `yaml:"retryStatuses"`
		ConsecutiveSuccesses int      `yaml:"consecutiveSuccesses"`
	}
	// Debug is debug.
	Debug struct {
		Enabled      bool     `yaml:"enabled"`
		PauseTimeout Duration `yaml:"pauseTimeout"`
		ArtifactsDir string   `yaml:"artifactsDir"`
	}
	// Environment is environments.<name>.
	Environment struct {
		Type           string   `yaml:"type"`
		Implementation string   `yaml:"implementation"`
		ExportDelay    Duration `yaml:"exportDelay"`
		OTLPProtocol   string   `yaml:"otlpProtocol"`
		// SamplingTraces: the new traces the 0% sampling check sends through the variant.
		SamplingTraces int        `yaml:"samplingTraces"`
		Faults         string     `yaml:"faults"`
		Collector      *Collector `yaml:"collector"`
		// Cluster environments: cluster is the type's own section, which its package decodes.
		Cluster         Raw      `yaml:"cluster"`
		Receiver        Receiver `yaml:"receiver"`
		Kubeconfig      string   `yaml:"kubeconfig"`
		Context         string   `yaml:"context"`
		NamespacePrefix string   `yaml:"namespacePrefix"`
	}
	// Collector is environments.<name>.collector.
	Collector struct {
		Build          []string `yaml:"build"`
		Command        []string `yaml:"command"`
		ConfigTemplate string   `yaml:"configTemplate"`
		ConfigName     string   `yaml:"configName"`
	}
	// FaultProfile is faults.<name>.
	FaultProfile struct {
		Client *FaultPath `yaml:"client"`
		Export *FaultPath `yaml:"export"`
	}
	// FaultPath is faults.<name>.client and faults.<name>.export.
	FaultPath struct {
		LatencyProbability float64  `yaml:"latencyProbability"`
		LatencyMin         Duration `yaml:"latencyMin"`
		LatencyMax         Duration `yaml:"latencyMax"`
		ResetFraction      float64  `yaml:"resetFraction"`
		BlackholeEvery     Duration `yaml:"blackholeEvery"`
		BlackholeFor       Duration `yaml:"blackholeFor"`
	}
)

// The generic keys of a cluster environment and the implementations' cluster profiles.
type (
	// Receiver is environments.<name>.receiver.
	Receiver struct {
		Bind      string `yaml:"bind"`
		Advertise string `yaml:"advertise"`
		Port      int    `yaml:"port"`
	}
)

// An implementation's keys are the public profile package's types (profile.Implementation).
type (
	Implementation = profile.Implementation
	Deviation      = profile.Deviation
	Project        = profile.Project
	Local          = profile.Local
	Variant        = profile.Variant
	ClusterProfile = profile.ClusterProfile
	Helm           = profile.Helm
	Workload       = profile.Workload
	Proxy          = profile.Proxy
	SpanNames      = profile.SpanNames
)

// Builtin is what the file is decoded over: the default values.
type Builtin struct {
	File        File        // top-level keys, waits.default, request.default and debug
	Environment Environment // every environments.<name> entry starts from this
	Local       Local       // every implementations.<name>.local profile starts from this
	// Cluster environments and profiles.
	Implementation Implementation // every implementations.<name> entry starts from this
	ClusterProfile ClusterProfile // every implementations.<name>.cluster starts from this
}

// Start returns the value a new map entry or pointer of type t starts from before the file's
// keys are decoded over it; NewDecoder takes it.
func (b Builtin) Start(t reflect.Type) reflect.Value {
	v := reflect.New(t).Elem()
	switch t {
	case reflect.TypeFor[Environment]():
		v.Set(reflect.ValueOf(b.Environment))
	case reflect.TypeFor[Local]():
		v.Set(reflect.ValueOf(b.Local))
	case reflect.TypeFor[Implementation]():
		v.Set(reflect.ValueOf(b.Implementation))
	case reflect.TypeFor[ClusterProfile]():
		v.Set(reflect.ValueOf(b.ClusterProfile))
	}
	return v
}
