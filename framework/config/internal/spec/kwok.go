package spec

// The kwok profile of an implementation: how its controller and proxies run as local processes
// beside a kwok cluster (implementations.<name>.cluster.kwok).
type (
	// KwokProfile is implementations.<name>.cluster.kwok.
	KwokProfile struct {
		Tools              []string          `yaml:"tools"`
		Envoy              KwokEnvoy         `yaml:"envoy"`
		CRDs               KwokCRDs          `yaml:"crds"`
		Overlay            string            `yaml:"overlay"`
		Setup              []KwokCommand     `yaml:"setup"`
		SecretFiles        []KwokSecretFiles `yaml:"secretFiles"`
		Controller         KwokProcess       `yaml:"controller"`
		Proxy              *KwokProcess      `yaml:"proxy"`
		ListenerPortOffset int               `yaml:"listenerPortOffset"`
	}
	// KwokEnvoy is implementations.<name>.cluster.kwok.envoy.
	KwokEnvoy struct {
		Version      string `yaml:"version"`
		Requirements string `yaml:"requirements"`
	}
	// KwokCRDs is implementations.<name>.cluster.kwok.crds.
	KwokCRDs struct {
		Module    string   `yaml:"module"`
		ModuleDir string   `yaml:"moduleDir"`
		Files     []string `yaml:"files"`
	}
	// KwokCommand is an element of implementations.<name>.cluster.kwok.setup.
	KwokCommand struct {
		Command []string          `yaml:"command"`
		Env     map[string]string `yaml:"env"`
	}
	// KwokSecretFiles is an element of implementations.<name>.cluster.kwok.secretFiles.
	KwokSecretFiles struct {
		Secret string   `yaml:"secret"`
		Keys   []string `yaml:"keys"`
		Dir    string   `yaml:"dir"`
	}
	// KwokProcess is implementations.<name>.cluster.kwok.controller and .proxy.
	KwokProcess struct {
		PerGateway        bool              `yaml:"perGateway"`
		Config            string            `yaml:"config"`
		Bootstrap         []string          `yaml:"bootstrap"`
		Command           []string          `yaml:"command"`
		Env               map[string]string `yaml:"env"`
		Ready             string            `yaml:"ready"`
		Artifacts         []string          `yaml:"artifacts"`
		AdminAddressFiles string            `yaml:"adminAddressFiles"`
		AdminSocket       string            `yaml:"adminSocket"`
	}
)
