// Command contract prints the fixture contract (framework/contract) as Markdown: each feature's
// requests and what the gateway must do with them, the custom attributes, the variants with how
// each profile gives them, and the template fields (make contract). E2E_PROFILE adds profiles as
// for a run.
//
//	-readme FILE  write it into FILE between its contract markers instead (docs/bring-your-gateway.md's table)
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/tracegate/tracegate/features/tracing"
	"github.com/tracegate/tracegate/framework/config"
	"github.com/tracegate/tracegate/framework/contract"
	_ "github.com/tracegate/tracegate/framework/environment/configs" // the cluster types of ginkgo.yaml
)

func main() {
	readme := flag.String("readme", "", "write the contract into this file between its markers instead of printing it")
	flag.Parse()
	load := func(env map[string]string) (*config.Config, error) {
		return config.Load(func(k string) (string, bool) {
			if v, ok := env[k]; ok {
				return v, true
			}
			return os.LookupEnv(k)
		}, tracing.Names())
	}
	cfg, err := load(nil)
	if err != nil {
		fail("invalid tracegate config:\n%v", err)
	}
	impls, err := contract.Implementations(cfg, load)
	if err != nil {
		fail("%v", err)
	}
	md := contract.Markdown(impls)
	if *readme == "" {
		fmt.Print(md)
		return
	}
	text, err := os.ReadFile(*readme)
	if err != nil {
		fail("%v", err)
	}
	out, err := contract.Replace(string(text), md)
	if err != nil {
		fail("%s: %v", *readme, err)
	}
	if err := os.WriteFile(*readme, []byte(out), 0o644); err != nil {
		fail("%v", err)
	}
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "contract: "+format+"\n", args...)
	os.Exit(1)
}
